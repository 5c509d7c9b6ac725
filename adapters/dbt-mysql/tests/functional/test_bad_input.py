"""Bad input gives one clear error (no traceback wall) and leaves nothing half-loaded."""

import socket
import textwrap

import pytest
from conftest import dbt_runner, drop_database, mysql_server

SCHEMA = "test_mysql_adapter_bad_input"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server():
    return mysql_server()


@pytest.fixture
def dbt_project(tmp_path):
    """A tiny project with one seed; returns a function running dbt with profile overrides."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "models").mkdir()
    (tmp_path / "dbt_project.yml").write_text(
        "name: bad_input\nversion: '1.0'\nconfig-version: 2\nprofile: bad_input\n"
    )
    (tmp_path / "seeds" / "raw_people.csv").write_text(
        'id,name,active,joined_at\n1,"Zoë, ""the"" first",true,2024-01-02 03:04:05\n'
        "2,東京 😀,false,\n3,,,2024-12-31 23:59:59\n",
        encoding="utf-8",
    )

    run = dbt_runner(tmp_path, "bad_input", SCHEMA, connect_timeout=3)

    yield tmp_path, run
    drop_database(SCHEMA)


def _one_clear_error(out: str, needle: str) -> None:
    assert needle in out, out
    assert "Traceback" not in out, out


def test_wrong_password_is_one_clear_error(dbt_project):
    _, run = dbt_project
    result = run(["debug"], password="definitely-wrong")
    assert result.returncode != 0
    _one_clear_error(result.stdout + result.stderr, "access denied")


def test_unreachable_host_is_one_clear_error(dbt_project):
    _, run = dbt_project
    result = run(["seed"], port=_free_port())
    assert result.returncode != 0
    _one_clear_error(result.stdout + result.stderr, "Cannot reach the MySQL server")


def test_missing_database_in_a_source_is_one_clear_error(dbt_project):
    path, run = dbt_project
    (path / "models" / "m.sql").write_text("select * from test_mysql_adapter_no_such_db.t")
    result = run(["run"])
    assert result.returncode != 0
    _one_clear_error(result.stdout, "doesn't exist")


def test_seed_round_trips_utf8_quotes_nulls_and_booleans(dbt_project):
    _, run = dbt_project
    result = run(["seed"])
    assert result.returncode == 0, result.stdout
    assert "LOAD DATA LOCAL INFILE" in result.stdout
    conn = _server()
    with conn.cursor() as cur:
        cur.execute(f"select id, name, active, joined_at from {SCHEMA}.raw_people order by id")
        rows = cur.fetchall()
    conn.close()
    assert rows[0][1] == 'Zoë, "the" first' and rows[0][2] == 1
    assert rows[1][1] == "東京 😀" and rows[1][2] == 0 and rows[1][3] is None
    assert rows[2][1] is None and rows[2][2] is None


def test_local_infile_off_falls_back_to_inserts_with_a_message(dbt_project):
    _, run = dbt_project
    result = run(["seed"], local_infile=False)
    assert result.returncode == 0, result.stdout
    assert "multi-row INSERT fallback" in result.stdout
    assert "local_infile is false in the profile" in result.stdout


def test_server_local_infile_off_falls_back(dbt_project):
    _, run = dbt_project
    conn = _server()
    try:
        with conn.cursor() as cur:
            cur.execute("set global local_infile = 0")
        result = run(["seed"])
    finally:
        with conn.cursor() as cur:
            cur.execute("set global local_infile = 1")
        conn.close()
    assert result.returncode == 0, result.stdout
    assert "local_infile is OFF on the server" in result.stdout


def test_bad_seed_value_leaves_old_table_intact(dbt_project):
    path, run = dbt_project
    assert run(["seed"]).returncode == 0
    # now force a type the data does not fit: nothing is swapped in
    (path / "dbt_project.yml").write_text(
        textwrap.dedent(
            """\
            name: bad_input
            version: '1.0'
            config-version: 2
            profile: bad_input
            seeds:
              bad_input:
                raw_people:
                  +column_types: {name: int}
            """
        )
    )
    result = run(["seed", "--full-refresh"])
    assert result.returncode != 0
    _one_clear_error(result.stdout, "does not fit")
    conn = _server()
    with conn.cursor() as cur:
        cur.execute(f"select count(*) from {SCHEMA}.raw_people")
        assert cur.fetchone()[0] == 3
        cur.execute(
            "select count(*) from information_schema.tables where table_schema = %s",
            (SCHEMA,),
        )
        assert cur.fetchone()[0] == 1  # no leftover load table
    conn.close()
