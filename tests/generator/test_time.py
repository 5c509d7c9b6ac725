"""The shop in time (DATA_SPEC rules 9 and 10): datasets of one world at two as-of instants,
and the change set between them, for random small worlds and instants."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from dataclasses import replace
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seeds_gen.config import GeneratorConfig
from seeds_gen.generate import generate

from .dataset_checks import (
    RULES,
    apply_changes,
    open_dataset,
    rule_9_as_of_consistency,
    table_state,
)


@st.composite
def worlds_and_instants(draw: st.DrawFn
                        ) -> tuple[GeneratorConfig, dt.datetime, dt.datetime, dt.datetime]:
    """A small world over a random window, and three as-of instants T0 < Tm < T1 in it."""
    products = draw(st.integers(1, 40))
    promotions = draw(st.integers(0, 5))
    orders = draw(st.integers(1, 400))
    customers = draw(st.integers(1, 150))
    start = dt.date(2020, 1, 1) + dt.timedelta(days=draw(st.integers(0, 1500)))
    days = draw(st.integers(1, 200))
    config = GeneratorConfig(
        seed=draw(st.integers(0, 2**31 - 1)),
        rows={"product": products, "promotion": promotions,
              "promotion_product": draw(st.integers(0, promotions * products)),
              "customer": customers, "orders": orders,
              "order_item": draw(st.integers(orders, orders * min(products, 8)))},
        start=start, end=start + dt.timedelta(days=days),
        threads=draw(st.sampled_from([1, 2])),
        parts=draw(st.integers(1, min(3, customers, orders))))
    window = days * 86_400
    instants = sorted(draw(st.lists(st.integers(0, window), min_size=3, max_size=3,
                                    unique=True)))
    origin = dt.datetime.combine(start, dt.time())
    first, middle, last = (origin + dt.timedelta(seconds=s) for s in instants)
    return config, first, middle, last


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=worlds_and_instants())
def test_rules_hold_at_every_instant_and_the_changes_lead_from_one_to_the_next(
        case: tuple[GeneratorConfig, dt.datetime, dt.datetime, dt.datetime]) -> None:
    config, t0, middle, t1 = case
    with tempfile.TemporaryDirectory() as folder:
        folders = {name: Path(folder) / name for name in ("t0", "tm", "t1")}
        generate(replace(config, out=folders["t0"], as_of=t0))
        generate(replace(config, out=folders["tm"], as_of=middle))
        generate(replace(config, out=folders["t1"], as_of=t1, changes_since=t0))
        con = duckdb.connect()
        try:
            for name, path in folders.items():
                open_dataset(path, con=con, prefix=f"{name}_")
                alone = open_dataset(path)
                for rule, check in RULES.items():
                    assert check(alone) == [], (rule, name, config, t0, middle, t1)
                alone.close()
            assert rule_9_as_of_consistency(con, "t0_", "tm_") == [], (config, t0, middle)
            assert rule_9_as_of_consistency(con, "tm_", "t1_") == [], (config, middle, t1)
            # Rule 10: the T0 tables with the changes applied in order are the T1 tables, and
            # with the changes up to Tm applied, the Tm tables (every step in between is right).
            assert apply_changes(con, "t0_", "t1_changes_") == table_state(con, "t1_")
            assert apply_changes(con, "t0_", "t1_changes_", until=middle) == \
                table_state(con, "tm_")
        finally:
            con.close()


def test_a_bare_run_is_the_dataset_as_of_the_end_of_the_window(tmp_path: Path) -> None:
    config = GeneratorConfig(rows={"customer": 300, "orders": 2_000, "order_item": 9_000})
    generate(replace(config, out=tmp_path / "bare"))
    generate(replace(config, out=tmp_path / "end",
                     as_of=dt.datetime.combine(config.end, dt.time())))
    bare, end = (json.loads((tmp_path / name / "manifest.json").read_text())
                 for name in ("bare", "end"))
    assert bare["as_of"] == end["as_of"] == "2026-01-01 00:00:00"
    assert {t: e["sha256"] for t, e in bare["tables"].items()} == \
        {t: e["sha256"] for t, e in end["tables"].items()}
    assert {t: e["rows"] for t, e in bare["tables"].items()} == config.row_counts()


def test_stock_is_never_negative_at_any_instant_of_the_window(tmp_path: Path) -> None:
    """The change set since the window's start lists every stock level each product passed
    through: none is negative (rule 7), and orders' statuses hold at every instant (rule 6)."""
    config = GeneratorConfig(rows={"customer": 500, "orders": 6_000, "order_item": 40_000,
                                   "product": 60}, out=tmp_path,
                             changes_since=dt.datetime(2024, 1, 1))
    generate(config)
    con = open_dataset(tmp_path)
    moves, negative = con.execute("""
        select count(*), count(*) filter (where stock_quantity < 0 or received_quantity < 0)
        from changes_product""").fetchone() or (0, 0)
    assert moves > 40_000 and negative == 0
    # Restocks and sales both show: stock goes up and down over the window.
    ups = con.execute("""
        select count(*) from (select stock_quantity - lag(stock_quantity) over
                              (partition by product_id order by _changed_at) as moved
                              from changes_product) where moved > 0""").fetchone()
    assert ups and ups[0] > 100
    shares = dict(con.execute("""
        select status, count(*) from changes_orders where _op = 'update' group by status
    """).fetchall())
    assert set(shares) == {"paid", "shipped", "delivered", "cancelled", "returned"}


def test_changes_are_the_same_whatever_the_parts(tmp_path: Path) -> None:
    config = GeneratorConfig(rows={"customer": 400, "orders": 3_000, "order_item": 15_000},
                             as_of=dt.datetime(2025, 3, 1, 12), changes_since=dt.datetime(
                                 2025, 2, 20, 6, 30))
    generate(replace(config, out=tmp_path / "one"))
    generate(replace(config, out=tmp_path / "three", parts=3, threads=1))
    one, three = (json.loads((tmp_path / name / "manifest.json").read_text())["changes"]
                  for name in ("one", "three"))
    assert one == three
    assert one["tables"]["orders"]["rows"] > 0 and one["tables"]["product"]["rows"] > 0
