"""Shared fixtures: the cjsim command-line binary the Python results are checked against."""

import os
import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def cli() -> pathlib.Path:
    """The `cjsim` binary built by `cargo test --workspace --release` (or $CJSIM_BIN). Missing, it
    skips locally and fails under CI=true, where a test never skips."""
    path = pathlib.Path(os.environ.get("CJSIM_BIN", REPO / "target" / "release" / "cjsim"))
    if not path.exists():
        message = f"no cjsim binary at {path}: build it with `cargo build --release`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path
