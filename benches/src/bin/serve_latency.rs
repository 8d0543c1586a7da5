//! Latency of the workshop dashboard (issue 8): from `POST /api/run` to the results JSON in hand,
//! for a 100,000-agent, 26-year run of the default scenario with the baseline and one arm
//! (legal aid), one replication, as the page does it (polling every 50 ms here, 200 ms there).
//! The first request runs both arms; later ones with another coverage reuse the cached baseline.
//!
//! `cargo run --release -p benches --bin serve_latency -- [REQUESTS]`

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use experiments::serve::{self, ServeConfig};

fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> String {
    let mut s = TcpStream::connect(addr).expect("server answers");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("request written");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("response read");
    out.split_once("\r\n\r\n")
        .map_or(String::new(), |x| x.1.to_string())
}

fn field<'a>(json: &'a str, key: &str) -> &'a str {
    let start = json
        .find(&format!("\"{key}\":"))
        .map_or(0, |i| i + key.len() + 3);
    let rest = &json[start..];
    rest[..rest.find([',', '}']).unwrap_or(rest.len())].trim_matches('"')
}

fn main() {
    let requests: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(4);
    let server = serve::start(ServeConfig::local(0).expect("built-ins")).expect("server starts");
    let a = server.addr;
    for i in 0..requests {
        let coverage = 1.0 - 0.05 * i as f64;
        let body = format!(
            r#"{{"scenario":"coastal-middle-income","size":"medium","replications":1,
               "interventions":[{{"name":"legal_aid","coverage":{coverage}}}]}}"#
        );
        let t = Instant::now();
        let reply = http(a, "POST", "/api/run", &body);
        let id = field(&reply, "id").to_string();
        loop {
            let s = http(a, "GET", &format!("/api/status/{id}"), "");
            match field(&s, "status") {
                "queued" | "running" => std::thread::sleep(Duration::from_millis(50)),
                "done" => break,
                other => panic!("job {id} {other}: {s}"),
            }
        }
        let results = http(a, "GET", &format!("/api/results/{id}"), "");
        println!(
            "request {i} (legal aid coverage {coverage:.2}, baseline {}): {:.2} s to results ({} kB)",
            if i == 0 { "run" } else { "cached" },
            t.elapsed().as_secs_f64(),
            results.len() / 1000
        );
    }
}
