"""cjsim from Python: run and compare scenarios of crime, climate displacement, prison ageing and
justice capacity against the SDG 16 targets, and read the results as Arrow tables.

The simulation is the Rust model of the ``cjsim`` command line, on the same code path: the same
scenario, seed and options give the same tables, byte for byte, as ``cjsim run`` and
``cjsim compare``.

>>> import cjsim
>>> s = cjsim.scenario("coastal-middle-income").set("scenario.agents", 20000)
>>> r = cjsim.run(s, years=5)
>>> r.yearly.column("homicide_rate_per_100k")          # doctest: +SKIP
"""

from __future__ import annotations

import json
import math
import sys
import time
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import pyarrow as pa

from . import _cjsim

# run.json and sweep manifests identify the model code by the file that holds it: this module.
_cjsim.identify(_cjsim.__file__)

__version__: str = _cjsim.__version__

__all__ = [
    "Scenario",
    "Result",
    "ScenarioError",
    "InputError",
    "scenarios",
    "scenario",
    "run",
    "compare",
    "sweep",
    "interventions",
]

InputError = _cjsim.InputError
"""A bad argument (replications, estimator, arms, checkpoints ...), with the command line's message."""


class ScenarioError(ValueError):
    """A problem in a scenario file or an override, located as precisely as the command line
    locates it.

    Attributes of the first problem: ``file`` (the file, ``--set`` for an override, or
    ``builtin:NAME``), ``line`` and ``column`` (1-based, ``None`` when unknown), ``key`` (the key
    path, e.g. ``regions[2].population_share``), ``value`` (as written), ``problem`` (what is
    wrong and what is allowed, with a suggestion for a misspelt key). ``problems`` lists every
    problem found, each as a dict with the same fields.
    """

    def __init__(self, message: str, problems: List[Dict[str, Any]]):
        super().__init__(message)
        self.problems = problems
        first = problems[0] if problems else {}
        self.file: Optional[str] = first.get("file")
        self.line: Optional[int] = first.get("line")
        self.column: Optional[int] = first.get("column")
        self.key: Optional[str] = first.get("key")
        self.value: Optional[str] = first.get("value")
        self.problem: Optional[str] = first.get("problem")


def _scenario_error(e: BaseException) -> ScenarioError:
    message, problems = e.args
    return ScenarioError(message, list(problems))


