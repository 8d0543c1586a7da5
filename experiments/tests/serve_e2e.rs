//! The dashboard end to end in real headless Chromium, driven through ChromeDriver's WebDriver
//! API: load the page, see a bad value refused next to its field, switch legal aid on, run,
//! wait for the results, and check that the unsentenced-share chart and the scorecard appear
//! and that legal aid lowers the unsentenced share; then switch the page to French.
//! The latencies of 20 slider changes and of six interventions ticked on are recorded in
//! `target/e2e-artifacts/serve-instant-latency.json` (a benchmark, not an assertion).
//! Screenshots are kept in `target/e2e-artifacts/serve-dashboard.png` and
//! `serve-dashboard-fr.png`. Skipped, with a message, only when Chromium is missing and cannot
//! be installed (not root).

use crate::common;

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{http, json};

/// Interventions the test ticks on (and off) after moving the slider, timing each new arm.
/// Interventions ticked after the pointer rests on them (none of them is in `TOGGLED`, so no
/// earlier run answers them).
const HOVERED: [&str; 2] = ["hot_spot_policing", "early_release_older"];
const TOGGLED: [&str; 6] = [
    "court_capacity",
    "youth_mentoring",
    "cbt_in_prison",
    "community_sentences",
    "victim_support",
    "early_warning",
];
use serde_json::{Value, json as j};

/// Kills a child process when dropped.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn have(cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {cmd}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A WebDriver session.
struct Browser {
    driver: SocketAddr,
    session: String,
}

impl Browser {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string());
        let (code, text) = http(
            self.driver,
            method,
            &format!("/session/{}{path}", self.session),
            body.as_deref(),
        );
        assert!(code < 300, "WebDriver {method} {path}: {code} {text}");
        json(&text)["value"].clone()
    }

    fn script(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(j!({ "script": script, "args": [] })),
        )
    }

    /// The element `css`, brought to the middle of its scrolling panel first, as a user would
    /// (at the panel's bottom edge the sticky button bar covers it): WebDriver's reference
    /// object and its id.
    fn find_in_view(&self, css: &str) -> (Value, String) {
        let selector = serde_json::to_string(css).unwrap();
        self.script(&format!(
            "document.querySelector({selector}).scrollIntoView({{block: 'center'}});"
        ));
        let el = self.call(
            "POST",
            "/element",
            Some(j!({ "using": "css selector", "value": css })),
        );
        let id = el
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string();
        (el, id)
    }

    /// Moves the pointer onto `css`, rests there `ms` milliseconds, then clicks, as a user
    /// reading before ticking does (WebDriver actions).
    fn hover_then_click(&self, css: &str, ms: u64) {
        let (origin, _) = self.find_in_view(css);
        self.call(
            "POST",
            "/actions",
            Some(j!({ "actions": [{ "type": "pointer", "id": "mouse",
                "parameters": { "pointerType": "mouse" },
                "actions": [
                    { "type": "pointerMove", "origin": origin, "x": 0, "y": 0, "duration": 0 },
                    { "type": "pause", "duration": ms },
                    { "type": "pointerDown", "button": 0 },
                    { "type": "pointerUp", "button": 0 }
                ] }] })),
        );
    }

    /// Waits until the page shows the whole run (not its early results) of a configuration
    /// whose key contains `key_part`.
    fn wait_for_whole_run(&self, key_part: &str, what: &str) {
        let part = serde_json::to_string(key_part).unwrap();
        self.wait_for(
            &format!(
                "document.querySelector('#results').dataset.key.includes({part}) && \
                 document.querySelector('#results').dataset.stale === '0' && \
                 document.querySelector('#results').dataset.early === '0'"
            ),
            what,
            Duration::from_secs(60),
        );
    }

    fn click(&self, css: &str) {
        let (_, id) = self.find_in_view(css);
        self.call("POST", &format!("/element/{id}/click"), Some(j!({})));
    }

    /// Waits until `condition` (a JS expression) is true. The page checks it every 10 ms
    /// itself and answers once (up to 10 s a request): polling through WebDriver costs the
    /// browser, the driver and this process a round trip each time, on the cores the server
    /// and the page share, and that slowed the latencies this test records.
    fn wait_for(&self, condition: &str, what: &str, limit: Duration) {
        let started = Instant::now();
        loop {
            let wait_ms = limit
                .saturating_sub(started.elapsed())
                .as_millis()
                .clamp(1, 10_000);
            let answer = self.call(
                "POST",
                "/execute/async",
                Some(j!({
                    "script": format!(
                        "const done = arguments[arguments.length - 1];
                         const until = Date.now() + {wait_ms};
                         (function check() {{
                           let met;
                           try {{ met = !!({condition}); }}
                           catch (e) {{ return done('error: ' + e); }}
                           if (met) return done('met');
                           if (Date.now() >= until) return done('not yet');
                           setTimeout(check, 10);
                         }})();"
                    ),
                    "args": []
                })),
            );
            match answer.as_str() {
                Some("met") => return,
                Some("not yet") => {}
                other => panic!("checking {what}: {other:?}"),
            }
            assert!(
                started.elapsed() < limit,
                "waited {limit:?} for {what}; status: {}",
                self.script("return document.querySelector('#status').textContent;")
            );
        }
    }
}

