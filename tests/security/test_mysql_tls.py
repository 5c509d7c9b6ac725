"""With ssl_ca in the profile the MySQL connection is TLS or nothing: a server (or a man in the
middle) that does not offer TLS gets no login, and the certificate is verified by default."""

from __future__ import annotations

from pathlib import Path

import certifi
import pytest
from dbt.adapters.contracts.connection import Connection, Identifier
from dbt.adapters.exceptions.connection import FailedToConnectError
from dbt.adapters.mysql.connections import MySQLConnectionManager, MySQLCredentials

from .fake_mysql import FakeMySQLServer


def test_a_server_without_tls_gets_no_login_when_ssl_ca_is_set() -> None:
    ca = certifi.where()  # any valid PEM bundle of CA certificates
    server = FakeMySQLServer(lambda sql: None)  # offers no TLS, like a stripping middleman
    with server.running():
        creds = MySQLCredentials.from_dict(
            {"host": "127.0.0.1", "port": server.port, "user": "root", "password": "secret",
             "schema": "s", "retries": 0, "connect_timeout": 5, "ssl_ca": ca}
        )
        assert creds.verify_cert and creds.verify_identity
        connection = Connection(type=Identifier("mysql"), name="tls", credentials=creds)
        with pytest.raises(FailedToConnectError) as refused:
            MySQLConnectionManager.open(connection)
    assert "TLS is configured (ssl_ca) but the server does not offer it" in str(refused.value)
    assert server.logins == [] and server.queries == []


def test_an_ssl_ca_that_is_not_a_certificate_is_one_clear_error(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("not a certificate\n")
    creds = MySQLCredentials.from_dict(
        {"host": "127.0.0.1", "port": 1, "user": "root", "schema": "s", "retries": 0,
         "ssl_ca": str(ca)}
    )
    connection = Connection(type=Identifier("mysql"), name="tls", credentials=creds)
    with pytest.raises(FailedToConnectError, match="ssl_ca must be the PEM file of the CA"):
        MySQLConnectionManager.open(connection)
