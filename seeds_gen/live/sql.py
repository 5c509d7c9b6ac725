"""The SQL of one business event, for each target: plain statements with the values written as
literals, so that a whole transaction goes to the server in one round trip. Literals, not
parameters, on every target: one script per round trip, and no driver's parameter limit (SQL
Server's 2,100) to split around; the values are checked against their column's type first.

Rows are written as the change files have them (inserts, and an order's step with its mutable
columns); stock moves the way an application moves it, relative to what the row holds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from seeds_gen.live.events import Change, Event
from seeds_gen.schema import TABLES_BY_NAME, Column

LIVE_STATE_TABLE = "ecom_synth_live_state"
BUILD_STATE_TABLE = "ecom_synth_build_state"
# The build state's source_sha256 when the tables hold exactly its as-of, reached by events
# rather than built from seed files: a dbt build of that as-of then updates in place (nothing
# to change) instead of seeing other seed bytes at the same instant (macros/publish/
# incremental.sql). '' while a run is under way: the tables may be past the recorded as-of.
LIVE_SOURCE = "live"
# What an order's step changes (DATA_SPEC rule 9): everything else of the row is immutable.
ORDER_MUTABLE = ("status", "paid_at", "shipped_at", "delivered_at", "cancelled_at",
                 "returned_at", "updated_at")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
_T = TypeVar("_T")


class RenderError(ValueError):
    """A value that cannot be written as the column's type (a foreign or damaged change file)."""


@dataclass(frozen=True)
class Dialect:
    """What differs between targets: quoting, literals, the cancellation's join, the lock, the
    transaction's opening, the live state's table and the limits of one statement."""

    name: str  # the dbt adapter type: duckdb, postgres, mysql, sqlserver

    @property
    def max_rows(self) -> int | None:
        """Rows (or products) one statement takes: T-SQL refuses more than 1,000 rows in one
        VALUES list, and a long CASE/IN list costs its parser more than a second statement."""
        return 1000 if self.name == "sqlserver" else None

    @property
    def begin(self) -> str:
        return "start transaction" if self.name == "mysql" else "begin transaction"

    @property
    def drains_results(self) -> bool:
        """The driver reports a later statement's error of a script only when its result is
        read (MySQL's multi-statement scripts, ODBC's SQLMoreResults)."""
        return self.name in ("mysql", "sqlserver")

    def session_sql(self) -> list[str]:
        """Once per connection. SQL Server: without xact_abort a refused statement (a check
        constraint) ends only itself and the transaction goes on to commit the rest of the
        event; with it, the error rolls the transaction back and ends the script there. nocount:
        no row-count messages in the way of the results."""
        if self.name == "sqlserver":
            return ["set xact_abort on", "set nocount on"]
        return []

    def lock_sql(self, name: str) -> str | None:
        """A query whose one value is 1 (or true) when this session got the schema's lock, held
        until the session ends; None where the database itself allows one writer (DuckDB)."""
        if self.name == "postgres":
            return f"select pg_try_advisory_lock(hashtextextended({self.text(name)}, 0))"
        if self.name == "mysql":
            return f"select get_lock({self.text(name)}, 0)"
        if self.name == "sqlserver":
            # 0 or 1: granted; negative: held by another session (no wait: @LockTimeout = 0)
            return ("declare @granted int; exec @granted = sp_getapplock @Resource = "
                    f"{self.text(name)}, @LockMode = 'Exclusive', @LockOwner = 'Session', "
                    "@LockTimeout = 0; select case when @granted >= 0 then 1 else 0 end")
        return None

    def create_live_state_sql(self, relation: str) -> str:
        """The live state table, unless it exists (T-SQL has no `create table if not exists`)."""
        q = self.quote
        timestamp = {"mysql": "datetime", "sqlserver": "datetime2(0)"}.get(self.name,
                                                                            "timestamp")
        columns = (f"{q('world')} varchar(64) not null primary key, "
                   f"{q('at_instant')} {timestamp} not null, "
                   f"{q('at_seq')} integer not null, "
                   f"{q('events')} bigint not null")
        if self.name == "sqlserver":
            return (f"if object_id({self.text(relation)}, N'U') is null "
                    f"create table {relation} ({columns})")
        return f"create table if not exists {relation} ({columns})"

    def quote(self, identifier: str) -> str:
        if self.name == "mysql":
            return "`" + identifier.replace("`", "``") + "`"
        if self.name == "sqlserver":
            return "[" + identifier.replace("]", "]]") + "]"
        return '"' + identifier.replace('"', '""') + '"'

    def text(self, value: str) -> str:
        if self.name == "mysql":  # backslash is an escape in MySQL strings by default
            return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"
        prefix = "N" if self.name == "sqlserver" else ""
        return prefix + "'" + value.replace("'", "''") + "'"

    def boolean(self, value: bool) -> str:
        if self.name == "sqlserver":
            return "1" if value else "0"
        return "true" if value else "false"

    def literal(self, column: Column, value: str) -> str:
        if value == "":
            if not column.nullable:
                raise RenderError(f"{column.name}: empty value for a required column")
            return "null"
        kind = column.type
        if kind in ("int", "bigint"):
            try:
                return str(int(value))
            except ValueError:
                raise RenderError(f"{column.name}: {value!r} is not a whole number") from None
        if kind in ("decimal", "rating"):
            try:
                number = Decimal(value)
            except InvalidOperation:
                raise RenderError(f"{column.name}: {value!r} is not a number") from None
            if not number.is_finite():
                raise RenderError(f"{column.name}: {value!r} is not a number")
            return str(number)
        if kind == "boolean":
            if value not in ("true", "false"):
                raise RenderError(f"{column.name}: {value!r} is not true or false")
            return self.boolean(value == "true")
        if kind == "timestamp":
            if not _TIMESTAMP.fullmatch(value):
                raise RenderError(f"{column.name}: {value!r} is not YYYY-MM-DD HH:MM:SS")
            return self.timestamp(value)
        if kind == "date":
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise RenderError(f"{column.name}: {value!r} is not YYYY-MM-DD") from None
            return "'" + value + "'"
        return self.text(value)

    def timestamp(self, value: str) -> str:
        if self.name == "sqlserver":  # the ISO 8601 form no DATEFORMAT or language reinterprets
            return "'" + value.replace(" ", "T") + "'"
        return "'" + value + "'"

    def give_back_sql(self, product: str, order_item: str, order_id: int, set_updated: str,
                      ) -> str:
        """A cancellation: every line of the order comes back to its product's stock."""
        q = self.quote
        if self.name == "mysql":
            return (f"update {product} as p inner join {order_item} as i "
                    f"on i.{q('product_id')} = p.{q('product_id')} "
                    f"set p.{q('stock_quantity')} = p.{q('stock_quantity')} + i.{q('quantity')}"
                    f"{set_updated.replace('@', 'p.')} where i.{q('order_id')} = {order_id}")
        if self.name == "sqlserver":
            return (f"update p set {q('stock_quantity')} = p.{q('stock_quantity')} + "
                    f"i.{q('quantity')}{set_updated.replace('@', '')} from {product} as p "
                    f"inner join {order_item} as i on i.{q('product_id')} = p.{q('product_id')} "
                    f"where i.{q('order_id')} = {order_id}")
        return (f"update {product} as p set {q('stock_quantity')} = p.{q('stock_quantity')} + "
                f"i.{q('quantity')}{set_updated.replace('@', '')} from {order_item} as i "
                f"where i.{q('order_id')} = {order_id} and i.{q('product_id')} = "
                f"p.{q('product_id')}")


