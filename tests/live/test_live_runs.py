"""Live runs on DuckDB, PostgreSQL, MariaDB and SQL Server: a run from T0 to T1 leaves exactly
the as-of T1 snapshot (compared row for row with a fresh `dbt build` of the T1 dataset), writes
the change set it applied, a stopped run goes on without duplicating or skipping an event, a
second run beside the first is refused, and bad input is one line with nothing applied."""

from __future__ import annotations

import csv
import random
import time
from pathlib import Path

import pytest
from dbt_harness import Project, Target, generate_dataset, table_fingerprints

from seeds_gen.live.events import CHANGING_TABLES

from .conftest import (
    T0,
    T1,
    WORLD,
    Datasets,
    built,
    dbt_build_process,
    run_live,
    start_live,
    terminate,
)

T2 = "2025-06-05 00:00:00"


def change_rows(folder: Path) -> dict[str, list[tuple[str, ...]]]:
    """Each change file's rows (header apart), sorted: the order within an instant is the
    events' order in a live run, key order in the generator's file."""
    out = {}
    for table in CHANGING_TABLES:
        with (folder / f"raw_{table}.csv").open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        out[table] = [tuple(rows[0]), *sorted(tuple(r) for r in rows[1:])]
    return out


def rows_written(folder: Path) -> int:
    total = 0
    for table in CHANGING_TABLES:
        path = folder / f"raw_{table}.csv"
        if path.exists():
            total += max(0, len(path.read_text(encoding="utf-8").splitlines()) - 1)
    return total


def build_state(target: Target) -> set[tuple[str, str, str]]:
    return {(t, a, b) for t, a, b, _ in build_state_changes(target)}


def build_state_changes(target: Target) -> set[tuple[str, str, str, tuple[int, int]]]:
    """(table, as_of, built, (rows inserted, rows updated)) of the build state."""
    with target.connect() as con:
        cur = con.cursor()
        cur.execute(f"select table_name, as_of, built, rows_inserted, rows_updated from "
                    f"{target.relation('ecom_synth_build_state')}")
        return {(str(t), str(a)[:19], str(b), (int(i), int(u)))
                for t, a, b, i, u in cur.fetchall()}


def use_dataset(project: Project, dataset: Path) -> None:
    """The project's data/ becomes `dataset` (its tables and manifest)."""
    for file in [*dataset.glob("raw_*.csv"), dataset / "manifest.json"]:
        (project.data / file.name).write_bytes(file.read_bytes())


def test_a_live_run_from_t0_to_t1_leaves_the_as_of_t1_snapshot_and_its_change_set(
    live_target: Target, datasets: Datasets, snapshot_t1: dict[str, tuple[int, str]],
    tmp_path: Path,
) -> None:
    target = live_target.derive("run", tmp_path)
    project = built(tmp_path / "project", datasets.t0, target)
    assert table_fingerprints(target) != snapshot_t1

    done = run_live(project, "--until", T1, "--speed", "max", "--also-changes",
                    str(tmp_path / "changes"))

    assert done.returncode == 0, done.stderr
    assert f"The tables hold the shop as of {T1}." in done.stderr
    assert table_fingerprints(target) == snapshot_t1
    assert change_rows(tmp_path / "changes") == change_rows(datasets.t1 / "changes")
    # the build state says T1: a later dbt build of this world updates the tables in place
    assert {(t, a) for t, a, _ in build_state(target)} == {
        (t, T1) for t in snapshot_t1}

    # the dataset as of T1 itself: the tables hold it already, so dbt updates nothing
    use_dataset(project, datasets.t1)
    rebuild = dbt_build_process(project)
    assert rebuild.returncode == 0, rebuild.stdout[-3000:]
    assert "updating them in place" in rebuild.stdout, rebuild.stdout[-3000:]
    state = build_state_changes(target)
    assert {(t, a, b) for t, a, b, _ in state} == {(t, T1, "incremental") for t in snapshot_t1}
    # no new row; rows changed at T1 itself come again with their own values (updated_at >= T1)
    assert {t: changes[0] for t, _, _, changes in state} == dict.fromkeys(snapshot_t1, 0)
    assert table_fingerprints(target) == snapshot_t1
    if target.name == "postgres":  # once: dbt's side is tests/integration/test_in_place_builds
        use_dataset(project, generate_dataset(tmp_path / "t2", *WORLD, "--as-of", T2))
        run = project.dbt("build")
        assert run.success, run.summary()
        assert build_state(target) == {(t, T2, "incremental") for t in snapshot_t1}


