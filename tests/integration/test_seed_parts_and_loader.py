"""Datasets in parts and Parquet through `dbt seed` and `python -m seeds_gen load` (issue 9).

- A seed loads the files the manifest lists (docs/dataset_layout.md): DuckDB reads every part (CSV
  or Parquet) in one statement; PostgreSQL's server COPYs each CSV part, also through a path the
  server sees the data at (`postgres_data_path`, the compose mount).
- A seed table that holds the manifest's data is kept (KEPT), `--full-refresh` reloads it, and a
  new dataset loads again (seed_loads.sql).
- Where the seed cannot read the files (Parquet on PostgreSQL, a remote server), it refuses in one
  line naming `python -m seeds_gen load`; the loader streams them (COPY FROM STDIN) into the very
  tables `dbt seed` makes, and `dbt build` then keeps them.
- A part altered after generation is refused by both, and the previous tables stay whole.
MySQL has its own file (test_mysql_parts_and_loader.py); SQL Server is checked by rendering.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dbt_harness import REPO_ROOT, Project, Target, generate_dataset

pytestmark = pytest.mark.usefixtures("target")

LARGE = ("raw_customer", "raw_orders", "raw_order_item")


@pytest.fixture
def project(target: Target) -> Iterator[Project]:
    """A project copy in a folder the local PostgreSQL server's OS user may read (mode 755:
    pytest's own temp dirs are private), with an empty namespace."""
    if target.name not in ("duckdb", "postgres"):
        pytest.skip("MySQL: test_mysql_parts_and_loader.py; SQL Server: tests/sqlserver")
    workdir = Path(tempfile.mkdtemp(prefix="ecom-parts-"))
    workdir.chmod(0o755)
    try:
        yield Project.create(workdir / "project", None, target.derive("parts", workdir))  # type: ignore[arg-type]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def generate(project: Project, *options: str) -> dict[str, Any]:
    generate_dataset(project.data, *options, scale=0.01)
    manifest: dict[str, Any] = json.loads((project.data / "manifest.json").read_text())
    return manifest


def seed_counts(project: Project) -> dict[str, int]:
    with project.target.connect() as con:
        cur = con.cursor()
        out = {}
        for seed in (*LARGE, "raw_product"):
            relation = project.target.relation(seed, project.target.schemas[1])
            cur.execute(f"select count(*) from {relation}")
            out[seed] = int(cur.fetchone()[0])
        return out


def expected_counts(manifest: dict[str, Any]) -> dict[str, int]:
    return {e["seed"]: int(e["rows"]) for e in manifest["tables"].values()
            if e["seed"] in (*LARGE, "raw_product")}


def seed_messages(run: Any) -> dict[str, str]:
    return {r.name: r.message or "" for r in run.results if r.resource_type == "seed"}


