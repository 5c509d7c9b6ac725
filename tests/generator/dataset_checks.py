"""DATA_SPEC rules as DuckDB queries over a generated folder (CSV or Parquet).

Each check returns offending rows (an empty list means the rule holds), so a failure shows what
broke. The same checks serve the per-rule tests and the property test over random configs.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import duckdb

from seeds_gen.changes import change_table
from seeds_gen.schema import (
    DISCOUNT_TYPES,
    MANIFEST_FILE,
    ORDER_STATUSES,
    PAYMENT_METHODS,
    SELLER_TYPES,
    TABLES,
    OutputFormat,
)


def open_dataset(folder: Path, output_format: OutputFormat | None = None,
                 con: duckdb.DuckDBPyConnection | None = None, prefix: str = ""
                 ) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with one view per table over the files its manifest lists (one file,
    or parts, in order): CSVs read strictly with the schema's types (no type sniffing), Parquet
    files as they are (their own types are tested). With `prefix`, the views are named
    <prefix><table> (several datasets in one connection), and a change set in the folder gives
    views <prefix>changes_<table>."""
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    if output_format is not None:
        assert manifest["format"] == output_format
    con = con or duckdb.connect()
    views = [(table, f"{prefix}{table.name}", manifest["tables"][table.name]["files"])
             for table in TABLES]
    if "changes" in manifest:
        views += [(change_table(table), f"{prefix}changes_{table.name}",
                   [manifest["changes"]["tables"][table.name]]) for table in TABLES]
    for table, view, entries in views:
        files = ", ".join("'" + str(folder / f["file"]).replace("'", "''") + "'"
                          for f in entries)
        if manifest["format"] == "parquet":
            con.execute(f"create view {view} as select * from read_parquet([{files}])")
            continue
        columns = ", ".join(f"'{c.name}': '{c.duckdb_type}'" for c in table.columns)
        con.execute(f"""
            create view {view} as select * from read_csv([{files}], header = true,
                columns = {{{columns}}}, nullstr = '', auto_detect = false, quote = '"',
                escape = '"', timestampformat = '%Y-%m-%d %H:%M:%S', dateformat = '%Y-%m-%d')
        """)
    return con


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sql).fetchall()


FOREIGN_KEYS = (
    ("category", "parent_category_id", "category", "category_id"),
    ("product", "brand_id", "brand", "brand_id"),
    ("product", "category_id", "category", "category_id"),
    ("product", "seller_id", "seller", "seller_id"),
    ("promotion_product", "promotion_id", "promotion", "promotion_id"),
    ("promotion_product", "product_id", "product", "product_id"),
    ("orders", "customer_id", "customer", "customer_id"),
    ("order_item", "order_id", "orders", "order_id"),
    ("order_item", "product_id", "product", "product_id"),
    ("order_item", "promotion_id", "promotion", "promotion_id"),
)

UNIQUE_KEYS = (
    ("brand", "brand_id"), ("brand", "brand_name"), ("category", "category_id"),
    ("category", "category_name"), ("seller", "seller_id"), ("seller", "seller_name"),
    ("seller", "email"), ("customer", "customer_id"), ("customer", "email"),
    ("product", "product_id"), ("product", "sku"), ("promotion", "promotion_id"),
    ("promotion_product", "promotion_id, product_id"), ("orders", "order_id"),
    ("order_item", "order_item_id"), ("order_item", "order_id, product_id"),
)


