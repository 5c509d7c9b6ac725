"""A large catalogue, built set-based in DuckDB (seeds_gen/catalog.py), keeps every rule and the
distributions of the default one: 200,000 products, 100,000 sellers, 200,000 promotion pairs."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from seeds_gen.catalog import STRIDES, coprime_strides, sql_literal
from seeds_gen.config import DEFAULT_START
from seeds_gen.reference import seller_type_counts
from seeds_gen.schema import MANIFEST_FILE
from seeds_gen.vocab import TAXONOMY

from .conftest import RunCli
from .dataset_checks import RULES, open_dataset

PRODUCTS = ("--rows", "product=200000", "--scale", "0.2")
SELLERS_AND_PROMOTIONS = ("--rows", "seller=100000", "--rows", "product=20000",
                          "--rows", "promotion=2000", "--rows", "promotion_product=200003",
                          "--scale", "0.05")


def _generate(run_cli: RunCli, out: Path, *args: str) -> Path:
    result = run_cli("--out", str(out), "--quiet", *args)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def many_products(run_cli: RunCli, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(run_cli, tmp_path_factory.mktemp("products"), *PRODUCTS)


@pytest.fixture(scope="module")
def products(many_products: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = open_dataset(many_products)
    yield con
    con.close()


@pytest.fixture(scope="module")
def sellers(run_cli: RunCli, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[duckdb.DuckDBPyConnection]:
    con = open_dataset(_generate(run_cli, tmp_path_factory.mktemp("sellers"),
                                 *SELLERS_AND_PROMOTIONS))
    yield con
    con.close()


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[Any, ...]:
    row = con.execute(sql).fetchone()
    assert row is not None
    return tuple(row)


# --- 200,000 products -----------------------------------------------------------------------------

def test_many_products_keep_rules_1_to_8_and_unique_keys(
        products: duckdb.DuckDBPyConnection) -> None:
    assert _one(products, "select count(*), count(distinct sku) from product") == \
        (200_000, 200_000)
    for name, check in RULES.items():
        assert check(products) == [], name


def test_skus_name_category_brand_and_product_id(products: duckdb.DuckDBPyConnection) -> None:
    (bad,) = _one(products, """
        select count(*) from product p join brand b using (brand_id)
        join category c using (category_id)
        where p.sku <> upper(left(regexp_replace(lower(c.category_name), '[^a-z0-9]+', '-', 'g'),
                                  3))
                       || '-' || upper(left(b.brand_name, 3))
                       || '-' || lpad(p.product_id::VARCHAR, 6, '0')""")
    assert bad == 0


def test_prices_follow_each_category_median_and_spread_and_skew_right(
        products: duckdb.DuckDBPyConnection) -> None:
    nodes = {node.name: node for node in TAXONOMY}
    stats = products.execute("""
        select c.category_name, median(p.unit_price)::DOUBLE, avg(p.unit_price)::DOUBLE,
               stddev_pop(ln(p.unit_price::DOUBLE)), count(*)
        from product p join category c using (category_id) group by all""").fetchall()
    assert len(stats) == 7  # the default tree's leaves
    for name, median, mean, log_spread, count in stats:
        node = nodes[name]
        assert count > 20_000
        # Price endings (x.99, x.49) lift the median by under a unit.
        assert node.median_price * 0.97 < median < node.median_price * 1.1, name
        assert abs(log_spread - node.price_sigma) < 0.1 * node.price_sigma, name
        assert mean > median, name  # positively skewed
    by_name = {name: median for name, median, *_ in stats}
    assert by_name["Smartphones"] > 5 * by_name["T-Shirts"]


def test_prices_end_in_99_or_49_and_cost_is_35_to_75_percent(
        products: duckdb.DuckDBPyConnection) -> None:
    endings = {cents for (cents,) in products.execute(
        "select distinct (unit_price * 100)::BIGINT % 100 from product").fetchall()}
    assert endings <= {49, 99}
    low, high = _one(products, "select min(cost_price / unit_price), max(cost_price / unit_price)"
                               " from product")
    assert 0.345 < float(low) < 0.36 and 0.74 < float(high) < 0.755


def test_official_stores_list_only_their_own_brand(products: duckdb.DuckDBPyConnection) -> None:
    listed, wrong = _one(products, """
        select count(*), count(*) filter (where s.seller_name <> b.brand_name || ' Official Store')
        from product p join seller s using (seller_id) join brand b using (brand_id)
        where s.seller_type = 'official'""")
    assert wrong == 0
    # 30% of products go to any seller, official stores included (5 of 25 by default).
    assert 0.05 < listed / 200_000 < 0.07


def test_products_are_listed_a_day_after_the_seller_joined_and_before_the_window(
        products: duckdb.DuckDBPyConnection) -> None:
    (bad,) = _one(products, f"""
        select count(*) from product p join seller s using (seller_id)
        where p.created_at < s.joined_at + interval 1 day
           or p.created_at >= timestamp '{DEFAULT_START}' - interval 1 day""")
    assert bad == 0


def test_names_read_like_brand_and_category_and_most_are_active(
        products: duckdb.DuckDBPyConnection) -> None:
    nouns = {n.name: n.nouns for n in TAXONOMY}
    for name, brand, category in products.execute("""
            select p.product_name, b.brand_name, c.category_name from product p
            join brand b using (brand_id) join category c using (category_id)
            using sample reservoir(2000 rows) repeatable (7)""").fetchall():
        assert name.startswith(brand + " ")
        assert any(noun in name for noun in nouns[category]), (name, category)
    (active,) = _one(products, "select avg(is_active::INTEGER) from product")
    assert 0.92 < active < 0.94


def test_popular_products_take_most_lines(products: duckdb.DuckDBPyConnection) -> None:
    (share,) = _one(products, """
        with per_product as (select product_id, count(*) as n from order_item group by all),
        ranked as (select n, row_number() over (order by n desc) as rk from per_product)
        select sum(n) filter (where rk <= 20000) / sum(n) from ranked""")
    assert share > 0.5  # the top 10% of 200,000 products


def test_same_seed_gives_identical_files_on_one_thread(
        run_cli: RunCli, many_products: Path, tmp_path: Path) -> None:
    again = _generate(run_cli, tmp_path / "again", *PRODUCTS, "--threads", "1")

    def files(folder: Path) -> dict[str, str]:
        manifest = json.loads((folder / MANIFEST_FILE).read_text())
        return {name: entry["sha256"] for name, entry in manifest["tables"].items()}

    assert files(again) == files(many_products)
    assert (again / "raw_product.csv").read_bytes() == \
        (many_products / "raw_product.csv").read_bytes()


# --- 100,000 sellers, 2,000 promotions, 200,003 promotion pairs -----------------------------------

def test_many_sellers_keep_the_type_shares_and_unique_names_and_emails(
        sellers: duckdb.DuckDBPyConnection) -> None:
    for name, check in RULES.items():
        assert check(sellers) == [], name
    shares = dict(sellers.execute("select seller_type, count(*) from seller group by all")
                  .fetchall())
    official, mall = seller_type_counts(100_000, 20)
    assert shares == {"official": official, "mall": mall,
                      "marketplace": 100_000 - official - mall}
    assert _one(sellers, "select count(distinct seller_name), count(distinct email) from seller") \
        == (100_000, 100_000)
    (bad_emails,) = _one(sellers, """select count(*) from seller
        where not regexp_matches(email, '^[a-z0-9-]+(\\.[0-9]+)?@sellers\\.example\\.com$')""")
    assert bad_emails == 0


def test_seller_ratings_pile_up_near_the_top(sellers: duckdb.DuckDBPyConnection) -> None:
    low, high, mean = _one(sellers, "select min(rating), max(rating), avg(rating) from seller")
    assert low >= 2.0 and high <= 5.0
    assert abs(float(mean) - (2.0 + 4.7 + 5.0) / 3) < 0.02


def test_promotion_pairs_are_spread_evenly_and_distinct(
        sellers: duckdb.DuckDBPyConnection) -> None:
    sizes = dict(sellers.execute("""
        select n, count(*) from (select promotion_id, count(*) as n from promotion_product
                                 group by all) group by all""").fetchall())
    assert sizes == {101: 3, 100: 1997}
    assert _one(sellers, "select count(distinct (promotion_id, product_id)) "
                         "from promotion_product") == (200_003,)


def test_flash_sales_fill_the_promotions_numbered_by_date(
        sellers: duckdb.DuckDBPyConnection) -> None:
    (unordered,) = _one(sellers, """
        select count(*) from (select starts_on, lag(starts_on) over (order by promotion_id)
                              as before from promotion) where starts_on < before""")
    assert unordered == 0
    (flash,) = _one(sellers, "select count(*) from promotion where promotion_name like 'Flash%'")
    assert 1_950 < flash < 2_000


# --- pure functions -------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 2, 6, 200, 30_030, 223_092_870, 2**31 - 1])
def test_promotion_walk_strides_are_distinct_and_coprime_with_the_product_count(n: int) -> None:
    strides = coprime_strides(n)
    assert strides and len(set(strides)) == len(strides)
    assert all(math.gcd(stride, n) == 1 for stride in strides)
    if n > 10_000:  # candidates lie further apart than the gaps between coprimes
        assert len(strides) == STRIDES


def test_sql_literals_round_trip_through_duckdb() -> None:
    con = duckdb.connect()
    value = ("O'Brien \\ Söhne", 3, 0.55, None, True, ["a", "b'c"])
    assert _one(con, "select " + ", ".join(sql_literal(v) for v in value)) == \
        ("O'Brien \\ Söhne", 3, 0.55, None, True, ["a", "b'c"])
