#!/usr/bin/env bash
# The Python package's tests: installs ./python with its test extras into a virtual environment
# of its own (target/python-venv), then runs pytest. The tests compare Python's tables with the
# command line's, so the release `cjsim` binary is built first (a no-op after
# `cargo test --workspace --release`).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/python-venv
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
cargo build --release -q -p experiments --bin cjsim
start=$(date +%s)
"$venv/bin/pip" install -q "./python[test]"
echo "python/test.sh: built and installed the cjsim wheel in $(( $(date +%s) - start )) s"
"$venv/bin/python" -m pytest -q python/tests
