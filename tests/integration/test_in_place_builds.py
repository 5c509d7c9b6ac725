"""`dbt build` updates the typed tables in place when data/ holds a later as-of of the same world.

One small world (`--scale 0.02`) is generated at four instants T0 < T1 < T2 < T3 with the real
CLI (`python -m seeds_gen --as-of`). On each live target a project is built in full at T0, then
carried to T1, T2 and T3 by `dbt build` + `dbt snapshot`; afterwards its typed tables equal a
fresh full build at T3 row for row, every foreign key is there and holds, no table was
recreated (a comment set after T0 survives; on PostgreSQL also the OID), and the snapshots hold
exactly the history the four datasets imply. Also: another world, an earlier as-of and
`--full-refresh` rebuild in full with one line saying why, `incremental_only` refuses another
world, and a failing test, a failing model or a failure inside the merge leaves the previous
tables whole.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from dbt_harness import (
    TABLES,
    DbtRun,
    Project,
    Target,
    foreign_keys,
    generate_dataset,
    leftover_schemas,
    orphans,
    table_fingerprints,
)

SCALE = 0.02
AS_OF = ("2025-11-01 00:00:00", "2025-11-20 12:00:00", "2025-12-10 00:00:00", "2025-12-31 18:00:00")
MARKER = "ecom_synth in-place test marker"


@pytest.fixture(scope="module")
def steps(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The same world at the four instants."""
    return [
        generate_dataset(tmp_path_factory.mktemp(f"as_of_{k}"), "--as-of", as_of, scale=SCALE)
        for k, as_of in enumerate(AS_OF)
    ]


@pytest.fixture(scope="module")
def other_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_dataset(
        tmp_path_factory.mktemp("other_world"), "--as-of", AS_OF[0], scale=SCALE, seed=7
    )


@pytest.fixture
def server_target(target: Target) -> Target:
    if target.name == "sqlserver":
        pytest.skip("SQL Server's in-place build is proven by rendering (tests/sqlserver/)")
    return target


def use_dataset(project: Project, dataset: Path) -> None:
    """Put a generated dataset into the project's data/, as a new generator run would."""
    for csv_file in dataset.glob("*.csv"):
        (project.data / csv_file.name).write_bytes(csv_file.read_bytes())
    (project.data / "manifest.json").write_bytes((dataset / "manifest.json").read_bytes())


@dataclass
class Logged:
    run: DbtRun
    lines: list[str]  # the project's own log lines (`ecom_synth: ...`) of this invocation


def dbt_logged(project: Project, *args: str) -> Logged:
    log = project.path / "logs" / "dbt.log"
    start = log.stat().st_size if log.exists() else 0
    run = project.dbt(*args)
    with log.open(encoding="utf-8", errors="replace") as f:
        f.seek(start)
        text = f.read()
    lines = [
        line[line.index("ecom_synth:") :]
        for line in text.splitlines()
        if "[info ]" in line and "ecom_synth:" in line
    ]
    return Logged(run, lines)


def build(project: Project, *extra: str) -> Logged:
    done = dbt_logged(project, "build", *extra)
    assert done.run.success, done.run.summary()
    return done


def mark_tables(target: Target) -> None:
    """A comment on every typed table: a table dropped and created again loses it."""
    with target.connect() as con:
        cur = con.cursor()
        for table in TABLES:
            if target.name == "mysql":
                cur.execute(f"alter table {target.relation(table)} comment = '{MARKER}'")
            else:
                cur.execute(f"comment on table {target.relation(table)} is '{MARKER}'")


def table_identities(target: Target) -> dict[str, str]:
    """Each typed table's comment (and PostgreSQL OID)."""
    if target.name == "duckdb":
        sql = (
            f"select table_name, comment from duckdb_tables() where schema_name = '{target.schema}'"
        )
    elif target.name == "postgres":
        sql = (
            "select c.relname, "
            "c.oid::text || ' ' || coalesce(obj_description(c.oid, 'pg_class'), '') "
            "from pg_class as c join pg_namespace as n on n.oid = c.relnamespace "
            f"where n.nspname = '{target.schema}' and c.relkind = 'r'"
        )
    else:
        sql = (
            "select table_name, table_comment from information_schema.tables "
            f"where table_schema = '{target.schema}'"
        )
    with target.connect() as con:
        cur = con.cursor()
        cur.execute(sql)
        found = {str(name): str(identity) for name, identity in cur.fetchall()}
    return {table: found.get(table, "") for table in TABLES}


