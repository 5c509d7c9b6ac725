"""The catalogue tables that grow with --rows, built set-based in DuckDB: seller, product (with
its popularity rank), the flash-sale promotions and promotion_product.

Every random value is `hash(seed, stream, key)` (rng.SqlRng), so a million products cost a few
statements, not a million Python calls, and the rows do not depend on the thread count. The small
inputs come from Python (reference.py: brands, the category tree, the shopping calendar, a pool of
company names) as small tables. Money is integer cents and the rating integer tenths until the
files are written. Where a DATA_SPEC rule is made true here, the comment names it.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Iterable, Sequence

import duckdb

from seeds_gen import interrupt
from seeds_gen.pools import ValuePools
from seeds_gen.reference import ReferenceData, seller_type_counts, slug
from seeds_gen.rng import SqlRng
from seeds_gen.schema import DUCKDB_TYPES, TABLES_BY_NAME
from seeds_gen.vocab import MODEL_CODES, SELLER_NAME_SUFFIXES, TAXONOMY

SECONDS_PER_DAY = 86_400
# DuckDB types of the staged tables: money in integer cents and the rating in integer tenths
# (exact until the file is written), everything else as schema.py declares it.
_STAGE_TYPES = {**DUCKDB_TYPES, "decimal": "BIGINT", "rating": "BIGINT"}
# Sellers join between six years and 400 days before the window; ratings pile up near the top,
# as on every marketplace: a triangular distribution from 2.0 to 5.0 with its mode at 4.7.
SELLER_JOINED_DAYS = (6 * 365, 400)
RATING_LOW, RATING_MODE, RATING_HIGH = 2.0, 4.7, 5.0
# Products: 30% listed by any seller (official stores included), the rest by a non-official one.
ANY_SELLER_PERCENT = 30
MODEL_CODE_PERCENT = 60
# Strides a promotion's walk over the products picks from (coprime_strides).
STRIDES = 64


def sql_literal(value: object) -> str:
    """A Python value as a DuckDB literal (small tables only: names, dates, word lists)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        return f"{value!r}::DOUBLE"  # a bare 0.55 would be a DECIMAL
    if isinstance(value, dt.datetime):
        return f"timestamp '{value.isoformat(sep=' ')}'"
    if isinstance(value, dt.date):
        return f"date '{value.isoformat()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(sql_literal(v) for v in value) + "]"
    raise TypeError(f"no SQL literal for {type(value).__name__}")


def create_small_table(con: duckdb.DuckDBPyConnection, name: str, types: dict[str, str],
                       rows: Iterable[Sequence[object]]) -> None:
    """A typed table from a few Python rows, as literals (no scratch file for a few rows)."""
    columns = ", ".join(f"{column} {kind}" for column, kind in types.items())
    con.execute(f"create or replace table {name} ({columns})")
    values = ",\n".join("(" + ", ".join(sql_literal(v) for v in row) + ")" for row in rows)
    if values:
        con.execute(f"insert into {name} values {values}")


def _stage_types(table: str) -> dict[str, str]:
    return {c.name: _STAGE_TYPES[c.type] for c in TABLES_BY_NAME[table].columns}


def _timestamp(day: dt.date) -> str:
    return f"timestamp '{day.isoformat()} 00:00:00'"


def slug_sql(expr: str) -> str:
    """reference.slug in SQL: ASCII letters and digits, runs of anything else as one '-'."""
    ascii_only = f"regexp_replace(strip_accents(lower({expr})), '[^\\x00-\\x7F]', '', 'g')"
    return f"trim(regexp_replace({ascii_only}, '[^a-z0-9]+', '-', 'g'), '-')"


# --- the small inputs, from Python ---------------------------------------------------------------

