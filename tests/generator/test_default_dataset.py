"""The default run: exact volumes of DATA_SPEC.md, every business rule, the realism points."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from seeds_gen.schema import MANIFEST_FILE, ROW_COUNTS_SEED, TABLES
from seeds_gen.transactions import PAYMENT_SHARES

from .dataset_checks import RULES, open_dataset, row_counts


@pytest.fixture(scope="module")
def con(default_dataset: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = open_dataset(default_dataset)
    yield connection
    connection.close()


def test_default_run_writes_exactly_the_spec_volumes(con: duckdb.DuckDBPyConnection) -> None:
    assert row_counts(con) == {t.name: t.default_rows for t in TABLES}


def test_csv_headers_are_the_schema_columns_in_order(default_dataset: Path) -> None:
    for table in TABLES:
        with (default_dataset / table.file_name).open(encoding="utf-8", newline="") as f:
            assert tuple(next(csv.reader(f))) == table.column_names


def test_row_count_seed_and_manifest_describe_the_files(default_dataset: Path) -> None:
    with (default_dataset / f"{ROW_COUNTS_SEED}.csv").open(encoding="utf-8") as f:
        counts = {r["table_name"]: int(r["row_count"]) for r in csv.DictReader(f)}
    assert counts == {t.name: t.default_rows for t in TABLES}
    manifest = json.loads((default_dataset / MANIFEST_FILE).read_text())
    assert manifest["settings"]["seed"] == 42
    for table in TABLES:
        entry = manifest["tables"][table.name]
        assert entry["rows"] == table.default_rows
        assert entry["bytes"] == (default_dataset / table.file_name).stat().st_size
        assert len(entry["sha256"]) == 64


def test_keys_and_unique_columns_are_unique(con: duckdb.DuckDBPyConnection) -> None:
    assert RULES["keys"](con) == []


def test_row_local_column_rules_hold(con: duckdb.DuckDBPyConnection) -> None:
    assert RULES["columns"](con) == []


def test_rule_1_every_foreign_key_points_at_an_existing_row(
        con: duckdb.DuckDBPyConnection) -> None:
    assert RULES["rule_1"](con) == []


def test_rule_2_category_tree_has_levels_no_cycles_and_products_on_leaves(
        con: duckdb.DuckDBPyConnection) -> None:
    assert RULES["rule_2"](con) == []
    assert con.execute("select max(level) from category").fetchone() == (2,)


def test_rule_3_line_price_equals_product_price(con: duckdb.DuckDBPyConnection) -> None:
    assert RULES["rule_3"](con) == []


def test_rule_4_lines_carry_the_best_eligible_promotion_to_the_cent(
        con: duckdb.DuckDBPyConnection) -> None:
    assert RULES["rule_4"](con) == []
    # The rule is exercised, not vacuous: some lines do carry promotions, of both kinds.
    kinds = con.execute("""
        select count(distinct p.discount_type) from order_item i
        join promotion p using (promotion_id)""").fetchone()
    assert kinds == (2,)


def test_rule_5_line_and_order_sums_hold_to_the_cent(con: duckdb.DuckDBPyConnection) -> None:
    assert RULES["rule_5"](con) == []


def test_rule_6_timestamps_follow_signup_creation_and_status(
        con: duckdb.DuckDBPyConnection) -> None:
    assert RULES["rule_6"](con) == []


def test_rule_7_stock_is_received_minus_non_cancelled_sales(
        con: duckdb.DuckDBPyConnection) -> None:
    assert RULES["rule_7"](con) == []


def test_rule_8_orders_have_distinct_lines_averaging_ten_with_a_spread(
        con: duckdb.DuckDBPyConnection) -> None:
    assert RULES["rule_8"](con) == []
    low, high = con.execute("""
        select min(n), max(n) from (select count(*) as n from order_item group by order_id)
    """).fetchone() or (0, 0)
    assert low < 10 < high


def test_realism_product_popularity_is_skewed(con: duckdb.DuckDBPyConnection) -> None:
    (share,) = con.execute("""
        with per_product as (select product_id, count(*) as n from order_item group by all),
        ranked as (select n, row_number() over (order by n desc) as rk,
                          count(*) over () as products from per_product)
        select sum(n) filter (where rk <= products / 10) / sum(n) from ranked
    """).fetchone() or (0,)
    assert share > 0.2


def test_realism_orders_follow_season_week_and_growth(con: duckdb.DuckDBPyConnection) -> None:
    by_month = dict(con.execute(
        "select month(ordered_at), count(*) from orders group by all").fetchall())
    season = (by_month[11] + by_month[12]) / 2
    rest = sum(v for m, v in by_month.items() if m < 11) / 10
    assert season > 1.4 * rest
    by_weekday = [n for _, n in con.execute(
        "select dayofweek(ordered_at), count(*) from orders group by all").fetchall()]
    assert max(by_weekday) > 1.1 * min(by_weekday)
    first, second = (n for _, n in con.execute(
        "select year(ordered_at), count(*) from orders group by all order by 1").fetchall())
    assert second > 1.2 * first


def test_realism_recent_orders_are_open_and_old_ones_mostly_delivered(
        con: duckdb.DuckDBPyConnection) -> None:
    shares = dict(con.execute("""
        select ordered_at >= (select max(ordered_at) from orders) - interval 5 day,
               avg(case when status in ('pending', 'paid', 'shipped') then 1 else 0 end)
        from orders group by all""").fetchall())
    assert shares[True] > 0.5 > 0.01 > shares[False]
    old = dict(con.execute("""
        select status, count(*) / sum(count(*)) over () from orders
        where ordered_at < timestamp '2025-06-01' group by all""").fetchall())
    assert old["delivered"] > 0.8
    assert 0.01 < old["cancelled"] < 0.1 and 0.01 < old["returned"] < 0.1


def test_realism_payment_methods_keep_their_shares(con: duckdb.DuckDBPyConnection) -> None:
    assert sum(PAYMENT_SHARES.values()) == 100
    shares = dict(con.execute("""
        select payment_method, 100.0 * count(*) / sum(count(*)) over () from orders
        group by all""").fetchall())
    assert shares.keys() == PAYMENT_SHARES.keys()
    assert all(abs(shares[m] - share) < 1 for m, share in PAYMENT_SHARES.items()), shares


def test_realism_prices_depend_on_category_and_skew_right(
        con: duckdb.DuckDBPyConnection) -> None:
    medians = dict(con.execute("""
        select c.category_name, median(p.unit_price) from product p
        join category c using (category_id) group by all""").fetchall())
    assert medians["Smartphones"] > 5 * medians["T-Shirts"]
    (mean, median) = con.execute(
        "select avg(unit_price), median(unit_price) from product").fetchone() or (0, 0)
    assert mean > median


def test_realism_product_names_read_like_brand_and_category(
        con: duckdb.DuckDBPyConnection) -> None:
    from seeds_gen.vocab import TAXONOMY

    nouns = {n.name: n.nouns for n in TAXONOMY}
    for name, brand, category in con.execute("""
            select p.product_name, b.brand_name, c.category_name from product p
            join brand b using (brand_id) join category c using (category_id)""").fetchall():
        assert name.startswith(brand + " ")
        assert any(noun in name for noun in nouns[category]), (name, category)


def test_realism_people_have_unique_emails_and_plausible_contacts(
        con: duckdb.DuckDBPyConnection) -> None:
    (distinct_first, distinct_cities, bad_emails) = con.execute("""
        select count(distinct first_name), count(distinct city),
               count(*) filter (where not regexp_matches(email, '^[a-z.]+[0-9]+@[a-z.]+$'))
        from customer""").fetchone() or (0, 0, 0)
    assert distinct_first > 100 and distinct_cities > 50 and bad_emails == 0
