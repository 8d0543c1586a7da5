//! Memory probe: resident memory per agent after building and stepping a population.
//!
//! `cargo run --release -p benches --bin memory -- 10000000 12` prints bytes per agent at 1e7
//! agents after 12 months (Linux: reads VmRSS and VmHWM from /proc/self/status).

fn rss_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let agents: u32 = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000_000);
    let months: u32 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(12);
    let full = args.get(3).is_some_and(|a| a == "full");
    let before = rss_kib("VmRSS:");
    let p = if full {
        benches::default_params(agents)
    } else {
        benches::demography_only(agents)
    };
    let sim = benches::warmed(p, months);
    let rows = sim.table_rows();
    let after = rss_kib("VmRSS:");
    let peak = rss_kib("VmHWM:");
    let per = |kib: u64| (kib.saturating_sub(before) * 1024) as f64 / f64::from(agents);
    println!(
        "{agents} agents, {months} months, {rows} table rows: resident {:.1} B/agent, peak {:.1} B/agent",
        per(after),
        per(peak)
    );
}
