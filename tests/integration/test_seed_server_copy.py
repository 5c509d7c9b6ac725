"""PostgreSQL loads a seed with the server's own `COPY ... FROM '<file>'` when it can read the file
(macros/seeds/postgres_server_copy.sql), and with dbt's client-side batches otherwise.

On the local server, real dbt, no mocks:
- every seed is COPYed by the server: its result message says `(server-side COPY)` and dbt's debug
  log holds the COPY of that file and no client batch;
- `--vars '{server_side_seeds: false}'` forces the client path (message and log say so);
- both paths give the same rows, types and NULLs in every table (NULL-like words stay text, a
  quoted empty field is NULL);
- bad files are refused on the server path with the same messages as on the client path, and the
  previous table stays; a dataset behind the generator's symlinks loads server-side;
- the server path is not taken where the server cannot read the file: a folder private to this
  user, a role without the privilege (then granted pg_read_server_files, it is).

The server's OS user must reach the files, so these projects live in a world-readable temp folder
(pytest's own tmp_path is private: the other seed suites take the client path there).
Run: .venv/bin/python -m pytest tests/integration/test_seed_server_copy.py -m postgres
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from dbt_harness import PG_SETTINGS, DbtRun, Project, Target
from test_seed_loading import BAD_INPUTS
from test_seed_manifest import (
    cut_at_line_end,
    fetch,
    leftover_load_tables,
    make_project,
    publish_as_symlinks,
    raw_table,
    refusal,
    restored_afterwards,
    stamp_manifest,
)
from test_seed_null_text import set_surnames

from seeds_gen.schema import ROW_COUNTS_SEED, TABLES

SEEDS = [t.seed_name for t in TABLES] + [ROW_COUNTS_SEED]
SERVER = "(server-side COPY)"
CLIENT = "(client-side batches)"
FORCE_CLIENT = "{server_side_seeds: false}"


@pytest.fixture(scope="module")
def pg(target: Target) -> Target:
    if target.name != "postgres":
        pytest.skip("server-side COPY is the PostgreSQL loader's")
    return target


@pytest.fixture(scope="module")
def readable_dir() -> Iterator[Path]:
    """A temp folder the server's OS user may enter and read (mode 755, files 644)."""
    path = Path(tempfile.mkdtemp(prefix="ecom-seed-copy-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def seed(project: Project, *args: str) -> tuple[DbtRun, str]:
    """`dbt seed` with this run's debug log (dbt appends to logs/dbt.log: start it afresh)."""
    log = project.path / "logs" / "dbt.log"
    log.unlink(missing_ok=True)
    # --full-refresh: every call loads (a table holding the manifest's data is otherwise kept)
    run = project.dbt("seed", "--full-refresh", *args)
    return run, log.read_text(encoding="utf-8") if log.exists() else ""


def copied_files(log: str) -> set[str]:
    """Files the server was told to COPY, from the SQL in dbt's debug log."""
    return set(re.findall(r"copy \"[^\n]*__ecom_load\" \([^)]*\)\s+from '([^']+)'", log))


def methods(run: DbtRun) -> dict[str, str]:
    return {r.name: (r.message or "") for r in run.results}


def quote_empty_promotion(data: Path) -> None:
    """Write the first empty promotion_id of raw_order_item.csv as a quoted empty field ("")."""
    path = data / "raw_order_item.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    position = lines[0].split(",").index("promotion_id")
    for i, line in enumerate(lines[1:], 1):
        fields = line.split(",")
        if len(fields) > position and fields[position] == "":
            fields[position] = '""'
            lines[i] = ",".join(fields)
            break
    path.write_text("\n".join(lines), encoding="utf-8")
    stamp_manifest(data, "raw_order_item.csv")


@dataclass
class BothWays:
    server: Project
    server_run: DbtRun
    server_log: str
    client: Project
    client_run: DbtRun
    client_log: str
    surnames: dict[str, str]


@pytest.fixture(scope="module")
def both_ways(pg: Target, dataset: Path, readable_dir: Path) -> BothWays:
    """One dataset (with NULL-like surnames and a quoted empty field) seeded twice from the same
    readable folder: server-side, and with the var forcing the client path."""
    server = make_project(pg, dataset, readable_dir, "server")
    surnames = set_surnames(server.data)
    quote_empty_promotion(server.data)
    client = Project.create(
        readable_dir / "client" / "project", server.data, pg.derive("client", readable_dir)
    )
    shutil.copy2(server.data / "manifest.json", client.data / "manifest.json")
    server_run, server_log = seed(server)
    client_run, client_log = seed(client, "--vars", FORCE_CLIENT)
    return BothWays(
        server, server_run, server_log, client, client_run, client_log, surnames
    )


def test_local_server_copies_every_seed_itself(both_ways: BothWays) -> None:
    run, project = both_ways.server_run, both_ways.server
    assert run.success, run.summary()
    assert all(m.endswith(SERVER) for m in methods(run).values()), methods(run)
    assert set(methods(run)) == set(SEEDS)
    assert copied_files(both_ways.server_log) == {str(project.data / f"{s}.csv") for s in SEEDS}
    assert "json_array_elements_text" not in both_ways.server_log


def test_the_var_forces_the_client_path(both_ways: BothWays) -> None:
    run = both_ways.client_run
    assert run.success, run.summary()
    assert all(m.endswith(CLIENT) for m in methods(run).values()), methods(run)
    assert not copied_files(both_ways.client_log)
    assert "json_array_elements_text" in both_ways.client_log
    assert "loading through dbt (client-side batches): server_side_seeds is false" in (
        both_ways.client_log
    )


def column_types(project: Project, seed: str) -> list[tuple[Any, ...]]:
    return fetch(
        project,
        "select column_name, data_type, character_maximum_length, numeric_precision, "
        "numeric_scale, is_nullable from information_schema.columns "
        f"where table_schema = '{project.target.schemas[1]}' and table_name = '{seed}' "
        "order by ordinal_position",
    )


@pytest.mark.parametrize("seed_name", SEEDS)
def test_server_copy_gives_the_same_table_as_the_client_path(
    both_ways: BothWays, seed_name: str
) -> None:
    assert both_ways.server_run.success and both_ways.client_run.success
    server, client = both_ways.server, both_ways.client
    assert column_types(server, seed_name) == column_types(client, seed_name)
    rows = raw_table(server, seed_name)
    assert rows == raw_table(client, seed_name)
    assert len(rows) > 0


def test_null_words_stay_text_and_empty_fields_are_null_server_side(both_ways: BothWays) -> None:
    project = both_ways.server
    raw = project.target.schemas[1]
    ids = ", ".join(both_ways.surnames)
    got = fetch(project, f"select customer_id, last_name from {raw}.raw_customer "
                f"where customer_id in ({ids})")
    assert {str(k): v for k, v in got} == both_ways.surnames
    (empty_text,) = fetch(project, f"select count(*) from {raw}.raw_order_item "
                          "where promotion_id is null")[0]
    lines = (project.data / "raw_order_item.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert empty_text == sum(1 for line in lines if line.split(",")[5] in ("", '""'))


# --------------------------------------------------------------------------------------------
# Bad files on the server path: same refusals, previous table intact
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded_server(pg: Target, dataset: Path, readable_dir: Path) -> Project:
    project = make_project(pg, dataset, readable_dir, "bad")
    run, _ = seed(project)
    assert run.success and all(m.endswith(SERVER) for m in methods(run).values()), run.summary()
    return project


@pytest.fixture
def server_data(seeded_server: Project) -> Iterator[Path]:
    """data/ of the shared server-side copy, put back as it was after the test."""
    with restored_afterwards(seeded_server.data) as data:
        yield data


# The line the server's reason must name, where the client path names it too.
LINE_OF = {"short_row": 5, "long_row": 4}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_file_is_refused_server_side_with_the_same_message_and_the_table_stays(
    case: str, seeded_server: Project, server_data: Path
) -> None:
    seed_name, corrupt, words = BAD_INPUTS[case]
    before = raw_table(seeded_server, seed_name)
    corrupt(server_data)
    stamp_manifest(server_data, f"{seed_name}.csv")
    run, log = seed(seeded_server, "--select", seed_name)
    message = refusal(run, seed_name)
    for word in words:
        assert word.lower() in message.lower(), f"{word!r} not in: {message}"
    if case in LINE_OF:
        assert re.search(rf"line:? ?{LINE_OF[case]}\b", message, re.I), message
    if case not in ("missing_column", "renamed_column"):  # refused before any load
        assert copied_files(log) == {str(server_data / f"{seed_name}.csv")}, "not server-side"
    assert "json_array_elements_text" not in log
    assert raw_table(seeded_server, seed_name) == before, "the previous seed table changed"
    assert not leftover_load_tables(seeded_server)


def test_cut_file_is_refused_server_side_by_the_manifest_row_count(
    seeded_server: Project, server_data: Path
) -> None:
    before = raw_table(seeded_server, "raw_orders")
    records, kept = cut_at_line_end(server_data / "raw_orders.csv")
    run, log = seed(seeded_server, "--select", "raw_orders")
    message = refusal(run, "raw_orders")
    assert (
        f"data/raw_orders.csv: row count differs (manifest says {records} rows, file has {kept}); "
        "the file is not the one the generator wrote"
    ) in message, message
    assert copied_files(log) == {str(server_data / "raw_orders.csv")}
    assert raw_table(seeded_server, "raw_orders") == before
    assert not leftover_load_tables(seeded_server)


def test_dataset_behind_the_generators_symlinks_loads_server_side(
    seeded_server: Project, server_data: Path
) -> None:
    publish_as_symlinks(server_data)
    run, log = seed(seeded_server, "--select", "raw_orders", "raw_brand")
    assert run.success, run.summary()
    assert all(m.endswith(SERVER) for m in methods(run).values()), methods(run)
    assert copied_files(log) == {str(server_data / f"{s}.csv") for s in ("raw_orders", "raw_brand")}


# --------------------------------------------------------------------------------------------
# Where the server cannot read the file: today's client path
# --------------------------------------------------------------------------------------------


def test_a_folder_the_server_cannot_enter_takes_the_client_path(
    pg: Target, dataset: Path, tmp_path: Path
) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    project = make_project(pg, dataset, private, "private")
    run, log = seed(project, "--select", "raw_brand")
    assert run.success, run.summary()
    assert methods(run)["raw_brand"].endswith(CLIENT)
    assert "raw_brand: loading through dbt (client-side batches): the server cannot open" in log
    assert not copied_files(log)


@pytest.fixture
def plain_role(pg: Target) -> Iterator[str]:
    """A login role that is not superuser and may create schemas; dropped after with what it owns
    and was granted (`drop owned` revokes its grants in this database)."""
    role = f"{pg.schema}_loader"
    with pg.connect() as con, con.cursor() as cur:
        cur.execute(f'create role "{role}" login')
        cur.execute(f'grant create on database "{PG_SETTINGS["dbname"]}" to "{role}"')
    yield role
    with pg.connect() as con, con.cursor() as cur:
        cur.execute(f'drop owned by "{role}" cascade')
        cur.execute(f'drop role "{role}"')


def test_only_a_role_that_may_read_server_files_gets_the_server_path(
    pg: Target, dataset: Path, readable_dir: Path, plain_role: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DBT_PG_USER", plain_role)
    project = make_project(pg, dataset, readable_dir, "role")
    run, log = seed(project, "--select", "raw_brand")
    assert run.success, run.summary()
    assert methods(run)["raw_brand"].endswith(CLIENT)
    assert f"the role {plain_role} may not read server files" in log
    with pg.connect() as con, con.cursor() as cur:
        cur.execute(f'grant pg_read_server_files to "{plain_role}"')
        cur.execute(
            "grant execute on function pg_catalog.pg_read_binary_file(text, bigint, bigint, "
            f'boolean) to "{plain_role}"'
        )
    run, log = seed(project, "--select", "raw_brand")
    assert run.success, run.summary()
    assert methods(run)["raw_brand"].endswith(SERVER)
    assert copied_files(log) == {str(project.data / "raw_brand.csv")}
