//! The statistical system's view of a run: `survey.csv`, the crime victimisation survey's
//! estimates with their standard errors beside the true values, and `admin.csv`, the
//! administrative statistics (police-recorded offences by ICCS section, the prison census on
//! 31 December, the courts' caseload).

use sim_core::indicators::Estimator;
use sim_core::metrics::MonthRow;
use sim_core::offence::{OFFENCE_TYPES, OffenceType};
use sim_core::stats::summarise;
use sim_core::survey::SURVEY_INDICATORS;
use sim_core::{ModelParams, Outcome};
use viz::results::{Cell, Table};

/// Two-sided 95% normal quantile: surveys publish 95% confidence intervals.
const Z95: f64 = 1.959_963_984_540_054;

/// `survey.csv`: every arm's, replication's and year's survey estimates (empty when no arm ran
/// a survey).
pub fn survey_table(arms: &[(&str, &[Outcome])]) -> Option<Table> {
    let mut t = Table::new(
        "",
        &[
            "arm",
            "replication",
            "year",
            "indicator",
            "estimate",
            "standard_error",
            "ci95_low",
            "ci95_high",
            "true_value",
            "base_respondents",
            "respondents",
            "issued",
        ],
    );
    let mut any = false;
    for (arm, outcomes) in arms {
        for (rep, o) in outcomes.iter().enumerate() {
            for s in &o.recorder.surveys {
                for (name, e) in SURVEY_INDICATORS.iter().zip(&s.estimates) {
                    any = true;
                    t.push([
                        Cell::from(*arm),
                        Cell::from(rep + 1),
                        s.year.into(),
                        Cell::from(*name),
                        e.value.into(),
                        e.se.into(),
                        (e.value - Z95 * e.se).into(),
                        (e.value + Z95 * e.se).into(),
                        e.truth.into(),
                        Cell::Number(f64::from(e.base)),
                        Cell::Number(f64::from(s.respondents)),
                        Cell::Number(f64::from(s.issued)),
                    ]);
                }
            }
        }
    }
    any.then_some(t)
}

/// Reads a year's value of a statistic from its twelve months, by the run's estimator.
type YearValue = Box<dyn Fn(&[MonthRow], Estimator) -> f64>;

/// One administrative statistic: source, name, ICCS section (or empty), unit, and how a
/// year's value is read from its twelve months (agents; scaled to persons where a count).
struct Statistic {
    source: &'static str,
    name: &'static str,
    iccs: &'static str,
    unit: &'static str,
    count: bool,
    value: YearValue,
}

/// A year's sum of a monthly count.
fn year_sum(f: fn(&MonthRow) -> u64) -> YearValue {
    Box::new(move |ms, _| ms.iter().map(|m| f(m) as f64).sum())
}

/// A December stock.
fn december(f: fn(&MonthRow) -> f64) -> YearValue {
    Box::new(move |ms, _| ms.last().map_or(f64::NAN, f))
}

fn statistics() -> Vec<Statistic> {
    let mut out: Vec<Statistic> = (0..OFFENCE_TYPES)
        .map(|c| Statistic {
            source: "police",
            name: OffenceType::NAMES[c],
            iccs: OffenceType::ICCS[c],
            unit: "recorded offences",
            count: true,
            // Recorded offences follow the run's estimator, as the yearly indicators do.
            value: Box::new(move |ms, e| match e {
                Estimator::Expected => ms.iter().map(|m| m.flows.expected.recorded[c]).sum(),
                Estimator::Realised => ms.iter().map(|m| m.flows.recorded[c] as f64).sum(),
            }),
        })
        .collect();
    let stock = |name, unit, f: fn(&MonthRow) -> f64| Statistic {
        source: "prison_census",
        name,
        iccs: "",
        unit,
        count: true,
        value: december(f),
    };
    out.extend([
        stock("prisoners", "persons", |m| m.stocks.prisoners as f64),
        stock("unsentenced", "persons", |m| m.stocks.pretrial as f64),
        stock("sentenced", "persons", |m| {
            (m.stocks.prisoners - m.stocks.pretrial) as f64
        }),
        stock("aged_older", "persons", |m| m.stocks.prisoners_older as f64),
        stock("aged_65_plus", "persons", |m| {
            m.stocks.prisoners_65plus as f64
        }),
        stock("usable_beds", "beds", |m| m.stocks.beds),
    ]);
    let flow = |name, f: fn(&MonthRow) -> u64| Statistic {
        source: "courts",
        name,
        iccs: "",
        unit: "cases",
        count: true,
        value: year_sum(f),
    };
    out.extend([
        flow("charged", |m| m.flows.charged),
        flow("detained_before_trial", |m| m.flows.detained),
        flow("dispositions", |m| m.flows.dispositions),
        flow("convictions", |m| m.flows.convictions),
        flow("acquittals_and_dismissals", |m| m.flows.acquittals),
        flow("custodial_sentences", |m| m.flows.custodial),
        flow("community_sentences", |m| m.flows.community),
        Statistic {
            source: "courts",
            name: "pending_cases_31_december",
            iccs: "",
            unit: "cases",
            count: true,
            value: december(|m| m.stocks.backlog as f64),
        },
    ]);
    out
}

/// The mean of replications' `values` and the 5-95% range of single replications (empty with
/// one replication).
pub(crate) fn mean_and_range(values: &[f64]) -> (f64, (f64, f64)) {
    let summary = summarise(values);
    let range = if values.len() > 1 {
        (summary.bands[0], summary.bands[4])
    } else {
        (f64::NAN, f64::NAN)
    };
    (summary.mean, range)
}

/// `admin.csv`: per year and statistic, the mean over replications with the 5-95% range of
/// single replications.
pub fn admin_table(params: &ModelParams, outcomes: &[Outcome]) -> Table {
    let mut t = Table::new(
        "",
        &[
            "year",
            "source",
            "statistic",
            "iccs_section",
            "unit",
            "value",
            "q05",
            "q95",
        ],
    );
    let scale = params.scenario.scale();
    let Some(first) = outcomes.first() else {
        return t;
    };
    let stats = statistics();
    for (y, record) in first.recorder.years.iter().enumerate() {
        let months = y * 12..(y * 12 + 12);
        for s in &stats {
            let values: Vec<f64> = outcomes
                .iter()
                .filter_map(|o| Some((o.recorder.months.get(months.clone())?, o)))
                .map(|(ms, o)| {
                    let v = (s.value)(ms, o.estimator);
                    if s.count { v * scale } else { v }
                })
                .collect();
            if values.is_empty() {
                continue;
            }
            let (mean, (q05, q95)) = mean_and_range(&values);
            t.push([
                record.year.into(),
                Cell::from(s.source),
                Cell::from(s.name),
                Cell::from(s.iccs),
                Cell::from(s.unit),
                mean.into(),
                q05.into(),
                q95.into(),
            ]);
        }
    }
    t
}
