//! Prisoners by offence and age band after some years of a built-in scenario: a probe of the
//! prison age profile that reads the person table directly (`Simulation::persons`).
//!
//! `cargo run --release -p experiments --example prisoners_by_offence -- england-wales-2002 19 1000000`
//! (scenario name or file, years simulated first, agents).

use std::collections::BTreeMap;

use sim_core::Simulation;

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "england-wales-2002".into());
    let years: u32 = args
        .next()
        .map_or(0, |s| s.parse().expect("years: a number"));
    let scenario = match scenarios::builtin(&name)
        .or_else(|_| scenarios::load_file(std::path::Path::new(&name)))
    {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let mut p = scenario.params;
    if let Some(agents) = args.next() {
        p.scenario.agents = agents.parse().expect("agents: a number");
    }
    p.scenario.years = years.max(1);
    let mut sim = Simulation::new(p).expect("a built-in scenario is valid");
    for _ in 0..years * 12 {
        sim.step();
    }
    let now = sim.calendar().month_index as i16;
    let demo = sim.persons().demographics();
    let roster = &sim.prisons().roster;
    let mut by: BTreeMap<String, [u32; 4]> = BTreeMap::new();
    for i in roster {
        let age = demo[i.row as usize].age_years(now);
        let band = match age {
            0..18 => 0,
            18..50 => 1,
            50..60 => 2,
            _ => 3,
        };
        let held = if i.sentenced { "" } else { " (remand)" };
        by.entry(format!("{:?}{held}", i.kind)).or_default()[band] += 1;
        by.entry("all".into()).or_default()[band] += 1;
    }
    println!(
        "{name} after {years} years: {} prisoners (agents)",
        roster.len()
    );
    for (k, v) in &by {
        let n: u32 = v.iter().sum();
        println!(
            "{k:20} {n:6}  <18 {:5}  18-49 {:6}  50-59 {:5}  60+ {:5}  50+ {:4.1}%",
            v[0],
            v[1],
            v[2],
            v[3],
            100.0 * f64::from(v[2] + v[3]) / f64::from(n)
        );
    }
}