def register_reference(con: duckdb.DuckDBPyConnection, ref: ReferenceData) -> None:
    """brand and category as they are written, and what the catalogue draws from: each leaf
    category's price and words, each brand's SKU code, the calendar's promotions, companies."""
    for table in ("brand", "category"):
        columns = getattr(ref, table)
        create_small_table(con, f"t_{table}", _stage_types(table),
                           zip(*columns.values(), strict=True))
    nodes = {node.name: node for node in TAXONOMY}
    names = dict(zip(ref.category["category_id"], ref.category["category_name"], strict=True))
    create_small_table(con, "catalog_leaf", {
        "leaf_no": "INTEGER", "category_id": "INTEGER", "sku_code": "VARCHAR",
        "median_price": "DOUBLE", "price_sigma": "DOUBLE", "nouns": "VARCHAR[]",
        "adjectives": "VARCHAR[]",
    }, ((leaf_no, category_id, slug(node.name)[:3].upper(), node.median_price,
         node.price_sigma, node.nouns, node.adjectives)
        for leaf_no, category_id in enumerate(ref.leaves, start=1)
        for node in [nodes[names[category_id]]]))
    create_small_table(con, "catalog_brand_code", {"brand_id": "INTEGER", "sku_code": "VARCHAR"},
                       ((brand_id, slug(name)[:3].upper()) for brand_id, name in
                        zip(ref.brand["brand_id"], ref.brand["brand_name"], strict=True)))
    create_small_table(con, "catalog_calendar_promotion", {
        "starts_on": "DATE", "ends_on": "DATE", "promotion_name": "VARCHAR",
        "discount_type": "VARCHAR", "discount_value": "BIGINT",
    }, ref.calendar_promotions)
    create_small_table(con, "pool_company", {"idx": "BIGINT", "v": "VARCHAR"},
                       enumerate(ref.company_names))


# --- seller ---------------------------------------------------------------------------------------

def _triangular_sql(u: str) -> str:
    """The inverse CDF of the triangular distribution (RATING_LOW, RATING_MODE, RATING_HIGH)."""
    low, mode, high = RATING_LOW, RATING_MODE, RATING_HIGH
    at_mode, rising, falling = ((mode - low) / (high - low), (high - low) * (mode - low),
                                (high - low) * (high - mode))
    return (f"case when {u} < {at_mode!r} then {low!r} + sqrt({u} * {rising!r})"
            f" else {high!r} - sqrt((1 - {u}) * {falling!r}) end")


def build_sellers(con: duckdb.DuckDBPyConnection, rng: SqlRng, count: int, brands: int,
                  pools: ValuePools, companies: int, start: dt.date) -> None:
    """t_seller, with store_brand_id: the one brand an official store sells (NULL otherwise)."""
    official, mall = seller_type_counts(count, brands)
    earliest, latest = SELLER_JOINED_DAYS
    country = sql_literal(pools.country)
    con.execute(f"""
        create or replace table t_seller as
        with ranked as (
            -- Types are spread over the ids at random: ids ranked by hash, cut at exact counts.
            select range as seller_id,
                   row_number() over (order by {rng.bits('seller.type', 'range')}, range) - 1
                       as type_rank
            from range(1, {count + 1})
        ),
        store_brand as (
            -- Each official store sells its own brand: brands ranked by hash.
            select brand_id, brand_name,
                   row_number() over (order by {rng.bits('seller.store_brand', 'brand_id')},
                                      brand_id) - 1 as store_rank
            from t_brand
        ),
        drawn as (
            select
                r.seller_id,
                case when r.type_rank < {official} then 'official'
                     when r.type_rank < {official + mall} then 'mall'
                     else 'marketplace' end as seller_type,
                b.brand_id as store_brand_id,
                case
                    when r.type_rank < {official} then b.brand_name || ' Official Store'
                    -- Malls take the pool's names in turn: distinct while the pool lasts.
                    when r.type_rank < {official + mall} then c.v
                    else l.v || ' ' || list_extract({sql_literal(SELLER_NAME_SUFFIXES)}, 1
                        + {rng.below(len(SELLER_NAME_SUFFIXES), 'seller.name_suffix',
                                     'r.seller_id')})
                end as drawn_name
            from ranked r
            left join store_brand b on r.type_rank < {official} and b.store_rank = r.type_rank
            join pool_company c on c.idx = greatest(0, r.type_rank - {official}) % {companies}
            join pool_last l
                on l.idx = {rng.below(len(pools.last_names), 'seller.last_name', 'r.seller_id')}
        ),
        named as (
            -- Unique names: a repeated name is numbered ("Smith Store 2"). No drawn name ends in
            -- a digit (reference.company_names), so a numbered one never meets a drawn one.
            select *,
                drawn_name || case when name_no > 1 then ' ' || name_no else '' end
                    as seller_name
            from (select *, row_number() over (partition by drawn_name order by seller_id)
                            as name_no
                  from drawn)
        ),
        slugged as (
            select *, coalesce(nullif({slug_sql('seller_name')}, ''), 'seller') as mailbox
            from named
        )
        select
            s.seller_id::INTEGER as seller_id,
            s.seller_name,
            s.seller_type,
            -- Unique emails: two names may share a slug; the later seller adds ".<id>", and a
            -- slug never holds a '.', so that cannot meet another address either.
            s.mailbox || case when row_number() over (partition by s.mailbox
                                                      order by s.seller_id) > 1
                              then '.' || s.seller_id else '' end
                || '@sellers.example.com' as email,
            c.v as city,
            {country} as country,
            greatest(10, least(50, round(10 * ({_triangular_sql(
                rng.unit('seller.rating', 's.seller_id'))}))))::BIGINT as rating,
            {_timestamp(start)} - to_days({earliest}) + to_seconds({rng.below(
                (earliest - latest) * SECONDS_PER_DAY, 'seller.joined_at', 's.seller_id')})
                as joined_at,
            {rng.below(100, 'seller.is_active', 's.seller_id')} < 92 as is_active,
            s.store_brand_id::INTEGER as store_brand_id
        from slugged s
        join pool_city c on c.idx = {rng.below(len(pools.cities), 'seller.city', 's.seller_id')}
    """)


