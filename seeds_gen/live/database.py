"""One connection to the target's typed tables: reads, a transaction in one round trip, the lock
that keeps a second live run out, and the small state table that says how far a run got.

Connections come from the dbt profile's credentials (seeds_gen.load.cli), the same ones dbt uses.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from seeds_gen.command_line import EXIT_USAGE
from seeds_gen.live.sql import BUILD_STATE_TABLE, LIVE_STATE_TABLE, Dialect

EXIT_ENVIRONMENT = 1
LIVE_TARGETS = ("postgres", "mysql", "duckdb", "sqlserver")


class LiveError(Exception):
    """A reason to stop, written for the user; `code` is the exit status (2: the input, 1: the
    environment)."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


class EventRefused(Exception):
    """The database refused an event's transaction (rolled back)."""


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class Database:
    """The typed tables' schema on one target."""

    def __init__(self, credentials: Any, durable_commits: bool = False) -> None:
        self.durable_commits = durable_commits
        self.type = str(credentials.type)
        if self.type not in LIVE_TARGETS:
            raise LiveError(f"live mode runs on targets of type {', '.join(LIVE_TARGETS)}, not "
                            f"{self.type}")
        self.dialect = Dialect(self.type)
        self.schema = str(credentials.schema)
        self.where = self._where(credentials)
        self.conn = self._connect(credentials)
        for sql in self.dialect.session_sql():
            self.query_none(sql)

    @staticmethod
    def _where(credentials: Any) -> str:
        if credentials.type == "duckdb":
            return f"DuckDB file {credentials.path}"
        name = {"postgres": "PostgreSQL", "sqlserver": "SQL Server"}.get(credentials.type, "MySQL")
        return f"{name} at {credentials.host}:{credentials.port}"

    def _connect(self, credentials: Any) -> Any:
        try:
            if self.type == "postgres":
                from seeds_gen.load.job import LoadError
                from seeds_gen.load.postgres import connect as pg_connect

                try:
                    conn = pg_connect(credentials)
                except LoadError as exc:
                    raise LiveError(str(exc), EXIT_ENVIRONMENT) from None
                conn.autocommit = True
                with conn.cursor() as cur:
                    cur.execute("set application_name = 'ecom-synth live'")
                    if not self.durable_commits:
                        # a commit does not wait for its WAL flush: a crash loses at most the
                        # last fraction of a second of events, with the live state that says
                        # so, and the next run plays them again (README "Live mode")
                        cur.execute("set synchronous_commit = off")
                    cur.execute("show standard_conforming_strings")
                    if cur.fetchone()[0] != "on":
                        raise LiveError(f"{self.where} has standard_conforming_strings off; live "
                                        "mode writes standard string literals", EXIT_ENVIRONMENT)
                return conn
            if self.type == "mysql":
                from dbt.adapters.mysql.connections import (  # type: ignore[import-not-found, unused-ignore]
                    MySQLConnectionManager,
                    _friendly_message,
                )
                from dbt.adapters.mysql.connections import (  # type: ignore[import-not-found, unused-ignore]
                    connect as guarded_connect,
                )

                try:
                    conn = guarded_connect(credentials)  # multi-statement, no local files
                    MySQLConnectionManager._init_session(conn, credentials)
                except Exception as exc:
                    raise LiveError(f"cannot connect to {self.where}: "
                                    f"{_friendly_message(exc, credentials)}; check the target "
                                    "in profiles.yml", EXIT_ENVIRONMENT) from None
                return conn
            if self.type == "sqlserver":
                from seeds_gen.load.job import LoadError
                from seeds_gen.load.sqlserver import connect as mssql_connect

                try:  # dbt-sqlserver's connection string, autocommit: each script its own
                    return mssql_connect(credentials)
                except LoadError as exc:
                    message = str(exc)
                    if "Failed to load the driver" in message:  # profiles.yml.example says why
                        message += ("; or install libltdl7 for its ODBC driver, or export "
                                    "MSSQL_PYTHON_NATIVE_PROVIDER=mssql-odbc")
                    raise LiveError(message, EXIT_ENVIRONMENT) from None
            import duckdb

            try:
                return duckdb.connect(str(credentials.path))
            except duckdb.Error as exc:
                raise LiveError(f"cannot open {self.where} ({_first_line(exc)}); another "
                                "process (a live run, dbt) may have it open", EXIT_ENVIRONMENT
                                ) from None
        except LiveError:
            raise
        except Exception as exc:  # a driver's unexpected failure, in one line
            raise LiveError(f"cannot connect to {self.where}: {_first_line(exc)}",
                            EXIT_ENVIRONMENT) from None

    def close(self) -> None:
        self.conn.close()

    # ------------------------------------------------------------------ reading

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        cur = self.conn.cursor()
        try:
            cur.execute(sql)
            if self.dialect.drains_results:  # a script's rows: the first result that has some
                while cur.description is None and cur.nextset():
                    pass
            return list(cur.fetchall()) if cur.description is not None else []
        finally:
            cur.close()

    def columns(self) -> dict[str, tuple[str, ...]]:
        """The columns of each typed table (and the state tables) that exist in the schema."""
        placeholder = self.dialect.text(self.schema)
        rows = self.query(
            "select table_name, column_name from information_schema.columns "
            f"where table_schema = {placeholder} order by table_name, ordinal_position")
        found: dict[str, list[str]] = {}
        for table, column in rows:
            found.setdefault(str(table), []).append(str(column))
        return {table: tuple(names) for table, names in found.items()}

    def build_state(self) -> dict[str, tuple[str, str, str]]:
        """table_name -> (world, as_of, built) of ecom_synth_build_state."""
        rows = self.query(f"select table_name, world, as_of, built from "
                          f"{self.relation(BUILD_STATE_TABLE)}")
        return {str(t): (str(w), str(a)[:19], str(b)) for t, w, a, b in rows}

    def relation(self, table: str) -> str:
        return f"{self.dialect.quote(self.schema)}.{self.dialect.quote(table)}"

    # ------------------------------------------------------------------ writing

    def transaction(self, statements: Sequence[str]) -> None:
        """The statements as one transaction, sent in one round trip; rolled back if refused."""
        self.transactions([statements])

    def transactions(self, transactions: Sequence[Sequence[str]]) -> None:
        """Several transactions, one after the other, in one round trip. A refused statement
        ends the script there: the transactions before it stay committed, its own is rolled
        back (the caller reads the live state to tell which)."""
        script = ";\n".join(part for statements in transactions
                            for part in (self.dialect.begin, *statements, "commit"))
        cur = self.conn.cursor()
        try:
            cur.execute(script)
            if self.dialect.drains_results:
                while cur.nextset():  # each statement's result: an error surfaces here
                    pass
        except Exception as exc:
            self._rollback()
            raise EventRefused(_first_line(exc)) from None
        finally:
            cur.close()

    def _rollback(self) -> None:
        cur = self.conn.cursor()
        try:
            cur.execute("rollback")
        except Exception:  # nothing was open (the server ended it already)
            pass
        finally:
            cur.close()

    def lock(self) -> None:
        """Refuse to run beside another live run on this schema. PostgreSQL: a session advisory
        lock; MySQL: GET_LOCK; SQL Server: sp_getapplock owned by the session; DuckDB: the file
        itself (one writing process at a time)."""
        name = "ecom_synth_live:" + hashlib.sha1(self.schema.encode()).hexdigest()[:32]
        sql = self.dialect.lock_sql(name)
        if sql is None:
            return
        rows = self.query(sql)
        if not rows or rows[0][0] not in (True, 1):
            raise LiveError(f"another live run is applying events to {self.schema} on "
                            f"{self.where}; stop it first (one live run per schema)",
                            EXIT_ENVIRONMENT)

    def ensure_live_state(self) -> None:
        """The one-row table that says how far a live run got (the event just committed)."""
        self.query_none(self.dialect.create_live_state_sql(self.relation(LIVE_STATE_TABLE)))

    def query_none(self, sql: str) -> None:
        cur = self.conn.cursor()
        try:
            cur.execute(sql)
        finally:
            cur.close()

    def live_state(self) -> tuple[str, str, int, int] | None:
        """(world, at_instant, at_seq, events) of the last committed event, if any."""
        rows = self.query(f"select world, at_instant, at_seq, events from "
                          f"{self.relation(LIVE_STATE_TABLE)}")
        if not rows:
            return None
        world, at, seq, events = rows[0]
        return str(world), str(at)[:19], int(seq), int(events)

    def start_live_state(self, world: str, at: str, seq: int, events: int) -> None:
        """One transaction: the live state row (as it was, when resuming), and the build state
        marked as last written by live mode (a dbt build writes its own mark, so a later resume
        can tell whether the tables changed in between), with no source: from here the tables
        may hold events past the recorded as-of, until the run finishes (sql.LIVE_SOURCE)."""
        q = self.dialect.quote
        text = self.dialect.text
        self.transaction([
            f"delete from {self.relation(LIVE_STATE_TABLE)}",
            f"insert into {self.relation(LIVE_STATE_TABLE)} ({q('world')}, {q('at_instant')}, "
            f"{q('at_seq')}, {q('events')}) values ({text(world)}, "
            f"{self.dialect.timestamp(at)}, {seq}, {events})",
            f"update {self.relation(BUILD_STATE_TABLE)} set {q('built')} = 'live', "
            f"{q('source_sha256')} = '' where {q('world')} = {text(world)}",
        ])
