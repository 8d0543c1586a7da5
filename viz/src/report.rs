//! `report.html`: one self-contained file (inline SVG charts, inline style, no scripts, no
//! external requests) with a comparison's summary, the scenario, the scorecard, the charts and
//! the provenance.

use std::fmt::Write;

use crate::data::{Provenance, VizError};
use crate::figure::Figure;
use crate::i18n::{Lang, tr};
use crate::results::Results;
use crate::style::readable_in;
use crate::t;

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An SVG ready to inline in HTML5: the XML namespace declaration is not needed there (and would
/// be the page's only URL).
pub fn inline_svg(svg: &str) -> String {
    svg.replace(" xmlns=\"http://www.w3.org/2000/svg\"", "")
        .replace(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"", "")
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Verdana,sans-serif;margin:2em auto;max-width:1250px;\
color:#222;line-height:1.45}h1{font-size:1.9em}h2{margin-top:2em;border-bottom:2px solid #0072b2}\
table{border-collapse:collapse;margin:1em 0;font-size:.95em}td,th{border:1px solid #bbb;padding:.35em .6em;\
text-align:left;vertical-align:top}th{background:#eef4fa}.on{color:#006e52;font-weight:bold}\
.off{color:#b04000;font-weight:bold}figure{margin:2em 0}figcaption{font-size:.9em;color:#555}\
svg{max-width:100%;height:auto}.warn{background:#fff3d6;padding:.5em 1em}.note{background:#e8f0fb;padding:.5em 1em}";

/// A signed percentage, `+12%` (English) or `+12 %` (French and Spanish).
fn percent(x: f64, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{x:+.0}%"),
        _ => format!("{x:+.0}\u{a0}%"),
    }
}

/// The scorecard's status in `lang`.
fn status_in(status: &str, lang: Lang) -> &str {
    match status {
        "on track" => tr(lang, "on track"),
        "off track" => tr(lang, "off track"),
        "not simulated" => tr(lang, "not simulated"),
        other => other,
    }
}

/// The scorecard's note in `lang` (it only ever says how many replications an interval needs).
fn note_in(note: &str, lang: Lang) -> String {
    let needs = note
        .strip_prefix("needs >= ")
        .and_then(|r| r.strip_suffix(" replications for an interval and a probability"));
    match needs {
        Some(n) if lang != Lang::En => t!(
            lang,
            "needs at least {} replications for an interval and a probability",
            n
        ),
        _ => note.to_string(),
    }
}

/// Builds the report.
pub fn html(results: &Results, prov: &Provenance, figures: &[Figure]) -> Result<String, VizError> {
    let j = &prov.json;
    let lang = prov.lang;
    let mut h = String::new();
    let title = t!(lang, "cjsim report: {}", prov.scenario);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>\n<h1>{}</h1>\n",
        lang.code(),
        escape(&title),
        escape(&title)
    );
    // A comparison opens with its summary: effects, costs, sentences and trade-offs.
    h.push_str(&crate::summary::section(
        results,
        prov,
        &crate::headlines(lang),
    )?);
    let _ = write!(h, "<h2>{}</h2>\n<table>", tr(lang, "Scenario"));
    let mut row = |k: &str, v: String| {
        let _ = write!(h, "<tr><th>{}</th><td>{}</td></tr>", escape(k), escape(&v));
    };
    let s = |v: &serde_json::Value| match v {
        serde_json::Value::String(x) => x.clone(),
        serde_json::Value::Null => "-".into(),
        other => other.to_string(),
    };
    row(tr(lang, "Scenario"), s(&j["scenario"]["name"]));
    row(tr(lang, "Origin"), s(&j["scenario"]["origin"]));
    row(tr(lang, "Command"), format!("cjsim {}", s(&j["command"])));
    row(
        tr(lang, "Years"),
        t!(lang, "{} from {}", s(&j["years"]), s(&j["start_year"])),
    );
    row(
        tr(lang, "Agents"),
        t!(
            lang,
            "{} (1 agent = {} persons)",
            readable_in(j["agents"].as_f64().unwrap_or(f64::NAN), lang),
            lang.number(&s(&j["scale"]))
        ),
    );
    row(
        tr(lang, "Replications"),
        t!(
            lang,
            "{} (seeds from {})",
            s(&j["replications"]),
            s(&j["seed"])
        ),
    );
    if let Some(arms) = j["arms"].as_array().filter(|a| !a.is_empty()) {
        let list: Vec<String> = arms
            .iter()
            .map(|a| {
                let ivs: Vec<String> = a["interventions"]
                    .as_array()
                    .map(|v| v.iter().map(s).collect())
                    .unwrap_or_default();
                format!("{}: {}", s(&a["name"]), ivs.join("; "))
            })
            .collect();
        row(tr(lang, "Arms"), list.join(" | "));
    }
    h.push_str("</table>\n");
    if let Some(w) = j["alignment_warnings"].as_array().filter(|w| !w.is_empty()) {
        let _ = writeln!(
            h,
            "<p class=\"warn\">{}</p>",
            escape(&t!(
                lang,
                "Alignment warnings: {}",
                w.iter().map(s).collect::<Vec<_>>().join("; ")
            ))
        );
    }
    // Scorecard.
    let _ = writeln!(h, "<h2>{}</h2>", tr(lang, "Scorecard"));
    match results.document("scorecard.json") {
        Some(text) => {
            let lines: serde_json::Value =
                serde_json::from_str(text).map_err(|e| VizError::Unreadable {
                    file: results.label("scorecard.json"),
                    reason: format!("not JSON: {e}"),
                })?;
            let _ = write!(
                h,
                "<p>{}</p><table id=\"scorecard\"><tr>",
                tr(
                    lang,
                    "The mean across replications with its 90% confidence interval (how precisely the expected value is known) and the 5-95% range of single runs (how different one future could be). Intervals and probabilities need at least 5 replications."
                )
            );
            for head in [
                tr(lang, "Arm"),
                tr(lang, "Target"),
                tr(lang, "Mean"),
                tr(lang, "90% CI of the mean"),
                tr(lang, "5-95% of single runs"),
                tr(lang, "Status"),
                tr(lang, "Probability"),
            ] {
                let _ = write!(h, "<th>{head}</th>");
            }
            h.push_str("</tr>");
            for l in lines.as_array().into_iter().flatten() {
                let num = |v: &serde_json::Value| {
                    v.as_f64()
                        .map_or("-".into(), |x| lang.number(&format!("{x:.2}")))
                };
                let note = note_in(&s(&l["note"]), lang);
                let range =
                    |a: &serde_json::Value, b: &serde_json::Value| match (a.as_f64(), b.as_f64()) {
                        (Some(a), Some(b)) => t!(
                            lang,
                            "{} to {}",
                            lang.number(&format!("{a:.2}")),
                            lang.number(&format!("{b:.2}"))
                        ),
                        _ if !note.is_empty() => note.clone(),
                        _ => "-".into(),
                    };
                let status = s(&l["status"]);
                let class = if status == "on track" { "on" } else { "off" };
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}<br><small>{}</small></td><td>{}</td><td>{}</td><td>{}</td><td class=\"{class}\">{}</td><td>{}</td></tr>",
                    escape(&s(&l["arm"])),
                    escape(&s(&l["target"])),
                    escape(&s(&l["description"])),
                    num(&l["mean"]),
                    escape(&range(&l["ci90_low"], &l["ci90_high"])),
                    escape(&range(&l["q05"], &l["q95"])),
                    escape(status_in(&status, lang)),
                    l["probability"].as_f64().map_or_else(
                        || escape(if note.is_empty() { "-" } else { &note }),
                        |p| match lang {
                            Lang::En => format!("{:.0}%", 100.0 * p),
                            _ => format!("{:.0}\u{a0}%", 100.0 * p),
                        }
                    ),
                );
            }
            h.push_str("</table>\n");
        }
        None => {
            let _ = writeln!(h, "<p>{}</p>", tr(lang, "No targets in this scenario."));
        }
    }
    published_table(results, lang, &mut h)?;
    for note in unsentenced_share_notes(results, lang)? {
        let _ = writeln!(
            h,
            "<p class=\"note\" id=\"unsentenced-note\">{}</p>",
            escape(&note)
        );
    }
    // Charts, with a warning before any whose single-run noise hides its movements.
    let _ = writeln!(h, "<h2>{}</h2>", tr(lang, "Charts"));
    let noisy: Vec<&Figure> = figures.iter().filter(|f| f.note.is_some()).collect();
    if !noisy.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"warn\" id=\"noise-warning\">{}</p>",
            t!(
                lang,
                "Mostly noise at this size: single runs of {} vary by more than 5% of their level. Their year-to-year movements are not trends; add replications (<code>--reps</code>) or agents.",
                noisy
                    .iter()
                    .map(|f| escape(&f.title))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        );
    }
    for f in figures {
        if let Some(note) = &f.note {
            let _ = writeln!(h, "<p class=\"warn\">{}</p>", escape(note));
        }
        let _ = writeln!(
            h,
            "<figure id=\"{}\">{}<figcaption>{} ({})</figcaption></figure>",
            escape(&f.name),
            inline_svg(&f.svg),
            escape(&f.title),
            escape(&t!(
                lang,
                "files: charts/{}.svg, charts/{}.png",
                f.name,
                f.name
            ))
        );
    }
    // Provenance.
    let _ = write!(h, "<h2>{}</h2>\n<table>", tr(lang, "Provenance"));
    for (k, v) in [
        (tr(lang, "cjsim version"), s(&j["cjsim_version"])),
        (tr(lang, "git commit"), s(&j["git_commit"])),
        (tr(lang, "scenario SHA-256"), s(&j["scenario"]["sha256"])),
        (tr(lang, "overrides"), s(&j["scenario"]["overrides"])),
        (tr(lang, "threads"), s(&j["threads"])),
    ] {
        let _ = write!(h, "<tr><th>{}</th><td>{}</td></tr>", escape(k), escape(&v));
    }
    let _ = write!(
        h,
        "</table>\n<details><summary>{}</summary><table>",
        tr(lang, "Sources of the scenario's values")
    );
    if let Some(map) = j["sources"].as_object() {
        for (k, v) in map {
            let _ = write!(
                h,
                "<tr><th>{}</th><td>{}</td></tr>",
                escape(k),
                escape(&s(v))
            );
        }
    }
    let _ = write!(
        h,
        "</table></details>\n<details><summary>{}</summary><table>",
        tr(lang, "Every parameter")
    );
    if let Some(map) = j["parameters"].as_object() {
        for (k, v) in map {
            let _ = write!(
                h,
                "<tr><th>{}</th><td>{}</td></tr>",
                escape(k),
                escape(&s(v))
            );
        }
    }
    let _ = write!(
        h,
        "</table></details>\n<details><summary>{}</summary><pre>",
        tr(lang, "Resolved scenario file (rerun it to reproduce)")
    );
    h.push_str(&escape(&s(&j["resolved_scenario"])));
    h.push_str("</pre></details>\n</body></html>\n");
    Ok(h)
}