def keys_unique(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    bad: list[tuple[Any, ...]] = []
    for table, key in UNIQUE_KEYS:
        bad += rows(con, f"select '{table}', '{key}', {key}, count(*) from {table} "
                         f"group by all having count(*) > 1 limit 5")
    return bad


def rule_1_referential_integrity(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    bad: list[tuple[Any, ...]] = []
    for child, fk, parent, pk in FOREIGN_KEYS:
        bad += rows(con, f"""
            select '{child}.{fk}', c.{fk} from {child} c
            where c.{fk} is not null and c.{fk} not in (select {pk} from {parent}) limit 5""")
    return bad


def rule_2_category_tree(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    return rows(con, """
        with recursive walk(category_id, ancestor_id, depth) as (
            select category_id, parent_category_id, 1 from category
            union all
            select w.category_id, c.parent_category_id, w.depth + 1
            from walk w join category c on c.category_id = w.ancestor_id
            where w.depth <= (select count(*) from category)
        )
        select 'cycle', category_id from walk where ancestor_id = category_id
        union all
        select 'root level', category_id from category
        where (parent_category_id is null) <> (level = 1)
        union all
        select 'child level', c.category_id from category c join category p
            on p.category_id = c.parent_category_id where c.level <> p.level + 1
        union all
        select 'product on non-leaf', p.product_id from product p
        where p.category_id in (select parent_category_id from category
                                where parent_category_id is not null)
    """)


def rule_3_prices(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    return rows(con, """
        select i.order_item_id, i.unit_price, p.unit_price from order_item i
        join product p using (product_id) where i.unit_price <> p.unit_price limit 5""")


def rule_4_promotions(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    """Re-derive every line's promotion and discount from promotion, pairs and order date."""
    return rows(con, """
        with offers as (
            select i.order_item_id, p.promotion_id,
                   case p.discount_type
                       when 'percentage'
                           -- times 0.01, not / 100: DuckDB divides decimals in floating point
                           then round(i.quantity * i.unit_price * p.discount_value * 0.01, 2)
                       else i.quantity * least(p.discount_value, i.unit_price)
                   end as discount
            from order_item i
            join orders o using (order_id)
            join promotion_product pp on pp.product_id = i.product_id
            join promotion p on p.promotion_id = pp.promotion_id
            where o.ordered_at::DATE between p.starts_on and p.ends_on
        ),
        best as (
            select * from offers qualify row_number() over (
                partition by order_item_id order by discount desc, promotion_id) = 1
        )
        select i.order_item_id, i.promotion_id, b.promotion_id, i.discount_amount, b.discount
        from order_item i left join best b using (order_item_id)
        where i.promotion_id is distinct from b.promotion_id
           or i.discount_amount <> coalesce(b.discount, 0)
        limit 5""")


def rule_5_sums(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    return rows(con, """
        select 'line', order_item_id from order_item
        where line_total <> quantity * unit_price - discount_amount or discount_amount < 0
        union all
        select 'order', o.order_id from orders o join (
            select order_id, sum(quantity * unit_price) as subtotal,
                   sum(discount_amount) as discount
            from order_item group by order_id
        ) s using (order_id)
        where o.subtotal_amount <> s.subtotal or o.discount_amount <> s.discount
           or o.total_amount <> o.subtotal_amount - o.discount_amount + o.shipping_fee
        limit 5""")


def rule_6_time(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    return rows(con, """
        select 'signup after order', o.order_id from orders o join customer c using (customer_id)
        where c.signed_up_at >= o.ordered_at
        union all
        select 'product created after order', i.order_item_id from order_item i
        join orders o using (order_id) join product p using (product_id)
        where p.created_at >= o.ordered_at
        union all
        select 'seller joined after product', p.product_id from product p
        join seller s using (seller_id) where s.joined_at >= p.created_at
        union all
        select 'timestamp order', order_id from orders
        where paid_at <= ordered_at or shipped_at <= paid_at or delivered_at <= shipped_at
           or returned_at <= delivered_at or cancelled_at <= ordered_at
           or cancelled_at <= paid_at
           or (shipped_at is not null and paid_at is null)
           or (delivered_at is not null and shipped_at is null)
           or (returned_at is not null and delivered_at is null)
        union all
        select 'updated_at is not the latest step', order_id from orders
        where updated_at is distinct from greatest(ordered_at, paid_at, shipped_at, delivered_at,
                                                   cancelled_at, returned_at)
        union all
        select 'product updated before created', product_id from product
        where updated_at < created_at
        union all
        select 'timestamps vs status ' || status, order_id from orders
        where case status
            when 'pending' then paid_at is not null or shipped_at is not null
                                or delivered_at is not null
            when 'paid' then paid_at is null or shipped_at is not null or delivered_at is not null
            when 'shipped' then paid_at is null or shipped_at is null or delivered_at is not null
            when 'delivered' then paid_at is null or shipped_at is null or delivered_at is null
            when 'returned' then paid_at is null or shipped_at is null or delivered_at is null
                                 or returned_at is null
            when 'cancelled' then shipped_at is not null or delivered_at is not null
                                  or cancelled_at is null
            else true end
           or (cancelled_at is not null) <> (status = 'cancelled')
           or (returned_at is not null) <> (status = 'returned')
        limit 10""")


def rule_7_inventory(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    return rows(con, """
        with sold as (
            select i.product_id, sum(i.quantity) as units from order_item i
            join orders o using (order_id) where o.status <> 'cancelled' group by all
        )
        select p.product_id, p.stock_quantity, p.received_quantity, s.units from product p
        left join sold s using (product_id)
        where p.stock_quantity < 0
           or p.stock_quantity <> p.received_quantity - coalesce(s.units, 0)
        limit 5""")


def rule_8_shape(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    bad = rows(con, """
        select 'order without lines', order_id from orders
        where order_id not in (select order_id from order_item)
        union all
        select 'repeated product in order', order_id from order_item
        group by order_id, product_id having count(*) > 1
        limit 5""")
    lines_per_order = rows(con, """
        select min(n), max(n), avg(n), (select count(*) from order_item)
               / (select count(*) from orders)
        from (select count(*) as n from order_item group by order_id)""")[0]
    low, high, mean, expected = lines_per_order
    if mean is None:  # no orders yet (an as-of at the start of the window)
        return bad
    if abs(mean - expected) > 1e-9:
        bad.append(("average lines per order", mean, expected))
    # A spread, not a constant, wherever there are enough orders and the catalogue leaves room
    # (lines per order are capped so that an order never needs more products than exist).
    catalogue, orders = rows(con, "select (select count(*) from product), count(*) from orders")[0]
    if orders >= 50 and 1.5 <= expected <= 1 + (catalogue - 1) / 3 and low == high:
        bad.append(("lines per order are constant", low))
    return bad


def column_rules(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    """Row-local rules of the column list: ranges, vocabularies, windows."""
    return rows(con, f"""
        select 'product price', product_id from product
        where not (unit_price > 0 and cost_price > 0 and cost_price < unit_price
                   and stock_quantity >= 0)
        union all
        select 'promotion', promotion_id from promotion
        where not (discount_value > 0 and ends_on >= starts_on
                   and discount_type in {DISCOUNT_TYPES}
                   and (discount_type <> 'percentage' or discount_value <= 90))
        union all
        select 'seller', seller_id from seller
        where not (rating between 1.0 and 5.0 and seller_type in {SELLER_TYPES})
        union all
        select 'orders', order_id from orders
        where not (status in {ORDER_STATUSES} and payment_method in {PAYMENT_METHODS})
        union all
        select 'order_item', order_item_id from order_item where quantity < 1
        limit 10""")


RULES = {
    "columns": column_rules,
    "rule_1": rule_1_referential_integrity,
    "rule_2": rule_2_category_tree,
    "rule_3": rule_3_prices,
    "rule_4": rule_4_promotions,
    "rule_5": rule_5_sums,
    "rule_6": rule_6_time,
    "rule_7": rule_7_inventory,
    "rule_8": rule_8_shape,
    "keys": keys_unique,
}


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t.name: rows(con, f"select count(*) from {t.name}")[0][0] for t in TABLES}


# --- time: rules 9 and 10 between two as-of datasets in one connection ------------------------

# The columns that change with time (rule 9); every other column is immutable.
MUTABLE = {
    "orders": ("status", "paid_at", "shipped_at", "delivered_at", "cancelled_at", "returned_at",
               "updated_at"),
    "product": ("stock_quantity", "received_quantity", "updated_at"),
}
STATUS_RANK = "case {s} when 'pending' then 0 when 'paid' then 1 when 'shipped' then 2 " \
              "when 'delivered' then 3 when 'returned' then 4 when 'cancelled' then 5 end"


def rule_9_as_of_consistency(con: duckdb.DuckDBPyConnection, earlier: str, later: str
                             ) -> list[tuple[Any, ...]]:
    """Rows of the earlier dataset (views <earlier><table>) are all in the later one with the
    same immutable values; statuses only move forward; a step timestamp once set stays."""
    bad: list[tuple[Any, ...]] = []
    for table in TABLES:
        key = " and ".join(f"a.{k} = b.{k}" for k in table.primary_key)
        fixed = [c.name for c in table.columns if c.name not in MUTABLE.get(table.name, ())]
        differs = " or ".join(f"a.{c} is distinct from b.{c}" for c in fixed)
        bad += rows(con, f"""
            select '{table.name} row gone or changed', a.* from {earlier}{table.name} a
            left join {later}{table.name} b on {key}
            where b.{table.primary_key[0]} is null or {differs} limit 5""")
    forward = (f"({STATUS_RANK.format(s='a.status')} = {STATUS_RANK.format(s='b.status')}) "
               "or (a.status = 'pending' and b.status <> 'pending') "
               "or (a.status = 'paid' and b.status in ('shipped', 'delivered', 'returned', "
               "'cancelled')) "
               "or (a.status = 'shipped' and b.status in ('delivered', 'returned')) "
               "or (a.status = 'delivered' and b.status = 'returned')")
    kept = " and ".join(f"(a.{c} is null or a.{c} = b.{c})"
                        for c in MUTABLE["orders"] if c.endswith("_at") and c != "updated_at")
    bad += rows(con, f"""
        select 'order went back or changed a step', a.order_id, a.status, b.status
        from {earlier}orders a join {later}orders b using (order_id)
        where not ({forward}) or not ({kept}) or b.updated_at < a.updated_at limit 5""")
    bad += rows(con, f"""
        select 'product went back in time', a.product_id from {earlier}product a
        join {later}product b using (product_id)
        where b.updated_at < a.updated_at or b.received_quantity < a.received_quantity limit 5""")
    return bad


def apply_changes(con: duckdb.DuckDBPyConnection, earlier: str, changes: str,
                  until: dt.datetime | None = None
                  ) -> dict[str, dict[tuple[Any, ...], tuple[Any, ...]]]:
    """Rule 10 as a CDC consumer does it: the earlier tables, then each change in _changed_at
    order (an insert of a new key, or an update of an existing one), row by row in Python;
    with `until`, only the changes at or before it."""
    state: dict[str, dict[tuple[Any, ...], tuple[Any, ...]]] = {}
    for table in TABLES:
        names = table.column_names
        key_at = [names.index(k) for k in table.primary_key]
        rows_now = {tuple(r[i] for i in key_at): tuple(r) for r in
                    rows(con, f"select {', '.join(names)} from {earlier}{table.name}")}
        changed = rows(con, f"select _changed_at, _op, {', '.join(names)} "
                            f"from {changes}{table.name}")
        assert changed == sorted(changed, key=lambda r: (r[0], *(r[2 + i] for i in key_at))), \
            f"{table.name}: changes are not in _changed_at order"
        for change in changed:
            if until is not None and change[0] > until:
                break
            op, row = change[1], tuple(change[2:])
            key = tuple(row[i] for i in key_at)
            assert op in ("insert", "update"), (table.name, op)
            assert (key in rows_now) == (op == "update"), (table.name, op, key)
            rows_now[key] = row
        state[table.name] = rows_now
    return state


def table_state(con: duckdb.DuckDBPyConnection, prefix: str
                ) -> dict[str, dict[tuple[Any, ...], tuple[Any, ...]]]:
    state = {}
    for table in TABLES:
        key_at = [table.column_names.index(k) for k in table.primary_key]
        state[table.name] = {tuple(r[i] for i in key_at): tuple(r) for r in rows(
            con, f"select {', '.join(table.column_names)} from {prefix}{table.name}")}
    return state
