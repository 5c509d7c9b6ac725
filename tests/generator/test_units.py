"""Fast unit tests of the generator's pure functions."""

from __future__ import annotations

import datetime as dt

import pytest

from seeds_gen.calendar import _black_friday, hour_buckets
from seeds_gen.config import ConfigError, GeneratorConfig, parse_rows_override, validate
from seeds_gen.reference import select_categories, slug
from seeds_gen.rng import python_rng, stream_id
from seeds_gen.vocab import TAXONOMY


def test_default_ten_categories_are_three_roots_and_seven_children() -> None:
    nodes = select_categories(10)
    roots = [n for n in nodes if n.parent is None]
    assert len(roots) == 3 and len(nodes) == 10
    assert all(n.parent in {r.name for r in roots} for n in nodes if n.parent)


@pytest.mark.parametrize("count", range(1, len(TAXONOMY) + 1))
def test_any_category_count_is_a_tree_with_parents_first(count: int) -> None:
    seen: set[str] = set()
    for node in select_categories(count):
        assert node.parent is None or node.parent in seen
        seen.add(node.name)
    assert len(seen) == count


def test_black_friday_is_the_day_after_the_fourth_thursday() -> None:
    assert _black_friday(2024) == dt.date(2024, 11, 29)
    assert _black_friday(2025) == dt.date(2025, 11, 28)


def test_calendar_has_a_positive_weight_for_every_hour() -> None:
    buckets = hour_buckets(dt.date(2024, 1, 1), dt.date(2024, 1, 3))
    assert len(buckets) == 48 and all(w > 0 for _, w in buckets)


def test_scale_multiplies_only_transactional_tables() -> None:
    counts = GeneratorConfig(scale=2.5, rows={"product": 300}).row_counts()
    assert counts["customer"] == 25_000 and counts["orders"] == 250_000
    assert counts["order_item"] == 2_500_000 and counts["product"] == 300
    assert counts["brand"] == 20


def test_rows_override_parsing() -> None:
    assert parse_rows_override("orders=1_000") == ("orders", 1000)
    with pytest.raises(ConfigError, match="unknown table"):
        parse_rows_override("order=5")


def test_validate_accepts_the_defaults_and_rejects_an_empty_catalogue() -> None:
    assert validate(GeneratorConfig())["order_item"] == 1_000_000
    with pytest.raises(ConfigError, match="product would have 0 rows"):
        validate(GeneratorConfig(rows={"product": 0}))


def test_random_streams_are_stable_and_independent() -> None:
    assert stream_id("orders.status") == stream_id("orders.status")
    assert stream_id("orders.status") != stream_id("orders.ordered_at")
    assert python_rng(1, "brand").random() == python_rng(1, "brand").random()
    assert python_rng(1, "brand").random() != python_rng(2, "brand").random()


def test_slug_is_ascii() -> None:
    assert slug("Müller & Söhne GmbH") == "muller-sohne-gmbh"
