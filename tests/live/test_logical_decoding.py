"""PostgreSQL logical decoding (a replication slot with test_decoding) sees a live run as a CDC
tool would: one transaction per business event, in the events' order, each holding exactly the
tables its kind writes. Needs wal_level = logical (.ci/start-services sets it); elsewhere the
test is skipped, saying so."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from dbt_harness import PG_SETTINGS, Target, new_schema_name, postgres_unreachable_reason

from .conftest import REQUIRE_ENV, T0, T1, Datasets, built, run_live

pytestmark = pytest.mark.postgres

TABLES_OF_KIND = {
    "order": {"orders", "order_item", "product"},
    "cancellation": {"orders", "product"},
    "signup": {"customer"},
    "restock": {"product"},
    **{kind: {"orders"} for kind in ("payment", "shipment", "delivery", "return")},
}
CHANGE = re.compile(r"^table (?P<schema>[^.]+)\.(?P<table>[^:]+): (?P<op>\w+): (?P<tuple>.*)$")
POSITION = re.compile(r"at_instant\[[^\]]+\]:'([^']+)' at_seq\[integer\]:(-?\d+)")


def pg(dbname: str) -> object:
    import psycopg2  # type: ignore[import-untyped, unused-ignore]

    con = psycopg2.connect(connect_timeout=5, **{**PG_SETTINGS, "dbname": dbname})
    con.autocommit = True
    return con


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A database of its own (a slot decodes a whole database), with wal_level = logical."""
    reason = postgres_unreachable_reason()
    if reason is None:
        con = pg(str(PG_SETTINGS["dbname"]))
        with con.cursor() as cur:  # type: ignore[attr-defined]
            cur.execute("show wal_level")
            level = cur.fetchone()[0]
        if level != "logical":
            reason = (f"the PostgreSQL server has wal_level = {level}; logical decoding needs "
                      "logical (.ci/start-services sets it and restarts the server)")
    if reason:
        if REQUIRE_ENV["postgres"] in __import__("os").environ:
            pytest.fail(f"{reason} ({REQUIRE_ENV['postgres']} is set: CI must not skip)")
        pytest.skip(reason)
    name = new_schema_name("lv_cdc")
    with con.cursor() as cur:  # type: ignore[attr-defined]
        cur.execute(f'create database "{name}"')
    monkeypatch.setenv("DBT_PG_DBNAME", name)
    try:
        yield name
    finally:
        with con.cursor() as cur:  # type: ignore[attr-defined]
            cur.execute("select pg_drop_replication_slot(slot_name) from pg_replication_slots "
                        "where slot_name = %s", (name,))
            cur.execute(f'drop database if exists "{name}" with (force)')
        con.close()  # type: ignore[attr-defined]


def transactions(lines: list[str]) -> list[list[str]]:
    out: list[list[str]] = []
    for line in lines:
        if line.startswith("BEGIN"):
            out.append([])
        elif not line.startswith("COMMIT"):
            out[-1].append(line)
    return out


def test_a_replication_slot_sees_one_transaction_per_event_in_the_events_order(
    database: str, datasets: Datasets, tmp_path: Path,
) -> None:
    target = Target("postgres", "shop")
    project = built(tmp_path / "project", datasets.t0, target)
    con = pg(database)
    with con.cursor() as cur:  # type: ignore[attr-defined]
        cur.execute("select pg_create_logical_replication_slot(%s, 'test_decoding')", (database,))

    done = run_live(project, "--until", T1, "--speed", "max")
    assert done.returncode == 0, done.stderr

    with con.cursor() as cur:  # type: ignore[attr-defined]
        # the run commits without waiting for the WAL flush, and a slot decodes flushed WAL
        # only: a synchronous commit that writes WAL (a table of no interest) flushes it all
        cur.execute("create table flush_marker (x integer)")
        cur.execute("select data from pg_logical_slot_get_changes(%s, null, null)", (database,))
        decoded = [row[0] for row in cur.fetchall()]
    con.close()  # type: ignore[attr-defined]
    applied = {kind: int(n.replace(",", "")) for kind, n in
               re.findall(r"^(\w+)\s+([\d,]+)$", done.stderr, flags=re.M)}
    events = []
    for txn in transactions(decoded):
        changes = [m.groupdict() for line in txn if (m := CHANGE.match(line))]
        assert len(changes) == len(txn), txn
        typed = {c["table"] for c in changes} - {"ecom_synth_live_state",
                                                 "ecom_synth_build_state"}
        progress = [POSITION.search(c["tuple"]) for c in changes
                    if c["table"] == "ecom_synth_live_state" and c["op"] == "UPDATE"]
        if not typed:  # the run's start (its state rows) and end (the as-of of T1)
            continue
        assert len(progress) == 1 and progress[0] is not None, txn
        at, seq = progress[0].groups()
        assert T0 < at <= T1 and int(seq) >= 0
        events.append(((at, int(seq)), typed, changes))

    assert len(events) == sum(n for kind, n in applied.items() if kind in TABLES_OF_KIND)
    positions = [position for position, _, _ in events]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    assert all(typed in TABLES_OF_KIND.values() for _, typed, _ in events)
    orders_placed = [e for e in events if any(c["table"] == "orders" and c["op"] == "INSERT"
                                              for c in e[2])]
    assert len(orders_placed) == applied["order"]
    assert all(typed == TABLES_OF_KIND["order"] for _, typed, _ in orders_placed)