def _toml_literal(value: Any) -> str:
    """A Python value as the TOML literal ``--set`` reads."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(f"{value!r}: a scenario value must be a finite number")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_literal(v) for v in value) + "]"
    raise InputError(
        f"{value!r}: a scenario value is a bool, number, string or list of them"
    )


class Scenario:
    """A validated scenario: a built-in one or a TOML file, with overrides.

    Scenarios are values: :meth:`set` returns a new scenario and leaves this one as it was.
    """

    def __init__(self, inner: "_cjsim.Scenario"):
        self._inner = inner

    def set(self, key: str, value: Any) -> "Scenario":
        """A copy with ``key`` set to ``value`` (a bool, number, string or list), checked as
        ``cjsim run --set KEY=VALUE`` checks it. Raises :class:`ScenarioError`."""
        try:
            return Scenario(self._inner.with_overrides([f"{key}={_toml_literal(value)}"]))
        except _cjsim.ScenarioErrors as e:
            raise _scenario_error(e) from None

    def to_toml(self) -> str:
        """The resolved scenario as TOML; ``cjsim run FILE`` on it gives the same results."""
        return self._inner.to_toml()

    @property
    def name(self) -> str:
        """Scenario name."""
        return self._inner.name

    @property
    def origin(self) -> str:
        """Where it came from: a path, or ``builtin:NAME``."""
        return self._inner.origin

    @property
    def overrides(self) -> List[str]:
        """The overrides applied, in order, as ``KEY=VALUE``."""
        return list(self._inner.overrides)

    @property
    def agents(self) -> int:
        """Simulated persons."""
        return self._inner.size[0]

    @property
    def start_year(self) -> int:
        """First simulated year."""
        return self._inner.size[1]

    @property
    def years(self) -> int:
        """Simulated years."""
        return self._inner.size[2]

    @property
    def seed(self) -> int:
        """Seed of replication 0 (replication r uses seed + r)."""
        return self._inner.size[3]

    def _with_options(
        self, agents: Optional[int], years: Optional[int], seed: Optional[int]
    ) -> "Scenario":
        # The same overrides, in the same order, as the command line's --seed, --agents, --years.
        s = self
        for key, value in (("scenario.seed", seed), ("scenario.agents", agents), ("scenario.years", years)):
            if value is not None:
                s = s.set(key, value)
        return s

    def __repr__(self) -> str:
        return (
            f"Scenario({self.name!r}, origin={self.origin!r}, agents={self.agents}, "
            f"{self.start_year}-{self.start_year + self.years - 1}, seed={self.seed})"
        )


def scenarios() -> pa.Table:
    """The built-in scenarios (name, summary), the default first."""
    rows = _cjsim.builtins()
    return pa.table({"name": [r[0] for r in rows], "summary": [r[1] for r in rows]})


def scenario(name_or_path: str = "coastal-middle-income") -> Scenario:
    """A built-in scenario by name, or a scenario file by path. Raises :class:`ScenarioError`."""
    try:
        return Scenario(_cjsim.Scenario.load(str(name_or_path)))
    except _cjsim.ScenarioErrors as e:
        raise _scenario_error(e) from None


def _as_scenario(s: Union[Scenario, str]) -> Scenario:
    return s if isinstance(s, Scenario) else scenario(s)


def interventions() -> pa.Table:
    """The intervention catalogue: mechanism, targeting, effect with its plausible range and
    unit, coverage, ramp-up, unit cost and the evidence it comes from."""
    return pa.Table.from_pylist(_cjsim.interventions())


#: Number columns that hold whole numbers in every table: typed int64 in Arrow.
_INTEGER_COLUMNS = frozenset({"year", "month", "replications", "replication", "point"})


class Result:
    """The tables of a run or comparison, in memory, as :class:`pyarrow.Table`.

    The names are those of a ``cjsim`` result folder: ``yearly`` is ``indicators_yearly.csv``,
    ``monthly`` is ``timeseries.csv``, and so on; :meth:`table` takes any file name.
    """

    def __init__(self, inner: "_cjsim.Results"):
        self._inner = inner
        self._cache: Dict[str, pa.Table] = {}

    @property
    def kind(self) -> str:
        """``run`` or ``compare``."""
        return self._inner.kind

    @property
    def names(self) -> List[str]:
        """The files a result folder of these results holds (without the report)."""
        return list(self._inner.names())

    def table(self, name: str) -> pa.Table:
        """Table ``name`` (``comparison.csv``, or without the ``.csv``). Number columns are
        float64 wrapped without copying; an empty cell of the CSV is NaN here."""
        if not name.endswith(".csv"):
            name += ".csv"
        if name not in self._cache:
            header, columns, rows = self._inner.table(name)
            arrays = []
            for column_name, col in zip(header, columns):
                if isinstance(col, bytes):
                    values = pa.Array.from_buffers(pa.float64(), rows, [None, pa.py_buffer(col)])
                    if column_name in _INTEGER_COLUMNS:
                        values = values.cast(pa.int64())
                    arrays.append(values)
                else:
                    arrays.append(pa.array(col, type=pa.string()))
            self._cache[name] = pa.Table.from_arrays(arrays, names=header)
        return self._cache[name]

    def csv(self, name: str) -> str:
        """Table ``name`` as the CSV text ``cjsim`` writes, byte for byte."""
        if not name.endswith(".csv"):
            name += ".csv"
        return self._inner.csv(name)

    @property
    def yearly(self) -> pa.Table:
        """Indicators by year (``indicators_yearly.csv``; the mean over replications)."""
        return self.table("indicators_yearly.csv")

    @property
    def quantiles(self) -> pa.Table:
        """Mean with its 90% confidence interval and the 5-95% band of single runs, by arm,
        year and indicator (``indicators_quantiles.csv``)."""
        return self.table("indicators_quantiles.csv")

    @property
    def monthly(self) -> pa.Table:
        """The monthly series of the first replication (of the baseline) (``timeseries.csv``)."""
        return self.table("timeseries.csv")

    @property
    def by_group(self) -> pa.Table:
        """Indicators by sex, age group, region and displacement (``by_group.csv``)."""
        return self.table("by_group.csv")

    @property
    def comparison(self) -> pa.Table:
        """Effects of each arm with confidence intervals, costs and what is averted
        (``comparison.csv``; comparisons only)."""
        return self.table("comparison.csv")

    @property
    def folder(self) -> Optional[str]:
        """The folder a sweep's results live in (None for a run or comparison in memory)."""
        return self._inner.folder

    @property
    def results(self) -> pa.Table:
        """Every run of a sweep, one row per run, indicator and year (``results.csv``)."""
        return self.table("results.csv")

    @property
    def sensitivity(self) -> pa.Table:
        """Sensitivity indices of a sweep with bootstrap intervals (``sensitivity.csv``): Sobol
        first and total order, Morris mu* and sigma, or PRCC, by design."""
        return self.table("sensitivity.csv")

    @property
    def scorecard(self) -> pa.Table:
        """The scenario's targets, each with status and probability by arm (``scorecard.json``)."""
        text = self._inner.document("scorecard.json")
        return pa.Table.from_pylist(json.loads(text) if text else [])

    @property
    def provenance(self) -> Dict[str, Any]:
        """``run.json``: version, scenario identity and resolved text, seeds, threads."""
        return json.loads(self._inner.document("run.json"))

    def to_pandas(self, name: str = "indicators_yearly.csv"):
        """Table ``name`` as a pandas DataFrame (needs pandas)."""
        return self.table(name).to_pandas()

    def to_polars(self, name: str = "indicators_yearly.csv"):
        """Table ``name`` as a polars DataFrame (needs polars)."""
        import polars  # noqa: PLC0415  (optional dependency)

        return polars.from_arrow(self.table(name))

    def write(self, path: str, report: bool = True, force: bool = False, lang: str = "en") -> str:
        """Writes a ``cjsim`` result folder at ``path``: the tables, ``run.json`` and, with
        ``report``, the charts and ``report.html`` in ``lang`` (``"en"``, ``"fr"`` or ``"es"``).
        Like ``cjsim run --out``, it never writes over a folder cjsim did not make (an earlier
        cjsim folder only with ``force``)."""
        return self._inner.write(str(path), report, force, lang)

    def report(self, path: str, force: bool = False, lang: str = "en") -> str:
        """Writes the result folder with its charts and the self-contained ``report.html`` in
        ``lang`` (``"en"``, ``"fr"`` or ``"es"``); returns the report's path."""
        folder = self.write(path, report=True, force=force, lang=lang)
        return folder.rstrip("/") + "/report.html"

    def __repr__(self) -> str:
        return f"Result({self.kind}, tables={[n for n in self.names if n.endswith('.csv')]})"


