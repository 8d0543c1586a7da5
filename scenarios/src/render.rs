//! Writes parameters back out as a scenario file: the fully resolved scenario stored with every
//! run (re-reading it reproduces the run), and the commented template of `cjsim scenarios init`.

use sim_core::ModelParams;
use sim_core::params::{Field, PARAMETERS, ParamSpec, fmt_num};

use crate::schema::{STRUCTURED_KEYS, structured_values};
use crate::targets::{Goal, Target};

/// A TOML table being assembled: its leaf lines, then its child tables, in insertion order.
#[derive(Default)]
struct Node {
    lines: Vec<String>,
    children: Vec<(String, Node)>,
}

impl Node {
    fn child(&mut self, path: &[&str]) -> &mut Node {
        let Some((first, rest)) = path.split_first() else {
            return self;
        };
        let i = match self.children.iter().position(|(n, _)| n == first) {
            Some(i) => i,
            None => {
                self.children.push((first.to_string(), Node::default()));
                self.children.len() - 1
            }
        };
        self.children[i].1.child(rest)
    }

    fn emit(&self, prefix: &str, out: &mut String) {
        if !prefix.is_empty() && !self.lines.is_empty() {
            out.push_str(&format!("\n[{prefix}]\n"));
        }
        for l in &self.lines {
            out.push_str(l);
            out.push('\n');
        }
        for (name, child) in &self.children {
            let path = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}.{name}")
            };
            child.emit(&path, out);
        }
    }
}

/// A TOML string literal.
pub fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn comment_for(spec: &ParamSpec) -> String {
    let same = if matches!(spec.field, Field::Offence(_)) {
        " Same key in every [crime.<type>] table."
    } else {
        ""
    };
    format!(
        "# {}{same} [{}; {} to {}] ({}: {})\n",
        spec.meaning,
        spec.unit,
        fmt_num(spec.min),
        fmt_num(spec.max),
        spec.source.kind(),
        spec.source.text()
    )
}

