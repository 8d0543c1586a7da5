//! Issue 12: the dashboard cannot be driven or starved by other web pages or other clients.
//! Foreign origins, hosts and content types are refused before any handler runs, job ids are
//! unguessable, one client cannot fill the queue, every answer is JSON with its proper status
//! and carries security headers, and a huge field costs no more than a short one.

use std::net::SocketAddr;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{http, http_with, json, rss_kb_of, spawn_serve};
use experiments::serve::{self, ServeConfig};

fn run_body(coverage: f64) -> String {
    format!(
        r#"{{"scenario":"coastal-middle-income","size":"small","replications":1,
            "interventions":[{{"name":"legal_aid","coverage":{coverage}}}]}}"#
    )
}

/// A request as a browser on another site would send it.
fn foreign(a: SocketAddr, method: &str, path: &str, ctype: &str, body: &str) -> (u16, String) {
    let host = a.to_string();
    let (code, _, body) = http_with(
        a,
        method,
        path,
        &[
            ("Host", &host),
            ("Origin", "http://evil.example"),
            ("Content-Type", ctype),
        ],
        body,
    );
    (code, body)
}

#[test]
fn cross_origin_and_non_json_requests_change_nothing() {
    let server = serve::start(ServeConfig::local(0).unwrap()).unwrap();
    let a = server.addr;
    let (code, body) = http(a, "POST", "/api/run", Some(&run_body(1.0)));
    assert_eq!(code, 202, "{body}");
    let id = json(&body)["id"].as_str().unwrap().to_string();
    // Job ids are 128 random bits, not a counter.
    assert_eq!(id.len(), 32);
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
    // A cross-origin text/plain cancel (no preflight in a browser) is refused.
    let (code, body) = foreign(a, "POST", &format!("/api/cancel/{id}"), "text/plain", "");
    assert_eq!(code, 403, "{body}");
    assert!(json(&body)["error"].is_string());
    // So is a cross-origin JSON one, and a same-host one that is not JSON.
    let (code, _) = foreign(
        a,
        "POST",
        &format!("/api/cancel/{id}"),
        "application/json",
        "{}",
    );
    assert_eq!(code, 403);
    let host = a.to_string();
    let (code, _, body) = http_with(
        a,
        "POST",
        &format!("/api/cancel/{id}"),
        &[("Host", &host), ("Content-Type", "text/plain")],
        "",
    );
    assert_eq!(code, 415, "{body}");
    // A page reached through DNS rebinding sends another Host: refused even for reading.
    let (code, _, body) = http_with(
        a,
        "GET",
        &format!("/api/status/{id}"),
        &[("Host", "attacker.example:8080")],
        "",
    );
    assert_eq!(code, 403, "{body}");
    // The job was never cancelled.
    let (_, body) = http(a, "GET", &format!("/api/status/{id}"), None);
    assert_ne!(json(&body)["status"], "cancelled");
    // A same-origin JSON cancel works.
    let (code, _, _) = http_with(
        a,
        "POST",
        &format!("/api/cancel/{id}"),
        &[
            ("Host", &host),
            ("Origin", &format!("http://{host}")),
            ("Content-Type", "application/json"),
        ],
        "{}",
    );
    assert_eq!(code, 200);
}

#[test]
fn every_status_is_json_with_security_headers() {
    let server = serve::start(ServeConfig::local(0).unwrap()).unwrap();
    let a = server.addr;
    let host = a.to_string();
    let get = |path: &str| http_with(a, "GET", path, &[("Host", &host)], "");
    for (method, path, want) in [
        ("GET", "/no/such/page", 404),
        ("GET", "/api/status/0123456789abcdef0123456789abcdef", 404),
        ("GET", "/api/results/1", 404),
        ("DELETE", "/api/run", 405),
        ("GET", "/api/run", 405),
    ] {
        let (code, head, body) = http_with(a, method, path, &[("Host", &host)], "");
        assert_eq!(code, want, "{method} {path}: {body}");
        assert!(json(&body)["error"].is_string(), "{method} {path}: {body}");
        assert!(head.contains("content-type: application/json"), "{head}");
        assert!(head.contains("x-content-type-options: nosniff"), "{head}");
        assert!(head.contains("frame-ancestors 'none'"), "{head}");
    }
    // A body over the limit gets 413, as JSON.
    let big = format!(
        r#"{{"scenario":"{}"}}"#,
        "x".repeat(experiments::serve::api::MAX_BODY_BYTES)
    );
    let (code, _, body) = http_with(
        a,
        "POST",
        "/api/run",
        &[("Host", &host), ("Content-Type", "application/json")],
        &big,
    );
    assert_eq!(code, 413, "{body}");
    assert!(json(&body)["error"].as_str().unwrap().contains("larger"));
    // The page allows only its own script and style, by hash.
    let (code, head, _) = get("/");
    assert_eq!(code, 200);
    let csp = head
        .lines()
        .find(|l| l.starts_with("content-security-policy:"))
        .unwrap();
    assert!(csp.contains("script-src 'sha256-"), "{csp}");
    assert!(!csp.contains("'unsafe-inline'"), "{csp}");
    assert!(head.contains("x-frame-options: deny"));
}

/// A hostile request: method, path, extra headers, body.
type Hostile<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>, String);

