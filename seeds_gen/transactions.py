"""The large tables (customer, orders, order_item) and product stock, vectorised in DuckDB.

Each statement below is set-based and every random draw is `hash(seed, stream, row keys)`, so the
result is the same whatever the thread count. Money stays integer cents until the CSV is written.
The rule each step makes true is named beside it.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from seeds_gen.basket import order_line_sql
from seeds_gen.calendar import hour_buckets
from seeds_gen.parts import KeyRange
from seeds_gen.pools import EMAIL_DOMAINS, ValuePools
from seeds_gen.rng import SqlRng
from seeds_gen.schema import PAYMENT_METHODS
from seeds_gen.timeline import (
    MAX_ORDER_LIFE_SECONDS,
    Cut,
    Since,
    count_at_or_before,
    order_state_sql,
    order_steps_sql,
    restock_period_end,
    restock_start_sql,
)
from seeds_gen.writer import cents

SECONDS_PER_DAY = 86_400
# Customers who signed up before the window: a quarter, over the two years before it.
PRE_WINDOW_SHARE = 4
PRE_WINDOW_SECONDS = 730 * SECONDS_PER_DAY
# Lines per order: integer weights from LINE_WEIGHT_LOW up to MAX_LINE_SPREAD times that.
LINE_WEIGHT_LOW = 2
MAX_LINE_SPREAD = 25
# Orders share their lines block by block, each block its exact share of the total (rule 8), so a
# part or chunk needs the weights of at most two blocks beyond its own orders.
ORDERS_PER_BLOCK = 8192
# Units on one order line: 1 to 4, or a bulk 5 to MAX_QUANTITY.
MAX_QUANTITY = 10
# How customers pay: each method of schema.PAYMENT_METHODS with its share in percent.
PAYMENT_SHARES = dict(zip(PAYMENT_METHODS, (45, 20, 20, 8, 7), strict=True))


def register_columns(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, list[Any]],
                     types: dict[str, str]) -> None:
    """Create a DuckDB table from Python column lists.

    The lists travel through a scratch CSV: DuckDB reads a file in milliseconds, while binding
    Python lists as query parameters costs seconds per ten thousand values.
    """
    path = _scratch_dir(con) / f"{name}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(zip(*columns.values(), strict=True))
    spec = ", ".join(f"'{col}': '{types[col]}'" for col in columns)
    con.execute(f"""
        create or replace table {name} as
        select * from read_csv('{_quote(path)}', header = true, columns = {{{spec}}},
                               nullstr = '', quote = '"', escape = '"', auto_detect = false)
    """)
    path.unlink()


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _scratch_dir(con: duckdb.DuckDBPyConnection) -> Path:
    """The folder DuckDB spills to (set by the caller inside the run's staging folder)."""
    row = con.execute("select current_setting('temp_directory')").fetchone()
    folder = Path(row[0]) if row and row[0] else Path(tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def load_reference(con: duckdb.DuckDBPyConnection) -> None:
    """What the order stage reads of the catalogue (catalog.py's t_ tables), as views: products
    by popularity rank with their price, the promotions and their products."""
    con.execute("""
        create or replace view ref_product_rank as
        select popularity_rank as rank, product_id::BIGINT as product_id,
               unit_price as price_cents
        from t_product""")
    con.execute("""
        create or replace view ref_promotion as
        select promotion_id::BIGINT as promotion_id, discount_type,
               discount_value as value_cents, starts_on, ends_on
        from t_promotion""")
    con.execute("""
        create or replace view ref_promotion_product as
        select promotion_id::BIGINT as promotion_id, product_id::BIGINT as product_id
        from t_promotion_product""")


def _pool_table(con: duckdb.DuckDBPyConnection, name: str, values: Sequence[str]) -> None:
    register_columns(con, name, {"idx": list(range(len(values))), "v": list(values)},
                     {"idx": "BIGINT", "v": "VARCHAR"})


@dataclass(frozen=True)
class Shape:
    """What every part of the large tables derives from the settings alone: row counts and the
    order window. A part needs no other part's rows, only these numbers."""

    customers: int
    orders: int
    lines: int
    products: int
    start: dt.date
    end: dt.date

    @property
    def pre_window_customers(self) -> int:
        return max(1, self.customers // PRE_WINDOW_SHARE)

    @property
    def window_customers(self) -> int:
        """The divisor of the signup curve (at least 1, even when no customer is left for it)."""
        return max(1, self.customers - self.pre_window_customers)

    @property
    def window_seconds(self) -> int:
        return (self.end - self.start).days * SECONDS_PER_DAY

    @property
    def extra_lines(self) -> int:
        """Lines beyond each order's first."""
        return self.lines - self.orders

    @property
    def start_ts(self) -> str:
        return f"timestamp '{self.start.isoformat()} 00:00:00'"

    @property
    def line_weight_high(self) -> int:
        return line_weight_high(self)


def shape_of(counts: dict[str, int], start: dt.date, end: dt.date) -> Shape:
    return Shape(counts["customer"], counts["orders"], counts["order_item"], counts["product"],
                 start, end)


# --- customers: rule 6's "signed up before" as a formula of the customer id ---------------------

def _signup_offset_sql(rng: SqlRng, shape: Shape, customer_id: str) -> str:
    """Seconds from the window's start to the signup of a window customer (id > pre-window)."""
    pre = shape.pre_window_customers
    # Signups grow over the window: density 1 + t, inverted with sqrt.
    return f"""floor((sqrt(1 + 3 * (
                ({customer_id} - {pre} - 1) + {rng.unit('customer.signup', customer_id)}
            ) / {shape.window_customers}) - 1) * {shape.window_seconds})::BIGINT"""


def signup_sql(rng: SqlRng, shape: Shape, customer_id: str = "customer_id") -> str:
    """signed_up_at of a customer. Ids follow signup order, so "signed up before t" is a prefix
    of ids (rule 6), which signed_up_before_sql counts without looking at any customer row."""
    pre = shape.pre_window_customers
    return f"""case
            when {customer_id} <= {pre} then
                -- Stratified: customer k takes a random second of the k-th slice.
                {shape.start_ts} - to_seconds({PRE_WINDOW_SECONDS})
                + to_seconds((({customer_id} - 1) * {PRE_WINDOW_SECONDS}
                    + {rng.below(PRE_WINDOW_SECONDS, 'customer.signup', customer_id)})
                    // {pre})
            else {shape.start_ts} + to_seconds({_signup_offset_sql(rng, shape, customer_id)})
        end"""


def signed_up_before_sql(rng: SqlRng, shape: Shape, instant: str) -> str:
    """How many customers signed up strictly before `instant` (a timestamp in the window).

    Every pre-window customer did. Window customer j (from 0) signs up at
    floor((sqrt(1 + 3 (j + u_j) / n) - 1) w) seconds, increasing in j, so they form a prefix whose
    length the inverse curve gives to within a customer or two; the five ids around it are then
    checked with the very expression that dated them, so the count is exact.
    """
    pre = shape.pre_window_customers
    window_count = shape.customers - pre  # those that exist (window_customers is a divisor)
    seconds = f"date_diff('second', {shape.start_ts}, {instant})"
    guess = (f"greatest(0, floor({shape.window_customers} * (pow({seconds} / "
             f"{shape.window_seconds}.0 + 1, 2) - 1) / 3)::BIGINT - 2)")
    probes = " + ".join(
        f"(case when g.base + {i} < {window_count} and "
        f"{_signup_offset_sql(rng, shape, f'({pre} + 1 + g.base + {i})')} < g.seconds "
        "then 1 else 0 end)"
        for i in range(5))
    return f"""({pre} + (
            select least({window_count}, g.base + {probes})
            from (select {guess} as base, {seconds} as seconds) g))"""


def customers_query(rng: SqlRng, pools: ValuePools, shape: Shape, keys: KeyRange) -> str:
    """The customers of one key range: signup, then names, contacts and city drawn from the
    Faker pools (register_pools) by hash. A query streamed to the file: nothing is held."""
    return f"""
        with signed as (
            select customer_id, {signup_sql(rng, shape)} as signed_up_at
            from (select range as customer_id from range({keys.first}, {keys.last + 1}))
        ),
        drawn as (
            select
                customer_id,
                signed_up_at,
                {rng.below(len(pools.first_names), 'customer.first_name', 'customer_id')} as fi,
                {rng.below(len(pools.last_names), 'customer.last_name', 'customer_id')} as li,
                {rng.below(len(pools.cities), 'customer.city', 'customer_id')} as ci,
                {rng.below(len(pools.phones), 'customer.phone', 'customer_id')} as pi,
                {rng.below(len(EMAIL_DOMAINS), 'customer.email', 'customer_id')} as di,
                {rng.below(10_000, 'customer.phone_tail', 'customer_id')} as phone_tail
            from signed
        )
        select
            d.customer_id,
            f.v as first_name,
            l.v as last_name,
            coalesce(nullif(regexp_replace(lower(strip_accents(f.v)), '[^a-z]', '', 'g'), ''),
                     'customer')
                || '.'
                || coalesce(nullif(regexp_replace(lower(strip_accents(l.v)), '[^a-z]', '', 'g'),
                                   ''), 'shopper')
                || d.customer_id::VARCHAR || '@' || m.v as email,
            -- A pooled local format with its last four digits drawn per customer.
            regexp_replace(p.v, '[0-9]{{4}}([^0-9]*)$',
                           lpad(d.phone_tail::VARCHAR, 4, '0') || '\\1') as phone,
            c.v as city,
            '{pools.country.replace("'", "''")}' as country,
            d.signed_up_at
        from drawn d
        join pool_first f on f.idx = d.fi
        join pool_last l on l.idx = d.li
        join pool_city c on c.idx = d.ci
        join pool_phone p on p.idx = d.pi
        join pool_domain m on m.idx = d.di
        order by d.customer_id
    """


def register_pools(con: duckdb.DuckDBPyConnection, pools: ValuePools) -> None:
    _pool_table(con, "pool_first", pools.first_names)
    _pool_table(con, "pool_last", pools.last_names)
    _pool_table(con, "pool_city", pools.cities)
    _pool_table(con, "pool_phone", pools.phones)
    _pool_table(con, "pool_domain", EMAIL_DOMAINS)


# --- orders: time, customer, status, and how many lines (rule 8) --------------------------------

def line_weight_high(shape: Shape) -> int:
    """The largest per-order line weight that keeps every order within the catalogue (rule 8).

    Each block of ORDERS_PER_BLOCK orders shares its exact share of the extra lines in
    proportion to weights in [LO, HI]: an order gets at most ceil(E w / W) extra lines, where E
    is its block's extra lines and W >= w + (n - 1) LO the block's weight. The few distinct
    (block size, E) pairs are checked for the largest HI (HI = LO always fits: config.validate
    keeps lines <= orders * products).
    """
    lo, n_orders, extra = LINE_WEIGHT_LOW, shape.orders, shape.extra_lines
    if extra <= 0:
        return lo
    full_blocks = n_orders // ORDERS_PER_BLOCK
    cases: set[tuple[int, int]] = set()
    if full_blocks:
        share = extra * ORDERS_PER_BLOCK // n_orders
        cases |= {(ORDERS_PER_BLOCK, share), (ORDERS_PER_BLOCK, share + 1)}
    last = n_orders - full_blocks * ORDERS_PER_BLOCK
    if last:
        cases.add((last, extra - extra * (full_blocks * ORDERS_PER_BLOCK) // n_orders))
    for hi in range(lo * MAX_LINE_SPREAD, lo, -1):
        if all(-(-block_extra * hi // (hi + (size - 1) * lo)) <= shape.products - 1
               for size, block_extra in cases):
            return hi
    return lo


def register_calendar(con: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date) -> int:
    """The hourly weights of the order window as a table; returns their total."""
    buckets = hour_buckets(start, end)
    weights = [w for _, w in buckets]
    cum = [0]
    for w in weights[:-1]:
        cum.append(cum[-1] + w)
    register_columns(con, "calendar_bucket", {
        "bucket_start": [b for b, _ in buckets], "weight": weights, "cum_before": cum,
    }, {"bucket_start": "TIMESTAMP", "weight": "BIGINT", "cum_before": "BIGINT"})
    return cum[-1] + weights[-1]


def build_order_header(con: duckdb.DuckDBPyConnection, rng: SqlRng, shape: Shape,
                       total_weight: int, keys: KeyRange) -> None:
    """Order headers of one key range: time, customer, payment, the instants of every step of
    its life and line counts (its state as of an instant is timeline.order_state_sql). Needs
    only the calendar (register_calendar) and, for the line counts, the weights of the whole
    blocks the range touches."""
    count, extra, lo, hi = shape.orders, shape.extra_lines, LINE_WEIGHT_LOW, shape.line_weight_high
    block = ORDERS_PER_BLOCK
    first_block = (keys.first - 1) // block
    last_id = min(count, ((keys.last - 1) // block + 1) * block)
    con.execute(f"""
        create or replace temp table order_header as
        with block_ids as (
            select range as order_id, (range - 1) // {block} as block
            from range({first_block * block + 1}, {last_id + 1})
        ),
        rolled as (
            select order_id, block,
                {rng.below(1000, 'orders.line_weight', 'order_id')} as line_roll,
                {rng.below(1_000_000_000, 'orders.line_dither', 'order_id')} as line_dither
            from block_ids
        ),
        weighted as (
            select order_id, block,
                -- lo + floor((hi - lo) * r**3 + u): skewed to light orders, randomly rounded so
                -- that even a narrow range [lo, hi] gives orders of different sizes.
                {lo} + (({hi} - {lo}) * line_roll * line_roll * line_roll + line_dither)
                    // 1000000000 as line_weight
            from rolled
        ),
        cumulative as (
            select *,
                (sum(line_weight) over (partition by block order by order_id
                                        rows unbounded preceding))::BIGINT as cum_weight,
                (sum(line_weight) over (partition by block))::BIGINT as block_weight
            from weighted
        ),
        allotted as (
            -- Rule 8: block b gets exactly its share of the extra lines, whatever the part.
            select order_id, line_weight, cum_weight, block_weight,
                ({extra} * block * {block}) // {count} as block_extra_before,
                ({extra} * least((block + 1) * {block}, {count})) // {count}
                    - ({extra} * block * {block}) // {count} as block_extra
            from cumulative
            where order_id between {keys.first} and {keys.last}
        ),
        counted as (
            select order_id,
                block_extra_before
                    + (block_extra * (cum_weight - line_weight)) // block_weight as extra_before,
                1 + (block_extra * cum_weight) // block_weight
                  - (block_extra * (cum_weight - line_weight)) // block_weight as line_count
            from allotted
        ),
        placed as (
            -- Stratified over the weighted calendar, so order ids follow time (exact integers).
            select order_id, extra_before, line_count,
                   ((order_id - 1) * {total_weight}
                    + {rng.below(total_weight, 'orders.ordered_at', 'order_id')}) // {count}
                       as target
            from counted
        ),
        timed as (
            select p.order_id, p.extra_before, p.line_count,
                   b.bucket_start + to_seconds(((p.target - b.cum_before) * 3600) // b.weight)
                       as ordered_at
            from placed p
            asof join calendar_bucket b on p.target >= b.cum_before
        ),
        customers as (
            -- Rule 6: an order's customer signed up strictly before it.
            select *,
                   1 + {rng.below(signed_up_before_sql(rng, shape, 'ordered_at'),
                                  'orders.customer_id', 'order_id')} as customer_id
            from timed
        ),
        stepped as (
            -- Rule 6 and 9: every step happens at an instant of the world (timeline.py).
            select *, {order_steps_sql(rng)},
                {rng.below(100, 'orders.payment_method', 'order_id')} as pay_roll
            from customers
        )
        select
            order_id,
            customer_id,
            ordered_at,
            {_payment_method_sql('pay_roll')} as payment_method,
            paid_w, shipped_w, delivered_w, cancelled_w, returned_w,
            extra_before,
            line_count
        from stepped
    """)


def _payment_method_sql(roll: str) -> str:
    """Each of schema.PAYMENT_METHODS for its share of `roll` (0 to 99)."""
    whens, upto = [], 0
    for method, share in list(PAYMENT_SHARES.items())[:-1]:
        upto += share
        whens.append(f"when {roll} < {upto} then '{method}'")
    return f"case {' '.join(whens)} else '{PAYMENT_METHODS[-1]}' end"


def ordered_at_of_sql(rng: SqlRng, shape: Shape, total_weight: int, order_id: str) -> str:
    """ordered_at of one order (a scalar subquery), as build_order_header places it: for
    counting the orders placed by an instant (timeline.count_at_or_before)."""
    return f"""(
        select b.bucket_start + to_seconds(((p.target - b.cum_before) * 3600) // b.weight)
        from (select ((({order_id}) - 1) * {total_weight}
                      + {rng.below(total_weight, 'orders.ordered_at', order_id)})
                     // {shape.orders} as target) p
        asof join calendar_bucket b on p.target >= b.cum_before)"""


def build_best_offers(con: duckdb.DuckDBPyConnection) -> None:
    """Rule 4 as a lookup: for every product, day of this chunk's orders and quantity a line
    can have, the promotion that gives the largest discount (ties: the lowest promotion_id),
    with that discount to the cent, in integer arithmetic. A few rows per promoted product-day,
    so the lines need one join instead of a ranking of their own offers."""
    con.execute(f"""
        create or replace temp table best_offer as
        with days as (
            select min(ordered_at)::DATE as first_day, max(ordered_at)::DATE as last_day
            from order_header
        ),
        covered as (
            select pp.product_id, p.promotion_id, p.discount_type, p.value_cents,
                   unnest(generate_series(greatest(p.starts_on, d.first_day),
                                          least(p.ends_on, d.last_day), interval 1 day))::DATE
                       as ordered_on
            from ref_promotion p
            join ref_promotion_product pp using (promotion_id)
            cross join days d
            where p.starts_on <= d.last_day and p.ends_on >= d.first_day
        ),
        offers as (
            select c.product_id, c.ordered_on, q.quantity, c.promotion_id,
                case c.discount_type
                    when 'percentage'
                        then (q.quantity * r.price_cents * c.value_cents + 5000) // 10000
                    else q.quantity * least(c.value_cents, r.price_cents)
                end as discount_cents
            from covered c
            join ref_product_rank r using (product_id)
            cross join (select range as quantity from range(1, {MAX_QUANTITY + 1})) q
        )
        select product_id, ordered_on, quantity, promotion_id, discount_cents
        from offers
        qualify row_number() over (
            partition by product_id, ordered_on, quantity order by discount_cents desc, promotion_id
        ) = 1
    """)


def build_order_items(con: duckdb.DuckDBPyConnection, rng: SqlRng, products: int) -> None:
    """Order lines: distinct skewed products, prices, the best promotion, line totals."""
    # Rule 8: the lines of one order are distinct products (see basket.py); the order's
    # first line id and date ride along, so the lines need no join back to their order.
    con.execute("create or replace temp view order_line as " + order_line_sql(
        rng, products, "order_header", carry=("extra_before", "ordered_at")))
    build_best_offers(con)
    con.execute(f"""
        create or replace temp table order_item as
        with rolled as (
            select *, {rng.below(100, 'order_item.quantity', 'order_id', 'line_no')} as roll
            from order_line
        ),
        lines as (
            select
                l.order_id + l.extra_before + l.line_no - 1 as order_item_id,
                l.order_id,
                r.product_id,
                -- Mostly single units, sometimes a few (at most MAX_QUANTITY).
                case
                    when l.roll < 70 then 1 when l.roll < 88 then 2 when l.roll < 95 then 3
                    when l.roll < 98 then 4
                    else 5 + {rng.below(MAX_QUANTITY - 4, 'order_item.quantity_bulk',
                                        'l.order_id', 'l.line_no')}
                end as quantity,
                r.price_cents,  -- rule 3: the line carries the product's price
                l.ordered_at::DATE as ordered_on
            from rolled l
            join ref_product_rank r on r.rank = l.rank
        )
        select
            l.order_item_id,
            l.order_id,
            l.product_id,
            l.quantity,
            l.price_cents,
            o.promotion_id,
            coalesce(o.discount_cents, 0) as discount_cents,
            -- Rule 5: line_total = quantity * unit_price - discount_amount.
            l.quantity * l.price_cents - coalesce(o.discount_cents, 0) as line_total_cents
        from lines l
        left join best_offer o using (product_id, ordered_on, quantity)
    """)


def finish_orders(con: duckdb.DuckDBPyConnection, rng: SqlRng) -> None:
    """Rule 5: order amounts are the sums of their lines, exactly, plus the shipping fee."""
    con.execute(f"""
        create or replace temp table orders as
        with sums as (
            select order_id,
                   sum(quantity * price_cents) as subtotal_cents,
                   sum(discount_cents) as discount_cents
            from order_item group by order_id
        ),
        priced as (
            select h.*, s.subtotal_cents, s.discount_cents,
                   case
                       when {rng.below(100, 'orders.express', 'h.order_id')} < 6 then 1299
                       when s.subtotal_cents - s.discount_cents >= 5000 then 0
                       else 499
                   end as shipping_cents
            from order_header h join sums s using (order_id)
        )
        select order_id, customer_id, ordered_at, payment_method,
               paid_w, shipped_w, delivered_w, cancelled_w, returned_w,
               subtotal_cents, discount_cents, shipping_cents,
               subtotal_cents - discount_cents + shipping_cents as total_cents
        from priced
    """)


# Export queries of one chunk: columns in schema order, money from integer cents to exact
# decimals, rows in key order; only the orders placed by the as-of (the chunk may hold orders
# after it, computed for the stock alone).
def orders_row_sql(at: str) -> str:
    """An orders row as of the instant `at` (a SQL expression), from the chunk's `orders`."""
    return f"""order_id, customer_id, ordered_at, status, payment_method,
           paid_at, shipped_at, delivered_at, cancelled_at, returned_at, updated_at,
           {cents('subtotal_cents')} as subtotal_amount,
           {cents('discount_cents')} as discount_amount,
           {cents('shipping_cents')} as shipping_fee,
           {cents('total_cents')} as total_amount"""


def orders_export(cut: Cut) -> str:
    return f"""
    select {orders_row_sql(cut.as_of_sql)}
    from (select *, {order_state_sql(cut.as_of_sql)} from orders
          where order_id <= {cut.orders})
    order by order_id"""


ORDER_ITEM_COLUMNS = f"""order_item_id, order_id, product_id, quantity,
           {cents('price_cents')} as unit_price, promotion_id,
           {cents('discount_cents')} as discount_amount,
           {cents('line_total_cents')} as line_total"""


def order_item_export(cut: Cut) -> str:
    return f"""
    select {ORDER_ITEM_COLUMNS}
    from order_item where order_id <= {cut.orders} order by order_item_id"""


# --- stock: rule 7 needs every line, so parts hand over their sums --------------------------------

# Per product, summed (or, for instants in epoch seconds, maxed) over chunks and parts: units in
# orders placed by the as-of and not cancelled by then; units the warehouse has received for the
# orders of the restock periods begun by the as-of; the last sale or cancellation by the as-of;
# the last restock of the product by the as-of.
SOLD_COLUMNS = {"product_id": "BIGINT", "units": "BIGINT", "restocked": "BIGINT",
                "last_sale": "BIGINT", "last_restock": "BIGINT"}


def create_sold(con: duckdb.DuckDBPyConnection) -> None:
    """Units sold per product, summed chunk by chunk (and part by part)."""
    columns = ", ".join(f"{name} {kind}" for name, kind in SOLD_COLUMNS.items())
    con.execute(f"create or replace table sold ({columns})")


def add_sold(con: duckdb.DuckDBPyConnection, cut: Cut, start: dt.date) -> None:
    """Add this chunk's stock movements as of the cut (rule 7) to `sold`. The chunk's orders
    are all placed before the end of the as-of's restock period."""
    at = cut.as_of_sql
    con.execute(f"""
        insert into sold
        select i.product_id,
               sum(case when o.ordered_at <= {at} and not coalesce(o.cancelled_w <= {at}, false)
                        then i.quantity else 0 end),
               sum(i.quantity),
               max(epoch(greatest(
                   case when o.ordered_at <= {at} then o.ordered_at end,
                   case when o.cancelled_w <= {at} then o.cancelled_w end)))::BIGINT,
               max(epoch({restock_start_sql(start, 'o.ordered_at')}))::BIGINT
        from order_item i join orders o using (order_id)
        group by i.product_id
    """)


def sold_totals_query() -> str:
    """One row per product that sold, in product order: what a part hands to the stock."""
    return ("select product_id, sum(units)::BIGINT as units, "
            "sum(restocked)::BIGINT as restocked, max(last_sale) as last_sale, "
            "max(last_restock) as last_restock from sold group by product_id order by product_id")


def build_stock(con: duckdb.DuckDBPyConnection, rng: SqlRng, sold_relation: str) -> None:
    """Rule 7: stock on hand is what was received minus units sold in non-cancelled orders.

    Each product arrives with an initial stock at its creation; at the start of every restock
    period the warehouse receives the units that period's orders take, so stock never falls below
    the initial one at any instant. `sold_relation` has one or more rows per product (the parts'
    sums), summed here. updated_at is the product's last stock change, or its creation."""
    con.execute(f"""
        create or replace table product_stock as
        with sold as (
            select product_id, sum(units) as units, sum(restocked) as restocked,
                   max(last_sale) as last_sale, max(last_restock) as last_restock
            from {sold_relation} group by product_id
        ),
        initial as (
            select product_id, created_at,
                   case when {rng.below(100, 'product.out_of_stock', 'product_id')} < 8 then 0
                        else 5 + {rng.below(300, 'product.stock', 'product_id')} end as units
            from t_product
        )
        select h.product_id,
               h.units + coalesce(s.restocked, 0) - coalesce(s.units, 0) as stock_quantity,
               h.units + coalesce(s.restocked, 0) as received_quantity,
               greatest(h.created_at, coalesce(make_timestamp(s.last_sale * 1000000), h.created_at),
                        coalesce(make_timestamp(s.last_restock * 1000000), h.created_at))
                   as updated_at
        from initial h left join sold s using (product_id)
    """)


def cut_at(con: duckdb.DuckDBPyConnection, rng: SqlRng, shape: Shape, total_weight: int,
           as_of: dt.datetime, since: dt.datetime | None = None) -> Cut:
    """The keys that exist as of `as_of`, and as of `since` for a change set (needs the
    calendar: register_calendar)."""
    def signed_up(instant: dt.datetime) -> int:
        return count_at_or_before(con, lambda key: signup_sql(rng, shape, key),
                                  shape.customers, instant)

    def placed(instant: dt.datetime) -> int:
        return count_at_or_before(
            con, lambda key: ordered_at_of_sql(rng, shape, total_weight, key), shape.orders,
            instant)

    restock_end = restock_period_end(shape.start, as_of) - dt.timedelta(seconds=1)
    window = None
    if since is not None:
        oldest = since - dt.timedelta(seconds=MAX_ORDER_LIFE_SECONDS)
        window = Since(since, signed_up(since), placed(since), placed(oldest) + 1)
    return Cut(as_of, signed_up(as_of), placed(as_of), placed(restock_end), window)
