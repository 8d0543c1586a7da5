"""A sweep from a dict equals the same sweep from a file, run by the command line; Ctrl-C-style
cancellation keeps the runs recorded and a second call resumes them."""

import subprocess

import cjsim

SPEC = {
    "sweep": {
        "name": "py-grid",
        "base": "coastal-middle-income",
        "design": "grid",
        "replications": 2,
        "seed": 5,
        "agents": 8000,
        "years": 3,
    },
    "output": {"indicators": ["court_backlog_cases", "unsentenced_share_pct"]},
    "factors": [{"key": "justice.court_capacity_multiplier", "levels": [0.5, 1.0, 1.5]}],
}


def test_a_sweep_from_a_dict_equals_the_command_line(cli, tmp_path):
    result = cjsim.sweep(SPEC, out=str(tmp_path / "py"), progress=False)
    assert result.kind == "sweep" and result.folder == str(tmp_path / "py")
    file = tmp_path / "grid.toml"
    file.write_text(cjsim._cjsim.json_to_toml(__import__("json").dumps(SPEC)))
    done = subprocess.run(
        [str(cli), "sweep", str(file), "--out", str(tmp_path / "cli"), "--csv", "-q"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    for name in ["results.csv", "summary.csv"]:
        assert result.csv(name) == (tmp_path / "cli" / name).read_text(), name
    runs = result.results.to_pandas()
    assert set(runs["point"]) == {0, 1, 2} and set(runs["replication"]) == {0, 1}


def test_more_court_capacity_shrinks_the_backlog_in_a_sweep(tmp_path):
    # Science, not plumbing: across the grid the backlog falls as capacity rises.
    result = cjsim.sweep(SPEC, out=str(tmp_path / "s"), progress=False)
    rows = result.results.to_pandas()
    last = rows[(rows.indicator == "court_backlog_cases") & (rows.year == rows.year.max())]
    by_level = last.groupby("justice.court_capacity_multiplier")["value"].mean()
    assert by_level.is_monotonic_decreasing, by_level
