//! Turning recorded runs into the sweep's tables: checks that every run of the design is
//! there exactly once, then writes `results.parquet` (and `results.csv` on request),
//! `summary.csv`, and `sensitivity.csv` with tornado charts: Morris measures, Sobol indices, or
//! for Latin-hypercube and grid designs partial rank correlation coefficients.
//! Every file is written under a temporary name and renamed, so none is ever half-written.

use std::fmt::Write as _;
use std::path::Path;

use rayon::prelude::*;

use super::sensitivity;
use super::spec::{Design, Level};
use super::store::{self, Recorded, RunRecord};
use super::{Manifest, Shard};
use crate::error::{CliError, CliResult, io_error};
use crate::output::fmt_cell;
use crate::replicate::quantile;

/// Bootstrap resamples for the sensitivity intervals unless told otherwise.
pub const DEFAULT_BOOTSTRAP: u32 = 200;

/// Options of the tables a finished sweep gets (`cjsim sweep` and `cjsim merge`).
#[derive(clap::Args, Debug, Clone)]
pub struct TableArgs {
    /// Also write results.csv.
    #[arg(long)]
    pub csv: bool,
    /// Bootstrap resamples for the sensitivity intervals.
    #[arg(long, default_value_t = DEFAULT_BOOTSTRAP)]
    pub bootstrap: u32,
}

/// Reads `manifest.json` of a results folder.
pub fn read_manifest(dir: &Path) -> CliResult<Manifest> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|_| {
        CliError::BadInput(format!(
            "{}: no manifest.json; is this the output folder of `cjsim sweep`?",
            dir.display()
        ))
    })?;
    let m: Manifest = serde_json::from_str(&text).map_err(|e| {
        CliError::BadInput(format!("{}: not a sweep manifest: {e}", path.display()))
    })?;
    if m.format != super::MANIFEST_FORMAT {
        return Err(CliError::BadInput(format!(
            "{}: format {:?}, this cjsim reads {:?}",
            path.display(),
            m.format,
            super::MANIFEST_FORMAT
        )));
    }
    Ok(m)
}

pub use crate::outdir::write_file_atomic as write_atomic;

/// A temporary sibling of `path` for this process.
fn tmp_path(path: &Path) -> std::path::PathBuf {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// The runs of the design, each exactly once, in canonical order; or an error saying what is
/// missing (and, for sharded sweeps, which shards) or what conflicts.
pub fn complete_runs<'a>(m: &Manifest, rec: &'a Recorded) -> CliResult<Vec<&'a RunRecord>> {
    let d = &m.design;
    if !rec.conflicts.is_empty() {
        let list: Vec<String> = rec
            .conflicts
            .iter()
            .take(5)
            .map(|(p, r, tag)| format!("{p}:{r} (again in {tag})"))
            .collect();
        return Err(CliError::BadInput(format!(
            "{} runs were recorded twice with different results: {}; the folder mixes two \
             different sweeps or cjsim versions",
            rec.conflicts.len(),
            list.join(", ")
        )));
    }
    let missing: Vec<(u64, u32)> = d.all_runs().filter(|k| !rec.runs.contains_key(k)).collect();
    if !missing.is_empty() {
        let examples: Vec<String> = missing
            .iter()
            .take(6)
            .map(|(p, r)| format!("{p}:{r}"))
            .collect();
        let mut msg = format!(
            "{} of {} runs are missing (e.g. {})",
            missing.len(),
            d.runs,
            examples.join(", ")
        );
        let shard_count = rec.tags.iter().find_map(|t| {
            let rest = t.strip_prefix("shard-")?;
            rest.split_once("-of-")?.1.parse::<u32>().ok()
        });
        if let Some(n) = shard_count {
            let mut lines = Vec::new();
            for k in 1..=n {
                let shard = Shard { index: k, count: n };
                let owned = d
                    .all_runs()
                    .filter(|(p, r)| shard.owns(d.run_index(*p, *r)))
                    .count();
                let lost = missing
                    .iter()
                    .filter(|(p, r)| shard.owns(d.run_index(*p, *r)))
                    .count();
                if lost > 0 {
                    let state = if rec.tags.contains(&shard.tag()) {
                        "did not finish"
                    } else {
                        "has not run (no log)"
                    };
                    lines.push(format!(
                        "shard {k}/{n} {state}: {lost} of its {owned} runs missing"
                    ));
                }
            }
            msg.push_str(&format!(
                "\n{}\nrun the missing shards (`cjsim sweep FILE --shard K/{n}`), then merge again",
                lines.join("\n")
            ));
        } else {
            msg.push_str("; run `cjsim sweep FILE` again to finish them");
        }
        return Err(CliError::BadInput(msg));
    }
    Ok(d.all_runs().map(|k| &rec.runs[&k]).collect())
}

