//! `cjsim compare`: the baseline and intervention arms, replicated with common random numbers,
//! and what each arm changes at checkpoint years.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use scenarios::catalogue;
use sim_core::{ModelParams, Outcome};

use crate::cmd::run::{ReplicationArgs, RunControls, ScenarioChoice, check_params, pool};
use crate::error::{CliError, CliResult};
use crate::output::{StagedDir, write_report, write_results};
use crate::progress;
use crate::provenance::ArmInfo;
use crate::results::{ComparisonInputs, of_comparison};

/// Arguments of `cjsim compare`.
#[derive(Args, Debug)]
pub struct CompareArgs {
    /// The scenario and its overrides (applied in every arm).
    #[command(flatten)]
    pub choice: ScenarioChoice,
    /// An arm: NAME=INTERVENTION[:COVERAGE][,INTERVENTION...] (repeatable), e.g.
    /// --arm justice=legal_aid,court_capacity:0.5
    #[arg(long = "arm", value_name = "NAME=INTERVENTIONS", required = true)]
    pub arms: Vec<String>,
    /// Replications per arm (the same seeds in every arm).
    #[command(flatten)]
    pub replications: ReplicationArgs,
    /// Checkpoint years [default: 2030 if simulated, and the last year].
    #[arg(long, value_delimiter = ',')]
    pub checkpoints: Vec<i32>,
    /// Yearly discount rate of costs and averted outcomes, in percent (0-20), to the first
    /// simulated year, as cost-effectiveness analyses do (WHO-CHOICE and the US Second Panel
    /// on Cost-Effectiveness use 3%).
    #[arg(long, value_name = "PERCENT", default_value_t = 3.0)]
    pub discount_rate: f64,
    /// Result folder [default: out/<scenario-name>-compare/].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Threads, progress and report.
    #[command(flatten)]
    pub controls: RunControls,
}

/// An arm parsed from the command line.
#[derive(Debug)]
pub struct ArmSpec {
    /// Name.
    pub name: String,
    /// (intervention, coverage override).
    pub interventions: Vec<(&'static catalogue::Entry, Option<f64>)>,
}

/// Parses `NAME=INTERVENTION[:COVERAGE],...`.
pub fn parse_arm(spec: &str) -> CliResult<ArmSpec> {
    let shown = sim_core::params::clip(spec);
    let bad = |msg: String| CliError::BadInput(format!("--arm {shown}: {msg}"));
    if spec.chars().count() > 2000 {
        return Err(bad("is too long (at most 2000 characters)".into()));
    }
    let (name, list) = spec.split_once('=').ok_or_else(|| {
        bad(
            "must be NAME=INTERVENTION[,INTERVENTION...], e.g. justice=legal_aid,court_capacity"
                .into(),
        )
    })?;
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > sim_core::params::MAX_NAME_CHARS
        || name == "baseline"
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
    {
        return Err(bad(format!(
            "arm name {:?} must be 1-200 letters, digits, '-' or '_' and not 'baseline'",
            sim_core::params::clip(name)
        )));
    }
    let mut interventions = Vec::new();
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (iv, coverage) = match item.split_once(':') {
            Some((iv, c)) => {
                let c: f64 = c
                    .parse()
                    .ok()
                    .filter(|c: &f64| (0.0..=1.0).contains(c))
                    .ok_or_else(|| {
                        bad(format!(
                            "coverage {c:?} of {iv} must be a number between 0 and 1"
                        ))
                    })?;
                (iv, Some(c))
            }
            None => (item, None),
        };
        let entry = catalogue::entry(iv).ok_or_else(|| {
            let shown = sim_core::params::clip(iv);
            bad(match scenarios::error::suggest(iv, catalogue::names()) {
                Some(s) => format!("unknown intervention '{shown}'; did you mean '{s}'?"),
                None => format!("unknown intervention '{shown}'; see `cjsim interventions`"),
            })
        })?;
        if interventions
            .iter()
            .any(|(e, _): &(&catalogue::Entry, _)| e.name == entry.name)
        {
            return Err(bad(format!(
                "{} is listed twice; list each intervention once, with the coverage wanted \
                 ({}:0.8)",
                entry.name, entry.name
            )));
        }
        interventions.push((entry, coverage));
    }
    if interventions.is_empty() {
        return Err(bad("names no intervention".into()));
    }
    Ok(ArmSpec {
        name: name.to_string(),
        interventions,
    })
}