# --- product: prices by category (positively skewed), cost below price, rule 6 timing ---------

def build_products(con: duckdb.DuckDBPyConnection, rng: SqlRng, count: int, sellers: int,
                   brands: int, leaves: int, start: dt.date) -> None:
    """t_product with popularity_rank: a seeded permutation of the products (rank 0 sells most,
    basket.py's tiers cut the ranks)."""
    official, _ = seller_type_counts(sellers, brands)
    open_sellers = sellers - official
    con.execute("""
        create or replace table catalog_open_seller as
        select row_number() over (order by seller_id) - 1 as open_no, seller_id
        from t_seller where seller_type <> 'official'
    """)
    any_seller = f"{rng.below(100, 'product.any_seller', 'range')} < {ANY_SELLER_PERCENT}"
    if open_sellers == 0:  # only official stores: any seller it is
        any_seller = "true"
    key = "d.product_id"
    model = (  # " Pro 5", " X-200", " Max7"
        f"' ' || list_extract({sql_literal(MODEL_CODES)}, "
        f"1 + {rng.below(len(MODEL_CODES), 'product.model_code', key)}) "
        f"|| list_extract(['', ' ', '-'], 1 + {rng.below(3, 'product.model_joint', key)})"
        f" || (1 + {rng.below(9, 'product.model_number', key)})::VARCHAR "
        f"|| case when {rng.below(100, 'product.model_hundreds', key)} < 30 "
        "then '00' else '' end")
    # Box-Muller: a standard normal from two uniforms (1 - u lies in (0, 1], so ln is finite).
    normal = (f"sqrt(-2 * ln(1 - {rng.unit('product.price_radius', 'product_id')})) "
              f"* cos(2 * pi() * {rng.unit('product.price_angle', 'product_id')})")
    con.execute(f"""
        create or replace table t_product as
        with drawn as (
            select
                range as product_id,
                -- Popularity: a seeded permutation (ranked while the rows are still narrow).
                row_number() over (order by {rng.bits('product.popularity', 'range')}, range) - 1
                    as popularity_rank,
                -- Rule 2: products sit on leaf categories only.
                1 + {rng.below(leaves, 'product.category', 'range')} as leaf_no,
                case when {any_seller}
                     then 1 + {rng.below(sellers, 'product.seller', 'range')} end as any_seller_id,
                case when not ({any_seller})
                     then {rng.below(max(open_sellers, 1), 'product.open_seller', 'range')}
                end as open_no
            from range(1, {count + 1})
        ),
        placed as (
            select d.product_id, d.popularity_rank, d.leaf_no,
                   coalesce(d.any_seller_id, o.seller_id) as seller_id
            from drawn d left join catalog_open_seller o using (open_no)
        ),
        branded as (
            -- An official store's products carry its brand; other sellers list any brand.
            select p.*, s.joined_at,
                   coalesce(s.store_brand_id,
                            1 + {rng.below(brands, 'product.brand', 'p.product_id')}) as brand_id
            from placed p join t_seller s using (seller_id)
        ),
        named as (
            -- "<brand> <adjective> <noun>[ <model code>]" from the leaf category's words.
            select d.product_id, d.popularity_rank, d.seller_id, d.brand_id, d.joined_at,
                l.category_id,
                l.median_price, l.price_sigma,
                l.sku_code || '-' || c.sku_code || '-' || printf('%06d', d.product_id) as sku,
                b.brand_name
                    || ' ' || list_extract(l.adjectives, 1 + {rng.below(
                        'len(l.adjectives)', 'product.adjective', 'd.product_id')})
                    || ' ' || list_extract(l.nouns, 1 + {rng.below(
                        'len(l.nouns)', 'product.noun', 'd.product_id')})
                    || case when {rng.below(100, 'product.model', 'd.product_id')}
                                 < {MODEL_CODE_PERCENT}
                            then {model} else '' end as product_name
            from branded d
            join catalog_leaf l using (leaf_no)
            join t_brand b using (brand_id)
            join catalog_brand_code c using (brand_id)
        ),
        priced as (
            -- Lognormal around the category's median (vocab.TAXONOMY): a phone costs more than
            -- a T-shirt, and prices skew right.
            select *, median_price * exp(price_sigma * {normal}) as price
            from named
        ),
        ended as (
            -- Shop price endings: 3.49, 3.99, ... under 10; 24.99, 129.99, ... above.
            select *,
                case when price < 10 then greatest(49, floor(price * 2)::BIGINT * 50 + 49)
                     else floor(price)::BIGINT * 100 + 99 end as unit_price
            from priced
        )
        select
            product_id::INTEGER as product_id,
            sku,
            product_name,
            brand_id::INTEGER as brand_id,
            category_id::INTEGER as category_id,
            seller_id::INTEGER as seller_id,
            unit_price,
            -- Cost: 35% to 75% of the price, always inside (0, price).
            greatest(1, least(unit_price - 1, round(unit_price * (0.35 + 0.4 * {rng.unit(
                'product.cost', 'product_id')}))::BIGINT)) as cost_price,
            {rng.below(100, 'product.is_active', 'product_id')} < 93 as is_active,
            -- Rule 6: listed after its seller joined, before the window opens.
            joined_at + to_seconds({SECONDS_PER_DAY} + {rng.below(
                f"greatest(1, date_diff('second', joined_at, {_timestamp(start)}) "
                f"- {2 * SECONDS_PER_DAY})", 'product.created_at', 'product_id')})
                as created_at,
            popularity_rank
        from ended
    """)
    con.execute("drop table catalog_open_seller")


