//! The generated reference documents: `docs/parameters.md` from the parameter table and
//! `docs/outputs.md` from the output column dictionaries. The tidy test fails when the
//! committed files differ; `UPDATE_DOCS=1 cargo test -p experiments --test integration -- tidy::` rewrites them.

use sim_core::indicators::YEAR_COLUMNS;
use sim_core::metrics::{Column, MONTH_COLUMNS};
use sim_core::params::{Field, PARAMETERS, fmt_num};

/// Escapes a table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\\\|").replace('\n', " ")
}

/// `docs/parameters.md`.
pub fn parameters_markdown() -> String {
    let mut out = String::from(
        "# cjsim parameters\n\n\
         Generated from `sim_core::params::PARAMETERS`; do not edit by hand \
         (`UPDATE_DOCS=1 cargo test -p experiments --test integration -- tidy::` regenerates it).\n\n\
         Every scalar parameter, its unit, default, allowed range and source. Keys are scenario-file \
         key paths; `regions.*` keys are set inside each `[[regions]]` entry; \
         `crime.*.x` keys are set per offence type as `crime.<type>.x` (in `[crime.homicide]`, ...; \
         types: homicide, assault, gbv, property, trafficking, drug, environment, fraud). Source kinds: \
         *cited* (a publication), *derived* (arithmetic on cited figures), *calibrated* (solved at \
         run start), *assumption* (no good estimate: a default target of sensitivity analysis).\n",
    );
    let mut section = "";
    for s in PARAMETERS {
        if s.section() != section {
            section = s.section();
            out.push_str(&format!(
                "\n## `[{section}]`\n\n| key | unit | default | range | meaning | source |\n|---|---|---|---|---|---|\n"
            ));
        }
        let scope = match s.field {
            Field::Region(_) => " (per region)",
            Field::Offence(_) => " (per offence type)",
            Field::Global(_) => "",
        };
        out.push_str(&format!(
            "| `{}`{scope} | {} | {} | {} to {} | {} | *{}*: {} |\n",
            s.key,
            cell(s.unit),
            cell(&s.default.describe()),
            fmt_num(s.min),
            fmt_num(s.max),
            cell(s.meaning),
            s.source.kind(),
            cell(s.source.text())
        ));
    }
    out
}

fn columns_table<R>(out: &mut String, file: &str, what: &str, cols: &[Column<R>]) {
    out.push_str(&format!(
        "\n## `{file}`\n\n{what}\n\n| column | unit | meaning |\n|---|---|---|\n"
    ));
    for c in cols {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            c.name,
            cell(c.unit),
            cell(c.meaning)
        ));
    }
}