def run_loader(project: Project, *args: str, target: str | None = None,
               **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m seeds_gen load` on the project's target (or `target`), with extra env vars."""
    return subprocess.run(
        [sys.executable, "-m", "seeds_gen", "load", "--target", target or project.target.name,
         "--project-dir", str(project.path), "--profiles-dir", str(project.path), *args],
        cwd=REPO_ROOT, env={**os.environ, **project.target.env, **env},
        capture_output=True, text=True, check=False, timeout=600)


def alter_a_byte(project: Project, manifest: dict[str, Any], table: str = "order_item") -> Path:
    """Change one digit in the middle of part 1 (same size): only the sha256 can tell."""
    part = project.data / manifest["tables"][table]["files"][1]["file"]
    real = part.resolve()
    data = bytearray(real.read_bytes())
    middle = len(data) // 2
    at = next(i for i in range(middle, len(data)) if chr(data[i]).isdigit())
    data[at] = ord("1") if data[at] != ord("1") else ord("2")
    real.chmod(0o644)
    real.write_bytes(bytes(data))
    return part


def test_seed_loads_every_part_keeps_what_it_holds_and_reloads_on_full_refresh(
    project: Project,
) -> None:
    manifest = generate(project, "--parts", "3")
    assert len(manifest["tables"]["order_item"]["files"]) == 3
    first = project.dbt("seed")
    assert first.success, first.summary()
    assert seed_counts(project) == expected_counts(manifest)
    if project.target.name == "postgres":
        assert "server-side COPY, 3 parts" in seed_messages(first)["raw_order_item"]

    again = project.dbt("seed")
    assert again.success, again.summary()
    assert all(seed_messages(again)[s].startswith("KEPT ") for s in LARGE), seed_messages(again)

    full = project.dbt("seed", "--full-refresh")
    assert full.success, full.summary()
    assert not any(m.startswith("KEPT") for m in seed_messages(full).values())
    assert seed_counts(project) == expected_counts(manifest)

    # another world (seed 7): the record no longer matches, so the tables load again
    generate_dataset(project.data, "--parts", "2", scale=0.01, seed=7)
    other = json.loads((project.data / "manifest.json").read_text())
    reload = project.dbt("build")
    assert reload.success, reload.summary()
    assert not any(seed_messages(reload)[s].startswith("KEPT") for s in LARGE)
    assert seed_counts(project) == expected_counts(other)


def test_an_altered_part_is_refused_and_the_previous_tables_stay(project: Project) -> None:
    if project.target.name == "postgres":
        pytest.skip("a server-side COPY checks each part's rows, not its bytes "
                    "(seed_manifest.sql); the loader checks bytes: test_loader_refuses_...")
    generate(project, "--parts", "3")
    assert project.dbt("seed").success
    before = seed_counts(project)
    altered = generate(project, "--parts", "3", "--seed", "43")  # a new dataset, one part altered
    part = alter_a_byte(project, altered)
    run = project.dbt("seed", "--select", "raw_order_item")
    assert not run.success
    message = seed_messages(run)["raw_order_item"]
    assert part.name in message and "content differs" in message, message
    assert seed_counts(project) == before


def test_postgres_reads_the_parts_where_it_sees_the_data_folder(project: Project) -> None:
    """postgres_data_path: the server opens the files under another path (as in a container)."""
    if project.target.name != "postgres":
        pytest.skip("PostgreSQL only")
    manifest = generate(project, "--parts", "2")
    mount = project.path.parent / "server-view"
    mount.symlink_to(project.data)
    run = project.dbt("seed", "--vars", json.dumps({"postgres_data_path": str(mount)}))
    assert run.success, run.summary()
    assert seed_counts(project) == expected_counts(manifest)
    log = (project.path / "logs" / "dbt.log").read_text()
    assert f"the server reads {mount}/raw_order_item/part-00000.csv itself" in log


def test_seed_that_cannot_read_the_files_names_the_loader_which_then_loads_them(
    project: Project,
) -> None:
    """PostgreSQL without server-side reads (as for a remote server): the seed refuses parts in
    one line; the loader streams them; dbt build keeps them and builds the typed tables."""
    if project.target.name != "postgres":
        pytest.skip("PostgreSQL only: DuckDB always reads the files itself")
    manifest = generate(project, "--parts", "3")
    refused = project.dbt("seed", "--vars", "{server_side_seeds: false}")
    assert not refused.success
    message = seed_messages(refused)["raw_order_item"]
    said = [line.strip() for line in message.splitlines() if "python -m seeds_gen load" in line]
    assert len(said) == 1, message
    assert said[0].startswith("data/raw_order_item.csv: the data is in "), message
    assert "--target postgres" in said[0] and "server_side_seeds is false" in said[0]

    loaded = run_loader(project)
    assert loaded.returncode == 0, loaded.stderr
    assert "raw_order_item" in loaded.stderr and "3 files" in loaded.stderr
    assert seed_counts(project) == expected_counts(manifest)

    build = project.dbt("build", "--vars", "{server_side_seeds: false}")
    assert build.success, build.summary()
    assert all(seed_messages(build)[s].startswith("KEPT ") for s in LARGE)
    with project.target.connect() as con:
        cur = con.cursor()
        cur.execute(f"select count(*) from {project.target.relation('order_item')}")
        assert cur.fetchone()[0] == manifest["tables"]["order_item"]["rows"]

    again = run_loader(project)
    assert again.returncode == 0, again.stderr
    assert "kept (holds the manifest's data)" in again.stderr


def test_parquet_loads_on_duckdb_and_through_the_loader_on_postgres(project: Project) -> None:
    manifest = generate(project, "--parts", "2", "--format", "parquet")
    if project.target.name == "postgres":
        refused = project.dbt("seed")
        assert not refused.success
        assert "python -m seeds_gen load" in seed_messages(refused)["raw_order_item"]
        loaded = run_loader(project)
        assert loaded.returncode == 0, loaded.stderr
    build = project.dbt("build")
    assert build.success, build.summary()
    assert seed_counts(project) == expected_counts(manifest)
    with project.target.connect() as con:
        cur = con.cursor()
        cur.execute(
            "select sum(line_total), min(unit_price), count(distinct order_id) from "
            f"{project.target.relation('order_item')}")
        total, first, orders = cur.fetchone()
    assert total is not None and first is not None
    assert orders == manifest["tables"]["orders"]["rows"]


def test_loader_refuses_an_altered_part_and_leaves_the_tables_as_they_were(
    project: Project,
) -> None:
    if project.target.name != "postgres":
        pytest.skip("PostgreSQL only")
    generate(project, "--parts", "3")
    assert run_loader(project).returncode == 0
    before = seed_counts(project)
    altered = generate(project, "--parts", "3", "--seed", "43")
    part = alter_a_byte(project, altered)
    failed = run_loader(project)
    assert failed.returncode == 1
    lines = [line for line in failed.stderr.splitlines() if line.startswith("seeds_gen load:")]
    assert len(lines) == 1 and part.name in lines[0]
    assert "not the file the manifest lists" in lines[0]
    assert "Traceback" not in failed.stderr
    assert seed_counts(project) == before
    with project.target.connect() as con:
        cur = con.cursor()
        cur.execute("select count(*) from information_schema.tables where table_schema = %s "
                    "and table_name like %s", (project.target.schemas[1], "%__ecom_load"))
        assert cur.fetchone()[0] == 0


def test_loader_bad_input_is_one_line(project: Project) -> None:
    # Every case names its own target, so one project proves them all.
    if project.target.name != "postgres":
        pytest.skip("the cases name their targets: run once, with the PostgreSQL project")
    generate(project)
    duck = run_loader(project, target="duckdb", DBT_DUCKDB_PATH=str(project.path / "x.duckdb"))
    assert duck.returncode == 1 and "DuckDB reads the files itself" in duck.stderr, duck.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "seeds_gen", "load"], cwd=REPO_ROOT, capture_output=True,
        text=True, check=False)
    assert missing.returncode == 2 and "--target" in missing.stderr
    unknown = run_loader(project, target="nosuch")
    assert unknown.returncode == 1
    assert "does not have a target named 'nosuch'" in unknown.stderr.splitlines()[-1]
    unreachable = run_loader(project, target="postgres", DBT_PG_PORT="1")
    assert unreachable.returncode == 1
    assert 'port 1 failed: Connection refused' in unreachable.stderr.splitlines()[-1]
    for done in (duck, missing, unknown, unreachable):
        assert "Traceback" not in done.stderr
        assert len([x for x in done.stderr.splitlines() if "error" in x.lower()]) <= 1


def start_loader(project: Project, fault: str) -> subprocess.Popen[str]:
    # PYTHONFAULTHANDLER: a loader that hangs is made to print every thread's stack (stopped()).
    env = {**os.environ, **project.target.env, "ECOM_SYNTH_FAULT": fault,
           "PYTHONFAULTHANDLER": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "seeds_gen", "load", "--target", project.target.name,
         "--project-dir", str(project.path), "--profiles-dir", str(project.path)],
        cwd=REPO_ROOT, env=env, stderr=subprocess.PIPE, text=True)


def wait_for_fault(loader: subprocess.Popen[str], fault: str) -> str:
    assert loader.stderr is not None
    seen = []
    for line in loader.stderr:
        seen.append(line)
        if f"test fault point {fault} reached" in line:
            return "".join(seen)
    raise AssertionError("the loader ended before the fault point:\n" + "".join(seen))


def stopped(project: Project, loader: subprocess.Popen[str], timeout: float = 120) -> str:
    """The rest of a signalled loader's stderr once it exits. One that does not exit in
    `timeout` fails the test with what it was doing: its threads' stacks (SIGABRT, with
    PYTHONFAULTHANDLER set) and the server's sessions, with what each waits on."""
    try:
        return loader.communicate(timeout=timeout)[1]
    except subprocess.TimeoutExpired:
        with project.target.connect() as con:
            cur = con.cursor()
            cur.execute("select pid, state, wait_event_type, wait_event, left(query, 200) "
                        "from pg_stat_activity where datname = current_database() "
                        "and pid <> pg_backend_pid()")
            sessions = "\n".join(str(row) for row in cur.fetchall())
        loader.send_signal(signal.SIGABRT)
        stacks = loader.communicate(timeout=30)[1]
        raise AssertionError(f"the loader did not exit within {timeout:.0f} s of the signal; "
                             f"sessions:\n{sessions}\nits stderr:\n{stacks}") from None


def side_tables(project: Project) -> int:
    with project.target.connect() as con:
        cur = con.cursor()
        cur.execute("select count(*) from information_schema.tables where table_schema = %s "
                    "and table_name like %s", (project.target.schemas[1], "%\\_\\_ecom\\_load"))
        return int(cur.fetchone()[0])


@pytest.mark.parametrize(("fault", "stop"), [
    ("load_after_first_table", signal.SIGTERM),
    ("load_before_finish", signal.SIGINT),
    ("load_before_finish", signal.SIGKILL),
], ids=["sigterm-between-tables", "sigint-before-swap", "sigkill-before-swap"])
def test_an_interrupted_load_leaves_the_previous_seed_tables_whole(
    project: Project, fault: str, stop: signal.Signals
) -> None:
    """Stopped mid-load (between tables, or with every table streamed and nothing swapped): the
    seed tables hold the previous dataset, the typed tables build from it, and the next load
    completes. SIGTERM and Ctrl-C also drop the side tables; after SIGKILL the next load does."""
    if project.target.name != "postgres":
        pytest.skip("PostgreSQL only")
    generate(project, "--parts", "2")
    assert run_loader(project).returncode == 0
    before = seed_counts(project)
    newer = generate(project, "--parts", "2", "--scale", "0.02")
    loader = start_loader(project, fault)
    wait_for_fault(loader, fault)
    loader.send_signal(stop)
    rest = stopped(project, loader)
    assert loader.returncode == (-9 if stop == signal.SIGKILL else 130), rest
    assert seed_counts(project) == before
    if stop != signal.SIGKILL:
        assert "the seed tables are as they were" in rest and "Traceback" not in rest
        assert side_tables(project) == 0
    build = project.dbt("build", "--vars", "{server_side_seeds: false}", "--exclude",
                        "resource_type:seed")
    assert build.success, build.summary()
    again = run_loader(project)
    assert again.returncode == 0, again.stderr
    assert seed_counts(project) == expected_counts(newer) and side_tables(project) == 0