# --- promotion and promotion_product: rule 4's inputs -------------------------------------------

def build_promotions(con: duckdb.DuckDBPyConnection, rng: SqlRng, count: int, start: dt.date,
                     end: dt.date, calendar: int) -> None:
    """The calendar's promotions, and flash sales for the rest, numbered by date."""
    flash = count - calendar
    window_days = (end - start).days
    last_day = f"date '{(end - dt.timedelta(days=1)).isoformat()}'"
    con.execute(f"""
        create or replace table t_promotion as
        with flash as (
            select range as k,
                date '{start.isoformat()}'
                    + {rng.below(window_days, 'promotion.flash_start', 'range')}::INTEGER
                    as starts_on,
                case when {rng.below(2, 'promotion.flash_kind', 'range')} = 0 then 'percentage'
                     else 'fixed_amount' end as discount_type
            from range(1, {flash + 1})
        ),
        promotions as (
            select starts_on, ends_on, promotion_name, discount_type, discount_value
            from catalog_calendar_promotion
            union all
            select
                starts_on,
                least(starts_on + {rng.below(3, 'promotion.flash_length', 'k')}::INTEGER,
                      {last_day}) as ends_on,
                'Flash Sale #' || k as promotion_name,
                discount_type,
                case discount_type
                    when 'percentage' then (5 + {rng.below(36, 'promotion.flash_value', 'k')}) * 100
                    else (4 + {rng.below(37, 'promotion.flash_value', 'k')}) * 50
                end as discount_value  -- cents; a percentage of 25 is 2500
            from flash
        )
        select
            row_number() over (order by starts_on, ends_on, promotion_name, discount_type,
                                        discount_value)::INTEGER as promotion_id,
            promotion_name,
            discount_type,
            discount_value::BIGINT as discount_value,
            starts_on,
            ends_on
        from promotions
    """)


