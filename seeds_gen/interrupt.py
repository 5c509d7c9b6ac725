"""Stop flags checked by the long Python loops of the reference phase.

The DuckDB stage runs in the main thread, where the CLI's SIGINT/SIGTERM handler raises
KeyboardInterrupt itself; the Python reference phase runs in a worker thread that signals cannot
reach, so its loops call `check()` every CHUNK rows and stop within milliseconds. A stop is
either process-wide (`request_stop`, from the signal handler) or one run's own event (bound to
its worker thread), so a failed run inside a long-lived process does not stop the next one.
"""

from __future__ import annotations

import threading

CHUNK = 256

_STOP = threading.Event()
_local = threading.local()


class Cancelled(Exception):
    """The run was stopped; raised inside the worker thread, never shown to the user."""


def request_stop() -> None:
    _STOP.set()


def bind(event: threading.Event) -> None:
    """Make `event` this thread's own stop flag."""
    _local.event = event


def check() -> None:
    event: threading.Event | None = getattr(_local, "event", None)
    if _STOP.is_set() or (event is not None and event.is_set()):
        raise Cancelled