def test_a_stopped_run_goes_on_without_duplicating_or_skipping_and_a_second_run_is_refused(
    live_target: Target, datasets: Datasets, snapshot_t1: dict[str, tuple[int, str]],
    tmp_path: Path,
) -> None:
    target = live_target.derive("stop", tmp_path)
    project = built(tmp_path / "project", datasets.t0, target)
    changes = tmp_path / "changes"
    stop_after = random.Random().randint(3, 20)  # change rows; 42 events, 160 rows in all
    print(f"stopping after {stop_after} change rows")
    # 2 events/s: the run lasts ~20 s, time for the second run to start on a loaded machine
    first = start_live(project, "--until", T1, "--events-per-second", "2", "--window-days",
                       "1", "--also-changes", str(changes))
    try:
        deadline = time.monotonic() + 120
        while rows_written(changes) < stop_after and first.poll() is None:
            assert time.monotonic() < deadline, "the live run applied nothing in 120 s"
            time.sleep(0.02)
        second = run_live(project, "--until", T1, "--speed", "max")
        assert first.poll() is None, "the first run ended before it could be stopped"
    finally:
        code, err = terminate(first)

    assert code == 130, err
    assert "stopped after event" in err and "the same command goes on" in err
    assert second.returncode == 1, second.stderr
    assert len(second.stderr.strip().splitlines()) == 1, second.stderr
    assert ("another live run" in second.stderr if target.name != "duckdb"
            else "cannot open DuckDB file" in second.stderr)

    resumed = run_live(project, "--until", T1, "--speed", "max", "--also-changes", str(changes))

    assert resumed.returncode == 0, resumed.stderr
    assert "resuming after event" in resumed.stderr or "the tables hold 2025-06-0" in resumed.stderr
    assert table_fingerprints(target) == snapshot_t1
    assert change_rows(changes) == change_rows(datasets.t1 / "changes")


@pytest.fixture(scope="module")
def project_t0(datasets: Datasets, tmp_path_factory: pytest.TempPathFactory) -> Project:
    """Bad input is checked once, on DuckDB: the checks come before anything a target does
    its own way (the unreachable server is checked on PostgreSQL, MariaDB and SQL Server below).
    Shared: each test checks that it changed nothing."""
    path = tmp_path_factory.mktemp("bad")
    return built(path / "project", datasets.t0, Target("duckdb", "lv_bad", path / "bad.duckdb"))


@pytest.mark.parametrize("args, code, message", [
    (("--seed", "7"), 2, "hold another world"),
    (("--until", "2025-05-01"), 2, "is not after the instant the tables hold (2025-06-01"),
    (("--from", "2025-05-20"), 2, "the tables hold the shop as of 2025-06-01 00:00:00"),
    (("--from", T1, "--until", T0), 2, "is not after --from"),
    (("--until", "2027-01-01"), 2, "after the world's window"),
    (("--speed", "fast"), 2, "--speed needs a number"),
], ids=["another-world", "t1-before-t0", "from-not-held", "until-before-from", "past-window",
        "bad-speed"])
def test_bad_input_is_one_line_and_applies_nothing(project_t0: Project, args: tuple[str, ...],
                                                   code: int, message: str) -> None:
    before = table_fingerprints(project_t0.target)
    done = run_live(project_t0, "--speed", "max", *args) if "--speed" not in args else \
        run_live(project_t0, *args)
    assert done.returncode == code, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert message in done.stderr
    assert table_fingerprints(project_t0.target) == before


def test_tables_missing_and_unknown_target_are_one_line(tmp_path: Path,
                                                        datasets: Datasets) -> None:
    project = Project.create(tmp_path / "project", datasets.t0,
                             Target("duckdb", "lv_empty", tmp_path / "empty.duckdb"))
    missing = run_live(project, "--speed", "max")
    assert missing.returncode == 2
    assert "no typed table brand" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1, missing.stderr
    unknown_named = run_live(Project(project.path, Target("nope", "x")), "--speed", "max")
    assert unknown_named.returncode == 2
    assert "does not have a target named 'nope'" in unknown_named.stderr
    assert len(unknown_named.stderr.strip().splitlines()) == 1, unknown_named.stderr


@pytest.mark.parametrize("name, env", [
    ("postgres", {"DBT_PG_PORT": "1"}),
    ("mysql", {"DBT_MYSQL_PORT": "1"}),
    ("sqlserver", {"DBT_MSSQL_PORT": "1"}),  # no server needed: nothing listens on port 1
])
def test_an_unreachable_server_is_one_line_exit_1(name: str, env: dict[str, str],
                                                   datasets: Datasets, tmp_path: Path) -> None:
    project = Project.create(tmp_path / "project", datasets.t0, Target(name, "lv_unreachable"))
    done = run_live(project, "--speed", "max", **env)
    assert done.returncode == 1, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "127.0.0.1:1" in done.stderr


def test_the_database_checks_every_event_and_a_refused_one_stops_the_run_before_it(
    live_target: Target, datasets: Datasets, tmp_path: Path,
) -> None:
    target = live_target.derive("refused", tmp_path)
    project = built(tmp_path / "project", datasets.t0, target)
    with (datasets.t1 / "changes" / "raw_order_item.csv").open(encoding="utf-8") as f:
        first_sale = next(csv.DictReader(f))  # the interval's first order line
    with target.connect() as con:  # no units left of the product it sells
        con.cursor().execute(f"update {target.relation('product')} set stock_quantity = 0 "
                             f"where product_id = {first_sale['product_id']}")

    done = run_live(project, "--until", T1, "--speed", "max")

    assert done.returncode == 1, done.stderr
    assert len(done.stderr.strip().splitlines()) == 2, done.stderr  # the start line, the error
    assert f"refused the order at {first_sale['_changed_at']}" in done.stderr
    assert "the tables hold every event before it" in done.stderr
    with target.connect() as con:
        cur = con.cursor()
        cur.execute(f"select count(*) from {target.relation('orders')} "
                    f"where order_id = {first_sale['order_id']}")
        assert cur.fetchone()[0] == 0
        cur.execute(f"select at_instant from {target.relation('ecom_synth_live_state')}")
        assert str(cur.fetchone()[0])[:19] < first_sale["_changed_at"]
