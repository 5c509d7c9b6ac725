"""Change-set windows: the generator is asked for the same world, window after window."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from seeds_gen.cli import build_parser, config_from_args
from seeds_gen.config import GeneratorConfig
from seeds_gen.generate import world_id
from seeds_gen.live.windows import generator_command, window_bounds

T0 = dt.datetime(2025, 6, 1)


def test_windows_cover_the_interval_end_to_end_the_last_one_shorter() -> None:
    bounds = window_bounds(T0, T0 + dt.timedelta(days=10, hours=6), 4)
    assert [b - a for a, b in bounds] == [dt.timedelta(days=4)] * 2 + [dt.timedelta(days=2,
                                                                                     hours=6)]
    assert all(bounds[k][1] == bounds[k + 1][0] for k in range(len(bounds) - 1))
    assert bounds[0][0] == T0


def test_the_generator_command_of_a_window_gives_the_same_world() -> None:
    config = GeneratorConfig(seed=7, scale=0.35, rows={"orders": 3000, "customer": 300},
                             start=dt.date(2024, 2, 1), end=dt.date(2025, 9, 1), locale="de_DE")
    command = generator_command(config, T0, T0 + dt.timedelta(days=1), Path("/tmp/w"))
    again = config_from_args(build_parser().parse_args(command[3:]))
    assert world_id(again) == world_id(config)
    assert again.changes_since == T0 and again.as_of == T0 + dt.timedelta(days=1)
