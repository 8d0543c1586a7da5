//! `cjsim._cjsim`, the Rust side of the Python package: scenarios checked exactly as the command
//! line checks them, runs and comparisons on the same code path as `cjsim run` and `cjsim
//! compare` ([`experiments::simulate`], [`experiments::results`]), and their results handed to
//! Python as columns (numbers as raw little-endian `float64` buffers that pyarrow wraps without
//! another copy).
//!
//! Long work runs on a thread of its own; Python waits on it in short slices with the GIL
//! released ([`Job::wait`]), so the interpreter stays responsive, a progress bar can be drawn
//! and Ctrl-C reaches Python, which then calls [`Job::cancel`]: the job stops at the next
//! simulated month.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use experiments::error::CliError;
use experiments::results::{Assembled, ComparisonInputs, RunInputs, of_comparison, of_run};
use experiments::simulate::Watch;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use viz::results::Cells;

pyo3::create_exception!(
    _cjsim,
    ScenarioErrors,
    PyValueError,
    "Problems in a scenario: args are (message, [problem dicts])."
);
pyo3::create_exception!(
    _cjsim,
    InputError,
    PyValueError,
    "A bad argument, with the command line's message."
);
pyo3::create_exception!(
    _cjsim,
    CancelledError,
    PyRuntimeError,
    "The job was cancelled."
);

/// A scenario's problems as the Python exception, every field kept.
fn scenario_errors(py: Python<'_>, e: &scenarios::ScenarioErrors) -> PyErr {
    let list = PyList::empty(py);
    for p in &e.0 {
        let d = PyDict::new(py);
        let fields = (|| -> PyResult<()> {
            d.set_item("file", &p.file)?;
            d.set_item("line", p.position.map(|x| x.0))?;
            d.set_item("column", p.position.map(|x| x.1))?;
            d.set_item("key", &p.key_path)?;
            d.set_item("value", &p.value)?;
            d.set_item("problem", &p.problem)?;
            d.set_item("message", p.to_string())?;
            list.append(&d)
        })();
        if let Err(err) = fields {
            return err;
        }
    }
    ScenarioErrors::new_err((e.to_string(), list.unbind()))
}

fn cli_error(e: CliError) -> PyErr {
    match e {
        CliError::BadInput(m) => InputError::new_err(m),
        CliError::Internal(m) => PyRuntimeError::new_err(m),
        CliError::Cancelled => CancelledError::new_err("cancelled"),
    }
}

/// The built-in scenarios as (name, summary), the default first.
#[pyfunction]
fn builtins() -> Vec<(&'static str, &'static str)> {
    scenarios::BUILTINS
        .iter()
        .map(|b| (b.name, b.summary))
        .collect()
}

/// A resolved, validated scenario.
#[pyclass(module = "cjsim._cjsim", frozen)]
#[derive(Clone)]
struct Scenario {
    inner: scenarios::Scenario,
}

#[pymethods]
impl Scenario {
    /// Reads a built-in scenario by name or a scenario file by path.
    #[staticmethod]
    fn load(py: Python<'_>, name_or_path: &str) -> PyResult<Scenario> {
        scenarios::load(name_or_path)
            .map(|inner| Scenario { inner })
            .map_err(|e| scenario_errors(py, &e))
    }

    /// A copy with `KEY=VALUE` overrides applied in order, checked as `--set` checks them
    /// (problems name `Scenario.set()` where the command line names `--set`).
    fn with_overrides(&self, py: Python<'_>, assignments: Vec<String>) -> PyResult<Scenario> {
        let mut inner = self.inner.clone();
        inner.apply_overrides(&assignments).map_err(|mut e| {
            for p in &mut e.0 {
                if p.file == "--set" {
                    p.file = "Scenario.set()".into();
                }
            }
            scenario_errors(py, &e)
        })?;
        Ok(Scenario { inner })
    }

    /// The resolved scenario as TOML; reading it back gives the same parameters.
    fn to_toml(&self) -> String {
        self.inner.resolved_toml()
    }

    /// Scenario name.
    #[getter]
    fn name(&self) -> String {
        self.inner.params.scenario.name.clone()
    }