/// Standard base64 (for the screenshot).
fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = s.bytes().filter(|c| !b"=\r\n".contains(c)).collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= u32::from(value(c)) << (18 - 6 * i);
        }
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

fn artifacts() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target/")
        .join("e2e-artifacts")
}

#[test]
fn legal_aid_lowers_the_unsentenced_share_on_the_dashboard() {
    if !have("chromium") || !have("chromedriver") {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.ci/chromium.sh");
        let ok = Command::new("bash")
            .arg(script)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            assert!(
                !common::in_ci(),
                "CI=true: chromium and chromium-driver are required (.ci/chromium.sh installs them)"
            );
            eprintln!(
                "SKIPPED: the dashboard end-to-end test needs chromium and chromium-driver \
                 (.ci/chromium.sh installs them as root)"
            );
            return;
        }
    }
    // The dashboard, as a user starts it.
    let (server, addr) = common::spawn_serve();
    let _server = Killed(server);
    let url = format!("http://{addr}/");

    let port = free_port();
    let driver = Killed(
        Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let driver_addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(driver_addr).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let profile = std::env::temp_dir().join(format!("cjsim-e2e-profile-{}", std::process::id()));
    let caps = j!({ "capabilities": { "alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
                     "--window-size=1400,2200", format!("--user-data-dir={}", profile.display())]
        }
    }}});
    let (code, text) = http(driver_addr, "POST", "/session", Some(&caps.to_string()));
    assert!(code < 300, "no browser session: {text}");
    let session = json(&text)["value"]["sessionId"]
        .as_str()
        .unwrap()
        .to_string();
    let b = Browser {
        driver: driver_addr,
        session,
    };
    b.call("POST", "/url", Some(j!({ "url": url })));
    b.wait_for(
        "document.querySelector('#iv-legal_aid')",
        "the intervention list",
        Duration::from_secs(20),
    );

    // The page runs the baseline at once, without a Run button.
    b.wait_for(
        "document.querySelector('#results').dataset.stale === '0'",
        "the baseline's results on opening",
        Duration::from_secs(60),
    );
    assert_eq!(
        b.script("return document.querySelector('#run') === null;"),
        Value::Bool(true),
        "no Run button"
    );

    // A bad value is refused next to its field as soon as it is typed.
    b.script(
        "const r = document.querySelector('#replications');\
         r.value = '99'; r.dispatchEvent(new Event('input', { bubbles: true }));",
    );
    b.wait_for(
        "document.querySelector('[data-error-for=\"replications\"]').textContent.includes('1 to 10')",
        "the replications error",
        Duration::from_secs(20),
    );

    // Instant mode: one replication; legal aid on; then the coverage slider moved 20 times.
    // Each change greys the results at once and updates them without pressing anything: first
    // the target year (2030, with the horizon's cards marked as still simulating), then the
    // whole run.
    b.script(
        "const r = document.querySelector('#replications');\
         r.value = '1'; r.dispatchEvent(new Event('input', { bubbles: true }));",
    );
    b.click("#iv-legal_aid");
    b.wait_for(
        "document.querySelector('#results').dataset.key.includes('legal_aid') && \
         document.querySelector('#results').dataset.stale === '0'",
        "legal aid's first results",
        Duration::from_secs(60),
    );
    b.script("window.cjsimLatencies = []; window.cjsimCompleteLatencies = [];");
    let mut early_seen = 0;
    let mut stale_seen = 0;
    let steps = (6..20).chain((13..19).rev()).map(|k| f64::from(k) * 0.05);
    for coverage in steps {
        // As the page sends it: the slider's step of 0.05, printed the shortest way.
        let coverage = format!("{}", (coverage * 100.0).round() / 100.0);
        let stale = b.script(&format!(
            "const s = document.querySelector('#cov-legal_aid');\
             s.value = '{coverage}'; s.dispatchEvent(new Event('input', {{ bubbles: true }}));\
             return document.querySelector('#results').dataset.stale;"
        ));
        stale_seen += usize::from(stale == "1");
        b.wait_for(
            &format!(
                "document.querySelector('#results').dataset.key.includes('\"coverage\":{coverage}}}') && \
                 document.querySelector('#results').dataset.stale === '0'"
            ),
            &format!("the results for coverage {coverage}"),
            Duration::from_secs(60),
        );
        // Early results: the horizon's cards wait, and the charts (of the last whole run)
        // stay greyed until the whole run's replace them.
        let early = b.script(
            "return document.querySelector('#results').dataset.early === '1' && \
             document.querySelectorAll('.card[data-pending=\"1\"]').length > 0 && \
             document.querySelector('#charts').classList.contains('stale');",
        );
        early_seen += usize::from(early == Value::Bool(true));
        b.wait_for(
            "document.querySelector('#results').dataset.early === '0' && \
             document.querySelectorAll('.card[data-pending=\"1\"]').length === 0 && \
             !document.querySelector('#charts').classList.contains('stale')",
            &format!("the whole run for coverage {coverage}"),
            Duration::from_secs(60),
        );
    }
    // The target year comes first for every change that runs: 13 of the 20 positions are
    // new (the way back down the slider, and its first position, are answered whole from
    // the cache of identical requests).
    assert!(
        early_seen >= 10,
        "early results shown {early_seen} times of 20"
    );
    assert_eq!(
        stale_seen, 20,
        "every change marks the results stale at once"
    );
    let sorted = |name: &str| {
        let v = b.script(&format!("return window.{name};"));
        let mut ms: Vec<f64> = v
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_f64)
            .collect();
        ms.sort_by(f64::total_cmp);
        ms
    };
    let (ms, whole) = (sorted("cjsimLatencies"), sorted("cjsimCompleteLatencies"));
    assert!(ms.len() >= 20 && whole.len() >= 20, "{ms:?} {whole:?}");
    // Stepping with pauses, as a facilitator does: while the page waits, the server runs the
    // next position of the slider moved last (the page's guess), so a step after a pause is
    // answered from it. The first step is a jump (0.65 to 0.25, not guessed); the next four
    // follow the guesses.
    let guesses_used = || {
        let (code, body) = common::http(addr, "GET", "/api/stats", None);
        assert_eq!(code, 200, "{body}");
        json(&body)["speculative_used"].as_u64().unwrap()
    };
    let used_before = guesses_used();
    b.script("window.cjsimCompleteLatencies = [];");
    for coverage in ["0.25", "0.2", "0.15", "0.1", "0.05"] {
        std::thread::sleep(Duration::from_millis(900));
        b.script(&format!(
            "const s = document.querySelector('#cov-legal_aid');\
             s.value = '{coverage}'; s.dispatchEvent(new Event('input', {{ bubbles: true }}));"
        ));
        b.wait_for_whole_run(
            &format!("\"coverage\":{coverage}}}"),
            &format!("the whole run for coverage {coverage} after a pause"),
        );
    }
    let stepped = b.script("return window.cjsimCompleteLatencies;");
    let guessed = guesses_used() - used_before;
    assert_eq!(
        guessed, 4,
        "each step after the jump is the page's guess, run during the pause"
    );
    // Ticking an intervention on: a new arm from the cached baseline each time (ticked off
    // again, the page returns to legal aid alone, from the cache).
    b.script("window.cjsimToggleLatencies = [];");
    for name in TOGGLED {
        for on in [true, false] {
            b.click(&format!("#iv-{name}"));
            let has = if on { "" } else { "!" };
            b.wait_for(
                &format!(
                    "{has}document.querySelector('#results').dataset.key.includes('\"{name}\"') && \
                     document.querySelector('#results').dataset.stale === '0' && \
                     document.querySelector('#results').dataset.early === '0'"
                ),
                &format!("the whole run with {name} ticked {on}"),
                Duration::from_secs(60),
            );
            if on {
                b.script(
                    "window.cjsimToggleLatencies.push(window.cjsimCompleteLatencies.slice(-1)[0]);",
                );
            }
        }
    }
    let toggles = sorted("cjsimToggleLatencies");
    // Ticking an intervention after resting the pointer on it, as a facilitator reading the
    // list does: the page guessed the tick while the pointer rested.
    let used_before_hover = guesses_used();
    b.script("window.cjsimToggleLatencies = [];");
    for name in HOVERED {
        b.hover_then_click(&format!("#iv-{name}"), 900);
        b.wait_for_whole_run(
            &format!("\"{name}\""),
            &format!("the whole run with {name} ticked after a hover"),
        );
        b.script("window.cjsimToggleLatencies.push(window.cjsimCompleteLatencies.slice(-1)[0]);");
        b.click(&format!("#iv-{name}"));
        b.wait_for(
            &format!(
                "!document.querySelector('#results').dataset.key.includes('\"{name}\"') && \
                 document.querySelector('#results').dataset.stale === '0'"
            ),
            &format!("{name} unticked again"),
            Duration::from_secs(60),
        );
    }
    let hovered = b.script("return window.cjsimToggleLatencies;");
    let hover_guesses = guesses_used() - used_before_hover;
    assert!(
        hover_guesses >= HOVERED.len() as u64,
        "each tick after a hover is the page's guess: {hover_guesses} used"
    );
    assert_eq!(toggles.len(), TOGGLED.len(), "{toggles:?}");
    let pick = |ms: &[f64]| (ms[ms.len() / 2], ms[(ms.len() * 95).div_ceil(100) - 1]);
    let (median, p95) = pick(&ms);
    let (whole_median, whole_p95) = pick(&whole);
    let (toggle_median, toggle_max) = (pick(&toggles).0, toggles[toggles.len() - 1]);
    let dir = artifacts();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("serve-instant-latency.json"),
        j!({ "changes": ms.len(), "early_shown": early_seen,
             "first_update": { "median_ms": median, "p95_ms": p95, "all_ms": ms },
             "whole_run": { "median_ms": whole_median, "p95_ms": whole_p95, "all_ms": whole },
             "ticked_after_a_hover": { "hover_ms": 900, "interventions": HOVERED,
                                       "all_ms": hovered, "guesses_used": hover_guesses },
             "stepped_after_a_pause": { "pause_ms": 900, "coverages": [0.25, 0.2, 0.15, 0.1, 0.05],
                                        "all_ms": stepped, "guesses_used": guessed },
             "intervention_ticked_on": { "median_ms": toggle_median, "max_ms": toggle_max,
                                         "all_ms": toggles, "interventions": TOGGLED } })
        .to_string(),
    )
    .unwrap();
    eprintln!(
        "slider to first update: median {median:.0} ms, 95th percentile {p95:.0} ms; \
         to the whole run: median {whole_median:.0} ms, 95th percentile {whole_p95:.0} ms; \
         target year first in {early_seen} of 20; an intervention ticked on, to the whole \
         run: median {toggle_median:.0} ms, at most {toggle_max:.0} ms"
    );

    // The address holds the configuration: opening it elsewhere restores it and reruns.
    let shared = b.script("return location.href;");
    let shared = shared.as_str().unwrap().to_string();
    assert!(shared.contains("iv=legal_aid"), "{shared}");
    b.call("POST", "/url", Some(j!({ "url": "about:blank" })));
    b.call("POST", "/url", Some(j!({ "url": shared })));
    b.wait_for(
        "document.querySelector('#iv-legal_aid') && document.querySelector('#iv-legal_aid').checked && \
         (document.querySelector('#results').dataset.key || '').includes('legal_aid') && \
         document.querySelector('#results').dataset.stale === '0'",
        "the shared configuration restored and run",
        Duration::from_secs(60),
    );
    let restored = b.script("return document.querySelector('#cov-legal_aid').value;");
    assert_eq!(
        restored, "0.05",
        "the slider position comes back from the link"
    );

    // Legal aid at full coverage, ten replications ("More precise").
    b.script(
        "const slider = document.querySelector('#cov-legal_aid');\
         slider.value = '1';\
         slider.dispatchEvent(new Event('input', { bubbles: true }));",
    );
    b.click("#precise");
    b.wait_for(
        "document.querySelector('#results').dataset.key.includes('\"replications\":10') && \
         document.querySelector('#results').dataset.key.includes('\"coverage\":1}') && \
         document.querySelector('#results').dataset.stale === '0'",
        "the precise results",
        Duration::from_secs(180),
    );
    let error_left =
        b.script("return document.querySelector('[data-error-for=\"replications\"]').textContent;");
    assert_eq!(error_left, "", "the old error is cleared");
    let check = b.script(
        "const chart = document.querySelector('#chart-trajectory_unsentenced_share_pct svg');\
         const rows = document.querySelectorAll('#scorecard table tbody tr').length;\
         const card = document.querySelector('[data-indicator=\"unsentenced_share_pct\"]');\
         const pyramid = document.querySelector('#chart-prison_pyramid svg');\
         return { chart: !!chart, rows: rows, pyramid: !!pyramid,\
                  difference: card ? Number(card.dataset.difference) : null,\
                  cost: document.querySelector('#cost-per-homicide') !== null,\
                  costText: (document.querySelector('#cost-per-homicide') || {}).textContent };",
    );
    // The comparison on screen downloads as one self-contained page, and each chart as SVG.
    let report = b.script("return window.cjsimReportHtml();");
    let report = report.as_str().unwrap().to_string();
    b.click("#download");
    b.click(".svg-download");
    b.click(".png-download");
    // Each chart also downloads as PNG at its native size (1200 px wide), drawn by the browser.
    b.script(
        "window.cjsimPngTest = null;\
         const name = document.querySelector('.png-download').dataset.chart;\
         window.cjsimChartPng(name).then(async (png) => {\
           const bytes = new Uint8Array(await png.arrayBuffer());\
           const dv = new DataView(bytes.buffer);\
           window.cjsimPngTest = { size: bytes.length, signature: Array.from(bytes.slice(1, 4)),\
             width: dv.getUint32(16), height: dv.getUint32(20),\
             svgWidth: Number(document.querySelector('#chart-' + CSS.escape(name) + ' svg')\
               .getAttribute('width')) };\
         }, (e) => { window.cjsimPngTest = { error: String(e) }; });\
         return null;",
    );
    b.wait_for(
        "window.cjsimPngTest !== null",
        "the chart's PNG",
        Duration::from_secs(20),
    );
    let png_test = b.script("return window.cjsimPngTest;");
    assert_eq!(png_test["error"], Value::Null, "{png_test}");
    assert_eq!(
        png_test["signature"],
        serde_json::json!([80, 78, 71]),
        "PNG magic: {png_test}"
    );
    assert_eq!(png_test["width"], png_test["svgWidth"], "{png_test}");
    assert!(png_test["width"].as_u64().unwrap() >= 1000, "{png_test}");
    assert!(
        png_test["size"].as_u64().unwrap() > 10_000,
        "a drawn chart, not a blank: {png_test}"
    );
    let png = b.call("GET", "/screenshot", None);
    let shot = dir.join("serve-dashboard.png");
    std::fs::write(&shot, base64_decode(png.as_str().unwrap())).unwrap();
    eprintln!("screenshot: {}", shot.display());

    // The page in French: the menu switches the page's text at once and the results (text and
    // charts) with the next answer, from the cached runs; the address keeps the language.
    b.script(
        "const menu = document.querySelector('#lang');\
         menu.value = 'fr';\
         menu.dispatchEvent(new Event('change', { bubbles: true }));",
    );
    b.wait_for(
        "document.documentElement.lang === 'fr' && \
         (document.querySelector('#results').dataset.key || '').includes('\"lang\":\"fr\"') && \
         document.querySelector('#results').dataset.stale === '0'",
        "the results in French",
        Duration::from_secs(60),
    );
    let french = b.script(
        "return { precise: document.querySelector('#precise').textContent,\
                  card: document.querySelector('[data-indicator=\"unsentenced_share_pct\"] h3').textContent,\
                  cost: document.querySelector('#cost-per-homicide').textContent,\
                  captions: [...document.querySelectorAll('#charts figcaption')].map((c) => c.textContent).join(' | '),\
                  address: location.href };",
    );
    eprintln!("in French: {french}");
    for (field, expected) in [
        ("precise", "Plus précis (10 réplications)"),
        ("card", "Détenus non condamnés"),
        ("cost", "Coût par homicide évité"),
        ("captions", "Détenus non condamnés (ODD 16.3.2)"),
        ("address", "lang=fr"),
    ] {
        let text = french[field].as_str().unwrap_or("");
        assert!(text.contains(expected), "{field} in French: {text}");
    }
    let png = b.call("GET", "/screenshot", None);
    let shot = dir.join("serve-dashboard-fr.png");
    std::fs::write(&shot, base64_decode(png.as_str().unwrap())).unwrap();
    eprintln!("screenshot: {}", shot.display());
    let _ = http(
        driver_addr,
        "DELETE",
        &format!("/session/{}", b.session),
        None,
    );
    drop(driver);
    let _ = std::fs::remove_dir_all(&profile);

    std::fs::write(dir.join("serve-report.html"), &report).unwrap();
    for part in [
        "<!DOCTYPE html>",
        "<svg",
        "data-indicator=\"unsentenced_share_pct\"",
        "Reproduce it:",
        "iv=legal_aid",
    ] {
        assert!(
            report.contains(part),
            "the downloaded report lacks {part:?}"
        );
    }
    assert!(
        !report.contains("<script"),
        "the downloaded report runs no script"
    );
    assert_eq!(check["chart"], true, "unsentenced-share chart: {check}");
    assert_eq!(check["pyramid"], true, "prison pyramid: {check}");
    assert_eq!(check["cost"], true, "cost per homicide averted: {check}");
    // Amounts name the scenario's currency and price year (plumbing: the default's USD, 2024).
    let cost_text = check["costText"].as_str().unwrap_or("");
    assert!(
        cost_text.contains("(interventions USD ") && cost_text.contains("USD at 2024 prices"),
        "the cost line names its currency: {cost_text}"
    );
    assert!(
        check["rows"].as_u64().unwrap() >= 2,
        "scorecard rows: {check}"
    );
    let d = check["difference"].as_f64().expect("a reported effect");
    assert!(
        d < 0.0,
        "legal aid should lower the unsentenced share, got {d:+}"
    );
}