/// `docs/outputs.md`.
pub fn outputs_markdown() -> String {
    let mut out = String::from(
        "# cjsim outputs\n\n\
         Generated from the column dictionaries in `sim_core::metrics`; do not edit by hand.\n\n\
         Counts are real-person equivalents (agents times the run's scale, `run.json: scale`).\n\n\
         ## Expected and realised counts\n\nThe crime indicators (homicide, violence, gender-based \
         violence, property and online-fraud victimisation, trafficking true and detected, \
         reporting, recorded violence and recorded fraud) and deaths in custody are computed by default from *expected counts*: for every \
         count the model draws from probabilities it computes (offences by type and region, \
         victims by group, reports, detections, deaths in custody), the sum of those \
         probabilities given each month's state. They have the same mean as the simulated events \
         (a test checks it over 200 seeds) and none of their Monte Carlo noise: at the default \
         200,000 agents the yearly homicide rate varies 20-30 times less between seeds. The \
         dynamics still run on the simulated events. `--estimator realised` computes the \
         indicators from the events instead (`run.json: estimator` says which). Stocks \
         (prisoners, pre-trial detainees, backlog, displaced) and the re-arrest and reoffending \
         rates of release cohorts are always realised; `timeseries.csv` holds realised counts.\n\n\
         ## `run.json`\n\nProvenance: cjsim version, git commit and the SHA-256 of the binary, the \
         command, scenario name, origin, SHA-256 and overrides, seed, agents, scale, years, \
         threads, the currency (`currency`, an ISO 4217 code) and price year (`price_year`) of \
         every cost in the outputs, replications, the estimator, with `--reps auto` the \
         precision asked for and \
         reached per headline indicator and year, every scalar parameter by key path, the \
         scenario's `source` texts, and the fully resolved scenario file (rerunning it reproduces \
         the results).\n",
    );
    columns_table(
        &mut out,
        "timeseries.csv",
        "One row per simulated month.",
        MONTH_COLUMNS,
    );
    columns_table(
        &mut out,
        "indicators_yearly.csv",
        "One row per simulated year (SDG 16 indicators and more; definitions in sim_core::indicators).",
        YEAR_COLUMNS,
    );
    out.push_str(
        "\n## `by_group.csv`\n\nLong form: `year,indicator,dimension,group,value`. Dimensions: `sex` \
         (male, female), `age_group` (0-14, 15-17, 18-24, 25-34, 35-49, 50-64, 65+), `region` \
         (scenario names), `displacement` (not_displaced, displaced). Indicators: population, \
         homicide_rate_per_100k, violence_prevalence_pct, gbv_prevalence_pct, reporting_rate_pct, \
         trafficking_victims_per_100k, trafficking_detected_per_100k, property_victimisation_pct, \
         fraud_victimisation_pct (share of the whole group; no victim is under 15), \
         offences_per_100k and arrests_per_100_offences (by offender group: arrests for cleared \
         offences per 100 offences committed), prison_population_per_100k, unsentenced_share_pct \
         (region = region of the prison), prison_occupancy_pct (regions only). Victim indicators \
         use victims' groups; people in custody count as not displaced.\n",
    );
    out.push_str(
        "\n## Two questions, two answers\n\nEvery table across replications names which question \
         it answers. *Is there an effect, and how large?*: the mean over replications (of a level, \
         or of the paired differences between an arm and the baseline run with the same seeds) \
         with its 90% confidence interval, Student t with n - 1 degrees of freedom; it narrows as \
         replications are added. *What could one future look like?*: the 5%-95% quantiles of \
         single replications, the band of simulated futures; it does not narrow. With fewer than \
         5 replications no interval or probability is shown.\n\n\
         ## `indicators_quantiles.csv`\n\nLong form `arm,year,indicator,replications,mean,\
         mean_ci90_low,mean_ci90_high,q05,q25,q50,q75,q95`: per arm (`baseline` for `cjsim run`), \
         year and indicator, the mean with its 90% confidence interval and the quantiles of single \
         runs. Counts are scaled to persons. With replications, `indicators_yearly.csv` holds the \
         means.\n\n## `comparison.csv` (`cjsim compare`)\n\nOne row per arm, indicator and \
         checkpoint year: `replications`; `baseline_mean` and `arm_mean`; the effect \
         `effect_mean` (mean of the paired differences, arm minus baseline, same seeds) with \
         `effect_ci90_low`/`effect_ci90_high` (90% confidence interval of that mean) and \
         `effect_detected` (`yes` when the interval excludes zero, `no` when it does not, empty \
         with one replication); `single_run_difference_q05`/`_q95` (5-95% of single replications' \
         differences: the band of single futures, not the uncertainty of the effect); \
         `intervention_cost` (mean, cumulative to the year, currency), `justice_cost_change` \
         (police, courts and prisons, paired, cumulative), `homicides_averted` and \
         `victimisations_averted` (homicide, assault, GBV, property and trafficking, true counts \
         by the run's estimator, paired, cumulative) each with its 90% confidence interval, \
         `cost_per_homicide_averted`, `cost_per_victimisation_averted` (mean intervention cost \
         over mean averted; empty, \"not estimable\", unless the interval of what is averted \
         lies above zero); `net_cost` (intervention cost plus the change in justice costs, \
         paired) with its 90% confidence interval; `net_cost_per_homicide_averted` with its 90% \
         confidence interval by Fieller's theorem (empty when not estimable); `discount_rate` \
         (a year, `--discount-rate`, 3% by default). Costs and averted counts are discounted to \
         the first simulated year at that rate, as cost-effectiveness analyses do (WHO-CHOICE; \
         the US Second Panel on Cost-Effectiveness).\n\n## `scorecard.json`, `scorecard.md`\n\nPer arm and target: the target in \
         words, threshold and direction, replications, the mean in the target year with its 90% \
         confidence interval (`ci90_low`, `ci90_high`) and the 5-95% range of single runs \
         (`q05`, `q95`), status (`on track` when the mean meets the target, `off track`, `not \
         simulated`), the probability of meeting it (share of replications) and a `note`. With \
         fewer than 5 replications the interval, range and probability are empty and the note \
         says that at least 5 replications are needed.\n",
    );
    out.push_str(
        "\n## `prison_ages.csv`\n\n`year,sex,age_group,prisoners`: people in custody on 31 December \
         by sex and 5-year age group (85+ last), persons.\n\n## `observed.csv`\n\n\
         `indicator,year,value,role,source`: the scenario's published figures (`[[observed]]`), \
         written only when it lists some. `role` is `in-sample` when the figure set a parameter \
         or an input trend and `out-of-sample` when it was held out. The report draws them on \
         the indicator's chart and tables them beside the simulated values.\n\n## `collected.csv`\n\n\
         `arm,replication,year,collector,value`: the yearly values of collectors a library user \
         registered with `Simulation::collect` (none from the command line). Each collector is \
         also a column of `indicators_yearly.csv`, the mean over replications.\n\n## `report.html` and `charts/`\n\n\
         The report (self-contained HTML: scorecard, charts inline, scenario summary, provenance) \
         and every chart as SVG and PNG.\n",
    );
    out.push_str(
        "\n## `survey.csv`\n\nThe crime victimisation survey of each December (docs/model.md, \
         \"How the indicators are measured\"): `arm,replication,year,indicator,estimate,\
         standard_error,ci95_low,ci95_high,true_value,base_respondents,respondents,issued`. \
         `indicator` is `violence_prevalence_pct` (SDG 16.1.3, persons 15+), \
         `gbv_prevalence_women_pct` (women 15-49), `property_victimisation_pct` (persons 15+), \
         `fraud_victimisation_pct` (online fraud, persons 15+) or `reporting_rate_pct` (SDG 16.3.1, victims of violence who reported it); `estimate` and \
         its design-based `standard_error` (percentage points, Taylor linearisation of a ratio of \
         region-weighted totals) and 95% interval; `true_value` is the same indicator over the \
         whole target population (persons 15+ living in households, not in custody), from every \
         person's history, so the survey's error is visible. It differs from \
         `indicators_yearly.csv`, which counts every age and people in custody. \
         `base_respondents` is the indicator's denominator among respondents; `issued` is the \
         number of selections (55,000 on average by default) and `respondents` those who \
         answered. In the first \
         simulated year no incident predates the start, so telescoping adds nothing then.\n\n\
         ## `admin.csv`\n\nThe administrative statistics of each year, as a police force, a \
         prison service and a court service would publish them: `year,source,statistic,\
         iccs_section,unit,value,q05,q95`, the mean over replications (the baseline's, for \
         `cjsim compare`) with the 5-95% range of single replications, in persons. `police`: \
         offences recorded in the year (reported by victims or detected by the police) by type, \
         with the type's section of the International Classification of Crime for Statistical \
         Purposes (ICCS, UNODC 2015): homicide `01`, assault `02`, gender-based violence \
         `02/03` (partner violence is in 02, sexual violence in 03), property `04/05`, \
         trafficking `0204`, drug `06`, environment `10`, online fraud `07`; counted by the run's estimator, as \
         `recorded_violence_per_100k` is. `prison_census`: people in custody on 31 December \
         (`prisoners`, `unsentenced`, `sentenced`, `aged_older` at or above `prisons.older_age`, \
         `aged_65_plus`) and `usable_beds`. `courts`: the year's `charged`, \
         `detained_before_trial`, `dispositions`, `convictions`, `acquittals_and_dismissals`, \
         `custodial_sentences` and `community_sentences`, and `pending_cases_31_december`.\n\n\
         ## `sdg.csv`\n\nThe SDG indicators in the layout of the UN SDG Global Database's \
         downloads: SDMX-CSV 1.0 of the dataflow `IAEG-SDGs:DF_SDG_GLH`, columns `DATAFLOW`, the \
         15 dimensions in key order (`FREQ`, `REPORTING_TYPE`, `SERIES`, `REF_AREA`, `SEX`, \
         `AGE`, `URBANISATION`, ... `PRODUCT`), `TIME_PERIOD`, `OBS_VALUE` and the attributes of \
         the UN downloads (`OBS_STATUS` ... `DATA_LAST_UPDATE`). Values are the means over \
         replications (the baseline's, for `cjsim compare`); `UPPER_BOUND`/`LOWER_BOUND` are the \
         95%/5% quantiles of single replications. Every observation is marked modelled: `NATURE` \
         `M` (the SDG database's code for modelled data), `OBS_STATUS` `E` (estimated), \
         `REPORTING_TYPE` `N` (national), `REF_AREA` the scenario's `ref_area` (a UN M49 code; \
         `_X` for a synthetic country). Series, each checked against the SDG metadata \
         repository (unstats.un.org/sdgs/metadata):\n\n\
         | series | indicator | unit | from | note |\n|---|---|---|---|---|\n\
         | `VC_IHR_PSRC` | 16.1.1 victims of intentional homicide per 100,000 population, by sex \
         (`_T`, `M`, `F`) | `PER_100000_POP` | `homicide_rate_per_100k`; by sex from \
         `by_group.csv` | |\n\
         | `VC_VOV_PHYL` | 16.1.3 proportion of the population (15+, `AGE` `Y_GE15`) \
         subjected to physical violence in the previous 12 months | `PT` | \
         `physical_violence_pct` | |\n\
         | `VC_VOV_SEXL` | 16.1.3 proportion of the population (15+) subjected to sexual \
         violence in the previous 12 months | `PT` | `sexual_violence_pct` | |\n\
         | `VC_VOV_ROBB` | 16.1.3 proportion of the population (15+) subjected to robbery in \
         the previous 12 months | `PT` | `robbery_victimisation_pct` | robbery is the share of \
         property crime solved from `crime.robbery_victimisation_pct` |\n\
         | `VC_PRR_PHYV` | 16.3.1 police reporting rate for physical assault | `PT` | \
         `reporting_rate_physical_pct` | |\n\
         | `VC_PRR_SEXV` | 16.3.1 police reporting rate for sexual assault | `PT` | \
         `reporting_rate_sexual_pct` | the model gives sexual and partner violence one \
         reporting probability (`crime.gbv.report`), so this rate differs from the \
         physical one only through the mix of assaults |\n\
         | `VC_HTF_DETV` | 16.2.2 detected victims of human trafficking | `NUMBER` | \
         `trafficking_detected_per_100k` x population / 100,000 | |\n\
         | `VC_PRS_UNSNT` | 16.3.2 unsentenced detainees as a proportion of the prison \
         population (`VC_PRS_UNSEC` is its older code) | `PT` | `unsentenced_share_pct` | |\n\
         | `VC_VAW_MARR` | 5.2.1 ever-partnered women 15-49 subjected to partner violence in the \
         previous 12 months (`AGE` `Y15T49`) | `PT` | `gbv_prevalence_women_pct` | the model's \
         gender-based violence also counts non-partner sexual violence, and its denominator is \
         all women 15-49 (said in `COMMENT_OBS`) |\n\n\
         Not written: the robbery reporting rate of 16.3.1 (`VC_PRR_ROBB`), because robbery \
         takes property crime's reporting probability; and `VC_VOV_PSYCHL` (psychological \
         violence), which the model does not simulate.\n",
    );
    out.push_str("\n## `events.csv`\n\nOne row per climate hazard event.\n\n| column | unit | meaning |\n|---|---|---|\n");
    for (name, unit, meaning) in crate::output::EVENT_COLUMNS {
        out.push_str(&format!("| `{name}` | {unit} | {meaning} |\n"));
    }
    out.push_str(
        "\n## Sweep folders (`cjsim sweep`, `cjsim merge`, `cjsim sensitivity`)\n\n\
         - `manifest.json`: format `cjsim-sweep/1`, cjsim version, sweep file and its SHA-256, and \
         the design record: name, design and size, factors (key, column name, levels or range), \
         replications, seed, common random numbers, base scenario and the SHA-256 of its resolved \
         text, agents, years, kept indicators and years, and every point's unit-cube coordinates \
         and factor values.\n\
         - `base-scenario.toml`: the resolved base scenario with the sweep's fixed settings.\n\
         - `runs/`: chunks of finished runs and each writer's completion log (resume and merge \
         read them; they can be deleted once the tables are written).\n\
         - `results.parquet` (and `results.csv` with `--csv`): the long table `point, replication, \
         seed, <one column per factor>, indicator, year, value`, one row per run, kept indicator \
         and kept year, in (point, replication) order; `value` is empty (null) where an indicator \
         is undefined. Indicators are the `indicators_yearly.csv` columns above, counts scaled to \
         persons.\n\
         - `summary.csv`: per point, indicator and year: `replications, mean, sd, q05, q25, q50, \
         q75, q95` over replications.\n\
         - `sensitivity.csv`: `indicator, year, factor, index, value, ci_low, ci_high, \
         noise_share, noisy`, index one of `sobol_first`, `sobol_total` (Saltelli 2010, Jansen \
         1999, on outputs centred on their mean, as SALib does), `morris_mu_star`, `morris_mu`, \
         `morris_sigma` (per unit of the factor's [0, 1] coordinate) or `prcc` (Latin hypercube \
         and grid designs), with 95% percentile-bootstrap intervals, on the means over \
         replications. `noise_share` is the share of the variance of those means that \
         replication noise explains (the mean within-point variance over the replications, \
         divided by the variance of the means; empty with one replication), and `noisy` is `yes` \
         above 0.5: the indices of that indicator and year then measure noise, not the factors \
         (`constant` when the output does not vary at all, so no index exists).\n\
         - `charts/tornado_*.svg|png`: Sobol total index, Morris mu* or PRCC by factor, last kept \
         year; indicators flagged as noisy are drawn grey with a warning.\n\
         - `slurm/` (`--slurm`): `array.sbatch`, `merge.sbatch`, `submit.sh` and the jobs' logs.\n",
    );
    out
}

/// `docs/interventions.md`: the catalogue.
pub fn interventions_markdown() -> String {
    let mut out = String::from(
        "# cjsim intervention catalogue\n\nGenerated from `scenarios::catalogue::CATALOGUE`; do not \
         edit by hand. Effects act on mechanisms, never on outputs; interventions on the same \
         mechanism combine multiplicatively. Intensity = coverage x ramp-up (linear over the ramp \
         months) between the start and end years. Person-level programmes reach an eligible person \
         when a fixed draw per (person, programme) is below the intensity.\n\n\
         | name | mechanism | reaches | default effect (range) | coverage, ramp | cost | source |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for e in scenarios::catalogue::CATALOGUE {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} ({} to {}; {}) | {}, {} months | {} {} | {} |\n",
            e.name,
            cell(e.mechanism),
            cell(e.targeting),
            fmt_num(e.effect),
            fmt_num(e.effect_range.0),
            fmt_num(e.effect_range.1),
            cell(e.effect_unit),
            fmt_num(e.coverage),
            fmt_num(e.ramp_months),
            fmt_num(e.unit_cost),
            cell(e.cost_basis),
            cell(e.source)
        ));
    }
    out
}
