"""When each event is due on the wall clock, and the progress line.

`--speed X` plays X simulated seconds per second (an event is due when the simulated clock,
started at the run's first instant, reaches it); `--events-per-second N` plays N events a
second whatever their instants; `--speed max` never waits. Lag: how late the event is applied
against when it was due (0 at max speed, where nothing is due).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from seeds_gen.timeline import TIMESTAMP_FORMAT


class PaceError(ValueError):
    """A pace option the run cannot honour."""


@dataclass(frozen=True)
class Pace:
    speed: float | None = None  # simulated seconds per second; None: see rate, or max
    rate: float | None = None  # events per second

    @classmethod
    def parse(cls, speed: str | None, rate: float | None) -> Pace:
        if speed is not None and rate is not None:
            raise PaceError("--speed and --events-per-second pace the run two ways; pass one")
        if rate is not None:
            if not rate > 0:
                raise PaceError(f"--events-per-second needs a number above 0, got {rate:g}")
            return cls(rate=rate)
        if speed is None or speed == "max":
            return cls() if speed == "max" else cls(speed=1.0)
        try:
            value = float(speed)
        except ValueError:
            raise PaceError(f"--speed needs a number of simulated seconds per second or max, "
                            f"got {speed!r}; e.g. --speed 3600 (an hour a second)") from None
        if not value > 0:
            raise PaceError(f"--speed needs a number above 0 or max, got {speed!r}")
        return cls(speed=value)

    @property
    def is_max(self) -> bool:
        return self.speed is None and self.rate is None

    def describe(self) -> str:
        if self.rate is not None:
            return f"{self.rate:g} events/s"
        if self.speed is not None:
            return f"speed {self.speed:g}x"
        return "max speed"


def _instant(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, TIMESTAMP_FORMAT)


class Pacer:
    """Waits until each event is due; a stop request ends the wait at once."""

    def __init__(self, pace: Pace, first_instant: str, stop: threading.Event,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.pace = pace
        self.stop = stop
        self.clock = clock
        self.started = clock()
        self.sim_start = _instant(first_instant)
        self.count = 0
        self.lag = 0.0

    def due(self, at: str) -> float | None:
        """The wall-clock time the next event (at simulated instant `at`) is due."""
        if self.pace.rate is not None:
            return self.started + self.count / self.pace.rate
        if self.pace.speed is not None:
            return self.started + (_instant(at) - self.sim_start).total_seconds() / self.pace.speed
        return None

    def wait(self, at: str) -> bool:
        """Wait for the event at `at`; False when a stop was requested meanwhile."""
        due = self.due(at)
        if due is not None:
            delay = due - self.clock()
            if delay > 0 and self.stop.wait(delay):
                return False
            self.lag = max(0.0, self.clock() - due)
        self.count += 1
        return not self.stop.is_set()


class Progress:
    """A progress line every `every` seconds: simulated time, events, events/s, lag."""

    def __init__(self, say: Callable[[str], None], every: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.say = say
        self.every = every
        self.clock = clock
        self.started = clock()
        self.last = self.started
        self.last_events = 0

    def line(self, at: str, events: int, lag: float) -> str:
        now = self.clock()
        seconds = max(now - self.last, 1e-9)
        rate = (events - self.last_events) / seconds
        self.last, self.last_events = now, events
        return f"  simulated {at}  events {events:>10,}  {rate:8,.0f} events/s  lag {lag:6.2f} s"

    def tick(self, at: str, events: int, lag: float) -> None:
        if self.clock() - self.last >= self.every:
            self.say(self.line(at, events, lag))