/// The scenario as TOML. With `commented`, every parameter is preceded by its meaning, unit,
/// range and source, so the file documents itself.
pub fn to_toml(p: &ModelParams, commented: bool) -> String {
    let mut out = String::new();
    let s = &p.scenario;
    if commented {
        out.push_str(
            "# cjsim scenario. Every key is optional except scenario.name; omitted keys take the\n\
             # defaults shown here. Units and sources follow each parameter; see docs/parameters.md.\n",
        );
    }
    out.push_str("[scenario]\n");
    out.push_str(&format!("name = {}\n", quote(&s.name)));
    out.push_str(&format!("description = {}\n", quote(&s.description)));
    out.push_str(&format!("start_year = {}\n", s.start_year));
    out.push_str(&format!("years = {}\n", s.years));
    out.push_str(&format!("agents = {}\n", s.agents));
    out.push_str(&format!("seed = {}\n", s.seed));
    out.push_str(&format!(
        "real_population = {}\n",
        fmt_num(s.real_population)
    ));
    out.push_str(&format!("currency = {}\n", quote(&s.currency)));
    out.push_str(&format!("price_year = {}\n", s.price_year));
    if !s.ref_area.is_empty() {
        out.push_str(&format!("ref_area = {}\n", quote(&s.ref_area)));
    }
    for (section, text) in &p.sources {
        if section == "scenario" {
            out.push_str(&format!("source = {}\n", quote(text)));
        }
    }
    for (i, r) in p.regions.iter().enumerate() {
        out.push_str("\n[[regions]]\n");
        out.push_str(&format!("name = {}\n", quote(&r.name)));
        let mut copy = r.clone();
        for spec in PARAMETERS {
            if let Field::Region(f) = spec.field {
                if commented && i == 0 {
                    out.push_str(&comment_for(spec));
                }
                out.push_str(&format!("{} = {}\n", spec.name(), fmt_num(*f(&mut copy))));
            }
        }
        let key = format!("regions[{i}]");
        for (section, text) in &p.sources {
            if *section == key {
                out.push_str(&format!("source = {}\n", quote(text)));
            }
        }
    }
    let mut root = Node::default();
    let mut commented_specs: Vec<&str> = Vec::new();
    for (key, value) in p.scalar_values() {
        if key.starts_with("regions[") {
            continue;
        }
        let spec = sim_core::params::lookup(&key)
            .expect("scalar_values yields table keys")
            .spec;
        let parts: Vec<&str> = key.split('.').collect();
        let node = root.child(&parts[..parts.len() - 1]);
        if commented && !commented_specs.contains(&spec.key) {
            commented_specs.push(spec.key);
            node.lines.push(comment_for(spec).trim_end().to_string());
        }
        node.lines
            .push(format!("{} = {}", parts[parts.len() - 1], fmt_num(value)));
    }
    for (key, text) in structured_values(p) {
        let parts: Vec<&str> = key.split('.').collect();
        let node = root.child(&parts[..parts.len() - 1]);
        if commented && let Some(k) = STRUCTURED_KEYS.iter().find(|k| k.key == key) {
            node.lines.push(format!("# {}", k.expects));
        }
        node.lines
            .push(format!("{} = {}", parts[parts.len() - 1], text));
    }
    for (section, text) in &p.sources {
        if section == "scenario" || section.starts_with("regions[") {
            continue;
        }
        let parts: Vec<&str> = section.split('.').collect();
        root.child(&parts)
            .lines
            .push(format!("source = {}", quote(text)));
    }
    root.emit("", &mut out);
    if commented {
        out.push_str(
            "\n# Interventions (see `cjsim interventions` and docs/interventions.md), e.g.\n\
             # [[interventions]]\n# name = \"legal_aid\"\n# coverage = 0.6\n# start_year = 2026\n\
             # end_year = 2050\n# ramp_months = 12\n\
             #\n# Targets (docs/model.md section 6), e.g.\n# [[targets]]\n\
             # indicator = \"homicide_rate_per_100k\"\n# year = 2030\n# change_pct = -50\n\
             # reference_value = 12\n# reference_year = 2015\n",
        );
    }
    for c in &p.policy_changes {
        out.push_str("\n[[policy_changes]]\n");
        out.push_str(&format!("year = {}\n", fmt_num(c.year)));
        let offence = c.offence.map_or("all", |o| o.name());
        out.push_str(&format!("offence = {}\n", quote(offence)));
        out.push_str(&format!("custody = {}\n", fmt_num(c.custody)));
        out.push_str(&format!(
            "sentence_length = {}\n",
            fmt_num(c.sentence_length)
        ));
        if let Some(x) = c.indeterminate_share {
            out.push_str(&format!("indeterminate_share = {}\n", fmt_num(x)));
        }
        if c.offending != 1.0 {
            out.push_str(&format!("offending = {}\n", fmt_num(c.offending)));
        }
        if let Some((first, last)) = c.ages {
            out.push_str(&format!("from_age = {first}\nto_age = {last}\n"));
        }
        if let Some(x) = c.historic_arrests_per_100k {
            out.push_str(&format!("historic_arrests_per_100k = {}\n", fmt_num(x)));
            out.push_str(&format!(
                "historic_lag_years = {}\n",
                fmt_num(c.historic_lag_years)
            ));
        }
        if let Some(x) = c.historic_custody {
            out.push_str(&format!("historic_custody = {}\n", fmt_num(x)));
        }
        if let Some(x) = c.historic_sentence_months {
            out.push_str(&format!("historic_sentence_months = {}\n", fmt_num(x)));
        }
        if !c.source.is_empty() {
            out.push_str(&format!("source = {}\n", quote(&c.source)));
        }
    }
    for iv in &p.interventions {
        out.push_str("\n[[interventions]]\n");
        out.push_str(&format!("name = {}\n", quote(&iv.name)));
        for (k, v) in [
            ("coverage", iv.coverage),
            ("start_year", iv.start_year),
            ("end_year", iv.end_year),
            ("ramp_months", iv.ramp_months),
            ("effect", iv.effect),
            ("unit_cost", iv.unit_cost),
        ] {
            out.push_str(&format!("{k} = {}\n", fmt_num(v)));
        }
    }
    out
}

/// The published figures as `[[observed]]` entries.
pub fn observed_toml(observed: &[crate::observed::Observed]) -> String {
    let mut out = String::new();
    for o in observed {
        out.push_str("\n[[observed]]\n");
        out.push_str(&format!("indicator = {}\n", quote(&o.indicator)));
        out.push_str(&format!("year = {}\n", o.year));
        out.push_str(&format!("value = {}\n", fmt_num(o.value)));
        out.push_str(&format!("role = {}\n", quote(o.role())));
        out.push_str(&format!("source = {}\n", quote(&o.source)));
    }
    out
}

/// The targets as `[[targets]]` entries.
pub fn targets_toml(targets: &[Target]) -> String {
    let mut out = String::new();
    for t in targets {
        out.push_str("\n[[targets]]\n");
        out.push_str(&format!("indicator = {}\n", quote(&t.indicator)));
        out.push_str(&format!("year = {}\n", t.year));
        match t.goal {
            Goal::Level(x) => out.push_str(&format!("level = {}\n", fmt_num(x))),
            Goal::Change {
                change_pct,
                reference_value,
                reference_year,
            } => {
                out.push_str(&format!("change_pct = {}\n", fmt_num(change_pct)));
                out.push_str(&format!("reference_value = {}\n", fmt_num(reference_value)));
                out.push_str(&format!("reference_year = {reference_year}\n"));
            }
        }
        out.push_str(&format!("direction = {}\n", quote(t.direction.word())));
        if !t.description.is_empty() {
            out.push_str(&format!("description = {}\n", quote(&t.description)));
        }
        if !t.source.is_empty() {
            out.push_str(&format!("source = {}\n", quote(&t.source)));
        }
    }
    out
}
