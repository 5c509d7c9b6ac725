"""Pacing: when each event is due, and that a stop ends a wait at once."""

from __future__ import annotations

import threading

import pytest

from seeds_gen.live.pacing import Pace, PaceError, Pacer


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_speed_3600_makes_an_hour_of_the_shop_due_one_second_later() -> None:
    clock = Clock()
    pacer = Pacer(Pace.parse("3600", None), "2025-06-01 00:00:00", threading.Event(), clock)
    assert pacer.due("2025-06-01 01:00:00") == pytest.approx(101.0)
    assert pacer.due("2025-06-01 00:00:00") == pytest.approx(100.0)


def test_events_per_second_spaces_events_evenly_whatever_their_instants() -> None:
    clock = Clock()
    stop = threading.Event()
    pacer = Pacer(Pace.parse(None, 4), "2025-06-01 00:00:00", stop, clock)
    assert pacer.wait("2025-06-03 00:00:00")  # the first is due at once
    assert pacer.due("2025-06-09 00:00:00") == pytest.approx(100.25)


def test_max_speed_never_waits() -> None:
    pacer = Pacer(Pace.parse("max", None), "2025-06-01 00:00:00", threading.Event(), Clock())
    assert pacer.due("2030-01-01 00:00:00") is None


def test_a_stop_ends_the_wait_for_a_far_event() -> None:
    stop = threading.Event()
    pacer = Pacer(Pace.parse("1", None), "2025-06-01 00:00:00", stop)
    threading.Timer(0.05, stop.set).start()
    assert not pacer.wait("2025-06-02 00:00:00")  # a day away at real time


@pytest.mark.parametrize("speed, rate, message", [
    ("fast", None, "--speed needs a number"),
    ("0", None, "above 0"),
    ("60", 10.0, "pass one"),
    (None, 0.0, "above 0"),
])
def test_bad_pace_options_say_what_to_pass(speed: str | None, rate: float | None,
                                           message: str) -> None:
    with pytest.raises(PaceError, match=message):
        Pace.parse(speed, rate)