def csv_rows(dataset: Path, table: str) -> list[dict[str, str]]:
    with (dataset / f"raw_{table}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def expected_history(
    datasets: list[Path], table: str, key: str, columns: tuple[str, ...]
) -> dict[str, list[tuple[str, ...]]]:
    """Per key, the versions the datasets show in order (a version: `columns`, updated_at
    last), each one once: what a snapshot after every step must hold."""
    history: dict[str, list[tuple[str, ...]]] = {}
    for dataset in datasets:
        for row in csv_rows(dataset, table):
            version = tuple(row[c] for c in columns)
            seen = history.setdefault(row[key], [])
            if not seen or seen[-1] != version:
                seen.append(version)
    return history


def snapshot_history(
    target: Target, snapshot: str, key: str, columns: tuple[str, ...]
) -> dict[str, list[tuple[str, ...]]]:
    """Per key, the snapshot's versions in dbt_valid_from order; checks that each version is
    valid from its updated_at to the next version's, the last one open."""
    relation = target.relation(snapshot, schema=f"{target.schema}_snapshots")
    quoted = ", ".join(target.quote(c) for c in (key, *columns))
    with target.connect() as con:
        cur = con.cursor()
        cur.execute(
            f"select {quoted}, dbt_valid_from, dbt_valid_to from {relation} "
            f"order by {target.quote(key)}, dbt_valid_from"
        )
        rows = cur.fetchall()
    history: dict[str, list[tuple[str, ...]]] = {}
    valid: dict[str, list[tuple[object, object]]] = {}
    for row in rows:
        values = tuple("" if v is None else str(v) for v in row[1 : 1 + len(columns)])
        history.setdefault(str(row[0]), []).append(values)
        valid.setdefault(str(row[0]), []).append((row[-2], row[-1]))
    for k, versions in valid.items():
        for i, (valid_from, valid_to) in enumerate(versions):
            assert str(valid_from) == history[k][i][-1], (snapshot, k, versions)
            following = versions[i + 1][0] if i + 1 < len(versions) else None
            assert valid_to == following, (snapshot, k, versions)
    return history


def build_state(target: Target) -> dict[str, tuple[str, str, str]]:
    """ecom_synth_build_state: table -> (world, as_of, built)."""
    with target.connect() as con:
        cur = con.cursor()
        cur.execute(
            "select table_name, world, as_of, built from "
            + target.relation("ecom_synth_build_state")
        )
        return {r[0]: (r[1], str(r[2])[:19], r[3]) for r in cur.fetchall()}


ORDER_VERSION = (
    "status",
    "paid_at",
    "shipped_at",
    "delivered_at",
    "cancelled_at",
    "returned_at",
    "updated_at",
)
STOCK_VERSION = ("stock_quantity", "received_quantity", "updated_at")


def test_three_in_place_steps_equal_a_fresh_full_build_and_keep_tables_keys_and_history(
    server_target: Target, steps: list[Path], tmp_path: Path
) -> None:
    target = server_target
    project = Project.create(tmp_path / "live", steps[0], target.derive("live", tmp_path))
    first = build(project)
    assert any("rebuilding every table in full" in line for line in first.lines), first.lines
    assert project.dbt("snapshot").success
    live = project.target
    mark_tables(live)
    marked = table_identities(live)
    keys = foreign_keys(live)
    assert len(keys) >= 9, keys

    for k in (1, 2, 3):
        use_dataset(project, steps[k])
        step = build(project)
        assert any("updating them in place" in line for line in step.lines), step.lines
        merged = [line for line in step.lines if line.startswith("ecom_synth: merged")]
        assert len(merged) == 1 and "orders +" in merged[0], step.lines
        snap = project.dbt("snapshot")
        assert snap.success, snap.summary()
        assert table_identities(live) == marked, f"a table was recreated at step {k}"
        assert {t: s[1] for t, s in build_state(live).items()} == dict.fromkeys(TABLES, AS_OF[k])

    fresh = Project.create(tmp_path / "fresh", steps[3], target.derive("fresh", tmp_path))
    build(fresh)
    assert table_fingerprints(live) == table_fingerprints(fresh.target)
    assert foreign_keys(live) == keys == foreign_keys(fresh.target)
    assert orphans(live, keys) == {}
    assert leftover_schemas(live) == []

    orders = expected_history(steps, "orders", "order_id", ORDER_VERSION)
    assert snapshot_history(live, "order_status_history", "order_id", ORDER_VERSION) == orders
    assert sum(len(v) >= 2 for v in orders.values()) >= 10, "the steps should move some orders on"
    stock = expected_history(steps, "product", "product_id", STOCK_VERSION)
    assert snapshot_history(live, "product_stock_history", "product_id", STOCK_VERSION) == stock