/// The "Compared with published figures" section: each published value beside the baseline's
/// median and single-run range in its year, with its role and source. Nothing when the scenario
/// lists none.
fn published_table(results: &Results, lang: Lang, h: &mut String) -> Result<(), VizError> {
    let published = crate::data::published(results)?;
    if published.is_empty() {
        return Ok(());
    }
    let bands = crate::data::Bands::read(results)?;
    let arm = bands.arms.first().cloned().unwrap_or_default();
    let _ = write!(
        h,
        "<h2>{}</h2>\n<p>{}</p><table id=\"published\"><tr>",
        tr(lang, "Compared with published figures"),
        tr(
            lang,
            "Published values beside the simulated ones (baseline: the median of single runs and their 5-95% range). Figures held out (out-of-sample) test the model; figures used to set parameters or input trends (in-sample) only check that they were applied."
        )
    );
    for head in [
        tr(lang, "Indicator"),
        tr(lang, "Year"),
        tr(lang, "Published"),
        tr(lang, "Simulated"),
        tr(lang, "5-95% of single runs"),
        tr(lang, "Difference"),
        tr(lang, "Role"),
        tr(lang, "Source"),
    ] {
        let _ = write!(h, "<th>{head}</th>");
    }
    h.push_str("</tr>");
    let headlines = crate::headlines(lang);
    for p in &published {
        let title = headlines
            .iter()
            .find(|(i, _, _)| *i == p.indicator)
            .map_or(p.indicator.as_str(), |(_, t, _)| t);
        let q = bands
            .get(&arm, &p.indicator)
            .and_then(|b| b.years.iter().position(|y| *y == p.year).map(|k| b.q[k]));
        let (sim, range, diff) = match q {
            Some(q) => (
                readable_in(q[2], lang),
                t!(
                    lang,
                    "{} to {}",
                    readable_in(q[0], lang),
                    readable_in(q[4], lang)
                ),
                if p.value != 0.0 {
                    percent(100.0 * (q[2] / p.value - 1.0), lang)
                } else {
                    "-".into()
                },
            ),
            None => (tr(lang, "not simulated").into(), "-".into(), "-".into()),
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><small>{}</small></td></tr>",
            escape(title),
            p.year,
            readable_in(p.value, lang),
            escape(&sim),
            escape(&range),
            escape(&diff),
            if p.in_sample {
                tr(lang, "in-sample")
            } else {
                tr(lang, "out-of-sample")
            },
            escape(&p.source)
        );
    }
    h.push_str("</table>\n");
    Ok(())
}