/// Runs `cjsim compare`.
pub fn run(args: CompareArgs) -> CliResult<()> {
    let reps = args.replications.resolve(10)?;
    let arms: Vec<ArmSpec> = args
        .arms
        .iter()
        .map(|a| parse_arm(a))
        .collect::<CliResult<_>>()?;
    let scenario = args.choice.load()?;
    let Plan {
        sets,
        infos,
        names,
        checkpoints,
    } = plan(&scenario, &arms, &args.checkpoints, args.discount_rate)?;
    let base = &scenario.params;
    let (pool, threads) = pool(args.controls.threads)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(format!("{}-compare", base.scenario.name)));
    let dir = StagedDir::new(&out, "compare", args.controls.force)?;
    let started = Instant::now();
    let watch = progress::BarWatch::new(
        args.controls.quiet,
        "effects' 90% CI half-width",
        "the baseline level",
    );
    let (results, precision) = pool.install(|| {
        crate::simulate::arms(
            &sets,
            &names,
            reps,
            &checkpoints,
            args.controls.estimator,
            &watch,
        )
    })?;
    let replications = results[0].len() as u32;
    let named: Vec<(&str, &[Outcome])> = names
        .iter()
        .map(String::as_str)
        .zip(results.iter().map(Vec::as_slice))
        .collect();
    let report = !args.controls.no_report;
    let assembled = of_comparison(&ComparisonInputs {
        scenario: &scenario,
        arms: &named,
        infos,
        checkpoints: &checkpoints,
        discount_rate: args.discount_rate / 100.0,
        threads,
        precision: precision.clone(),
        report,
    });
    write_results(&dir, &assembled.results)?;
    if report {
        write_report(&dir, &assembled.results, args.controls.lang)?;
    }
    let (files, lines) = (assembled.files, assembled.lines);
    let out = dir.commit()?;
    if !args.controls.quiet {
        println!(
            "cjsim compare: {} ({}), {} arm(s) + baseline x {} replications, {threads} threads, {:.1} s",
            base.scenario.name,
            scenario.origin,
            arms.len(),
            replications,
            started.elapsed().as_secs_f64()
        );
        for l in &lines {
            if let Some(m) = l.mean {
                let chance = l
                    .probability
                    .map_or_else(|| l.note.clone(), |p| format!("p = {:.0}%", 100.0 * p));
                println!(
                    "  {:<12} {:<26} {} {:>8.2} ({}, {chance})",
                    l.arm, l.indicator, l.year, m, l.status
                );
            }
        }
        if let Some(p) = &precision {
            println!("  {}", p.summary());
        }
        println!("  wrote {}/ ({})", out.display(), files.join(", "));
    }
    Ok(())
}

/// What a comparison runs: the parameter sets (the baseline first), the arms' descriptions
/// for `run.json`, the arm names and the checkpoint years.
pub struct Plan {
    /// Parameter sets, the baseline first.
    pub sets: Vec<ModelParams>,
    /// The arms' interventions as `run.json` lists them.
    pub infos: Vec<ArmInfo>,
    /// "baseline" and the arms' names, in the order of `sets`.
    pub names: Vec<String>,
    /// Checkpoint years (2030 if simulated and the last year, unless given).
    pub checkpoints: Vec<i32>,
}

/// Checks a comparison and builds its parameter sets: arm names used once, the scenario
/// buildable, checkpoints within the simulated years, a discount rate (percent) of 0-20.
pub fn plan(
    scenario: &scenarios::Scenario,
    arms: &[ArmSpec],
    checkpoints: &[i32],
    discount_rate_pct: f64,
) -> CliResult<Plan> {
    for (i, a) in arms.iter().enumerate() {
        if arms[..i].iter().any(|b| b.name == a.name) {
            return Err(CliError::BadInput(format!(
                "--arm {}: the name is used twice",
                a.name
            )));
        }
    }
    let base = &scenario.params;
    check_params(base, &scenario.origin)?;
    let mut sets = vec![base.clone()];
    let mut infos = Vec::new();
    for a in arms {
        let mut p = base.clone();
        let mut described = Vec::new();
        for (entry, coverage) in &a.interventions {
            let mut iv = entry.for_scenario(base);
            if let Some(c) = coverage {
                iv.coverage = *c;
            }
            described.push(format!(
                "{} (coverage {}, {}-{})",
                iv.name, iv.coverage, iv.start_year, iv.end_year
            ));
            p.interventions.push(iv);
        }
        infos.push(ArmInfo {
            name: a.name.clone(),
            interventions: described,
        });
        sets.push(p);
    }
    let first_year = base.scenario.start_year;
    let last_year = first_year + base.scenario.years as i32 - 1;
    let mut checkpoints = checkpoints.to_vec();
    if checkpoints.is_empty() {
        if (first_year..=last_year).contains(&2030) {
            checkpoints.push(2030);
        }
        if !checkpoints.contains(&last_year) {
            checkpoints.push(last_year);
        }
    }
    if let Some(y) = checkpoints
        .iter()
        .find(|y| !(first_year..=last_year).contains(*y))
    {
        return Err(CliError::BadInput(format!(
            "--checkpoints {y}: must lie within the simulated years {first_year}-{last_year}"
        )));
    }
    if !(0.0..=20.0).contains(&discount_rate_pct) {
        return Err(CliError::BadInput(format!(
            "--discount-rate {discount_rate_pct}: must be a percentage from 0 to 20"
        )));
    }
    let names = std::iter::once("baseline".to_string())
        .chain(arms.iter().map(|a| a.name.clone()))
        .collect();
    Ok(Plan {
        sets,
        infos,
        names,
        checkpoints,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arms_parse_with_coverage_and_typos_are_caught() {
        let a = parse_arm("justice=legal_aid, court_capacity:0.5").unwrap();
        assert_eq!(a.name, "justice");
        assert_eq!(a.interventions.len(), 2);
        assert_eq!(a.interventions[1].1, Some(0.5));
        let e = parse_arm("x=legal_aide").unwrap_err().to_string();
        assert_eq!(
            e,
            "--arm x=legal_aide: unknown intervention 'legal_aide'; did you mean 'legal_aid'?"
        );
        assert!(parse_arm("baseline=legal_aid").is_err());
        assert!(parse_arm("x=legal_aid:2").is_err());
        assert!(parse_arm("x").is_err());
    }
}
