"""Test-only fault points: ECOM_SYNTH_FAULT=<point>[,<point>...] pauses the run at a named point.

The fault-injection tests (tests/generator/test_faults.py) use it to stop or kill a real
generator process at an exact step of writing or publishing, instead of hoping a timer lands
there. At a named point the process prints one line to stderr and sleeps until it is signalled:
SIGTERM or SIGINT interrupt it as usual, SIGKILL kills it, SIGUSR1 lets it go on. Unset (the
normal case) it costs one dictionary lookup per point. Not a user feature: not in --help.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from types import FrameType

FAULT_ENV = "ECOM_SYNTH_FAULT"

# Every point, in the order a run reaches them (the tests iterate over this tuple).
POINTS = (
    "locked",             # the output lock is held, nothing written yet
    "before_write",       # the staging folder exists, no CSV written
    "before_row_counts",  # every CSV written, raw_row_counts.csv not yet
    "before_manifest",    # raw_row_counts.csv written, manifest.json not yet
    "before_run_rename",  # the staging folder is complete
    "after_run_rename",   # .runs/<run-id> exists, not yet current
    "after_legacy_adopted",  # (old layout only) real files adopted as a run, links not yet made
    "before_switch",      # the static links exist, `current` still names the previous run
    "after_switch",       # `current` names the new run; old run folders not yet pruned
)


# Points of `python -m seeds_gen load` (tests/integration/test_seed_parts_and_loader.py).
LOAD_POINTS = (
    "load_after_first_table",  # side tables made, the first table streamed, the others not yet
    "load_before_finish",      # every table streamed, nothing swapped yet
)


def fault_point(name: str) -> None:
    wanted = os.environ.get(FAULT_ENV)
    if not wanted or name not in wanted.split(","):
        return
    resumed = False

    def resume(signum: int, frame: FrameType | None) -> None:
        nonlocal resumed
        resumed = True

    previous = signal.signal(signal.SIGUSR1, resume)
    sys.stderr.write(f"seeds_gen: test fault point {name} reached (pid {os.getpid()})\n")
    sys.stderr.flush()
    try:
        while not resumed:
            time.sleep(0.01)
    finally:
        signal.signal(signal.SIGUSR1, previous)
