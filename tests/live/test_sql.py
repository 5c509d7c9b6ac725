"""The statements of one event on each target (SQL Server: its T-SQL, checked without a server)."""

from __future__ import annotations

import re

import pytest

from seeds_gen.live.events import Change, Event
from seeds_gen.live.sql import Dialect, EventRenderer, RenderError
from seeds_gen.schema import TABLES, TABLES_BY_NAME

AT = "2025-06-01 07:51:55"
COLUMNS = {t.name: t.column_names for t in TABLES}


def row(table: str, **values: str) -> dict[str, str]:
    full = dict.fromkeys(TABLES_BY_NAME[table].column_names, "1")
    full.update(values)
    return full


def new_order() -> Event:
    order = Change("orders", AT, "insert", row(
        "orders", order_id="7", ordered_at=AT, status="pending", payment_method="paypal",
        paid_at="", shipped_at="", delivered_at="", cancelled_at="", returned_at="",
        updated_at=AT, subtotal_amount="10.50", discount_amount="0.00", shipping_fee="0.00",
        total_amount="10.50"))
    lines = [Change("order_item", AT, "insert", row(
        "order_item", order_item_id=str(70 + k), order_id="7", product_id=str(3 + k),
        quantity="2", unit_price="5.25", promotion_id="", discount_amount="0.00",
        line_total="10.50")) for k in range(2)]
    return Event("order", AT, rows=[order, *lines], sold={3: 2, 4: 2})


def signup(name: str) -> Event:
    return Event("signup", AT, rows=[Change("customer", AT, "insert", row(
        "customer", customer_id="5", first_name=name, last_name="O'Brien", email="a@b.c",
        phone="1", city="x", country="y", signed_up_at=AT))])


def cancellation() -> Event:
    return Event("cancellation", AT, rows=[Change("orders", AT, "update", row(
        "orders", order_id="7", ordered_at=AT, status="cancelled", payment_method="paypal",
        paid_at="", shipped_at="", delivered_at="", cancelled_at=AT, returned_at="",
        updated_at=AT, subtotal_amount="1", discount_amount="0", shipping_fee="0",
        total_amount="1"))], given_back_order=7)


def restock() -> Event:
    return Event("restock", "2025-06-02 00:00:00", received={3: 120, 4: 90})


def render(dialect: str, event: Event) -> list[str]:
    return EventRenderer(Dialect(dialect), "shop", COLUMNS).statements(event)


def test_a_new_order_is_three_statements_its_row_its_lines_and_the_stock_taken() -> None:
    orders, lines, stock = render("postgres", new_order())
    assert orders.startswith('insert into "shop"."orders"')
    assert lines.count("),\n(") == 1  # both lines in one insert
    assert "stock_quantity\" = \"stock_quantity\" - case \"product_id\" when 3 then 2 when 4 " \
        "then 2 end" in stock
    assert f"\"updated_at\" = '{AT}'" in stock


def test_an_order_step_updates_only_the_mutable_columns() -> None:
    update, give_back = render("postgres", cancellation())
    assert update.startswith('update "shop"."orders" set "status" = \'cancelled\'')
    assert "total_amount" not in update and update.endswith('where "order_id" = 7')
    assert 'from "shop"."order_item" as i where i."order_id" = 7' in give_back


def test_a_restock_moves_stock_by_what_arrives_and_sets_received() -> None:
    [sql] = render("duckdb", restock())
    assert ('"stock_quantity" = "stock_quantity" + case "product_id" when 3 then 120 when 4 '
            'then 90 end - "received_quantity"') in sql
    assert sql.endswith('where "product_id" in (3, 4)')


def test_a_table_without_a_column_gets_no_value_for_it() -> None:
    columns = {**COLUMNS, "product": tuple(c for c in COLUMNS["product"] if c != "updated_at")}
    stock = EventRenderer(Dialect("postgres"), "shop", columns).statements(new_order())[-1]
    assert "updated_at" not in stock