    /// Where it came from: a path, or `builtin:<name>`.
    #[getter]
    fn origin(&self) -> String {
        self.inner.origin.clone()
    }

    /// The overrides applied, in order.
    #[getter]
    fn overrides(&self) -> Vec<String> {
        self.inner.overrides.clone()
    }

    /// (agents, first year, years, seed).
    #[getter]
    fn size(&self) -> (u32, i32, u32, u64) {
        let s = &self.inner.params.scenario;
        (s.agents, s.start_year, s.years, s.seed)
    }
}

/// The intervention catalogue, one dict per intervention.
#[pyfunction]
fn interventions(py: Python<'_>) -> PyResult<Py<PyList>> {
    let list = PyList::empty(py);
    for e in scenarios::catalogue::CATALOGUE {
        let d = PyDict::new(py);
        d.set_item("name", e.name)?;
        d.set_item("mechanism", e.mechanism)?;
        d.set_item("targeting", e.targeting)?;
        d.set_item("effect", e.effect)?;
        d.set_item("effect_low", e.effect_range.0)?;
        d.set_item("effect_high", e.effect_range.1)?;
        d.set_item("effect_unit", e.effect_unit)?;
        d.set_item("coverage", e.coverage)?;
        d.set_item("ramp_months", e.ramp_months)?;
        d.set_item("unit_cost", e.unit_cost)?;
        d.set_item("cost_basis", e.cost_basis)?;
        d.set_item("source", e.source)?;
        list.append(d)?;
    }
    Ok(list.unbind())
}

/// What a job's thread shares with Python.
#[derive(Default)]
struct Shared {
    cancel: AtomicBool,
    done: AtomicU64,
    total: AtomicU64,
    unit: Mutex<&'static str>,
    /// The outcome once the job ends.
    outcome: Mutex<Option<Result<(Assembled, &'static str), CliError>>>,
    ended: Condvar,
}

impl Watch for Shared {
    fn start(&self, total: u64, unit: &'static str) {
        self.total.store(total, Ordering::Relaxed);
        self.done.store(0, Ordering::Relaxed);
        *self.unit.lock().unwrap_or_else(|e| e.into_inner()) = unit;
    }