def coprime_strides(n: int, count: int = STRIDES) -> tuple[int, ...]:
    """Up to `count` distinct strides coprime with n, spread over [1, n]: a walk over n products
    with any of them visits each product once before it repeats."""
    strides: dict[int, None] = {}
    for i in range(count):
        candidate = 1 + i * max(n - 1, 1) // count
        while math.gcd(candidate, n) != 1:  # ends by n + 1 at the latest
            candidate += 1
        strides.setdefault(candidate, None)
    return tuple(strides)


def build_promotion_products(con: duckdb.DuckDBPyConnection, rng: SqlRng, count: int,
                             promotions: int, products: int) -> None:
    """`count` distinct (promotion, product) pairs, spread evenly over the promotions.

    Pair k belongs to promotion p (the first count % promotions take one more) as its j-th
    product; promotion p walks the products from a random start with a random stride coprime
    with the product count, so its j-th and i-th products differ: distinct without a dedupe.
    """
    if count == 0:
        create_small_table(con, "t_promotion_product",
                           {"promotion_id": "INTEGER", "product_id": "INTEGER"}, [])
        return
    base, extra = divmod(count, promotions)
    larger = base + 1  # pairs of each of the first `extra` promotions
    strides = coprime_strides(products)
    con.execute(f"""
        create or replace table t_promotion_product as
        with walks as (
            select range as promotion_id,
                {rng.below(products, 'promotion_product.start', 'range')} as start,
                list_extract({sql_literal(strides)},
                             1 + {rng.below(len(strides), 'promotion_product.stride', 'range')})
                    as stride
            from range(1, {min(promotions, count) + 1})
        ),
        pairs as (
            select
                case when k < {extra * larger} then 1 + k // {larger}
                     else {1 + extra} + (k - {extra * larger}) // {max(base, 1)}
                end as promotion_id,
                case when k < {extra * larger} then k % {larger}
                     else (k - {extra * larger}) % {max(base, 1)}
                end as j
            from range({count}) pair_keys(k)
        )
        select p.promotion_id::INTEGER as promotion_id,
               (1 + (s.start + p.j * s.stride) % {products})::INTEGER as product_id
        from pairs p join walks s using (promotion_id)
    """)


def build_catalogue(con: duckdb.DuckDBPyConnection, rng: SqlRng, ref: ReferenceData,
                    pools: ValuePools, counts: dict[str, int], start: dt.date, end: dt.date
                    ) -> dict[str, float]:
    """Every reference table in DuckDB (t_<table>); returns seconds spent per table. Needs the
    Faker pools registered (transactions.register_pools)."""
    seconds: dict[str, float] = {}
    t = time.perf_counter()

    def done(table: str) -> None:
        nonlocal t
        now = time.perf_counter()
        seconds[table] = now - t
        t = now
        interrupt.check()  # a stopped run goes no further

    register_reference(con, ref)
    done("category")
    build_sellers(con, rng, counts["seller"], counts["brand"], pools, len(ref.company_names),
                  start)
    done("seller")
    build_products(con, rng, counts["product"], counts["seller"], counts["brand"],
                   len(ref.leaves), start)
    done("product")
    build_promotions(con, rng, counts["promotion"], start, end, len(ref.calendar_promotions))
    done("promotion")
    build_promotion_products(con, rng, counts["promotion_product"], counts["promotion"],
                             counts["product"])
    done("promotion_product")
    return seconds