@pytest.mark.parametrize("dialect, quoted", [
    ("postgres", "'Ann''s \\ x'"),
    ("duckdb", "'Ann''s \\ x'"),
    ("mysql", "'Ann''s \\\\ x'"),  # backslash escapes in MySQL strings by default
    ("sqlserver", "N'Ann''s \\ x'"),
])
def test_text_is_quoted_the_targets_way(dialect: str, quoted: str) -> None:
    [insert] = render(dialect, signup("Ann's \\ x"))
    assert quoted in insert


def test_mysql_moves_stock_of_a_cancellation_through_a_join() -> None:
    _, give_back = render("mysql", cancellation())
    assert give_back.startswith("update `shop`.`product` as p inner join `shop`.`order_item` as i")
    assert f"p.`updated_at` = '{AT}'" in give_back


def test_values_that_are_not_their_columns_type_are_refused() -> None:
    event = signup("x")
    event.rows[0].row["customer_id"] = "7; drop table x"
    with pytest.raises(RenderError, match="not a whole number"):
        render("postgres", event)


# --- SQL Server: checked without a server, for what T-SQL lacks or limits -------------------
# (tests/live/test_live_runs.py runs the same behaviour on a real server when one answers)

def without_strings(sql: str) -> str:
    return re.sub(r"N?'(?:[^']|'')*'", "''", sql)


NOT_TSQL = {
    "true/false literal": re.compile(r"\b(true|false)\b", re.I),
    "backquoted identifier": re.compile(r"`"),
    "double-quoted identifier": re.compile(r'"'),
    ":: cast": re.compile(r"::"),
    "UPDATE alias AS in the target": re.compile(r"^update \S+ as ", re.I),
    "if not exists": re.compile(r"\bif not exists\b", re.I),
    "start transaction": re.compile(r"\bstart transaction\b", re.I),
    "limit": re.compile(r"\blimit\b", re.I),
    "PostgreSQL or MySQL function": re.compile(r"\b(pg_\w+|get_lock|hashtextextended)\(", re.I),
    "parameter marker": re.compile(r"[?%]"),
}


def not_tsql(sql: str) -> list[str]:
    code = without_strings(sql)
    return [k for k, p in NOT_TSQL.items() if p.search(code)]


def test_the_tsql_check_finds_what_tsql_lacks() -> None:
    assert not_tsql('update "a" as p set x = true limit 1') == [
        "true/false literal", "double-quoted identifier", "UPDATE alias AS in the target",
        "limit"]
    assert not_tsql("select 'true' from [a] where [b] = N'it''s'") == []


def step() -> Event:
    return Event("payment", AT, rows=[Change("orders", AT, "update", row(
        "orders", order_id="8", ordered_at=AT, status="paid", payment_method="card",
        paid_at=AT, shipped_at="", delivered_at="", cancelled_at="", returned_at="",
        updated_at=AT, subtotal_amount="1", discount_amount="0", shipping_fee="0",
        total_amount="1"))])


EVENTS = {"order": new_order, "signup": lambda: signup("Zoë"), "cancellation": cancellation,
          "restock": restock, "payment": step}


@pytest.mark.parametrize("kind", EVENTS)
def test_sqlserver_statements_of_every_event_are_tsql(kind: str) -> None:
    renderer = EventRenderer(Dialect("sqlserver"), "shop", COLUMNS)
    event = EVENTS[kind]()
    statements = [*renderer.statements(event), *renderer.progress_sql(event, "w" * 64, True),
                  *renderer.finish_sql("2025-06-03 06:00:00", "w" * 64)]
    for sql in statements:
        assert not_tsql(sql) == [], sql
        assert re.search(r"\[shop\]\.\[\w+\]", sql), sql
        # datetime2 literals in the ISO 8601 form: no DATEFORMAT or language reads them otherwise
        assert re.findall(r"'\d{4}-\d{2}-\d{2} \d", sql) == [], sql