def _progress_printer(label: str, show: bool):
    """A callback drawing progress on stderr: tqdm when installed, else one updating line."""
    if not show:
        return lambda done, total, unit: None, lambda: None
    try:
        from tqdm.auto import tqdm  # noqa: PLC0415  (optional)

        bar = tqdm(desc=label, total=1, leave=False)

        def update(done: int, total: int, unit: str) -> None:
            if total and bar.total != total:
                bar.total = total
                bar.unit = " " + unit
            bar.n = done
            bar.refresh()

        return update, bar.close
    except ImportError:
        last = [0.0]

        def update(done: int, total: int, unit: str) -> None:
            now = time.monotonic()
            if total and now - last[0] > 0.5:
                last[0] = now
                sys.stderr.write(f"\r{label}: {done}/{total} {unit}")
                sys.stderr.flush()

        def close() -> None:
            if last[0]:
                sys.stderr.write("\r" + " " * 60 + "\r")
                sys.stderr.flush()

        return update, close


def _wait(job: "_cjsim.Job", label: str, progress: bool) -> Result:
    """Waits for ``job`` in short slices (the GIL released in each), drawing progress; Ctrl-C
    cancels the job, which stops at its next simulated month, and is raised again."""
    update, close = _progress_printer(label, progress)
    try:
        while not job.wait(0.1):
            update(*job.progress())
    except KeyboardInterrupt:
        job.cancel()
        job.wait(30.0)
        raise
    finally:
        close()
    return Result(job.result())


def _reps(reps: Union[int, str, None]) -> Optional[str]:
    return None if reps is None else str(reps)


def _precision(precision: Union[float, str, None]) -> Optional[str]:
    if precision is None:
        return None
    if isinstance(precision, (int, float)):
        return f"{precision}%"
    return str(precision)


