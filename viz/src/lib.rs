//! Charts (plotters) and the self-contained HTML report, drawn from cjsim output tables only.
//!
//! [`build`] reads a result folder (`cjsim run` or `cjsim compare`), draws every chart its
//! tables allow, each as SVG and PNG, and assembles `report.html`: one file with the charts
//! inline, the scorecard, the scenario summary and the provenance, with no external requests.
//! Writing the files is the caller's job (the command line writes them atomically).
//!
//! **Architecture Invariant:** viz never sees the World; it draws from the tables a run writes,
//! so any saved result folder can be redrawn.

pub mod charts;
pub mod data;
pub mod figure;
pub mod i18n;
pub mod report;
pub mod results;
pub mod style;
pub mod summary;

pub use data::VizError;
pub use figure::Figure;
pub use results::{Results, Table};

use charts::disaggregation::Disaggregation;
use charts::displacement::Displacement;
use charts::forest::{CostPerHomicide, Effect, Forest};
use charts::funnel::Funnel;
use charts::occupancy::OccupancyMap;
use charts::pyramid::Pyramid;
use charts::tornado::Tornado;
use charts::trajectory::{Overview, Trajectory};
use data::{Band, Bands, Provenance};
use figure::render;
pub use i18n::Lang;
use i18n::tr;

/// Headline indicators: column, title, unit.
pub const HEADLINES: &[(&str, &str, &str)] = &[
    (
        "homicide_rate_per_100k",
        "Homicide rate (SDG 16.1.1)",
        "Victims per 100,000",
    ),
    (
        "violence_prevalence_pct",
        "Violence in the past year (SDG 16.1.3)",
        "% of people 15+",
    ),
    (
        "unsentenced_share_pct",
        "Unsentenced prisoners (SDG 16.3.2)",
        "% of prisoners",
    ),
    (
        "prison_occupancy_pct",
        "Prison occupancy",
        "Prisoners per 100 beds",
    ),
    (
        "reporting_rate_pct",
        "Victims who reported violence (SDG 16.3.1)",
        "% of victims",
    ),
    (
        "prison_population_per_100k",
        "Prison population",
        "Prisoners per 100,000",
    ),
    (
        "older_prisoner_share_pct",
        "Prisoners aged 50 and over",
        "% of prisoners",
    ),
    (
        "trafficking_detected_per_100k",
        "Detected trafficking victims (SDG 16.2.2)",
        "Victims per 100,000",
    ),
    ("court_backlog_cases", "Court backlog", "Pending cases"),
    (
        "displaced_stock",
        "People displaced by climate hazards",
        "People",
    ),
    (
        "gbv_prevalence_women_pct",
        "Women victims of partner and sexual violence",
        "% of women 15-49",
    ),
];

/// [`HEADLINES`] with titles and units in `lang`.
pub fn headlines(lang: Lang) -> Vec<(&'static str, &'static str, &'static str)> {
    HEADLINES
        .iter()
        .map(|(c, title, unit)| (*c, tr(lang, title), tr(lang, unit)))
        .collect()
}

/// Everything built from a result folder.
pub struct Built {
    /// The charts.
    pub figures: Vec<Figure>,
    /// `report.html`.
    pub html: String,
}

