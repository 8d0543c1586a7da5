//! The compare report's opening summary: for each arm, the headline effects at every checkpoint
//! with their 90% confidence intervals, what it costs and averts (net of the justice system's
//! savings, discounted), sentences written from those numbers, and the trade-offs: indicators
//! the arm makes worse with an interval that excludes zero. Every number is a cell of
//! `comparison.csv`; the table cells carry the cell's text in `data-value` so a test can check
//! them number for number.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::data::VizError;
use crate::i18n::{Lang, tr};
use crate::report::escape;
use crate::results::Results;
use crate::style::readable_in;
use crate::t;

/// Whether lower values of an indicator are better (true), higher (false); indicators where
/// neither is simply better (prison population, the 50+ share, detected trafficking) are absent.
const LOWER_IS_BETTER: &[(&str, bool)] = &[
    ("homicide_rate_per_100k", true),
    ("violence_prevalence_pct", true),
    ("gbv_prevalence_women_pct", true),
    ("property_victimisation_pct", true),
    ("fraud_victimisation_pct", true),
    ("robbery_victimisation_pct", true),
    ("trafficking_victims_per_100k", true),
    ("reporting_rate_pct", false),
    ("unsentenced_share_pct", true),
    ("prison_occupancy_pct", true),
    ("deaths_in_custody", true),
    ("court_backlog_cases", true),
    ("median_months_to_disposition", true),
    ("reconviction_2y_pct", true),
    ("proven_reoffending_1y_pct", true),
    ("rearrest_3y_pct", true),
    ("displaced_stock", true),
    ("newly_displaced", true),
];

/// How a change in an indicator of `unit` is counted: percentage points for shares.
fn size_unit(unit: &str, lang: Lang) -> String {
    if unit.starts_with('%') {
        t!(lang, "percentage points ({})", unit)
    } else {
        format!("({})", unit.to_lowercase())
    }
}

/// The indicator's title, or its column name in words.
fn name_of(indicator: &str, titles: &[(&str, &str, &str)]) -> String {
    titles.iter().find(|(i, _, _)| *i == indicator).map_or_else(
        || {
            let words = indicator.replace('_', " ");
            match words.strip_suffix(" pct") {
                Some(w) => format!("{w} (%)"),
                None => words,
            }
        },
        |(_, t, _)| t.to_string(),
    )
}

/// One row of `comparison.csv` as the summary needs it.
struct Row {
    arm: String,
    indicator: String,
    year: i32,
    cells: Vec<String>,
}

/// The columns read, in this order; later ones may be missing in folders written before them.
const COLUMNS: [&str; 16] = [
    "effect_mean",
    "effect_ci90_low",
    "effect_ci90_high",
    "effect_detected",
    "intervention_cost",
    "justice_cost_change",
    "homicides_averted",
    "homicides_averted_ci90_low",
    "homicides_averted_ci90_high",
    "victimisations_averted",
    "victimisations_averted_ci90_low",
    "victimisations_averted_ci90_high",
    "net_cost",
    "net_cost_per_homicide_averted",
    "net_cost_per_homicide_averted_ci90_low",
    "net_cost_per_homicide_averted_ci90_high",
];

const DISCOUNT: &str = "discount_rate";

/// Index into [`COLUMNS`].
fn at(name: &str) -> usize {
    COLUMNS
        .iter()
        .position(|c| *c == name)
        .expect("a summary column")
}

impl Row {
    fn text(&self, name: &str) -> &str {
        &self.cells[at(name)]
    }

    fn number(&self, name: &str) -> f64 {
        self.text(name).parse().unwrap_or(f64::NAN)
    }

    fn detected(&self) -> bool {
        self.text("effect_detected") == "yes"
    }
}

/// How one line of the costs table shows a row.
type CellOf<'a> = &'a dyn Fn(&Row) -> String;

/// A table cell holding a number of `comparison.csv`, with its text as data.
fn cell(row: &Row, name: &str, lang: Lang) -> String {
    let text = row.text(name);
    format!(
        "<span data-value=\"{}\">{}</span>",
        escape(text),
        readable_in(row.number(name), lang)
    )
}

/// A number with its interval, each with its text as data; "-" parts when missing.
fn with_interval(row: &Row, mean: &str, low: &str, high: &str, lang: Lang) -> String {
    // A comma separates the bounds in English; a semicolon where the comma is the decimal mark.
    let between = if lang == Lang::En { ", " } else { " ; " };
    format!(
        "{} <small>[{}{between}{}]</small>",
        cell(row, mean, lang),
        cell(row, low, lang),
        cell(row, high, lang)
    )
}