#[test]
fn a_huge_name_is_refused_before_any_suggestion_and_costs_no_memory() {
    let (mut server, a) = spawn_serve();
    let before = rss_kb_of(server.id());
    let name = "legal_aide".repeat(200_000);
    let body =
        format!(r#"{{"scenario":"coastal-middle-income","interventions":[{{"name":"{name}"}}]}}"#);
    let started = Instant::now();
    let (code, body) = http(a, "POST", "/api/run", Some(&body));
    let took = started.elapsed();
    assert_eq!(code, 400, "{}", &body[..body.len().min(300)]);
    let v = json(&body);
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("names are at most 200"),
        "{v}"
    );
    assert!(!body.contains("did you mean"));
    assert!(body.len() < 2000, "the answer echoes the name back");
    assert!(took < Duration::from_secs(2), "{took:?}");
    // 1,000 hostile requests of every kind leave the server's memory bounded.
    let host = a.to_string();
    let hostile: Vec<Hostile> = vec![
        (
            "POST",
            "/api/run",
            vec![("Content-Type", "application/json")],
            r#"{"scenario":"#.to_string(),
        ),
        (
            "POST",
            "/api/run",
            vec![("Content-Type", "application/json")],
            format!(r#"{{"scenario":"{}"}}"#, "s".repeat(100_000)),
        ),
        (
            "POST",
            "/api/cancel/1",
            vec![("Content-Type", "text/plain")],
            String::new(),
        ),
        ("GET", "/api/status/zzzz", vec![], String::new()),
        ("PUT", "/api/run", vec![], String::new()),
    ];
    for i in 0..1000 {
        let (method, path, extra, body) = &hostile[i % hostile.len()];
        let mut headers = vec![("Host", host.as_str())];
        headers.extend(extra.iter().copied());
        let (code, _, _) = http_with(a, method, path, &headers, body);
        assert!((400..500).contains(&code), "{method} {path}: {code}");
    }
    let after = rss_kb_of(server.id());
    let _ = server.kill();
    let _ = server.wait();
    println!("resident memory: {before} kB before, {after} kB after 1,000 hostile requests");
    assert!(after < 100 * 1024, "{after} kB resident");
    assert!(
        after < before + 16 * 1024,
        "{before} kB -> {after} kB resident"
    );
}

#[test]
fn one_client_cannot_fill_the_queue() {
    let server = serve::start(ServeConfig::local(0).unwrap()).unwrap();
    let a = server.addr;
    let max = experiments::serve::jobs::MAX_QUEUED_PER_CLIENT;
    let mut ids = Vec::new();
    let mut refused = 0;
    for i in 0..(max + 5) {
        let (code, body) = http(a, "POST", "/api/run", Some(&run_body(0.01 * i as f64)));
        match code {
            202 => ids.push(json(&body)["id"].as_str().unwrap().to_string()),
            429 => {
                refused += 1;
                assert!(json(&body)["error"].as_str().unwrap().contains("waiting"));
            }
            _ => panic!("{code}: {body}"),
        }
    }
    assert!(refused >= 4, "{refused} refused");
    assert!(ids.len() <= max + 1, "{} accepted", ids.len());
    for id in &ids {
        http(a, "POST", &format!("/api/cancel/{id}"), Some("{}"));
    }
}

#[test]
fn a_token_guards_every_request_when_one_is_set() {
    let mut config = ServeConfig::local(0).unwrap();
    config.token = Some("s3cret-token".into());
    let server = serve::start(config).unwrap();
    let a = server.addr;
    assert!(server.url().ends_with("/?token=s3cret-token"));
    let host = a.to_string();
    let (code, _, body) = http_with(a, "GET", "/api/scenarios", &[("Host", &host)], "");
    assert_eq!(code, 401, "{body}");
    let (code, _, _) = http_with(a, "GET", "/?token=wrong", &[("Host", &host)], "");
    assert_eq!(code, 401);
    let (code, _, _) = http_with(a, "GET", "/?token=s3cret-token", &[("Host", &host)], "");
    assert_eq!(code, 200);
    let (code, _, _) = http_with(
        a,
        "GET",
        "/api/scenarios",
        &[("Host", &host), ("x-cjsim-token", "s3cret-token")],
        "",
    );
    assert_eq!(code, 200);
    // Bound beyond loopback, a token is made up and required without being asked for.
    let mut open = ServeConfig::local(0).unwrap();
    open.bind = "0.0.0.0".parse().unwrap();
    let server = serve::start(open).unwrap();
    assert!(server.token.as_ref().is_some_and(|t| t.len() == 32));
}

/// Issue 12: the dashboard's scratch folder stayed in /tmp after Ctrl-C. Since issue 16 the
/// dashboard writes none: its results are built and drawn in memory.
#[test]
fn ctrl_c_leaves_no_scratch_folder() {
    let (mut server, addr) = spawn_serve();
    let (code, body) = http(addr, "POST", "/api/run", Some(&run_body(1.0)));
    assert_eq!(code, 202, "{body}");
    let id = json(&body)["id"].as_str().unwrap().to_string();
    let started = Instant::now();
    while json(&http(addr, "GET", &format!("/api/status/{id}"), None).1)["status"] != "done" {
        assert!(started.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(50));
    }
    let pid = server.id();
    let scratch_of_server = |pid: u32| {
        std::fs::read_dir(std::env::temp_dir())
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(&format!("cjsim-serve-{pid}-"))
            })
    };
    // Issue 16: results stay in memory, so a finished job leaves no folder at all.
    assert!(
        !scratch_of_server(pid),
        "the server {pid} wrote a scratch folder for a job"
    );
    let interrupted = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let status = server.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert!(
        !scratch_of_server(pid),
        "the scratch folder of {pid} is still there"
    );
}