def test_sqlserver_gives_back_stock_with_update_from_join_and_unicode_text() -> None:
    _, give_back = render("sqlserver", cancellation())
    assert give_back.startswith("update p set [stock_quantity] = p.[stock_quantity] + "
                                "i.[quantity]")
    assert "from [shop].[product] as p inner join [shop].[order_item] as i" in give_back
    assert "[updated_at] = '2025-06-01T07:51:55'" in give_back
    [insert] = render("sqlserver", signup("Zoë"))
    assert "N'Zoë'" in insert
    assert "N'O''Brien'" in insert


def test_sqlserver_booleans_are_bits() -> None:
    boolean = next(c for t in TABLES for c in t.columns if c.type == "boolean")
    assert Dialect("sqlserver").literal(boolean, "true") == "1"
    assert Dialect("sqlserver").literal(boolean, "false") == "0"
    assert Dialect("postgres").literal(boolean, "false") == "false"


def big_restock(products: int) -> Event:
    return Event("restock", "2025-06-02 00:00:00",
                 received={pid: 100 for pid in range(1, products + 1)})


def big_order(lines: int) -> Event:
    event = new_order()
    template = event.rows[1]
    event.rows[1:] = [Change("order_item", AT, "insert", {
        **template.row, "order_item_id": str(1000 + k), "product_id": str(k + 1)})
        for k in range(lines)]
    event.sold = {k + 1: 2 for k in range(lines)}
    return event


def test_sqlserver_splits_a_statement_of_more_than_1000_rows_or_products() -> None:
    restock_sql = render("sqlserver", big_restock(2500))
    assert len(restock_sql) == 3
    assert [sql.count(" then 100") for sql in restock_sql] == [2000, 2000, 1000]  # two cases each
    assert "in (1, 2," in restock_sql[0] and "in (2001, 2002," in restock_sql[2]
    order_sql = render("sqlserver", big_order(1500))
    inserts = [sql for sql in order_sql if sql.startswith("insert into [shop].[order_item]")]
    assert [sql.count("\n(") for sql in inserts] == [1000, 500]
    assert len([sql for sql in order_sql if sql.startswith("update")]) == 2
    # the other targets take it in one statement, as before
    assert len(render("postgres", big_restock(2500))) == 1
    assert len(render("postgres", big_order(1500))) == 3


def test_sqlserver_script_state_lock_and_session_sql() -> None:
    dialect = Dialect("sqlserver")
    assert dialect.session_sql() == ["set xact_abort on", "set nocount on"]
    assert dialect.begin == "begin transaction"
    lock = dialect.lock_sql("ecom_synth_live:abc")
    assert lock is not None and "@LockOwner = 'Session'" in lock and "@LockTimeout = 0" in lock
    assert "@Resource = N'ecom_synth_live:abc'" in lock
    create = dialect.create_live_state_sql("[shop].[ecom_synth_live_state]")
    assert create.startswith("if object_id(N'[shop].[ecom_synth_live_state]', N'U') is null "
                             "create table [shop].[ecom_synth_live_state] (")
    assert "[at_instant] datetime2(0) not null" in create
    for sql in (*dialect.session_sql(), lock, create):
        assert not_tsql(sql) == [], sql
    assert Dialect("duckdb").lock_sql("x") is None
    assert Dialect("postgres").session_sql() == []


def test_only_a_finished_run_says_the_tables_hold_exactly_its_instant() -> None:
    renderer = EventRenderer(Dialect("postgres"), "shop", COLUMNS)
    [_, held] = renderer.progress_sql(restock(), "w", True)
    assert "source_sha256" not in held  # more events of the run may follow it
    [_, finished] = renderer.finish_sql("2025-06-03 06:00:00", "w")
    assert finished.startswith('update "shop"."ecom_synth_build_state" set "as_of" = '
                               "'2025-06-03 06:00:00', \"source_sha256\" = 'live' where")