    fn advance(&self, done: u64) {
        self.done.store(done, Ordering::Relaxed);
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// A run or comparison under way on its own thread.
#[pyclass(module = "cjsim._cjsim", frozen)]
struct Job {
    shared: Arc<Shared>,
}

impl Job {
    fn spawn(
        threads: Option<usize>,
        work: impl FnOnce(&Shared, usize) -> Result<(Assembled, &'static str), CliError>
        + Send
        + 'static,
    ) -> PyResult<Job> {
        let (pool, n) = experiments::cmd::run::pool(threads).map_err(cli_error)?;
        let shared = Arc::new(Shared::default());
        let s = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("cjsim-job".into())
            .spawn(move || {
                let outcome = pool.install(|| work(&s, n));
                *s.outcome.lock().unwrap_or_else(|e| e.into_inner()) = Some(outcome);
                s.ended.notify_all();
            })
            .map_err(|e| PyRuntimeError::new_err(format!("cannot start a thread: {e}")))?;
        Ok(Job { shared })
    }
}

#[pymethods]
impl Job {
    /// Waits up to `seconds` for the job to end, with the GIL released; whether it ended.
    fn wait(&self, py: Python<'_>, seconds: f64) -> bool {
        let shared = Arc::clone(&self.shared);
        py.detach(move || {
            let g = shared.outcome.lock().unwrap_or_else(|e| e.into_inner());
            let (g, _) = shared
                .ended
                .wait_timeout_while(g, Duration::from_secs_f64(seconds.max(0.0)), |o| {
                    o.is_none()
                })
                .unwrap_or_else(|e| e.into_inner());
            g.is_some()
        })
    }

    /// (units done, units in all, unit): months of one run, or runs.
    fn progress(&self) -> (u64, u64, &'static str) {
        let s = &self.shared;
        (
            s.done.load(Ordering::Relaxed),
            s.total.load(Ordering::Relaxed),
            *s.unit.lock().unwrap_or_else(|e| e.into_inner()),
        )
    }

    /// Asks the job to stop at the next simulated month.
    fn cancel(&self) {
        self.shared.cancel.store(true, Ordering::Relaxed);
    }

    /// The results of an ended job (raises its error, or if it has not ended).
    fn result(&self) -> PyResult<Results> {
        let mut g = self
            .shared
            .outcome
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        match g.take() {
            None => Err(PyRuntimeError::new_err(
                "the job has not ended; wait() first",
            )),
            Some(Err(e)) => Err(cli_error(e)),
            Some(Ok((a, kind))) => Ok(Results {
                inner: a.results,
                kind,
            }),
        }
    }
}

/// Starts the replications of `scenario` (reps: a number or "auto" with a precision such as
/// "2%"), as `cjsim run` does.
#[pyfunction]
#[pyo3(signature = (scenario, reps=None, precision=None, max_reps=200, threads=None, estimator="expected"))]
fn start_run(
    scenario: &Scenario,
    reps: Option<String>,
    precision: Option<String>,
    max_reps: u32,
    threads: Option<usize>,
    estimator: &str,
) -> PyResult<Job> {
    let reps =
        experiments::precision::replications(reps.as_deref(), precision.as_deref(), max_reps, 1)
            .map_err(cli_error)?;
    let estimator = parse_estimator(estimator)?;
    let scenario = scenario.inner.clone();
    experiments::cmd::run::check_params(&scenario.params, &scenario.origin).map_err(cli_error)?;
    Job::spawn(threads, move |watch, threads| {
        let (outcomes, precision) =
            experiments::simulate::replications(&scenario.params, reps, estimator, watch)?;
        let assembled = of_run(&RunInputs {
            scenario: &scenario,
            outcomes: &outcomes,
            threads,
            precision,
            // Results::write draws the report by default, so run.json lists it.
            report: true,
        });
        Ok((assembled, "run"))
    })
}

/// An intervention of an arm: its catalogue name and a coverage, or None for the default.
type ArmItem = (String, Option<f64>);

/// Starts a comparison of `scenario` with arms given as (name, [(intervention, coverage or
/// None)]), as `cjsim compare` does.
#[pyfunction]
#[pyo3(signature = (scenario, arms, reps=None, precision=None, max_reps=200, threads=None, estimator="expected", checkpoints=Vec::new(), discount_rate=3.0))]
fn start_compare(
    scenario: &Scenario,
    arms: Vec<(String, Vec<ArmItem>)>,
    reps: Option<String>,
    precision: Option<String>,
    max_reps: u32,
    threads: Option<usize>,
    estimator: &str,
    checkpoints: Vec<i32>,
    discount_rate: f64,
) -> PyResult<Job> {
    let reps =
        experiments::precision::replications(reps.as_deref(), precision.as_deref(), max_reps, 10)
            .map_err(cli_error)?;
    let estimator = parse_estimator(estimator)?;
    let specs = arms
        .iter()
        .map(|(name, list)| {
            let items: Vec<String> = list
                .iter()
                .map(|(iv, c)| match c {
                    Some(c) => format!("{iv}:{c}"),
                    None => iv.clone(),
                })
                .collect();
            experiments::cmd::compare::parse_arm(&format!("{name}={}", items.join(",")))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(cli_error)?;
    if specs.is_empty() {
        return Err(InputError::new_err(
            "arms: name at least one arm, e.g. {\"justice\": [\"legal_aid\"]}",
        ));
    }
    let scenario = scenario.inner.clone();
    let plan = experiments::cmd::compare::plan(&scenario, &specs, &checkpoints, discount_rate)
        .map_err(cli_error)?;
    Job::spawn(threads, move |watch, threads| {
        let (runs, precision) = experiments::simulate::arms(
            &plan.sets,
            &plan.names,
            reps,
            &plan.checkpoints,
            estimator,
            watch,
        )?;
        let named: Vec<(&str, &[sim_core::Outcome])> = plan
            .names
            .iter()
            .map(String::as_str)
            .zip(runs.iter().map(Vec::as_slice))
            .collect();
        let assembled = of_comparison(&ComparisonInputs {
            scenario: &scenario,
            arms: &named,
            infos: plan.infos,
            checkpoints: &plan.checkpoints,
            discount_rate: discount_rate / 100.0,
            threads,
            precision,
            report: true,
        });
        Ok((assembled, "compare"))
    })
}

/// Starts the sweep of the sweep file `path` into the folder `out` (created, or resumed when it
/// holds this sweep's runs), as `cjsim sweep FILE --out OUT --csv` does. Its results are the
/// long table of every run (`results.csv`), the summary by point and the sensitivity indices.
#[pyfunction]
#[pyo3(signature = (path, out, jobs=None))]
fn start_sweep(
    path: std::path::PathBuf,
    out: std::path::PathBuf,
    jobs: Option<usize>,
) -> PyResult<Job> {
    Job::spawn(None, move |watch, _| {
        let args = experiments::cmd::sweep::SweepArgs {
            file: path,
            jobs,
            dry_run: false,
            only: None,
            shard: None,
            slurm: false,
            array_size: None,
            out: Some(out.clone()),
            max_runs: None,
            tables: experiments::sweep::results::TableArgs {
                csv: true,
                bootstrap: experiments::sweep::results::DEFAULT_BOOTSTRAP,
            },
            quiet: true,
            allow_model_change: false,
            flush_secs: 5.0,
        };
        experiments::cmd::sweep::run_watched(args, watch)?;
        let mut results = viz::Results::new();
        results.origin = out.display().to_string();
        for name in ["results.csv", "summary.csv", "sensitivity.csv"] {
            let table = viz::Table::read(&out, name, "sweep")
                .map_err(|e| CliError::Internal(e.to_string()))?;
            results.put_table(name, table);
        }
        let manifest = std::fs::read_to_string(out.join("manifest.json"))
            .map_err(|e| CliError::Internal(format!("{}: {e}", out.display())))?;
        results.put_document("manifest.json", manifest);
        let assembled = Assembled {
            results,
            files: Vec::new(),
            lines: Vec::new(),
            rows: Vec::new(),
        };
        Ok((assembled, "sweep"))
    })
}

/// A JSON object (a sweep or scenario written as a Python dict) as TOML text.
#[pyfunction]
fn json_to_toml(json: &str) -> PyResult<String> {
    let value: toml::Value = serde_json::from_str(json)
        .map_err(|e| InputError::new_err(format!("not a TOML document: {e}")))?;
    toml::to_string(&value).map_err(|e| InputError::new_err(format!("not a TOML document: {e}")))
}

fn parse_estimator(s: &str) -> PyResult<sim_core::indicators::Estimator> {
    sim_core::indicators::Estimator::parse(s).ok_or_else(|| {
        InputError::new_err(format!(
            "estimator {s:?}: must be one of {}",
            sim_core::indicators::Estimator::NAMES.join(", ")
        ))
    })
}

/// Numbers as the little-endian float64 buffer pyarrow wraps.
fn float64_buffer<'py>(py: Python<'py>, values: &[f64]) -> Bound<'py, PyAny> {
    let bytes: Vec<u8> = values.iter().flat_map(|x| x.to_le_bytes()).collect();
    PyBytes::new(py, &bytes).into_any()
}

/// The cells of a text column as numbers (empty cells NaN), if every one is a number and one
/// at least is not empty.
fn numbers(cells: &[String]) -> Option<Vec<f64>> {
    let mut any = false;
    let parsed = cells
        .iter()
        .map(|c| {
            if c.is_empty() {
                Some(f64::NAN)
            } else {
                any = true;
                c.parse::<f64>().ok()
            }
        })
        .collect::<Option<Vec<f64>>>()?;
    any.then_some(parsed)
}

/// The tables and documents of a run or comparison, in memory.
#[pyclass(module = "cjsim._cjsim", frozen)]
struct Results {
    inner: viz::Results,
    kind: &'static str,
}

#[pymethods]
impl Results {
    /// "run", "compare" or "sweep".
    #[getter]
    fn kind(&self) -> &'static str {
        self.kind
    }

    /// The folder the results were read from (sweeps), or None for results in memory.
    #[getter]
    fn folder(&self) -> Option<String> {
        (self.inner.origin != "memory").then(|| self.inner.origin.clone())
    }

    /// File names of the tables and documents, in the order a result folder lists them.
    fn names(&self) -> Vec<String> {
        self.inner.names().map(String::from).collect()
    }

    /// Table `name` as (column names, columns, rows): a number column is `bytes` of
    /// little-endian float64 (NaN for an empty cell), a text column a list of str.
    fn table<'py>(
        &self,
        py: Python<'py>,
        name: &str,
    ) -> PyResult<(Vec<String>, Vec<Bound<'py, PyAny>>, usize)> {
        let t = self
            .inner
            .get(name)
            .ok_or_else(|| PyValueError::new_err(format!("no table {name:?}")))?;
        let mut columns = Vec::with_capacity(t.header.len());
        for c in 0..t.header.len() {
            columns.push(match t.cells(c) {
                Cells::Numbers(v) => float64_buffer(py, v),
                // A table read back from a folder (a sweep's) holds text: a column whose every
                // cell is a number (or empty) is handed over as numbers.
                Cells::Texts(v) => match numbers(v) {
                    Some(x) => float64_buffer(py, &x),
                    None => PyList::new(py, v)?.into_any(),
                },
            });
        }
        Ok((t.header.clone(), columns, t.len()))
    }

    /// Table `name` as the CSV text `cjsim` writes.
    fn csv(&self, name: &str) -> PyResult<String> {
        self.inner
            .get(name)
            .map(viz::Table::to_csv)
            .ok_or_else(|| PyValueError::new_err(format!("no table {name:?}")))
    }

    /// Document `name` (`run.json`, `scorecard.json`, `scorecard.md`), if present.
    fn document(&self, name: &str) -> Option<String> {
        self.inner.document(name).map(String::from)
    }

    /// Writes the result folder `path` (tables, documents and, if `report`, the charts and
    /// report.html in `lang`), as `cjsim run --out` does: never over a folder cjsim did not
    /// write; an existing cjsim folder only with `force`.
    #[pyo3(signature = (path, report=true, force=false, lang="en"))]
    fn write(
        &self,
        py: Python<'_>,
        path: std::path::PathBuf,
        report: bool,
        force: bool,
        lang: &str,
    ) -> PyResult<String> {
        let lang = viz::Lang::parse(lang).ok_or_else(|| {
            InputError::new_err(format!("lang {lang:?}: must be {}", viz::i18n::CODES))
        })?;
        let results = &self.inner;
        let kind = self.kind;
        if kind == "sweep" {
            return Err(InputError::new_err(
                "a sweep's results are already in its folder (Result.folder)",
            ));
        }
        py.detach(|| {
            let dir = experiments::output::StagedDir::new(&path, kind, force)?;
            experiments::output::write_results(&dir, results)?;
            if report {
                experiments::output::write_report(&dir, results, lang)?;
            }
            dir.commit()
        })
        .map(|p| p.display().to_string())
        .map_err(cli_error)
    }
}

/// Names this extension module's file as the model code for run.json and sweep manifests
/// (the process's executable is the Python interpreter, the same for every cjsim version).
#[pyfunction]
fn identify(path: std::path::PathBuf) -> bool {
    experiments::provenance::ModelIdentity::set_model_file(path)
}

/// The Python module `cjsim._cjsim`.
#[pymodule]
fn _cjsim(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("ScenarioErrors", m.py().get_type::<ScenarioErrors>())?;
    m.add("InputError", m.py().get_type::<InputError>())?;
    m.add("CancelledError", m.py().get_type::<CancelledError>())?;
    m.add_class::<Scenario>()?;
    m.add_class::<Job>()?;
    m.add_class::<Results>()?;
    m.add_function(wrap_pyfunction!(builtins, m)?)?;
    m.add_function(wrap_pyfunction!(interventions, m)?)?;
    m.add_function(wrap_pyfunction!(start_run, m)?)?;
    m.add_function(wrap_pyfunction!(start_compare, m)?)?;
    m.add_function(wrap_pyfunction!(start_sweep, m)?)?;
    m.add_function(wrap_pyfunction!(json_to_toml, m)?)?;
    m.add_function(wrap_pyfunction!(identify, m)?)?;
    Ok(())
}