/// What [`assemble`] wrote.
pub struct Assembled {
    /// Files written.
    pub files: Vec<String>,
    /// Runs recorded twice with identical results (harmless, counted once).
    pub duplicates: usize,
    /// Tornado charts drawn.
    pub charts: usize,
}

/// Checks the folder's runs and writes the tables.
pub fn assemble(dir: &Path, m: &Manifest, tables: &TableArgs) -> CliResult<Assembled> {
    let (csv, bootstrap) = (tables.csv, tables.bootstrap);
    let rec = store::read_all(&dir.join("runs"), m.design.width())?;
    let runs = complete_runs(m, &rec)?;
    let mut files = Vec::new();
    let parquet_path = dir.join("results.parquet");
    let tmp = tmp_path(&parquet_path);
    let written = super::parquet::write(&tmp, m, &runs).and_then(|()| {
        std::fs::rename(&tmp, &parquet_path).map_err(|e| io_error("rename", &tmp, e))
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    files.push("results.parquet".to_string());
    if csv {
        write_atomic(&dir.join("results.csv"), long_csv(m, &runs).as_bytes())?;
        files.push("results.csv".into());
    }
    write_atomic(&dir.join("summary.csv"), summary_csv(m, &runs).as_bytes())?;
    files.push("summary.csv".into());
    let charts = write_sensitivity(dir, m, &runs, bootstrap)?;
    files.push("sensitivity.csv".into());
    if charts > 0 {
        files.push("charts/".into());
    }
    Ok(Assembled {
        files,
        duplicates: rec.duplicates.len(),
        charts,
    })
}

/// Header of the long table.
pub fn long_header(m: &Manifest) -> String {
    let mut h = String::from("point,replication,seed");
    for f in &m.design.factors {
        h.push(',');
        h.push_str(&crate::output::csv_field(&f.name));
    }
    h.push_str(",indicator,year,value\n");
    h
}

/// Appends the long-table rows of one run (values in shortest round-trip form, NaN empty).
pub fn long_rows(m: &Manifest, r: &RunRecord, out: &mut String) {
    let d = &m.design;
    let mut prefix = format!("{},{},{}", r.point, r.replication, r.seed);
    for v in &d.values[r.point as usize] {
        prefix.push(',');
        prefix.push_str(&crate::output::csv_field(&v.cell()));
    }
    let mut i = 0;
    for name in &d.indicators {
        for y in &d.report_years {
            let v = r.values[i];
            let cell = if v.is_nan() {
                String::new()
            } else {
                format!("{v}")
            };
            let _ = writeln!(out, "{prefix},{name},{y},{cell}");
            i += 1;
        }
    }
}

fn long_csv(m: &Manifest, runs: &[&RunRecord]) -> String {
    let mut out = long_header(m);
    for r in runs {
        long_rows(m, r, &mut out);
    }
    out
}

fn summary_csv(m: &Manifest, runs: &[&RunRecord]) -> String {
    let d = &m.design;
    let mut out = String::from("point");
    for f in &d.factors {
        out.push(',');
        out.push_str(&crate::output::csv_field(&f.name));
    }
    out.push_str(",indicator,year,replications,mean,sd,q05,q25,q50,q75,q95\n");
    let reps = d.replications as usize;
    for (p, group) in runs.chunks(reps).enumerate() {
        let mut prefix = p.to_string();
        for v in &d.values[p] {
            prefix.push(',');
            prefix.push_str(&crate::output::csv_field(&v.cell()));
        }
        let mut i = 0;
        for name in &d.indicators {
            for y in &d.report_years {
                let xs: Vec<f64> = group
                    .iter()
                    .map(|r| r.values[i])
                    .filter(|x| !x.is_nan())
                    .collect();
                let n = xs.len() as f64;
                let mean = xs.iter().sum::<f64>() / n;
                let sd = if xs.len() > 1 {
                    (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
                } else {
                    f64::NAN
                };
                let _ = write!(
                    out,
                    "{prefix},{name},{y},{},{},{}",
                    xs.len(),
                    fmt_cell(mean),
                    fmt_cell(sd)
                );
                for q in [0.05, 0.25, 0.5, 0.75, 0.95] {
                    let _ = write!(out, ",{}", fmt_cell(quantile(&xs, q)));
                }
                out.push('\n');
                i += 1;
            }
        }
    }
    out
}

/// Mean over replications of each value, per point.
fn point_means(m: &Manifest, runs: &[&RunRecord]) -> Vec<Vec<f64>> {
    let reps = m.design.replications as usize;
    runs.chunks(reps)
        .map(|group| {
            (0..m.design.width())
                .map(|i| group.iter().map(|r| r.values[i]).sum::<f64>() / group.len() as f64)
                .collect()
        })
        .collect()
}

/// Writes `sensitivity.csv` and tornado charts for the last kept year; returns the number of
/// charts.
pub fn write_sensitivity(
    dir: &Path,
    m: &Manifest,
    runs: &[&RunRecord],
    bootstrap: u32,
) -> CliResult<usize> {
    let d = &m.design;
    let means = point_means(m, runs);
    let k = d.factors.len();
    let columns: Vec<(usize, &String, i32)> = d
        .indicators
        .iter()
        .flat_map(|n| d.report_years.iter().map(move |y| (n, *y)))
        .enumerate()
        .map(|(i, (n, y))| (i, n, y))
        .collect();
    // PRCC works on the numeric factors' values; named levels (a warming pathway) have no
    // order, so no rank correlation. The same for every indicator and year.
    let numeric: Vec<usize> = (0..k)
        .filter(|&i| d.values.iter().all(|v| matches!(v[i], Level::Number(_))))
        .collect();
    let x: Vec<Vec<f64>> = d
        .values
        .iter()
        .map(|v| {
            numeric
                .iter()
                .map(|&i| match v[i] {
                    Level::Number(x) => x,
                    Level::Text(_) => f64::NAN,
                })
                .collect()
        })
        .collect();
    let blocks: Vec<String> = columns
        .par_iter()
        .map(|&(i, name, year)| {
            let y: Vec<f64> = means.iter().map(|row| row[i]).collect();
            let reps: Vec<Vec<f64>> = runs
                .chunks(d.replications as usize)
                .map(|group| group.iter().map(|r| r.values[i]).collect())
                .collect();
            let noise = sensitivity::noise_share(&reps);
            let first = reps.first().and_then(|r| r.first()).copied();
            let constant = reps.iter().flatten().all(|x| Some(*x) == first);
            let noisy = if constant {
                // Nothing varies (a tiny population with no such events): no index exists.
                "constant"
            } else if noise.is_nan() {
                "unknown"
            } else if noise > sensitivity::NOISE_FLAG {
                "yes"
            } else {
                "no"
            };
            let mut out = String::new();
            let mut row = |factor: &str, index: &str, e: sensitivity::Estimate| {
                let _ = writeln!(
                    out,
                    "{name},{year},{},{index},{},{},{},{},{noisy}",
                    crate::output::csv_field(factor),
                    fmt_cell(e.value),
                    fmt_cell(e.low),
                    fmt_cell(e.high),
                    fmt_cell(noise)
                );
            };
            let seed = d.seed ^ (i as u64).wrapping_mul(0x9e37_79b9);
            if y.iter().any(|v| v.is_nan()) {
                return out;
            }
            match d.design {
                Design::Sobol { .. } => {
                    for (f, s) in d
                        .factors
                        .iter()
                        .zip(sensitivity::sobol(&y, k, bootstrap, seed))
                    {
                        row(&f.name, "sobol_first", s.first);
                        row(&f.name, "sobol_total", s.total);
                    }
                }
                Design::Lhs { .. } | Design::Grid => {
                    for (&i, e) in numeric
                        .iter()
                        .zip(sensitivity::prcc(&x, &y, bootstrap, seed))
                    {
                        row(&d.factors[i].name, "prcc", e);
                    }
                }
                Design::Morris { .. } => {
                    for (f, s) in d.factors.iter().zip(sensitivity::morris(
                        &d.unit_points,
                        &y,
                        k,
                        bootstrap,
                        seed,
                    )) {
                        row(&f.name, "morris_mu_star", s.mu_star);
                        row(&f.name, "morris_mu", s.mu);
                        row(&f.name, "morris_sigma", s.sigma);
                    }
                }
            }
            out
        })
        .collect();
    let mut text =
        String::from("indicator,year,factor,index,value,ci_low,ci_high,noise_share,noisy\n");
    for b in blocks {
        text.push_str(&b);
    }
    write_atomic(&dir.join("sensitivity.csv"), text.as_bytes())?;
    let last = *d.report_years.last().expect("at least one year");
    let source = format!(
        "Source: cjsim {} sweep {} ({} design, {} runs), seed {}",
        m.cjsim_version,
        d.name,
        d.design.word(),
        d.runs,
        d.seed
    );
    let mut tables = viz::Results::new();
    tables.put_table(
        "sensitivity.csv",
        viz::Table::read(dir, "sensitivity.csv", "sweep")
            .map_err(|e| CliError::Internal(format!("tornado charts: {e}")))?,
    );
    let figures = viz::sensitivity_charts(&tables, &source, Some(last), viz::Lang::En)
        .map_err(|e| CliError::Internal(format!("tornado charts: {e}")))?;
    let charts = dir.join("charts");
    std::fs::create_dir_all(&charts).map_err(|e| io_error("create", &charts, e))?;
    for f in &figures {
        write_atomic(&charts.join(format!("{}.svg", f.name)), f.svg.as_bytes())?;
        write_atomic(&charts.join(format!("{}.png", f.name)), &f.png)?;
    }
    Ok(figures.len())
}
