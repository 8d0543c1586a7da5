//! Helpers shared by the integration tests: running the binary, temporary folders, HTTP.
//! Each test suite uses only some of them.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

/// A fresh temporary directory for test `name` of suite `suite`.
pub fn tempdir(suite: &str, name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cjsim-{suite}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs the `cjsim` binary in `cwd`.
pub fn cjsim(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cjsim"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("cjsim runs")
}

/// Everything a command printed, stdout then stderr.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// One HTTP/1.1 exchange with a JSON body: (status, response body).
pub fn http(addr: SocketAddr, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
    let (status, _, body) = http_with(
        addr,
        method,
        path,
        &[
            ("Host", &addr.to_string()),
            ("Content-Type", "application/json"),
        ],
        body.unwrap_or(""),
    );
    (status, body)
}

/// One HTTP/1.1 exchange with the given headers (Content-Length and Connection are added):
/// (status, response head in lower case, response body).
pub fn http_with(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    // A server may answer (413) before reading a large body and close: ignore write errors.
    let _ = s
        .write_all(head.as_bytes())
        .and_then(|()| s.write_all(body.as_bytes()));
    // Read the head, then exactly the body (some servers keep the connection open).
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    let head_end = loop {
        if let Some(i) = find(&raw, b"\r\n\r\n") {
            break i + 4;
        }
        let n = s.read(&mut buf).unwrap_or(0);
        assert!(n > 0, "connection closed before the response head");
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
    let status = head[9..12].parse().unwrap();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map(|v| v.trim().parse::<usize>().unwrap());
    let chunked = head.contains("transfer-encoding: chunked");
    loop {
        let body = &raw[head_end..];
        let complete = match length {
            Some(n) => body.len() >= n,
            None if chunked => find(body, b"\r\n0\r\n\r\n").is_some() || body.starts_with(b"0\r\n"),
            None => false,
        };
        if complete {
            break;
        }
        let n = s.read(&mut buf).unwrap_or(0);
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let body = String::from_utf8_lossy(&raw[head_end..]).to_string();
    let body = if chunked { dechunk(&body) } else { body };
    (status, head, body)
}

/// Resident memory of process `pid` (kB), from /proc.
pub fn rss_kb_of(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// Whether tests run in CI (`CI=true`), where a missing tool is a failure, never a skip.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Decodes a chunked body.
fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
    out
}

/// Parses JSON or fails the test with the text.
pub fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("{e}: {s}"))
}

/// `cjsim serve --port 0` as a user starts it, and the address it prints.
pub fn spawn_serve() -> (std::process::Child, SocketAddr) {
    use std::io::BufRead as _;
    let mut server = Command::new(env!("CARGO_BIN_EXE_cjsim"))
        .args(["serve", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr: SocketAddr = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .map(|w| w.trim_end_matches('/').parse().unwrap())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    (server, addr)
}

/// Whether `python3` can `import module`. Outside CI a missing module skips the caller's
/// check (said on stderr); with `CI=true` it fails, since `.ci/run` installs `package`.
pub fn python_has(module: &str, package: &str) -> bool {
    let have = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        assert!(
            !in_ci(),
            "CI=true: python3 with {package} is required (.ci/run installs it)"
        );
        eprintln!("SKIPPED: python3 with {package} is not available");
    }
    have
}