def run(
    scenario: Union[Scenario, str] = "coastal-middle-income",
    reps: Union[int, str, None] = None,
    agents: Optional[int] = None,
    years: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    estimator: str = "expected",
    precision: Union[float, str, None] = None,
    max_reps: int = 200,
    progress: bool = True,
) -> Result:
    """Runs a scenario, as ``cjsim run`` does.

    ``reps`` is a number of replications (default 1) or ``"auto"`` with ``precision`` (a percent,
    e.g. ``2`` or ``"2%"``: replications are added until each headline indicator's 90% confidence
    interval is within it). ``agents``, ``years`` and ``seed`` override the scenario's.
    ``estimator`` is ``expected`` (no Monte Carlo noise in the crime indicators) or
    ``realised``. Results are identical for any number of ``threads``. Ctrl-C cancels.
    """
    s = _as_scenario(scenario)
    s = s._with_options(agents, years, seed)
    job = _cjsim.start_run(s._inner, _reps(reps), _precision(precision), max_reps, threads, estimator)
    return _wait(job, f"cjsim run {s.name}", progress)


ArmItem = Union[str, Tuple[str, float]]


def compare(
    scenario: Union[Scenario, str] = "coastal-middle-income",
    arms: Optional[Mapping[str, Iterable[ArmItem]]] = None,
    reps: Union[int, str, None] = None,
    agents: Optional[int] = None,
    years: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    estimator: str = "expected",
    precision: Union[float, str, None] = None,
    max_reps: int = 200,
    checkpoints: Sequence[int] = (),
    discount_rate: float = 3.0,
    progress: bool = True,
) -> Result:
    """Compares intervention arms with the baseline, as ``cjsim compare`` does, with common
    random numbers (replication r of every arm uses seed + r).

    ``arms`` maps an arm name to its interventions, each a catalogue name or a (name, coverage)
    pair: ``{"justice": ["legal_aid", ("court_capacity", 0.8)]}``. ``reps`` defaults to 10.
    ``checkpoints`` are the years of the comparison table (2030 and the last year by default);
    ``discount_rate`` is the yearly discount of costs and averted outcomes, in percent.
    """
    if not arms:
        raise InputError('arms: name at least one arm, e.g. {"justice": ["legal_aid"]}')
    s = _as_scenario(scenario)
    s = s._with_options(agents, years, seed)
    spec = []
    for name, items in arms.items():
        if isinstance(items, (str, tuple)):
            items = [items]
        listed = []
        for item in items:
            if isinstance(item, str):
                listed.append((item, None))
            else:
                iv, coverage = item
                listed.append((str(iv), float(coverage)))
        spec.append((str(name), listed))
    job = _cjsim.start_compare(
        s._inner,
        spec,
        _reps(reps),
        _precision(precision),
        max_reps,
        threads,
        estimator,
        list(checkpoints),
        float(discount_rate),
    )
    return _wait(job, f"cjsim compare {s.name}", progress)


def sweep(
    spec: Union[str, Mapping[str, Any]],
    out: Optional[str] = None,
    jobs: Optional[int] = None,
    progress: bool = True,
) -> Result:
    """Runs a sweep, as ``cjsim sweep FILE --out OUT --csv`` does: a design (grid, Latin
    hypercube, Morris or Sobol) over scenario parameters, replicated, with sensitivity indices.

    ``spec`` is a sweep file's path or the same content as a dict (``{"sweep": {...},
    "factors": [...], "output": {...}}``; see the repository's README). Runs are recorded in
    ``out`` (a new temporary folder when not given) as they finish, so that Ctrl-C stops the
    sweep between runs and calling ``sweep`` again with the same ``out`` resumes it. ``jobs`` is
    the number of runs at once (all cores by default).
    """
    import os  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    if out is None:
        out = os.path.join(tempfile.mkdtemp(prefix="cjsim-sweep-"), "results")
    if isinstance(spec, Mapping):
        text = _cjsim.json_to_toml(json.dumps(spec))
        handle, path = tempfile.mkstemp(prefix="cjsim-sweep-", suffix=".toml")
        with os.fdopen(handle, "w") as f:
            f.write(text)
    else:
        path = str(spec)
    try:
        job = _cjsim.start_sweep(path, str(out), jobs)
        return _wait(job, "cjsim sweep", progress)
    finally:
        if isinstance(spec, Mapping):
            os.unlink(path)