/// The summary section, or nothing for a folder without `comparison.csv`.
pub fn section(
    results: &Results,
    prov: &crate::data::Provenance,
    titles: &[(&str, &str, &str)],
) -> Result<String, VizError> {
    let Some(t) = results.get("comparison.csv") else {
        return Ok(String::new());
    };
    let (arm, indicator, year) = (t.column("arm")?, t.column("indicator")?, t.column("year")?);
    let columns: Vec<Option<usize>> = COLUMNS.iter().map(|c| t.column(c).ok()).collect();
    let discount = t.column(DISCOUNT).ok();
    let mut rows = Vec::new();
    for i in 0..t.len() {
        rows.push(Row {
            arm: t.text(i, arm).to_string(),
            indicator: t.text(i, indicator).to_string(),
            year: t.number(i, year)? as i32,
            cells: columns
                .iter()
                .map(|c| c.map_or(String::new(), |c| t.text(i, c).to_string()))
                .collect(),
        });
    }
    let mut arms: Vec<&str> = Vec::new();
    for r in &rows {
        if !arms.contains(&r.arm.as_str()) {
            arms.push(&r.arm);
        }
    }
    let years: Vec<i32> = rows
        .iter()
        .map(|r| r.year)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let rate = discount
        .and_then(|c| (!t.is_empty()).then(|| t.text(0, c)))
        .and_then(|x| x.parse::<f64>().ok());
    let find = |a: &str, ind: &str, y: i32| {
        rows.iter()
            .find(|r| r.arm == a && r.indicator == ind && r.year == y)
    };
    let lang = prov.lang;
    let readable = |x: f64| readable_in(x, lang);
    let mut h = format!("<h2 id=\"summary\">{}</h2>\n", tr(lang, "Summary"));
    let _ = writeln!(
        h,
        "<p>{}</p>",
        escape(&match rate {
            Some(r) => t!(
                lang,
                "Effects are the mean difference from the baseline over replications with the same random numbers, with its 90% confidence interval in brackets; an effect whose interval includes zero is not distinguishable from noise at this size. Costs are in {}, cumulative from the first simulated year and discounted to it at {}% a year (costs and outcomes alike); net cost adds the change in police, court and prison costs (negative: savings) to the interventions' cost.",
                prov.cost_unit,
                lang.number(&format!("{}", (100.0 * r * 100.0).round() / 100.0))
            ),
            None => t!(
                lang,
                "Effects are the mean difference from the baseline over replications with the same random numbers, with its 90% confidence interval in brackets; an effect whose interval includes zero is not distinguishable from noise at this size. Costs are in {}, cumulative from the first simulated year; net cost adds the change in police, court and prison costs (negative: savings) to the interventions' cost.",
                prov.cost_unit
            ),
        })
    );
    for a in &arms {
        let _ = write!(
            h,
            "<h3>{}</h3>\n<table class=\"summary\" data-arm=\"{}\"><tr><th>{}</th>",
            escape(a),
            escape(a),
            tr(lang, "Indicator")
        );
        for y in &years {
            let _ = write!(h, "<th>{}</th>", t!(lang, "Effect by {} [90% CI]", y));
        }
        h.push_str("</tr>");
        for (ind, title, unit) in titles {
            if years.iter().all(|y| find(a, ind, *y).is_none()) {
                continue;
            }
            let _ = write!(
                h,
                "<tr data-indicator=\"{}\"><td>{} <small>({})</small></td>",
                escape(ind),
                escape(title),
                escape(unit)
            );
            for y in &years {
                let text = find(a, ind, *y).map_or("-".into(), |r| {
                    with_interval(
                        r,
                        "effect_mean",
                        "effect_ci90_low",
                        "effect_ci90_high",
                        lang,
                    )
                });
                let _ = write!(h, "<td data-year=\"{y}\">{text}</td>");
            }
            h.push_str("</tr>");
        }
        h.push_str("</table>\n");
        // Costs and what is averted, from any row of the year (they are per arm and year).
        let _ = write!(
            h,
            "<table class=\"costs\" data-arm=\"{}\"><tr><th>{}</th>",
            escape(a),
            escape(&prov.cost_unit)
        );
        for y in &years {
            let _ = write!(h, "<th>{}</th>", t!(lang, "By {}", y));
        }
        h.push_str("</tr>");
        let lines: [(&str, CellOf); 6] = [
            (tr(lang, "Interventions' cost"), &|r| {
                cell(r, "intervention_cost", lang)
            }),
            (tr(lang, "Change in police, court and prison costs"), &|r| {
                cell(r, "justice_cost_change", lang)
            }),
            (tr(lang, "Net cost"), &|r| cell(r, "net_cost", lang)),
            (tr(lang, "Homicides averted"), &|r| {
                with_interval(
                    r,
                    "homicides_averted",
                    "homicides_averted_ci90_low",
                    "homicides_averted_ci90_high",
                    lang,
                )
            }),
            (tr(lang, "Victimisations averted"), &|r| {
                with_interval(
                    r,
                    "victimisations_averted",
                    "victimisations_averted_ci90_low",
                    "victimisations_averted_ci90_high",
                    lang,
                )
            }),
            (tr(lang, "Net cost per homicide averted"), &|r| {
                if r.text("net_cost_per_homicide_averted").is_empty() {
                    tr(
                        lang,
                        "not estimable (the homicides averted are not distinguishable from zero)",
                    )
                    .into()
                } else {
                    with_interval(
                        r,
                        "net_cost_per_homicide_averted",
                        "net_cost_per_homicide_averted_ci90_low",
                        "net_cost_per_homicide_averted_ci90_high",
                        lang,
                    )
                }
            }),
        ];
        for (label, show) in lines {
            let _ = write!(h, "<tr><th>{label}</th>");
            for y in &years {
                let any = rows.iter().find(|r| r.arm == *a && r.year == *y);
                let _ = write!(
                    h,
                    "<td data-year=\"{y}\">{}</td>",
                    any.map_or("-".into(), show)
                );
            }
            h.push_str("</tr>");
        }
        h.push_str("</table>\n");
        // Sentences and trade-offs.
        let mut said = Vec::new();
        if let Some(y) = years.first() {
            for (ind, title, unit) in titles {
                let Some(r) = find(a, ind, *y).filter(|r| r.detected()) else {
                    continue;
                };
                let e = r.number("effect_mean");
                // The interval of the size of the change, smaller bound first.
                let (lo, hi) = (r.number("effect_ci90_low"), r.number("effect_ci90_high"));
                let (from, to) = if e < 0.0 { (-hi, -lo) } else { (lo, hi) };
                let args: [&dyn std::fmt::Display; 7] = [
                    a,
                    title,
                    &readable(e.abs()),
                    &size_unit(unit, lang),
                    &readable(from),
                    &readable(to),
                    y,
                ];
                said.push(if e < 0.0 {
                    crate::i18n::fill(tr(lang, "{} lowers {} by {} {} [{}, {}] by {}."), &args)
                } else {
                    crate::i18n::fill(tr(lang, "{} raises {} by {} {} [{}, {}] by {}."), &args)
                });
            }
        }
        if let Some(r) = years
            .last()
            .and_then(|y| rows.iter().find(|r| r.arm == *a && r.year == *y))
        {
            let net = r.number("net_cost");
            let per = r.number("net_cost_per_homicide_averted");
            let money = |x: f64| {
                if prov.currency.is_empty() {
                    readable(x)
                } else {
                    format!("{} {}", prov.currency, readable(x))
                }
            };
            let costs = t!(
                lang,
                "By {}, {} costs {} net ({} for the interventions, {} for police, courts and prisons)",
                r.year,
                a,
                money(net),
                readable(r.number("intervention_cost")),
                readable(r.number("justice_cost_change"))
            );
            said.push(if per.is_finite() {
                t!(
                    lang,
                    "{}, {} per homicide averted [{}, {}].",
                    costs,
                    money(per),
                    readable(r.number("net_cost_per_homicide_averted_ci90_low")),
                    readable(r.number("net_cost_per_homicide_averted_ci90_high"))
                )
            } else {
                t!(
                    lang,
                    "{}; the homicides it averts are not distinguishable from zero.",
                    costs
                )
            });
        }
        let _ = write!(h, "<ul class=\"sentences\" data-arm=\"{}\">", escape(a));
        for s in &said {
            let _ = write!(h, "<li>{}</li>", escape(s));
        }
        h.push_str("</ul>\n");
        let mut worse = Vec::new();
        for y in &years {
            for r in rows.iter().filter(|r| r.arm == *a && r.year == *y) {
                let Some((_, lower)) = LOWER_IS_BETTER.iter().find(|(i, _)| *i == r.indicator)
                else {
                    continue;
                };
                let e = r.number("effect_mean");
                if r.detected() && (e > 0.0) == *lower {
                    worse.push(t!(
                        lang,
                        "{} by {}: {} [{}, {}]",
                        name_of(&r.indicator, titles),
                        y,
                        format!("{}{}", if e > 0.0 { "+" } else { "" }, readable(e)),
                        readable(r.number("effect_ci90_low")),
                        readable(r.number("effect_ci90_high"))
                    ));
                }
            }
            if let Some(r) = rows.iter().find(|r| r.arm == *a && r.year == *y) {
                for (what, template) in [
                    (
                        "homicides",
                        tr(lang, "{} more homicides than the baseline by {} [{}, {}]"),
                    ),
                    (
                        "victimisations",
                        tr(
                            lang,
                            "{} more victimisations than the baseline by {} [{}, {}]",
                        ),
                    ),
                ] {
                    let (mean, low, high) = (
                        r.number(&format!("{what}_averted")),
                        r.number(&format!("{what}_averted_ci90_low")),
                        r.number(&format!("{what}_averted_ci90_high")),
                    );
                    if high < 0.0 {
                        worse.push(crate::i18n::fill(
                            template,
                            &[&readable(-mean), y, &readable(-high), &readable(-low)],
                        ));
                    }
                }
            }
        }
        let _ = writeln!(
            h,
            "<p class=\"tradeoffs\" data-arm=\"{}\"><b>{}</b> {}</p>",
            escape(a),
            tr(lang, "Trade-offs:"),
            if worse.is_empty() {
                tr(
                    lang,
                    "none detected (no indicator is worse with an interval that excludes zero)",
                )
                .into()
            } else {
                escape(&worse.join("; "))
            }
        );
    }
    Ok(h)
}