class EventRenderer:
    """Renders events against the typed tables of one schema. `columns`: the columns each typed
    table has (a project may have fewer than the change files, never other ones)."""

    def __init__(self, dialect: Dialect, schema: str, columns: Mapping[str, Sequence[str]],
                 database: str | None = None) -> None:
        self.dialect = dialect
        self.columns = {table: tuple(names) for table, names in columns.items()}
        prefix = f"{dialect.quote(database)}." if database else ""
        self._relations = {table: f"{prefix}{dialect.quote(schema)}.{dialect.quote(table)}"
                           for table in (*TABLES_BY_NAME, LIVE_STATE_TABLE, BUILD_STATE_TABLE)}

    def relation(self, table: str) -> str:
        return self._relations[table]

    def _values(self, change: Change, names: Sequence[str]) -> str:
        table = TABLES_BY_NAME[change.table]
        by_name = {c.name: c for c in table.columns}
        try:
            return ", ".join(self.dialect.literal(by_name[n], change.row[n]) for n in names)
        except (RenderError, KeyError) as exc:
            raise RenderError(f"{change.table} at {change.at}: {exc}") from None

    def _chunks(self, items: Sequence[_T]) -> list[Sequence[_T]]:
        size = self.dialect.max_rows or max(1, len(items))
        return [items[k:k + size] for k in range(0, len(items), size)]

    def _insert(self, changes: Sequence[Change]) -> list[str]:
        table = changes[0].table
        names = self.columns[table]
        q = self.dialect.quote
        head = f"insert into {self.relation(table)} ({', '.join(q(n) for n in names)}) values\n"
        return [head + ",\n".join(f"({self._values(c, names)})" for c in chunk)
                for chunk in self._chunks(changes)]

    def _order_update(self, change: Change) -> str:
        q = self.dialect.quote
        names = [n for n in ORDER_MUTABLE if n in self.columns["orders"]]
        values = self._values(change, names).split(", ")
        sets = ", ".join(f"{q(n)} = {v}" for n, v in zip(names, values, strict=True))
        return (f"update {self.relation('orders')} set {sets} "
                f"where {q('order_id')} = {int(change.row['order_id'])}")

    def _set_updated(self, at: str) -> str:
        """`, updated_at = <at>` when the product table has the column; `@` marks where a
        target puts a table alias."""
        if "updated_at" not in self.columns["product"]:
            return ""
        return f", @{self.dialect.quote('updated_at')} = {self.dialect.timestamp(at)}"

    def _case(self, values: Mapping[int, int]) -> str:
        whens = " ".join(f"when {pid} then {n}" for pid, n in sorted(values.items()))
        return f"case {self.dialect.quote('product_id')} {whens} end"

    def _in(self, values: Mapping[int, int]) -> str:
        return (f"{self.dialect.quote('product_id')} in "
                f"({', '.join(str(p) for p in sorted(values))})")

    def statements(self, event: Event) -> list[str]:
        """The event's statements, in order (without the transaction's begin and commit)."""
        q = self.dialect.quote
        out: list[str] = []
        product = self.relation("product")
        set_updated = self._set_updated(event.at).replace("@", "")
        for chunk in self._chunks(sorted(event.received.items())):
            received = dict(chunk)
            out.append(
                f"update {product} set {q('stock_quantity')} = {q('stock_quantity')} + "
                f"{self._case(received)} - {q('received_quantity')}, "
                f"{q('received_quantity')} = {self._case(received)}{set_updated} "
                f"where {self._in(received)}")
        inserts: list[Change] = []
        for change in event.rows:
            if change.op == "insert":
                if inserts and inserts[-1].table != change.table:
                    out.extend(self._insert(inserts))
                    inserts = []
                inserts.append(change)
                continue
            if inserts:
                out.extend(self._insert(inserts))
                inserts = []
            if change.table != "orders":
                raise RenderError(f"{change.table} at {change.at}: only orders are updated "
                                  "by an event")
            out.append(self._order_update(change))
        if inserts:
            out.extend(self._insert(inserts))
        if event.given_back_order is not None:
            out.append(self.dialect.give_back_sql(
                product, self.relation("order_item"), event.given_back_order,
                self._set_updated(event.at)))
        for chunk in self._chunks(sorted(event.sold.items())):
            sold = dict(chunk)
            out.append(
                f"update {product} set {q('stock_quantity')} = {q('stock_quantity')} - "
                f"{self._case(sold)}{set_updated} where {self._in(sold)}")
        return out

    def progress_sql(self, event: Event, world: str, record_as_of: bool) -> list[str]:
        """Where the run got to, in the event's own transaction; with `record_as_of` (the last
        event of an instant), the build state's as-of moves to that instant."""
        q = self.dialect.quote
        at = self.dialect.timestamp(event.at)
        out = [f"update {self.relation(LIVE_STATE_TABLE)} set {q('at_instant')} = {at}, "
               f"{q('at_seq')} = {event.seq}, {q('events')} = {q('events')} + 1 "
               f"where {q('world')} = {self.dialect.text(world)}"]
        if record_as_of:
            out.extend(self.held_sql(event.at, world))
        return out

    def held_sql(self, at: str, world: str) -> list[str]:
        """The build state's as-of: the tables hold the shop as of `at`."""
        q = self.dialect.quote
        return [f"update {self.relation(BUILD_STATE_TABLE)} set {q('as_of')} = "
                f"{self.dialect.timestamp(at)} where {q('world')} = {self.dialect.text(world)}"]

    def finish_sql(self, until: str, world: str) -> list[str]:
        """The end of a run: no event after the last one up to T1, so the tables hold exactly
        T1 (the build state says so: LIVE_SOURCE)."""
        q = self.dialect.quote
        at = self.dialect.timestamp(until)
        return [f"update {self.relation(LIVE_STATE_TABLE)} set {q('at_instant')} = {at}, "
                f"{q('at_seq')} = -1 where {q('world')} = {self.dialect.text(world)}",
                f"update {self.relation(BUILD_STATE_TABLE)} set {q('as_of')} = {at}, "
                f"{q('source_sha256')} = '{LIVE_SOURCE}' "
                f"where {q('world')} = {self.dialect.text(world)}"]
