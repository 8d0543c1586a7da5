//! The JSON API of `cjsim serve`: bad requests get 400 with a message, concurrent requests are
//! all answered with at most N running at once, identical requests hit the cache, running jobs
//! can be cancelled, and the server listens on loopback only unless told otherwise.

use crate::common;

use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use common::{http, json};
use experiments::serve::{self, ServeConfig};
use serde_json::Value;

fn run_body(coverage: f64, size: &str, reps: u32) -> String {
    format!(
        r#"{{"scenario":"coastal-middle-income","size":"{size}","replications":{reps},
            "interventions":[{{"name":"legal_aid","coverage":{coverage}}}]}}"#
    )
}

fn wait_until_finished(addr: SocketAddr, id: &str, limit: Duration) -> Value {
    let started = Instant::now();
    loop {
        let (code, body) = http(addr, "GET", &format!("/api/status/{id}"), None);
        assert_eq!(code, 200, "{body}");
        let v = json(&body);
        if !matches!(v["status"].as_str(), Some("queued" | "running")) {
            return v;
        }
        assert!(started.elapsed() < limit, "job {id} still {v}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn bad_requests_get_400_with_a_message() {
    let server = serve::start(ServeConfig::local(0).unwrap()).unwrap();
    let a = server.addr;
    let (code, body) = http(a, "POST", "/api/run", Some("{\"scenario\": "));
    assert_eq!(code, 400);
    assert!(json(&body)["error"].as_str().unwrap().contains("malformed"));
    let (code, body) = http(
        a,
        "POST",
        "/api/run",
        Some(r#"{"scenario":"coastal-middle-income","replications":-1}"#),
    );
    assert_eq!(code, 400, "{body}");
    assert!(
        json(&body)["error"]
            .as_str()
            .unwrap()
            .contains("replications")
    );
    let (code, body) = http(
        a,
        "POST",
        "/api/run",
        Some(r#"{"scenario":"coastal-middle-income","colour":"red"}"#),
    );
    assert_eq!(code, 400);
    assert!(json(&body)["error"].as_str().unwrap().contains("colour"));
    let (code, body) = http(
        a,
        "POST",
        "/api/run",
        Some(
            r#"{"scenario":"coastal-middle-income","replications":11,"size":"large",
                "interventions":[{"name":"legal_aid","coverage":1.2}]}"#,
        ),
    );
    assert_eq!(code, 400);
    let v = json(&body);
    let fields: Vec<&str> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["size", "replications", "interventions.legal_aid.coverage"]
    );
    assert!(
        v["errors"][2]["message"]
            .as_str()
            .unwrap()
            .contains("between 0 and 1")
    );
    assert_eq!(http(a, "GET", "/api/status/999", None).0, 404);
    assert_eq!(http(a, "GET", "/api/results/999", None).0, 404);
    assert_eq!(http(a, "GET", "/api/nothing", None).0, 404);
    // Nothing was queued by bad requests.
    assert_eq!(json(&http(a, "GET", "/api/stats", None).1)["finished"], 0);
}

#[test]
fn twenty_concurrent_requests_are_all_answered_with_at_most_two_running() {
    let mut config = ServeConfig::local(0).unwrap();
    config.workers = 2;
    let server = serve::start(config).unwrap();
    let a = server.addr;
    let answers: Vec<(u16, String)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..20)
            .map(|i| {
                let body = run_body(0.05 * f64::from(i), "small", 1);
                s.spawn(move || http(a, "POST", "/api/run", Some(&body)))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut ids = Vec::new();
    let mut max_position = 0;
    for (code, body) in &answers {
        assert_eq!(*code, 202, "{body}");
        let v = json(body);
        ids.push(v["id"].as_str().unwrap().to_string());
        max_position = max_position.max(v["position"].as_u64().unwrap_or(0));
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 20, "every request has its own job");
    assert!(max_position >= 2, "later requests see their queue position");
    for id in &ids {
        let v = wait_until_finished(a, id, Duration::from_secs(300));
        assert_eq!(v["status"], "done", "{v}");
        let (code, body) = http(a, "GET", &format!("/api/results/{id}"), None);
        assert_eq!(code, 200);
        assert!(json(&body)["charts"].as_array().unwrap().len() >= 8);
    }
    let stats = json(&http(a, "GET", "/api/stats", None).1);
    assert_eq!(stats["finished"], 20);
    let peak = stats["peak_running"].as_u64().unwrap();
    assert!((1..=2).contains(&peak), "peak running {peak}");
    // The same request again is answered from the cache at once.
    let (code, body) = http(a, "POST", "/api/run", Some(&run_body(0.0, "small", 1)));
    assert_eq!(code, 202);
    let v = json(&body);
    assert_eq!(v["status"], "done");
    assert_eq!(v["cached"], true);
    assert!(ids.contains(&v["id"].as_str().unwrap().to_string()));
}

#[test]
fn a_running_job_can_be_cancelled() {
    let server = serve::start(ServeConfig::local(0).unwrap()).unwrap();
    let a = server.addr;
    let (_, body) = http(a, "POST", "/api/run", Some(&run_body(1.0, "medium", 10)));
    let id = json(&body)["id"].as_str().unwrap().to_string();
    // Once it runs (a worker takes it from the queue at once, unless the machine is loaded),
    // a second job waits behind it, first in the queue, and can be cancelled from there.
    let started = Instant::now();
    while json(&http(a, "GET", &format!("/api/status/{id}"), None).1)["status"] != "running" {
        assert!(started.elapsed() < Duration::from_secs(30));
        std::thread::sleep(Duration::from_millis(20));
    }
    let (_, body) = http(a, "POST", "/api/run", Some(&run_body(0.5, "medium", 10)));
    let queued = json(&body);
    assert_eq!(queued["status"], "queued");
    assert_eq!(queued["position"], 1);
    let second = queued["id"].as_str().unwrap().to_string();
    let (code, body) = http(a, "POST", &format!("/api/cancel/{second}"), None);
    assert_eq!(code, 200);
    assert_eq!(json(&body)["status"], "cancelled");
    let cancel_at = Instant::now();
    http(a, "POST", &format!("/api/cancel/{id}"), None);
    let v = wait_until_finished(a, &id, Duration::from_secs(30));
    assert_eq!(v["status"], "cancelled");
    assert!(cancel_at.elapsed() < Duration::from_secs(5));
    assert_eq!(http(a, "GET", &format!("/api/results/{id}"), None).0, 409);
}

#[test]
fn the_server_listens_on_loopback_only_unless_told() {
    let server = serve::start(ServeConfig::local(0).unwrap()).unwrap();
    assert!(server.addr.ip().is_loopback());
    // Another address of this machine does not answer on that port.
    let out = std::process::Command::new("hostname").arg("-I").output();
    let others: Vec<std::net::IpAddr> = out
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .split_whitespace()
                .filter_map(|s| s.parse().ok())
                .filter(|ip: &std::net::IpAddr| !ip.is_loopback())
                .collect()
        })
        .unwrap_or_default();
    for ip in others {
        let r = TcpStream::connect_timeout(
            &SocketAddr::new(ip, server.addr.port()),
            Duration::from_millis(500),
        );
        assert!(r.is_err(), "{ip}:{} answered", server.addr.port());
    }
    // The page makes no request outside this server.
    let (code, page) = http(server.addr, "GET", "/", None);
    assert_eq!(code, 200);
    assert!(page.contains("<script>"));
    for external in ["http://", "https://", "//cdn", "src=\"/", "@import"] {
        assert!(!page.contains(external), "the page refers to {external}");
    }
    // The binary says where it listens: loopback by default.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cjsim"))
        .args(["serve", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    std::io::BufRead::read_line(&mut out, &mut line).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(line.contains("http://127.0.0.1:"), "{line}");
}

/// The dashboard runs an arm from a snapshot of its baseline at the month the interventions
/// start; the numbers equal those of `cjsim compare`, which runs every arm from the start.
/// First with nothing cached (the baseline runs to the branch month, then the rest of it and
/// the arm side by side), then another coverage with the baseline and its snapshots cached.
#[test]
fn a_branched_arm_equals_the_command_line_comparison() {
    let dir = common::tempdir("serve_api", "branched");
    let out = dir.join("cmp");
    let o = common::cjsim(
        &[
            "compare",
            "coastal-middle-income",
            "--agents",
            "20000",
            "--reps",
            "2",
            "--arm",
            "high=legal_aid:0.8",
            "--arm",
            "low=legal_aid:0.3",
            "--no-report",
            "-q",
            "--out",
            out.to_str().unwrap(),
        ],
        &dir,
    );
    assert!(o.status.success(), "{}", common::text(&o));
    let csv = std::fs::read_to_string(out.join("comparison.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let (arm, ind, year, arm_mean) = (col("arm"), col("indicator"), col("year"), col("arm_mean"));
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    let server = serve::start(ServeConfig::local(0).unwrap()).unwrap();
    let a = server.addr;
    for (name, coverage) in [("high", 0.8), ("low", 0.3)] {
        let expected: Vec<(&str, i64, f64)> = rows
            .iter()
            .filter(|f| f[arm] == name)
            .filter(|f| f[ind] == "unsentenced_share_pct" || f[ind] == "prison_occupancy_pct")
            .map(|f| {
                (
                    f[ind].as_str(),
                    f[year].parse().unwrap(),
                    f[arm_mean].parse().unwrap(),
                )
            })
            .collect();
        assert!(!expected.is_empty());
        let (code, text) = http(a, "POST", "/api/run", Some(&run_body(coverage, "small", 2)));
        assert_eq!(code, 202, "{text}");
        let id = json(&text)["id"].as_str().unwrap().to_string();
        let v = wait_until_finished(a, &id, Duration::from_secs(120));
        assert_eq!(v["status"], "done", "{v}");
        let res = json(&http(a, "GET", &format!("/api/results/{id}"), None).1);
        for (indicator, y, want) in &expected {
            let card = res["headline"]
                .as_array()
                .unwrap()
                .iter()
                .find(|h| h["indicator"] == *indicator && h["year"] == *y)
                .unwrap_or_else(|| panic!("no {indicator} {y} in the dashboard's headline"));
            let got = card["arm"].as_f64().unwrap();
            // comparison.csv holds values to their significant digits.
            assert!(
                (got - want).abs() <= 1e-6 * want.abs().max(1.0),
                "{name} {indicator} {y}: dashboard {got}, compare {want}"
            );
        }
    }
}

#[test]
fn early_results_of_a_one_replication_arm_are_its_target_year_as_the_whole_run_gives_it() {
    // Instant mode: once the baseline's snapshot is at hand, a one-replication arm publishes
    // the comparison up to 2030 while it goes on to 2050; its numbers are the whole run's.
    let server = serve::start(ServeConfig::local(0).unwrap()).unwrap();
    let a = server.addr;
    let submit = |coverage: f64| {
        let (code, text) = http(a, "POST", "/api/run", Some(&run_body(coverage, "small", 1)));
        assert_eq!(code, 202, "{text}");
        let id = json(&text)["id"].as_str().unwrap().to_string();
        let v = wait_until_finished(a, &id, Duration::from_secs(120));
        assert_eq!(v["status"], "done", "{v}");
        (id, v)
    };
    // The first arm runs the baseline too (and keeps its snapshot): no early results.
    let (first, v) = submit(0.5);
    assert_eq!(v["early"], false, "{v}");
    let (code, _) = http(a, "GET", &format!("/api/early/{first}"), None);
    assert_eq!(code, 409);
    let (id, v) = submit(0.6);
    assert_eq!(v["early"], true, "{v}");
    let early = json(&http(a, "GET", &format!("/api/early/{id}"), None).1);
    let whole = json(&http(a, "GET", &format!("/api/results/{id}"), None).1);
    assert_eq!(early["pending_until"], 2050, "{}", early["pending_until"]);
    assert_eq!(whole["pending_until"], Value::Null);
    assert_eq!(early["years"], serde_json::json!([2025, 2030]));
    // The charts come once, with the whole run (the page keeps the previous ones until then).
    assert_eq!(early["charts"], serde_json::json!([]));
    assert!(!whole["charts"].as_array().unwrap().is_empty());
    let cards = |r: &Value, year: i64| -> Vec<Value> {
        r["headline"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["year"] == year)
            .cloned()
            .collect()
    };
    assert!(
        cards(&early, 2050).is_empty(),
        "the horizon is not in the early results"
    );
    let (early_2030, whole_2030) = (cards(&early, 2030), cards(&whole, 2030));
    assert!(!early_2030.is_empty());
    assert_eq!(early_2030.len(), whole_2030.len());
    for (e, w) in early_2030.iter().zip(&whole_2030) {
        assert_eq!(e["indicator"], w["indicator"]);
        for field in ["baseline", "arm", "difference"] {
            assert_eq!(e[field], w[field], "{} {field}", e["indicator"]);
        }
    }
}

#[test]
fn a_waiting_status_request_answers_with_news_instead_of_being_polled() {
    let server = serve::start(ServeConfig::local(0).unwrap()).unwrap();
    let a = server.addr;
    let (code, body) = http(a, "GET", "/api/status/x?wait=soon", None);
    assert_eq!(code, 400, "{body}");
    assert!(json(&body)["error"].as_str().unwrap().contains("wait"));
    // The first arm runs the baseline and keeps its snapshot; the second branches from it and
    // publishes early results on the way.
    let submit = |coverage: f64| {
        let (code, text) = http(a, "POST", "/api/run", Some(&run_body(coverage, "small", 1)));
        assert_eq!(code, 202, "{text}");
        json(&text)["id"].as_str().unwrap().to_string()
    };
    let first = submit(0.5);
    wait_until_finished(a, &first, Duration::from_secs(120));
    let id = submit(0.6);
    let started = Instant::now();
    let (mut asked, mut early_while_running, mut have_early) = (0u64, false, false);
    let last = loop {
        let path = format!("/api/status/{id}?wait=1000&early={}", u8::from(have_early));
        let (code, body) = http(a, "GET", &path, None);
        assert_eq!(code, 200, "{body}");
        asked += 1;
        let v = json(&body);
        if v["status"] != "running" && v["status"] != "queued" {
            break v;
        }
        if v["early"] == true && !have_early {
            early_while_running = true;
            have_early = true;
        }
        assert!(started.elapsed() < Duration::from_secs(120), "still {v}");
    };
    assert_eq!(last["status"], "done", "{last}");
    assert!(
        early_while_running,
        "the early results were news while the run went on"
    );
    // Every answer is news (early results, the end) or a full second of waiting: no polling.
    let bound = 2 + started.elapsed().as_secs() + 1;
    assert!(
        asked <= bound,
        "{asked} requests in {:?}",
        started.elapsed()
    );
}

#[test]
fn news_can_come_in_the_same_answer_as_the_status() {
    // `include=1`: a status answer that carries news carries the news itself (the early
    // results, then the whole results), byte for byte what their own endpoints send; so does
    // the answer to a run request found in the cache. The page then makes one request per piece
    // of news instead of two.
    let server = serve::start(ServeConfig::local(0).unwrap()).unwrap();
    let a = server.addr;
    let (code, body) = http(
        a,
        "POST",
        "/api/run?include=maybe",
        Some(&run_body(0.5, "small", 1)),
    );
    assert_eq!(code, 400, "{body}");
    assert!(json(&body)["error"].as_str().unwrap().contains("include"));
    let submit = |coverage: f64| {
        let (code, text) = http(
            a,
            "POST",
            "/api/run?include=1",
            Some(&run_body(coverage, "small", 1)),
        );
        assert_eq!(code, 202, "{text}");
        json(&text)
    };
    let first = submit(0.5);
    let first_id = first["id"].as_str().unwrap().to_string();
    wait_until_finished(a, &first_id, Duration::from_secs(120));
    let v = submit(0.6);
    let id = v["id"].as_str().unwrap().to_string();
    let started = Instant::now();
    let (mut early_inline, mut have_early) = (None, v.get("early_results").is_some());
    if have_early {
        early_inline = Some(v["early_results"].clone());
    }
    let last = loop {
        let path = format!(
            "/api/status/{id}?wait=1000&include=1&early={}",
            u8::from(have_early)
        );
        let (code, body) = http(a, "GET", &path, None);
        assert_eq!(code, 200, "{body}");
        let v = json(&body);
        if let Some(e) = v.get("early_results") {
            assert!(!have_early, "early results sent twice");
            assert_eq!(v["early"], true, "{}", v["status"]);
            early_inline = Some(e.clone());
            have_early = true;
        }
        if v["status"] != "running" && v["status"] != "queued" {
            break v;
        }
        assert!(v.get("results").is_none(), "no whole results while running");
        assert!(started.elapsed() < Duration::from_secs(120), "still {v}");
    };
    assert_eq!(last["status"], "done", "{last}");
    let whole = json(&http(a, "GET", &format!("/api/results/{id}"), None).1);
    assert_eq!(
        last["results"], whole,
        "the whole results, as /api/results sends them"
    );
    let early = json(&http(a, "GET", &format!("/api/early/{id}"), None).1);
    assert_eq!(
        early_inline.as_ref(),
        Some(&early),
        "the early results, as /api/early sends them"
    );
    // Without include, no news is carried.
    let (_, plain) = http(a, "GET", &format!("/api/status/{id}"), None);
    assert!(json(&plain).get("results").is_none(), "{plain}");
    // The same request again: found in the cache, done, with its results in the answer.
    let again = submit(0.6);
    assert_eq!(again["id"], id.as_str());
    assert_eq!(again["cached"], true, "{}", again["status"]);
    assert_eq!(again["status"], "done");
    assert_eq!(again["results"], whole);
}

#[test]
fn a_guess_runs_after_the_requests_and_becomes_the_request_when_right() {
    // `speculative=1`: the page's guess at the next request. Queued behind the requested runs;
    // cancelled by a different request (and not reused afterwards); joined by the same
    // request, finished or under way, which then needs no run of its own.
    let server = serve::start(ServeConfig::local(0).unwrap()).unwrap();
    let a = server.addr;
    let stats = || json(&http(a, "GET", "/api/stats", None).1);
    let status = |id: &Value| {
        json(
            &http(
                a,
                "GET",
                &format!("/api/status/{}", id.as_str().unwrap()),
                None,
            )
            .1,
        )
    };
    let finish =
        |id: &Value| wait_until_finished(a, id.as_str().unwrap(), Duration::from_secs(120));
    let (code, body) = http(
        a,
        "POST",
        "/api/run?speculative=perhaps",
        Some(&run_body(0.5, "small", 1)),
    );
    assert_eq!(code, 400, "{body}");
    assert!(
        json(&body)["error"]
            .as_str()
            .unwrap()
            .contains("speculative")
    );
    let post = |coverage: f64, guess: bool| {
        let path = if guess {
            "/api/run?speculative=1"
        } else {
            "/api/run"
        };
        let (code, text) = http(a, "POST", path, Some(&run_body(coverage, "small", 1)));
        assert_eq!(code, 202, "{text}");
        json(&text)
    };
    // A requested run is under way: the guess waits behind it, then runs.
    let first = post(0.5, false);
    let behind = post(0.55, true);
    assert_eq!(status(&behind["id"])["status"], "queued");
    assert_eq!(finish(&first["id"])["status"], "done");
    assert_eq!(finish(&behind["id"])["status"], "done");
    // A different request cancels a guess, which is then no answer to anyone.
    let wrong = post(0.65, true);
    let other = post(0.45, false);
    assert_eq!(finish(&wrong["id"])["status"], "cancelled");
    assert_eq!(finish(&other["id"])["status"], "done");
    let again = post(0.65, false);
    assert_ne!(again["id"], wrong["id"]);
    assert_eq!(finish(&again["id"])["status"], "done");
    // Right guesses: the request joins the guess, finished or under way.
    let before = stats();
    let joined_done = post(0.55, false);
    assert_eq!(
        joined_done["id"], behind["id"],
        "the request is the finished guess"
    );
    assert_eq!(joined_done["status"], "done");
    let ahead = post(0.7, true);
    let joined_running = post(0.7, false);
    assert_eq!(
        joined_running["id"], ahead["id"],
        "the request joins the guess under way"
    );
    assert_eq!(finish(&joined_running["id"])["status"], "done");
    let after = stats();
    let count = |v: &Value, k: &str| v[k].as_u64().unwrap();
    assert_eq!(
        count(&after, "speculative_used"),
        count(&before, "speculative_used") + 2,
        "{after}"
    );
    assert_eq!(count(&after, "speculative_started"), 3, "{after}");
    let (code, _) = http(
        a,
        "GET",
        &format!("/api/results/{}", behind["id"].as_str().unwrap()),
        None,
    );
    assert_eq!(code, 200);
}