def test_another_world_an_earlier_as_of_and_full_refresh_rebuild_in_full_with_one_line(
    server_target: Target, steps: list[Path], other_world: Path, tmp_path: Path
) -> None:
    project = Project.create(tmp_path / "p", steps[1], server_target.derive("worlds", tmp_path))
    build(project)
    world = build_state(project.target)["orders"][0]

    use_dataset(project, steps[0])
    earlier = build(project)
    said = [line for line in earlier.lines if "in full" in line]
    assert len(said) == 1 and said[0].startswith(
        f"ecom_synth: data/ is as of {AS_OF[0]}, earlier than"
    ), said
    assert {s[1] for s in build_state(project.target).values()} == {AS_OF[0]}

    use_dataset(project, other_world)
    before = table_fingerprints(project.target)
    refused = dbt_logged(project, "build", "--vars", "{incremental_only: true}")
    assert not refused.run.success
    message = str(refused.run.exception) + " ".join(h.message or "" for h in refused.run.hooks)
    assert "incremental_only is set, but data/ holds another world" in message, message
    assert table_fingerprints(project.target) == before

    rebuilt = build(project)
    said = [line for line in rebuilt.lines if "in full" in line]
    assert len(said) == 1 and said[0].startswith("ecom_synth: data/ holds another world ("), said
    assert {s[0] for s in build_state(project.target).values()} != {world}

    again = build(project, "--full-refresh")
    assert "ecom_synth: --full-refresh; rebuilding every table in full" in again.lines


@pytest.fixture
def stepped(
    server_target: Target, steps: list[Path], tmp_path: Path
) -> Iterator[tuple[Project, dict[str, tuple[int, str]], set[tuple[str, str, str, str]]]]:
    """A project built at T0 with T1 in data/: a fault's starting point."""
    project = Project.create(tmp_path / "p", steps[0], server_target.derive("fault", tmp_path))
    build(project)
    before = table_fingerprints(project.target)
    keys = foreign_keys(project.target)
    use_dataset(project, steps[1])
    yield project, before, keys


def assert_previous_tables_whole(
    project: Project, before: dict[str, tuple[int, str]], keys: set[tuple[str, str, str, str]]
) -> None:
    target = project.target
    assert table_fingerprints(target) == before, "a typed table changed"
    assert foreign_keys(target) == keys
    assert orphans(target, keys) == {}
    assert {s[1] for s in build_state(target).values()} == {AS_OF[0]}


@pytest.mark.parametrize("fault", ["failing_test", "failing_model", "failing_merge"])
def test_a_failed_in_place_step_leaves_the_previous_tables_whole(
    stepped: tuple[Project, dict[str, tuple[int, str]], set[tuple[str, str, str, str]]],
    fault: str,
) -> None:
    project, before, keys = stepped
    target = project.target
    if fault == "failing_test":
        (project.path / "tests" / "dbt" / "fault_on_order_item.sql").write_text(
            "select * from {{ ref('order_item') }}\n", encoding="utf-8"
        )
    elif fault == "failing_model":
        sql_file = project.path / "models" / "oltp" / "orders.sql"
        original = sql_file.read_text(encoding="utf-8")
        sql_file.write_text(
            f"select * from (\n{original}\n) as a\nunion all\n"
            f"select * from (\n{original}\n) as b\n",
            encoding="utf-8",
        )
    else:
        # the merge of order_item, after orders, customer and product were merged, fails
        if target.name == "duckdb":
            pytest.skip("DuckDB has no triggers to fail a merge with")
        with target.connect() as con:
            cur = con.cursor()
            if target.name == "postgres":
                cur.execute(
                    f"create function {target.schema}.refuse() returns trigger language plpgsql as "
                    "$$ begin raise exception 'fault injected into the merge'; end $$"
                )
                cur.execute(
                    f"create trigger refuse before insert on {target.relation('order_item')} "
                    f"for each row execute function {target.schema}.refuse()"
                )
            else:
                cur.execute(
                    f"create trigger {target.quote(target.schema)}.refuse before insert on "
                    f"{target.relation('order_item')} for each row "
                    "signal sqlstate '45000' set message_text = 'fault injected into the merge'"
                )
    done = dbt_logged(project, "build")
    assert not done.run.success, done.run.summary()
    assert_previous_tables_whole(project, before, keys)
    if fault == "failing_merge":
        assert "fault injected into the merge" in str(done.run.exception) + done.run.summary()
