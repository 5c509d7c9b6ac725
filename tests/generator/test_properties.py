"""Property: for any seed and any small valid configuration, rules 1-8 hold exactly."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seeds_gen.config import GeneratorConfig
from seeds_gen.generate import generate

from .dataset_checks import RULES, open_dataset, row_counts


@st.composite
def small_configs(draw: st.DrawFn) -> GeneratorConfig:
    products = draw(st.integers(1, 40))
    promotions = draw(st.integers(0, 6))
    orders = draw(st.integers(1, 300))
    lines = draw(st.integers(orders, orders * min(products, 12)))
    start = dt.date(2020, 1, 1) + dt.timedelta(days=draw(st.integers(0, 1500)))
    rows = {
        "brand": draw(st.integers(1, 30)),
        "category": draw(st.integers(1, 25)),
        "seller": draw(st.integers(1, 30)),
        "customer": draw(st.integers(1, 200)),
        "product": products,
        "promotion": promotions,
        "promotion_product": draw(st.integers(0, promotions * products)),
        "orders": orders,
        "order_item": lines,
    }
    return GeneratorConfig(
        seed=draw(st.integers(0, 2**31 - 1)),
        rows=rows,
        start=start,
        end=start + dt.timedelta(days=draw(st.integers(1, 800))),
        threads=draw(st.sampled_from([1, 2])),
    )


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(config=small_configs())
def test_rules_1_to_8_hold_for_any_seed_and_small_configuration(
        config: GeneratorConfig) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = GeneratorConfig(**{**config.__dict__, "out": Path(folder)})
        generate(config)
        con = open_dataset(Path(folder))
        try:
            assert row_counts(con) == config.row_counts()
            for name, check in RULES.items():
                assert check(con) == [], (name, config)
        finally:
            con.close()


@st.composite
def multi_block_configs(draw: st.DrawFn) -> GeneratorConfig:
    """Several blocks of orders (transactions.ORDERS_PER_BLOCK) and a tight catalogue, where the
    per-block line shares and rule 8's bound meet; in a random number of parts."""
    products = draw(st.integers(1, 15))
    orders = draw(st.integers(8_000, 30_000))
    lines = draw(st.integers(orders, orders * products))
    return GeneratorConfig(
        seed=draw(st.integers(0, 2**31 - 1)),
        rows={"product": products, "orders": orders, "order_item": lines,
              "customer": draw(st.integers(4, 3_000)), "promotion_product": products},
        parts=draw(st.integers(1, 4)),
    )


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(config=multi_block_configs())
def test_rules_hold_across_blocks_and_parts(config: GeneratorConfig) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = GeneratorConfig(**{**config.__dict__, "out": Path(folder)})
        generate(config)
        con = open_dataset(Path(folder))
        try:
            assert row_counts(con) == config.row_counts()
            for name, check in RULES.items():
                assert check(con) == [], (name, config)
        finally:
            con.close()
