"""What live mode sends a SQL Server, script by script, through a recording stand-in for the
mssql-python connection (no server here; tests/live/test_live_runs.py runs the same behaviour
on a real one when it answers): every script is T-SQL, and a refused statement rolls its
transaction back and ends the script, as on the other targets."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from seeds_gen.live.database import Database, EventRefused, LiveError
from seeds_gen.live.sql import EventRenderer

from .test_sql import COLUMNS, new_order, not_tsql

WORLD = "a" * 64


class FakeCursor:
    """An ODBC-like cursor: results of a script come one per nextset(); `refuse` makes the
    script fail at a later result (as SQLMoreResults reports a later statement's error)."""

    def __init__(self, conn: FakeConnection) -> None:
        self.conn = conn
        self.results: list[list[tuple[Any, ...]] | None] = []
        self.description: Any = None

    def execute(self, sql: str) -> None:
        self.conn.sent.append(sql)
        if "fail-now" in sql:
            raise RuntimeError("[Microsoft][ODBC Driver 18] refused at once\nsecond line")
        self.results = list(self.conn.answer(sql))
        self._show()

    def _show(self) -> None:
        current = self.results[0] if self.results else None
        self.description = [("x",)] if current is not None else None

    def nextset(self) -> bool:
        if self.conn.refuse and self.conn.refuse in self.conn.sent[-1]:
            raise RuntimeError("The UPDATE statement conflicted with the CHECK constraint")
        if len(self.results) <= 1:
            self.results = []
            self.description = None
            return False
        self.results.pop(0)
        self._show()
        return True

    def fetchall(self) -> list[tuple[Any, ...]]:
        return list(self.results[0] or []) if self.results else []

    def close(self) -> None:
        pass


class FakeConnection:
    def __init__(self, lock_granted: bool = True, refuse: str | None = None) -> None:
        self.sent: list[str] = []
        self.lock_granted = lock_granted
        self.refuse = refuse

    def answer(self, sql: str) -> list[list[tuple[Any, ...]] | None]:
        if "sp_getapplock" in sql:  # declare and exec: no result; then the select's row
            return [None, [(1 if self.lock_granted else 0,)]]
        if "ecom_synth_build_state" in sql and sql.startswith("select"):
            return [[("orders", WORLD, dt.datetime(2025, 6, 1), "incremental")]]
        if "information_schema.columns" in sql:
            return [[(t, c) for t, names in COLUMNS.items() for c in names]]
        return [None]

    def cursor(self) -> FakeCursor:
        return FakeCursor(self)

    def close(self) -> None:
        pass


def database(conn: FakeConnection, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setattr(Database, "_connect", lambda self, credentials: conn)
    return Database(SimpleNamespace(type="sqlserver", schema="shop", host="db.example",
                                    port=1433))


def test_every_script_live_mode_sends_a_sqlserver_is_tsql(
        monkeypatch: pytest.MonkeyPatch) -> None:
    conn = FakeConnection()
    db = database(conn, monkeypatch)
    db.lock()
    columns = db.columns()
    state = db.build_state()
    db.ensure_live_state()
    db.start_live_state(WORLD, "2025-06-01 00:00:00", -1, 0)
    renderer = EventRenderer(db.dialect, db.schema, columns)
    event = new_order()
    db.transactions([[*renderer.statements(event), *renderer.progress_sql(event, WORLD, True)]])
    db.transaction(renderer.finish_sql("2025-06-03 06:00:00", WORLD))

    assert db.where == "SQL Server at db.example:1433"
    assert state == {"orders": (WORLD, "2025-06-01 00:00:00", "incremental")}
    assert conn.sent[:2] == ["set xact_abort on", "set nocount on"]  # before any transaction
    assert len(conn.sent) == 9
    for script in conn.sent:
        assert not_tsql(script) == [], script
    transactions = conn.sent[-3:]
    for script in transactions:
        assert script.startswith("begin transaction;\n") and script.endswith(";\ncommit")
    assert "update [shop].[ecom_synth_build_state] set [built] = 'live'" in transactions[0]


def test_a_lock_held_by_another_session_is_refused_in_one_line(
        monkeypatch: pytest.MonkeyPatch) -> None:
    db = database(FakeConnection(lock_granted=False), monkeypatch)
    with pytest.raises(LiveError, match=r"another live run is applying events to shop on SQL "
                                        r"Server at db\.example:1433") as caught:
        db.lock()
    assert caught.value.code == 1


def test_a_statement_refused_later_in_the_script_surfaces_and_is_rolled_back(
        monkeypatch: pytest.MonkeyPatch) -> None:
    conn = FakeConnection(refuse="[stock_quantity] - case")
    db = database(conn, monkeypatch)
    renderer = EventRenderer(db.dialect, db.schema, COLUMNS)

    with pytest.raises(EventRefused, match="CHECK constraint"):
        db.transaction(renderer.statements(new_order()))

    assert conn.sent[-1] == "rollback"  # xact_abort already did; harmless when nothing is open


def test_an_error_at_execute_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    conn = FakeConnection()
    db = database(conn, monkeypatch)
    with pytest.raises(EventRefused) as caught:
        db.transaction(["select 'fail-now'"])
    assert str(caught.value) == "[Microsoft][ODBC Driver 18] refused at once"


def test_an_unreachable_sqlserver_is_one_line_naming_host_and_port() -> None:
    credentials = SimpleNamespace(type="sqlserver", schema="shop", host="127.0.0.1", port=1)

    def refuse(_: Any) -> Any:
        from seeds_gen.load.job import LoadError

        raise LoadError("cannot connect to SQL Server at 127.0.0.1:1 (timed out); check the "
                        "target in profiles.yml")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("seeds_gen.load.sqlserver.connect", refuse)
        with pytest.raises(LiveError, match=r"SQL Server at 127\.0\.0\.1:1") as caught:
            Database(credentials)
    assert caught.value.code == 1


def test_a_target_type_live_mode_does_not_know_is_refused_before_connecting() -> None:
    with pytest.raises(LiveError, match="postgres, mysql, duckdb, sqlserver, not spark"):
        Database(SimpleNamespace(type="spark", schema="shop"))