/// Where an arm shrinks the prison population and SDG 16.3.2 (the unsentenced share of
/// prisoners) rises, both detectably: a sentence saying why, for the arm's last compared year.
/// Fewer sentenced prisoners raise the share even when nobody more waits for trial, which reads
/// as a setback unless the report says so.
pub fn unsentenced_share_notes(results: &Results, lang: Lang) -> Result<Vec<String>, VizError> {
    let Some(t) = results.get("comparison.csv") else {
        return Ok(Vec::new());
    };
    let [arm, indicator, year, mean, low, high] = [
        "arm",
        "indicator",
        "year",
        "effect_mean",
        "effect_ci90_low",
        "effect_ci90_high",
    ]
    .map(|c| t.column(c));
    let (arm, indicator, year, mean, low, high) = (arm?, indicator?, year?, mean?, low?, high?);
    // (arm, year) -> (share effect, share CI low, population effect, population CI high)
    let mut found: Vec<(String, String, f64, f64, f64, f64)> = Vec::new();
    for i in 0..t.len() {
        let key = (t.text(i, arm).to_string(), t.text(i, year).to_string());
        let at = match found.iter().position(|f| (&f.0, &f.1) == (&key.0, &key.1)) {
            Some(at) => at,
            None => {
                found.push((key.0, key.1, f64::NAN, f64::NAN, f64::NAN, f64::NAN));
                found.len() - 1
            }
        };
        let f = &mut found[at];
        match &*t.text(i, indicator) {
            "unsentenced_share_pct" => (f.2, f.3) = (t.number(i, mean)?, t.number(i, low)?),
            "prison_population_per_100k" => (f.4, f.5) = (t.number(i, mean)?, t.number(i, high)?),
            _ => {}
        }
    }
    let mut notes: Vec<String> = Vec::new();
    let mut arms_done: Vec<String> = Vec::new();
    for (arm, year, share, share_low, pop, pop_high) in found.into_iter().rev() {
        if arms_done.contains(&arm) || !(share_low > 0.0 && pop_high < 0.0) {
            continue;
        }
        notes.push(t!(
            lang,
            "{}, {}: the unsentenced share of prisoners (SDG 16.3.2) rises by {} points because the arm shrinks the prison population ({} per 100,000), mostly its sentenced part. The share rises even where no more people wait for trial: read it beside the prison population, not as a setback on its own.",
            arm,
            year,
            lang.number(&format!("{share:.1}")),
            lang.number(&format!("{pop:+.1}"))
        ));
        arms_done.push(arm);
    }
    notes.reverse();
    Ok(notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder_with(rows: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "cjsim-viz-note-{}-{}",
            std::process::id(),
            rows.len()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let header = "arm,indicator,year,effect_mean,effect_ci90_low,effect_ci90_high\n";
        std::fs::write(dir.join("comparison.csv"), format!("{header}{rows}")).unwrap();
        dir
    }

    #[test]
    fn a_rising_unsentenced_share_under_decarceration_is_explained_once_per_arm() {
        let dir = folder_with(
            "decarcerate,unsentenced_share_pct,2030,6.2,4.1,8.3\n\
             decarcerate,prison_population_per_100k,2030,-30,-35,-25\n\
             decarcerate,unsentenced_share_pct,2050,9.0,7,11\n\
             decarcerate,prison_population_per_100k,2050,-40,-45,-35\n\
             noisy,unsentenced_share_pct,2050,1.0,-0.5,2.5\n\
             noisy,prison_population_per_100k,2050,-10,-15,-5\n",
        );
        let notes = unsentenced_share_notes(&Results::load(&dir).unwrap(), Lang::En).unwrap();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].starts_with("decarcerate, 2050"), "{}", notes[0]);
        assert!(notes[0].contains("9.0 points"), "{}", notes[0]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
