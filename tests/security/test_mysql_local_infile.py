"""A MySQL server cannot read files on the client: LOCAL INFILE requests are refused except
for the seed file the adapter is loading in that very statement.

The server is fake (fake_mysql.py): it asks for /etc/passwd in reply to chosen statements and
records every byte the client sends back. No real server is needed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pymysql
import pytest
from dbt.adapters.contracts.connection import Connection, Identifier
from dbt.adapters.exceptions.connection import FailedToConnectError
from dbt.adapters.mysql.connections import MySQLConnectionManager, MySQLCredentials, connect
from dbt.adapters.mysql.local_files import LocalFileRefused

from .conftest import DbtRunner
from .fake_mysql import FakeMySQLServer

PASSWD = "/etc/passwd"
LOAD_RE = re.compile(r"load data local infile '([^']*)'", re.I)


def credentials(port: int) -> MySQLCredentials:
    return MySQLCredentials.from_dict(
        {"host": "127.0.0.1", "port": port, "user": "root", "schema": "security_check",
         "retries": 0, "connect_timeout": 5, "read_timeout": 30}
    )


def assert_nothing_sent(server: FakeMySQLServer) -> None:
    assert server.requests, f"the fake server never asked for a file: {server.queries}"
    assert not server.errors, server.errors
    for request in server.requests:
        # the protocol's refusal: one empty packet, no file content
        assert request.packets == [b""], (request.query, request.packets[:2])


def one_clear_line(output: str, *needles: str) -> None:
    for needle in needles:
        assert needle in output, output[-4000:]
    assert "Traceback" not in output, output[-4000:]


def test_the_fake_server_does_get_a_file_from_plain_pymysql(tmp_path: Path) -> None:
    """Control: with PyMySQL's own local_infile=True the attack works against this server,
    so the refusals below are the adapter's doing, not the fake server's."""
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"top secret\n")
    server = FakeMySQLServer(lambda sql: str(secret) if sql.startswith("select") else None)
    with server.running():
        conn = pymysql.connect(host="127.0.0.1", port=server.port, user="root",
                               local_infile=True, connect_timeout=5, read_timeout=30)
        with conn.cursor() as cursor:
            cursor.execute("select 1")
        conn.close()
    assert server.file_bytes_received == b"top secret\n"


@pytest.mark.parametrize("statement", ["set autocommit", "set time_zone", "use "])
def test_a_file_request_on_connect_is_refused(statement: str) -> None:
    server = FakeMySQLServer(lambda sql: PASSWD if sql.lower().startswith(statement) else None)
    with server.running():
        connection = Connection(
            type=Identifier("mysql"), name="security", credentials=credentials(server.port)
        )
        with pytest.raises(FailedToConnectError) as refused:
            MySQLConnectionManager.open(connection)
    message = str(refused.value)
    assert f"asked this machine for the local file '{PASSWD}'" in message
    assert "in reply to a statement that loads no file" in message
    assert "nothing was sent" in message
    assert_nothing_sent(server)


def test_a_file_request_on_any_later_query_is_refused_and_the_connection_closed() -> None:
    server = FakeMySQLServer(lambda sql: PASSWD if sql.startswith("select 1") else None)
    with server.running():
        handle = connect(credentials(server.port))
        MySQLConnectionManager._init_session(handle, credentials(server.port))
        with pytest.raises(LocalFileRefused, match="loads no file"), handle.cursor() as cursor:
            cursor.execute("select 1")
        assert not handle.open
    assert_nothing_sent(server)


def test_dbt_debug_against_a_server_asking_for_etc_passwd_sends_nothing(
    mysql_project: tuple[Path, DbtRunner],
) -> None:
    _, run = mysql_project
    server = FakeMySQLServer(lambda sql: PASSWD if sql.startswith("set time_zone") else None)
    with server.running():
        done = run(server.port, "debug")
    assert done.returncode != 0
    one_clear_line(done.stdout + done.stderr,
                   f"asked this machine for the local file '{PASSWD}'", "nothing was sent")
    assert_nothing_sent(server)


def test_dbt_seed_refuses_a_file_other_than_the_seed_being_loaded(
    mysql_project: tuple[Path, DbtRunner],
) -> None:
    project, run = mysql_project
    server = FakeMySQLServer(lambda sql: PASSWD if LOAD_RE.match(sql.strip()) else None)
    with server.running():
        done = run(server.port, "seed")
    assert done.returncode != 0
    seed = os.path.realpath(project / "seeds" / "raw_people.csv")
    one_clear_line(done.stdout + done.stderr,
                   f"asked this machine for the local file '{PASSWD}'",
                   f"while the adapter was loading '{seed}'")
    assert_nothing_sent(server)
    assert [r.filename for r in server.requests] == [PASSWD]


def test_dbt_seed_sends_the_seed_file_it_loads_and_nothing_else(
    mysql_project: tuple[Path, DbtRunner],
) -> None:
    """The same fake server, asking for exactly the file named in the LOAD DATA statement:
    that file is sent (by its real path, symlinks resolved), byte for byte."""
    project, run = mysql_project
    target = project / "seeds" / "raw_people.csv"
    real = project / "real_people.csv"
    target.rename(real)
    target.symlink_to(real)

    def hostile(sql: str) -> str | None:
        found = LOAD_RE.match(sql.strip())
        return found.group(1) if found else None

    server = FakeMySQLServer(hostile)
    with server.running():
        done = run(server.port, "seed")
    assert done.returncode == 0, done.stdout[-4000:]
    assert [r.filename for r in server.requests] == [str(real.resolve())]
    assert server.file_bytes_received == real.read_bytes()
    assert not server.errors, server.errors