/// Targets from `scorecard.json` (indicator, year, threshold), if the results have one.
fn targets(results: &Results) -> Vec<(String, i32, f64)> {
    let Some(text) = results.document("scorecard.json") else {
        return Vec::new();
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    json.as_array()
        .map(|lines| {
            lines
                .iter()
                .filter(|l| l["arm"] == "baseline")
                .filter_map(|l| {
                    Some((
                        l["indicator"].as_str()?.to_string(),
                        l["year"].as_i64()? as i32,
                        l["threshold"].as_f64()?,
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Single-run noise above which a chart is flagged (relative to the indicator's level).
pub const NOISE_LIMIT: f64 = 0.05;

/// How much one run of an indicator varies, relative to its level: with replications, the
/// spread between runs (interquartile range / 1.349, a robust standard deviation); with one run,
/// the jitter of its path (median absolute second difference / sqrt 6, which a linear trend does
/// not inflate). `None` when the level is zero or there is too little to tell.
pub fn single_run_noise(b: &Band) -> Option<f64> {
    let level = |q: &[f64; 5]| q[2].abs();
    let mut rel: Vec<f64> = if b.n.iter().any(|n| *n >= 2) {
        b.q.iter()
            .zip(&b.n)
            .filter(|(q, n)| **n >= 2 && level(q) > 0.0)
            .map(|(q, _)| (q[3] - q[1]) / 1.349 / level(q))
            .collect()
    } else {
        b.q.windows(3)
            .filter(|w| level(&w[1]) > 0.0)
            .map(|w| (w[2][2] - 2.0 * w[1][2] + w[0][2]).abs() / 6f64.sqrt() / level(&w[1]))
            .collect()
    };
    rel.retain(|x| x.is_finite());
    if rel.is_empty() {
        return None;
    }
    rel.sort_by(f64::total_cmp);
    Some(rel[rel.len() / 2])
}

/// The trajectory charts and the overview.
pub fn trajectories(results: &Results, prov: &Provenance) -> Result<Vec<Figure>, VizError> {
    let bands = Bands::read(results)?;
    let targets = targets(results);
    let published = data::published(results)?;
    let source = prov.source_line();
    let mut panels = Vec::new();
    let mut figures = Vec::new();
    for (indicator, title, unit) in headlines(prov.lang) {
        let arms: Vec<_> = bands
            .arms
            .iter()
            .filter_map(|a| bands.get(a, indicator).map(|b| (a.clone(), b.clone())))
            .collect();
        if arms.is_empty() {
            continue;
        }
        let target = targets
            .iter()
            .find(|t| t.0 == indicator)
            .map(|t| (t.1, t.2));
        let noise = arms.first().and_then(|(_, b)| single_run_noise(b));
        let t = Trajectory {
            indicator: indicator.to_string(),
            title: title.to_string(),
            unit: unit.to_string(),
            arms,
            target,
            published: published
                .iter()
                .filter(|p| p.indicator == indicator)
                .map(|p| (p.year, p.value, p.in_sample))
                .collect(),
            source: source.clone(),
            lang: prov.lang,
        };
        let mut figure = render(&t)?;
        if let Some(noise) = noise.filter(|x| *x > NOISE_LIMIT) {
            figure.note = Some(t!(
                prov.lang,
                "Single runs of this indicator vary by about {}% of its level, so year-to-year movements of one run are mostly noise: read the band, and add replications or agents before reading trends.",
                format!("{:.0}", 100.0 * noise)
            ));
        }
        figures.push(figure);
        if panels.len() < 6 {
            panels.push(t);
        }
    }
    figures.insert(
        0,
        render(&Overview {
            title: t!(prov.lang, "SDG 16 at a glance: {}", prov.scenario),
            panels,
            source,
            lang: prov.lang,
        })?,
    );
    Ok(figures)
}

/// Forest plots and cost charts from `comparison.csv`.
pub fn comparisons(results: &Results, prov: &Provenance) -> Result<Vec<Figure>, VizError> {
    let t = results.table("comparison.csv", "compare")?;
    let c = |n: &str| t.column(n);
    let (arm, ind, year, base, diff, lo, hi, cost) = (
        c("arm")?,
        c("indicator")?,
        c("year")?,
        c("baseline_mean")?,
        c("effect_mean")?,
        c("effect_ci90_low")?,
        c("effect_ci90_high")?,
        c("cost_per_homicide_averted")?,
    );
    // Net and with intervals when the comparison has them (older folders: gross only).
    let net = t.column("net_cost_per_homicide_averted").ok();
    let net_ci = (
        t.column("net_cost_per_homicide_averted_ci90_low").ok(),
        t.column("net_cost_per_homicide_averted_ci90_high").ok(),
    );
    let years = t.years(year)?;
    let mut figures = Vec::new();
    for y in years {
        let mut rows = Vec::new();
        let mut costs: Vec<(String, f64, (f64, f64))> = Vec::new();
        for (indicator, title, _) in headlines(prov.lang).into_iter().take(6) {
            for i in 0..t.len() {
                if t.number(i, year)? as i32 != y || t.text(i, ind) != indicator {
                    continue;
                }
                let b = t.number(i, base)?;
                let rel = |v: f64| {
                    if b.abs() > 1e-12 {
                        100.0 * v / b
                    } else {
                        f64::NAN
                    }
                };
                rows.push(Effect {
                    arm: t.text(i, arm).to_string(),
                    indicator: title.split(" (").next().unwrap_or(title).to_string(),
                    median: rel(t.number(i, diff)?),
                    interval: (rel(t.number(i, lo)?), rel(t.number(i, hi)?)),
                });
                let a = t.text(i, arm).to_string();
                if !costs.iter().any(|x| x.0 == a) {
                    let value = t.number(i, net.unwrap_or(cost))?;
                    let bound = |c: Option<usize>| c.map_or(Ok(f64::NAN), |c| t.number(i, c));
                    costs.push((a, value, (bound(net_ci.0)?, bound(net_ci.1)?)));
                }
            }
        }
        let source = prov.source_line();
        figures.push(render(&Forest {
            year: y,
            rows,
            source: source.clone(),
            lang: prov.lang,
        })?);
        figures.push(render(&CostPerHomicide {
            year: y,
            arms: costs,
            net: net.is_some(),
            unit: prov.cost_unit.clone(),
            source,
            lang: prov.lang,
        })?);
    }
    Ok(figures)
}

/// Indicators charted by group from `by_group.csv`: column, title, unit.
pub const BY_GROUP: &[(&str, &str, &str)] = &[
    (
        "homicide_rate_per_100k",
        "Homicide victims (SDG 16.1.1)",
        "Victims per 100,000",
    ),
    (
        "violence_prevalence_pct",
        "Victims of violence (SDG 16.1.3)",
        "% in the past year",
    ),
    (
        "gbv_prevalence_pct",
        "Victims of partner and sexual violence",
        "% in the past year",
    ),
    (
        "trafficking_victims_per_100k",
        "Trafficking victims (SDG 16.2.2)",
        "Victims per 100,000",
    ),
    (
        "fraud_victimisation_pct",
        "Victims of online fraud",
        "% in the past year",
    ),
    (
        "reporting_rate_pct",
        "Victims who reported violence (SDG 16.3.1)",
        "% of victims",
    ),
];

/// Indicators by sex, age group, region and displacement status (`by_group.csv`, the
/// baseline's first replication), in 2030 when simulated, else the last year.
pub fn disaggregations(results: &Results, prov: &Provenance) -> Result<Vec<Figure>, VizError> {
    let t = results.table("by_group.csv", "run")?;
    let (year, ind, dim, group, value) = (
        t.column("year")?,
        t.column("indicator")?,
        t.column("dimension")?,
        t.column("group")?,
        t.column("value")?,
    );
    let years = t.years(year)?;
    let Some(&last) = years.iter().max() else {
        return Ok(Vec::new());
    };
    let shown = if years.contains(&2030) { 2030 } else { last };
    let mut figures = Vec::new();
    for (indicator, title, unit) in BY_GROUP {
        let (title, unit) = (tr(prov.lang, title), tr(prov.lang, unit));
        let mut panels: Vec<(String, Vec<(String, f64)>)> = Vec::new();
        for i in 0..t.len() {
            if t.text(i, ind) != *indicator || t.number(i, year)? as i32 != shown {
                continue;
            }
            let d = t.text(i, dim).to_string();
            let entry = match panels.iter_mut().find(|p| p.0 == d) {
                Some(p) => p,
                None => {
                    panels.push((d, Vec::new()));
                    panels.last_mut().expect("just pushed")
                }
            };
            entry
                .1
                .push((t.text(i, group).to_string(), t.number(i, value)?));
        }
        if panels.is_empty() {
            continue;
        }
        figures.push(render(&Disaggregation {
            indicator: indicator.to_string(),
            title: title.to_string(),
            unit: unit.to_string(),
            year: shown,
            panels,
            // The table holds one run, so say how far to trust a difference between groups.
            source: t!(
                prov.lang,
                "{}; one simulated run, so small groups (the displaced) vary from run to run",
                prov.source_line()
            ),
            lang: prov.lang,
        })?);
    }
    Ok(figures)
}

/// The prison pyramid from `prison_ages.csv` (first and last year).
pub fn pyramid(results: &Results, prov: &Provenance) -> Result<Figure, VizError> {
    let t = results.table("prison_ages.csv", "run")?;
    let (year, sex, group, n) = (
        t.column("year")?,
        t.column("sex")?,
        t.column("age_group")?,
        t.column("prisoners")?,
    );
    let mut groups: Vec<String> = Vec::new();
    let mut years: Vec<i32> = Vec::new();
    for i in 0..t.len() {
        let g = t.text(i, group).to_string();
        if !groups.contains(&g) {
            groups.push(g);
        }
        let y = t.number(i, year)? as i32;
        if !years.contains(&y) {
            years.push(y);
        }
    }
    let picked: Vec<i32> = match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => vec![*a, *b],
        (Some(a), _) => vec![*a],
        _ => Vec::new(),
    };
    let mut data = Vec::new();
    for y in picked {
        let mut men = vec![0.0; groups.len()];
        let mut women = vec![0.0; groups.len()];
        for i in 0..t.len() {
            if t.number(i, year)? as i32 != y {
                continue;
            }
            let g = groups
                .iter()
                .position(|x| *x == t.text(i, group))
                .unwrap_or(0);
            let v = t.number(i, n)?;
            if t.text(i, sex) == "male" {
                men[g] += v;
            } else {
                women[g] += v;
            }
        }
        data.push((y, men, women));
    }
    render(&Pyramid {
        groups,
        years: data,
        source: prov.source_line(),
        lang: prov.lang,
    })
}

/// The occupancy heat map from `by_group.csv`, with prison damage from `events.csv`.
pub fn occupancy(results: &Results, prov: &Provenance) -> Result<Figure, VizError> {
    let t = results.table("by_group.csv", "run")?;
    let (year, ind, dim, group, value) = (
        t.column("year")?,
        t.column("indicator")?,
        t.column("dimension")?,
        t.column("group")?,
        t.column("value")?,
    );
    let mut regions: Vec<String> = Vec::new();
    let mut years: Vec<i32> = Vec::new();
    let mut cells = Vec::new();
    for i in 0..t.len() {
        if t.text(i, ind) != "prison_occupancy_pct" || t.text(i, dim) != "region" {
            continue;
        }
        let r = t.text(i, group).to_string();
        if !regions.contains(&r) {
            regions.push(r.clone());
        }
        let y = t.number(i, year)? as i32;
        if !years.contains(&y) {
            years.push(y);
        }
        cells.push((r, y, t.number(i, value)?));
    }
    let mut values = vec![vec![f64::NAN; years.len()]; regions.len()];
    for (r, y, v) in cells {
        let ri = regions.iter().position(|x| *x == r).unwrap_or(0);
        let yi = years.iter().position(|x| *x == y).unwrap_or(0);
        values[ri][yi] = v;
    }
    let mut events = Vec::new();
    if let Some(e) = results.get("events.csv") {
        let (ey, er, ed) = (
            e.column("year")?,
            e.column("region")?,
            e.column("prison_damage_pct")?,
        );
        for i in 0..e.len() {
            if e.number(i, ed)? > 0.0
                && let Some(r) = regions.iter().position(|x| *x == e.text(i, er))
            {
                events.push((r, e.number(i, ey)? as i32));
            }
        }
    }
    render(&OccupancyMap {
        regions,
        years,
        values,
        events,
        source: prov.source_line(),
        lang: prov.lang,
    })
}

/// The steps of the justice funnel: label and `timeseries.csv` column (none: every offence).
pub const FUNNEL_STEPS: [(&str, Option<&str>); 6] = [
    ("Offences", None),
    ("Recorded by police", Some("recorded")),
    ("Cleared", Some("clearances")),
    ("Charged", Some("charges")),
    ("Convicted", Some("convictions")),
    ("Sent to prison", Some("custodial_sentences")),
];

/// Displacement series and the justice funnel of the first year, from `timeseries.csv`.
pub fn monthly(results: &Results, prov: &Provenance) -> Result<Vec<Figure>, VizError> {
    let t = results.table("timeseries.csv", "run")?;
    let (year, month) = (t.column("year")?, t.column("month")?);
    let mut figures = Vec::new();
    if let (Ok(newly), Ok(stock)) = (t.column("newly_displaced"), t.column("displaced_stock")) {
        let mut d = Displacement {
            time: Vec::new(),
            newly: Vec::new(),
            stock: Vec::new(),
            events: Vec::new(),
            source: prov.source_line(),
            lang: prov.lang,
        };
        for i in 0..t.len() {
            d.time
                .push(t.number(i, year)? + (t.number(i, month)? - 0.5) / 12.0);
            d.newly.push(t.number(i, newly)?);
            d.stock.push(t.number(i, stock)?);
        }
        if let Some(e) = results.get("events.csv") {
            let (ey, em, eh, ed) = (
                e.column("year")?,
                e.column("month")?,
                e.column("hazard")?,
                e.column("displaced")?,
            );
            for i in 0..e.len() {
                if e.number(i, ed)? > 0.0 {
                    d.events.push((
                        e.number(i, ey)? + (e.number(i, em)? - 0.5) / 12.0,
                        e.text(i, eh).to_string(),
                    ));
                }
            }
        }
        figures.push(render(&d)?);
    }
    let offence_cols: Vec<usize> = t
        .header
        .iter()
        .enumerate()
        .filter(|(_, h)| h.starts_with("offences_"))
        .map(|(i, _)| i)
        .collect();
    if !offence_cols.is_empty() {
        let first = t.number(0, year)? as i32;
        let mut out = Vec::new();
        for (label, col) in FUNNEL_STEPS {
            let label = tr(prov.lang, label);
            let mut sum = 0.0;
            for i in 0..t.len() {
                if t.number(i, year)? as i32 != first {
                    continue;
                }
                sum += match col {
                    None => offence_cols
                        .iter()
                        .map(|c| t.number(i, *c))
                        .sum::<Result<f64, _>>()?,
                    Some(c) => t.number(i, t.column(c)?)?,
                };
            }
            out.push((label.to_string(), sum));
        }
        figures.push(render(&Funnel {
            year: first,
            steps: out,
            source: prov.source_line(),
            lang: prov.lang,
        })?);
    }
    Ok(figures)
}

/// Tornado charts of `sensitivity.csv` in `dir` (one per indicator and year, of the Sobol
/// total index, Morris mu* or PRCC), captioned with `prov`'s source line.
pub fn tornadoes(results: &Results, prov: &Provenance) -> Result<Vec<Figure>, VizError> {
    sensitivity_charts(results, &prov.source_line(), None, prov.lang)
}

/// Tornado charts of `sensitivity.csv` in `dir`, of `year` only when given (a sweep keeps
/// many years; one chart per indicator is what a reader can take in). Factors whose index
/// could not be computed (an output that never varies) are left out.
pub fn sensitivity_charts(
    results: &Results,
    source: &str,
    year: Option<i32>,
    lang: Lang,
) -> Result<Vec<Figure>, VizError> {
    let t = results.table("sensitivity.csv", "sensitivity")?;
    let (ind, year_col, factor, method, value, lo, hi) = (
        t.column("indicator")?,
        t.column("year")?,
        t.column("factor")?,
        t.column("index")?,
        t.column("value")?,
        t.column("ci_low")?,
        t.column("ci_high")?,
    );
    let noisy_col = t.column("noisy").ok();
    let mut groups: Vec<(String, String, Vec<charts::tornado::FactorIndex>, bool)> = Vec::new();
    for i in 0..t.len() {
        let m = t.text(i, method);
        if !matches!(&*m, "sobol_total" | "morris_mu_star" | "prcc") {
            continue;
        }
        if let Some(y) = year
            && t.number(i, year_col)? != f64::from(y)
        {
            continue;
        }
        let v = t.number(i, value)?;
        if !v.is_finite() {
            continue;
        }
        let subject = t!(lang, "{} in {}", t.text(i, ind), t.text(i, year_col));
        let ci = (t.number(i, lo)?, t.number(i, hi)?);
        let ci = (ci.0.is_finite() && ci.1.is_finite()).then_some(ci);
        let noisy = noisy_col.is_some_and(|c| t.text(i, c) == "yes");
        match groups.iter_mut().find(|g| g.0 == subject && g.1 == m) {
            Some(g) => g.2.push((t.text(i, factor).to_string(), v, ci)),
            None => groups.push((
                subject,
                m.to_string(),
                vec![(t.text(i, factor).to_string(), v, ci)],
                noisy,
            )),
        }
    }
    groups
        .into_iter()
        .map(|(subject, index, factors, noisy)| {
            render(&Tornado {
                noisy,
                subject,
                index: match index.as_str() {
                    "sobol_total" => tr(lang, "Sobol total-order index").into(),
                    "prcc" => tr(lang, "Partial rank correlation coefficient (PRCC)").into(),
                    _ => "Morris mu*".into(),
                },
                factors,
                source: source.to_string(),
                lang,
            })
        })
        .collect()
}

/// As [`build_in`], with the charts as SVG only (for a page: the dashboard).
pub fn build_for_screen(results: &Results, lang: Lang) -> Result<Built, VizError> {
    figure::svg_only(|| build_in(results, lang))
}

/// The live dashboard's charts, as SVG only: the trajectories (with the overview), the
/// comparisons and the prison pyramid, each drawn exactly as [`build_in`] draws it, without
/// the report and the charts the dashboard does not show (drawn twice a run, for the target
/// year and for the horizon, they were half of the time to build its results).
pub fn dashboard_figures(results: &Results, lang: Lang) -> Result<Vec<Figure>, VizError> {
    figure::svg_only(|| main_figures(results, &Provenance::read(results, lang)?))
}

/// Figures of a family whose table is absent are none; any other error stands.
fn optional(r: Result<Vec<Figure>, VizError>) -> Result<Vec<Figure>, VizError> {
    match r {
        Err(VizError::Missing { .. }) => Ok(Vec::new()),
        other => other,
    }
}

/// The report's first charts, which the dashboard shows too: trajectories, comparisons and
/// the prison pyramid.
fn main_figures(results: &Results, prov: &Provenance) -> Result<Vec<Figure>, VizError> {
    let mut figures = trajectories(results, prov)?;
    figures.extend(optional(comparisons(results, prov))?);
    figures.extend(optional(pyramid(results, prov).map(|f| vec![f]))?);
    Ok(figures)
}

/// Draws every chart the folder's tables allow and assembles the report. A table that exists
/// but is malformed is an error; a table that is absent just means fewer charts.
pub fn build(results: &Results) -> Result<Built, VizError> {
    build_in(results, Lang::En)
}

/// As [`build`], with the report and the charts' text in `lang`.
pub fn build_in(results: &Results, lang: Lang) -> Result<Built, VizError> {
    let prov = Provenance::read(results, lang)?;
    let mut figures = main_figures(results, &prov)?;
    figures.extend(optional(disaggregations(results, &prov))?);
    figures.extend(optional(occupancy(results, &prov).map(|f| vec![f]))?);
    figures.extend(optional(monthly(results, &prov))?);
    figures.extend(optional(tornadoes(results, &prov))?);
    let html = report::html(results, &prov, &figures)?;
    Ok(Built { figures, html })
}
