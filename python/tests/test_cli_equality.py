"""A Python run equals the command line's run with the same inputs, byte for byte in the
tables, and the Arrow columns hold exactly the numbers the CSV cells read back as."""

import csv
import io
import math
import subprocess

import cjsim

AGENTS, YEARS, SEED = 20000, 4, 11


def cli_folder(cli, tmp_path, *args):
    out = tmp_path / "cli"
    done = subprocess.run([str(cli), *args, "--out", str(out), "-q", "--no-report"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out


def assert_same_tables(result, folder):
    tables = [n for n in result.names if n.endswith(".csv")]
    written = sorted(p.name for p in folder.glob("*.csv"))
    assert sorted(tables) == written
    for name in tables:
        text = (folder / name).read_text()
        assert result.csv(name) == text, f"{name} differs from the command line's"
        # The Arrow table holds the numbers the CSV cells read back as.
        arrow = result.table(name)
        rows = list(csv.reader(io.StringIO(text)))
        header, body = rows[0], rows[1:]
        assert arrow.column_names == header
        assert arrow.num_rows == len(body)
        for c, column in enumerate(header):
            values = arrow.column(column).to_pylist()
            for r, row in enumerate(body):
                cell, value = row[c], values[r]
                if isinstance(value, str):
                    assert value == cell
                elif cell == "":
                    assert math.isnan(value), (name, column, r)
                else:
                    assert value == float(cell), (name, column, r, value, cell)


def test_run_equals_the_command_line(cli, tmp_path):
    folder = cli_folder(
        cli, tmp_path, "run", "--agents", str(AGENTS), "--years", str(YEARS), "--seed", str(SEED), "--reps", "3"
    )
    result = cjsim.run(agents=AGENTS, years=YEARS, seed=SEED, reps=3, progress=False)
    assert_same_tables(result, folder)
    assert result.yearly.column("year").to_pylist() == [2025, 2026, 2027, 2028]


def test_compare_equals_the_command_line(cli, tmp_path):
    folder = cli_folder(
        cli,
        tmp_path,
        "compare",
        "--agents", str(AGENTS),
        "--years", str(YEARS),
        "--seed", str(SEED),
        "--reps", "3",
        "--arm", "justice=legal_aid,court_capacity:0.8",
    )
    result = cjsim.compare(
        agents=AGENTS,
        years=YEARS,
        seed=SEED,
        reps=3,
        arms={"justice": ["legal_aid", ("court_capacity", 0.8)]},
        progress=False,
    )
    assert result.kind == "compare"
    assert_same_tables(result, folder)
    arms = set(result.comparison.column("arm").to_pylist())
    assert arms == {"justice"}


def test_results_do_not_depend_on_threads():
    one = cjsim.run(agents=AGENTS, years=3, reps=2, threads=1, progress=False)
    two = cjsim.run(agents=AGENTS, years=3, reps=2, threads=2, progress=False)
    for name in one.names:
        if name.endswith(".csv"):
            assert one.csv(name) == two.csv(name), name


def test_a_written_folder_is_what_the_command_line_writes(cli, tmp_path):
    folder = cli_folder(cli, tmp_path, "run", "--agents", str(AGENTS), "--years", "3", "--seed", str(SEED))
    result = cjsim.run(agents=AGENTS, years=3, seed=SEED, progress=False)
    mine = tmp_path / "mine"
    report = result.report(str(mine))
    assert report.endswith("report.html") and (mine / "report.html").exists()
    for table in folder.glob("*.csv"):
        assert (mine / table.name).read_text() == table.read_text(), table.name
    # Never over a folder cjsim did not write.
    stranger = tmp_path / "stranger"
    stranger.mkdir()
    (stranger / "notes.txt").write_text("mine")
    try:
        result.write(str(stranger))
    except cjsim.InputError as e:
        assert "stranger" in str(e)
    else:
        raise AssertionError("wrote over a folder cjsim did not make")
    assert (stranger / "notes.txt").read_text() == "mine"


def test_provenance_names_the_extension_as_the_model_code():
    import hashlib

    result = cjsim.run(agents=5000, years=1, progress=False)
    wanted = hashlib.sha256(open(cjsim._cjsim.__file__, "rb").read()).hexdigest()
    assert result.provenance["binary_sha256"] == wanted


def test_the_report_speaks_the_language_asked_for(tmp_path):
    result = cjsim.run(agents=AGENTS, years=3, seed=SEED, progress=False)
    french = (tmp_path / "fr")
    html = open(result.report(str(french), lang="fr"), encoding="utf-8").read()
    assert '<html lang="fr">' in html and "Tableau de bord des cibles" in html
    assert ">Scorecard<" not in html
    try:
        result.report(str(tmp_path / "de"), lang="de")
    except cjsim.InputError as e:
        assert "en, fr or es" in str(e)
    else:
        raise AssertionError("an unknown language was accepted")
