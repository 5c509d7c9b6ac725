"""The change set of (T0, as-of] (DATA_SPEC rule 10): every row inserted or updated in that
interval, one row per change with the row as it stood right after it, `_op` and `_changed_at`.

Chunks add their changes to shared tables as they go (chg_<table>); the files are written at
the end in `_changed_at` order, so a reader applies them top to bottom. A row changes at most
once per instant (an order's steps are strictly increasing; a product's movements at one instant
are one change), so the order is total within a table. Rows of different tables may share an
instant: apply them parents first (customer, orders, order_item, product), as the files list
them in the manifest.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from seeds_gen.schema import TABLES, Column, Table
from seeds_gen.timeline import ORDER_STEPS, Cut, Since, order_state_sql, restock_start_sql
from seeds_gen.transactions import ORDER_ITEM_COLUMNS, orders_row_sql

OPS = ("insert", "update")
CHANGE_COLUMNS = (Column("_changed_at", "timestamp"), Column("_op", "text", length=6))


def change_table(table: Table) -> Table:
    """A table's change file: when and what, then the row after the change."""
    return Table(table.name, 0, table.scaled, (*CHANGE_COLUMNS, *table.columns),
                 ("_changed_at", *table.primary_key))


def create_change_tables(con: duckdb.DuckDBPyConnection) -> None:
    for table in TABLES:
        columns = ", ".join(f'"{c.name}" {c.duckdb_type}' for c in change_table(table).columns)
        con.execute(f"create or replace table chg_{table.name} ({columns})")
    # A product's stock movements, summed per instant at the end (stock and units received).
    con.execute("create or replace table chg_product_delta (product_id BIGINT, moved_at TIMESTAMP, "
                "stock BIGINT, received BIGINT)")


def _interval(column: str, since: Since, cut: Cut) -> str:
    return f"({column} > {since.instant_sql} and {column} <= {cut.as_of_sql})"


def add_order_changes(con: duckdb.DuckDBPyConnection, cut: Cut, start: dt.date,
                      written: bool) -> None:
    """This chunk's changes (its `orders` and `order_item` tables): each order's insert and
    step updates in the interval, the lines of the orders placed in it, and the stock
    movements: sales, cancellations giving units back, and restocks (whose units the chunk's
    orders after the as-of may also make up: `written` False)."""
    since = cut.since
    assert since is not None
    if written:
        events = " union all ".join(
            [f"select *, ordered_at as _at, 'insert' as _op from orders "
             f"where {_interval('ordered_at', since, cut)}"]
            + [f"select *, {step}_w, 'update' from orders "
               f"where order_id >= {since.first_changing_order} and "
               f"{_interval(f'{step}_w', since, cut)}" for step in ORDER_STEPS])
        con.execute(f"""
            insert into chg_orders
            select _at, _op, {orders_row_sql('_at')}
            from (select *, {order_state_sql('_at')} from ({events}))""")
        con.execute(f"""
            insert into chg_order_item
            select o.ordered_at, 'insert', {ORDER_ITEM_COLUMNS}
            from order_item join (select order_id, ordered_at from orders) o using (order_id)
            where {_interval('o.ordered_at', since, cut)}""")
    restock = restock_start_sql(start, "o.ordered_at")
    con.execute(f"""
        insert into chg_product_delta
        select product_id, moved_at, sum(stock), sum(received) from (
            select i.product_id, o.ordered_at as moved_at, -i.quantity as stock, 0 as received
            from order_item i join orders o using (order_id)
            where {_interval('o.ordered_at', since, cut)}
            union all
            select i.product_id, o.cancelled_w, i.quantity, 0
            from order_item i join orders o using (order_id)
            where {_interval('o.cancelled_w', since, cut)}
            union all
            select i.product_id, {restock}, i.quantity, i.quantity
            from order_item i join orders o using (order_id)
            where {_interval(restock, since, cut)}
        ) group by all""")


def add_customer_changes(con: duckdb.DuckDBPyConnection, customers: str, cut: Cut) -> None:
    """The sign-ups of the interval among this chunk's customers (the chunk's query)."""
    since = cut.since
    assert since is not None
    con.execute(f"""
        insert into chg_customer
        select signed_up_at, 'insert', * from ({customers})
        where customer_id > {since.customers}""")


def finish_product_changes(con: duckdb.DuckDBPyConnection, product_export: str) -> None:
    """One update per product and instant, with the stock and units received right after it:
    counted back from the as-of's values (`product_export`, the product file's query)."""
    con.execute(f"""
        insert into chg_product
        with moves as (
            select product_id, moved_at, sum(stock) as stock, sum(received) as received
            from chg_product_delta group by all
        ),
        after as (
            select product_id, moved_at,
                coalesce(sum(stock) over later, 0) as stock_later,
                coalesce(sum(received) over later, 0) as received_later
            from moves
            window later as (partition by product_id order by moved_at
                             rows between 1 following and unbounded following)
        )
        select a.moved_at, 'update', p.* replace (
            (p.stock_quantity - a.stock_later)::INTEGER as stock_quantity,
            (p.received_quantity - a.received_later)::INTEGER as received_quantity,
            a.moved_at as updated_at)
        from after a join ({product_export}) p using (product_id)""")


def change_export(table: Table) -> str:
    """A change file's rows in the order to apply them."""
    key = ", ".join(table.primary_key)
    return f"select * from chg_{table.name} order by _changed_at, {key}"
