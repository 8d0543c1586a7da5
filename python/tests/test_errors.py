"""Scenario problems raise cjsim.ScenarioError with every field the command line reports; bad
arguments raise cjsim.InputError with the command line's message."""

import pytest

import cjsim


def test_a_misspelt_key_is_refused_with_a_suggestion():
    with pytest.raises(cjsim.ScenarioError) as caught:
        cjsim.scenario().set("demography.total_fertility_rat", 1.8)
    e = caught.value
    assert e.file == "Scenario.set()"
    assert e.key == "demography.total_fertility_rat"
    assert e.value == "1.8"
    assert "did you mean 'demography.total_fertility_rate'" in e.problem
    assert e.line is None and e.column is None
    assert len(e.problems) == 1 and e.problems[0]["key"] == e.key


def test_a_value_out_of_range_names_what_is_allowed():
    with pytest.raises(cjsim.ScenarioError) as caught:
        cjsim.scenario().set("demography.total_fertility_rate", -3)
    e = caught.value
    assert e.key == "demography.total_fertility_rate" and e.value == "-3"
    assert "between 0.5 and 8" in e.problem
    # The scenario it was called on is unchanged: scenarios are values.
    s = cjsim.scenario()
    t = s.set("demography.total_fertility_rate", 1.9)
    assert "demography.total_fertility_rate=1.9" in t.overrides and s.overrides == []


def test_every_field_of_a_problem_in_a_file(tmp_path):
    text = cjsim.scenario().to_toml()
    assert "total_fertility_rate = " in text
    lines = text.splitlines()
    at = next(i for i, l in enumerate(lines) if l.startswith("total_fertility_rate = "))
    lines[at] = "total_fertility_rate = 99"
    path = tmp_path / "bad.toml"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(cjsim.ScenarioError) as caught:
        cjsim.scenario(str(path))
    e = caught.value
    assert e.file == str(path)
    assert e.line == at + 1
    assert e.column == len("total_fertility_rate = ") + 1
    assert e.key == "demography.total_fertility_rate"
    assert e.value == "99"
    assert "between 0.5 and 8" in e.problem
    assert str(e).startswith(f"{path}:{at + 1}:")


def test_a_resolved_scenario_reads_back_the_same(tmp_path):
    s = cjsim.scenario("england-wales-2002").set("scenario.agents", 12345)
    path = tmp_path / "s.toml"
    path.write_text(s.to_toml())
    again = cjsim.scenario(str(path))
    assert again.agents == 12345 and again.to_toml() == s.to_toml()


def test_a_missing_file_and_an_unknown_scenario():
    with pytest.raises(cjsim.ScenarioError) as caught:
        cjsim.scenario("no/such/file.toml")
    assert "no such file" in caught.value.problem
    with pytest.raises(cjsim.ScenarioError):
        cjsim.scenario("coastal-middle-incom")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"reps": 0}, "--reps 0: must be between 1 and"),
        ({"reps": "auto"}, "--reps auto: needs --precision"),
        ({"estimator": "guess"}, "estimator \"guess\": must be one of"),
    ],
)
def test_bad_run_arguments(kwargs, message):
    with pytest.raises(cjsim.InputError, match=message.replace("(", r"\(")):
        cjsim.run(agents=5000, years=1, progress=False, **kwargs)


def test_bad_arms():
    with pytest.raises(cjsim.InputError, match="did you mean 'legal_aid'"):
        cjsim.compare(agents=5000, years=1, arms={"x": ["legal_aide"]}, progress=False)
    with pytest.raises(cjsim.InputError, match="name at least one arm"):
        cjsim.compare(agents=5000, years=1, arms={}, progress=False)
    with pytest.raises(cjsim.InputError, match="coverage"):
        cjsim.compare(agents=5000, years=1, arms={"x": [("legal_aid", 2.0)]}, progress=False)
