"""Ctrl-C (SIGINT) cancels a long run within 2 seconds and raises KeyboardInterrupt."""

import signal
import subprocess
import sys
import time

# The child takes Python's own Ctrl-C handler, as at a terminal: a shell without job control
# starts background commands with SIGINT ignored (POSIX), Python then leaves it ignored, and a
# test run started that way (`nohup sh -c '... &'`) saw the run finish instead of stop. Its run
# takes about a minute on two cores (2 December 2026), far beyond the test's wait.
LONG_RUN = """
import signal, sys, cjsim
signal.signal(signal.SIGINT, signal.default_int_handler)
print("started", flush=True)
try:
    cjsim.run(agents=400000, years=26, reps=20, progress=False)
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.exit(3)
print("finished", flush=True)
"""


def test_sigint_cancels_a_long_run_within_two_seconds(tmp_path):
    # Started elsewhere than the source folder, so that the installed package is imported.
    child = subprocess.Popen(
        [sys.executable, "-c", LONG_RUN], stdout=subprocess.PIPE, text=True, cwd=tmp_path
    )
    assert child.stdout.readline().strip() == "started"
    time.sleep(1.5)  # well into the run
    assert child.poll() is None, "the run ended before it could be interrupted"
    sent = time.monotonic()
    child.send_signal(signal.SIGINT)
    try:
        child.wait(timeout=10)
    finally:
        child.kill()
    took = time.monotonic() - sent
    assert child.stdout.read().strip() == "interrupted"
    assert child.returncode == 3
    assert took < 2.0, f"took {took:.2f} s to stop"


def test_the_interpreter_stays_responsive_while_a_run_waits():
    # Other Python threads run while the simulation does: the GIL is released.
    import threading

    import cjsim

    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.01)

    t = threading.Thread(target=count)
    t.start()
    started = time.monotonic()
    cjsim.run(agents=60000, years=6, progress=False)
    took = time.monotonic() - started
    stop.set()
    t.join()
    assert len(ticks) > 0.3 * took / 0.01, (len(ticks), took)
