"""Credentials and connection manager for MySQL 8 / MariaDB 10.11+ over PyMySQL."""

from __future__ import annotations

import os
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

import pymysql
from dbt.adapters.contracts.connection import AdapterResponse, Connection, Credentials
from dbt.adapters.events.logging import AdapterLogger
from dbt.adapters.exceptions import FailedToConnectError
from dbt.adapters.mysql.local_files import (
    CR_SSL_CONNECTION_ERROR,
    GuardedConnection,
    LocalFileRefused,
)
from dbt.adapters.sql import SQLConnectionManager
from dbt_common.exceptions import DbtDatabaseError, DbtRuntimeError
from pymysql.constants import CLIENT, FIELD_TYPE

logger = AdapterLogger("MySQL")

# Server error codes that deserve a message of their own (see _friendly_message).
ER_ACCESS_DENIED = 1045
ER_DBACCESS_DENIED = 1044
ER_BAD_DB = 1049
CR_CONN_HOST_ERROR = 2003
CR_UNKNOWN_HOST = 2005
CR_SERVER_GONE = 2006
CR_SERVER_LOST = 2013
ER_LOAD_INFILE_DISABLED = (1148, 2068, 3948, 4166)  # server off, client refused (MySQL 8), MariaDB

# Errors worth a new connection attempt: the server may be starting or the network flaky.
_RETRYABLE_CODES = {CR_CONN_HOST_ERROR, CR_SERVER_GONE, CR_SERVER_LOST}


@dataclass
class MySQLCredentials(Credentials):
    """Profile fields for `type: mysql`.

    MySQL has one namespace level above tables, called DATABASE or SCHEMA (synonyms). dbt's
    `schema` is that level. `database` may be left out or set equal to `schema`; anything else
    is an error, and the adapter then keeps `database` empty so rendered names are
    `schema`.`table` only.
    """

    # Base class declares `database: str` and `schema: str` without defaults; both get
    # defaults here so `database` can be omitted (validated in __post_init__).
    database: str | None = None  # type: ignore[assignment]
    schema: str = ""
    host: str = "127.0.0.1"
    port: int = 3306
    user: str | None = None
    password: str = ""
    charset: str = "utf8mb4"
    # None = the server default collation for `charset` (utf8mb4_general_ci on MariaDB 10.11,
    # utf8mb4_0900_ai_ci on MySQL 8); utf8mb4_unicode_ci is a good portable choice.
    collation: str | None = None
    ssl_disabled: bool = False
    # TLS: with ssl_ca the connection must be encrypted, and the server certificate is verified
    # against that CA and its host name checked unless ssl_verify / ssl_verify_identity say false.
    # An empty string means "not set" (env_var() defaults in profiles.yml).
    ssl_ca: str | None = None
    ssl_cert: str | None = None
    ssl_key: str | None = None
    ssl_verify: bool | None = None  # default: true when ssl_ca is given
    ssl_verify_identity: bool | None = None  # default: as ssl_verify
    connect_timeout: int = 10
    read_timeout: int | None = None
    retries: int = 1
    # LOAD DATA LOCAL INFILE for seeds; set false to force the multi-row INSERT path.
    local_infile: bool = True
    # Session time zone: timestamps in this project have no zone and mean UTC.
    time_zone: str | None = "+00:00"
    # Extra sql_mode flags for the session; None leaves the server's sql_mode alone.
    sql_mode: str | None = None

    _ALIASES: ClassVar[dict[str, str]] = {
        "username": "user",
        "pass": "password",
        "server": "host",
        "dbname": "database",
    }

    def __post_init__(self) -> None:
        if not self.schema:
            raise DbtRuntimeError(
                "The mysql profile needs `schema` (the MySQL database to build in)."
            )
        if not self.user:
            raise DbtRuntimeError("The mysql profile needs `user` (or `username`).")
        if self.database is not None and self.database != "" and self.database != self.schema:
            raise DbtRuntimeError(
                f"MySQL has no level above schema: `database` ({self.database!r}) must be "
                f"omitted or equal to `schema` ({self.schema!r})."
            )
        # Keep the database component empty everywhere (relations, cache, catalog).
        self.database = None
        for name in ("ssl_ca", "ssl_cert", "ssl_key"):
            if getattr(self, name) == "":
                setattr(self, name, None)
        if self.ssl_ca and not self.ssl_disabled and not os.path.isfile(self.ssl_ca):
            raise DbtRuntimeError(
                f"The mysql profile's ssl_ca {self.ssl_ca!r} is not a file: give the path of "
                "the PEM file of the CA that signed the server certificate."
            )

    @property
    def verify_cert(self) -> bool:
        """Whether the server certificate is checked: by default exactly when ssl_ca is given."""
        if self.ssl_disabled:
            return False
        if self.ssl_verify is not None:
            return self.ssl_verify
        return bool(self.ssl_ca)

    @property
    def verify_identity(self) -> bool:
        if not self.verify_cert:
            return False
        return self.verify_cert if self.ssl_verify_identity is None else self.ssl_verify_identity

    @property
    def tls_required(self) -> bool:
        return not self.ssl_disabled and bool(self.ssl_ca or self.ssl_cert)

    @property
    def type(self) -> str:
        return "mysql"

    @property
    def unique_field(self) -> str:
        return f"{self.host}:{self.port}"

    def _connection_keys(self) -> tuple[str, ...]:
        return (
            "host",
            "port",
            "user",
            "schema",
            "charset",
            "collation",
            "ssl_disabled",
            "ssl_ca",
            "ssl_verify",
            "ssl_verify_identity",
            "connect_timeout",
            "retries",
            "local_infile",
            "time_zone",
        )

    def connect_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for GuardedConnection (pymysql's Connection plus two flags); no
        default database, so a missing target schema does not stop dbt from creating it.

        PyMySQL's own `local_infile` stays off: LOCAL INFILE requests are answered by
        local_files.GuardedConnection, only for the file the adapter is loading."""
        kwargs: dict[str, Any] = {
            "host": self.host,
            "port": int(self.port),
            "user": self.user,
            "password": self.password or "",
            "charset": self.charset,
            "connect_timeout": self.connect_timeout,
            # None: PyMySQL sends no SET AUTOCOMMIT of its own; _init_session sets it through
            # a cursor, so even the first statement's reply goes through the LOCAL INFILE guard.
            "autocommit": None,
            "local_infile": False,  # PyMySQL's handler sends any file the server names
            "allow_local_files": self.local_infile,
            "require_tls": self.tls_required,
            # dbt's default macros return several statements in one string (delete+insert,
            # snapshot merges); add_query drains every result set so errors surface.
            "client_flag": CLIENT.MULTI_STATEMENTS,
        }
        if self.collation:
            kwargs["collation"] = self.collation
        if self.read_timeout:
            kwargs["read_timeout"] = self.read_timeout
        if self.ssl_disabled:
            kwargs["ssl_disabled"] = True
        else:
            if self.ssl_ca:
                kwargs["ssl_ca"] = self.ssl_ca
            if self.ssl_cert:
                kwargs["ssl_cert"] = self.ssl_cert
            if self.ssl_key:
                kwargs["ssl_key"] = self.ssl_key
            if self.ssl_ca or self.ssl_cert:
                kwargs["ssl_verify_cert"] = self.verify_cert
                kwargs["ssl_verify_identity"] = self.verify_identity
        return kwargs


def connect(credentials: MySQLCredentials) -> GuardedConnection:
    """A PyMySQL connection that sends no local file except the adapter's own seed file."""
    return GuardedConnection(**credentials.connect_kwargs())


class _RetryableConnectError(Exception):
    """A connection failure that another attempt may cure (host down, connection lost)."""


def _error_code(exc: BaseException) -> int | None:
    args = getattr(exc, "args", ())
    if args and isinstance(args[0], int):
        return args[0]
    return None


def _error_text(exc: BaseException) -> str:
    args = exc.args
    if len(args) >= 2:
        return str(args[1]).strip()
    return str(exc).strip()


def _friendly_message(exc: BaseException, credentials: MySQLCredentials | None = None) -> str:
    """One line that says what went wrong and what to check, instead of a driver traceback."""
    if isinstance(exc, LocalFileRefused):
        return exc.message
    code = _error_code(exc)
    text = _error_text(exc)
    # PyMySQL wraps socket errors in a long message; keep the first line only.
    text = text.splitlines()[0] if text else repr(exc)
    where = f"{credentials.host}:{credentials.port}" if credentials else "the server"
    who = credentials.user if credentials else "the user"
    if code == ER_ACCESS_DENIED:
        return (
            f"MySQL access denied for user {who!r} at {where}: wrong user or password "
            f"({code}: {text})"
        )
    if code == CR_SSL_CONNECTION_ERROR or "SSL:" in text or "SSL " in text:
        return (
            f"TLS connection to the MySQL server at {where} failed: check ssl_ca (the CA that "
            f"signed the server certificate) and that the server has TLS on ({code}: {text})"
        )
    if code in (CR_CONN_HOST_ERROR, CR_UNKNOWN_HOST):
        return (
            f"Cannot reach the MySQL server at {where}: is it running, and are host/port "
            f"right? ({code}: {text})"
        )
    if code == ER_BAD_DB:
        return f"MySQL database does not exist ({code}: {text})"
    if code in ER_LOAD_INFILE_DISABLED:
        return f"LOAD DATA LOCAL INFILE is disabled on the server or in the driver ({code}: {text})"
    if code is not None:
        return f"MySQL error {code}: {text}"
    return text


class MySQLConnectionManager(SQLConnectionManager):
    TYPE = "mysql"

    @classmethod
    def open(cls, connection: Connection) -> Connection:
        if connection.state == "open":
            logger.debug("Connection is already open, skipping open.")
            return connection

        credentials: MySQLCredentials = connection.credentials

        def open_handle() -> Any:
            try:
                handle = connect(credentials)
            except ssl.SSLError as exc:
                raise FailedToConnectError(
                    f"Cannot use the TLS files of the mysql profile (ssl_ca {credentials.ssl_ca!r}"
                    f", ssl_cert, ssl_key): {exc}; ssl_ca must be the PEM file of the CA that "
                    "signed the server certificate"
                ) from None
            except pymysql.err.MySQLError as exc:
                message = _friendly_message(exc, credentials)
                if _error_code(exc) in _RETRYABLE_CODES:
                    raise _RetryableConnectError(message) from None
                raise FailedToConnectError(message) from None
            try:
                cls._init_session(handle, credentials)
            except pymysql.err.MySQLError as exc:
                if handle.open:
                    handle.close()
                raise FailedToConnectError(_friendly_message(exc, credentials)) from None
            return handle

        return cls.retry_connection(
            connection,
            connect=open_handle,
            logger=logger,
            retry_limit=credentials.retries,
            retry_timeout=lambda attempt: min(1 + attempt * attempt, 10),
            retryable_exceptions=[_RetryableConnectError],
        )

    @staticmethod
    def _init_session(handle: Any, credentials: MySQLCredentials) -> None:
        with handle.cursor() as cursor:
            cursor.execute("set autocommit = 1")
            handle.autocommit_mode = True
            if credentials.time_zone:
                cursor.execute("set time_zone = %s", (credentials.time_zone,))
            if credentials.sql_mode is not None:
                cursor.execute("set sql_mode = %s", (credentials.sql_mode,))
            # Make the target schema the default one when it already exists; dbt creates it
            # otherwise (an unknown database is not an error at connect time).
            try:
                cursor.execute(f"use `{credentials.schema.replace('`', '``')}`")
            except pymysql.err.OperationalError as exc:
                if _error_code(exc) != ER_BAD_DB:
                    raise

    def cancel(self, connection: Connection) -> None:
        handle = connection.handle
        if handle is None or not getattr(handle, "open", False):
            return
        thread_id = handle.thread_id()
        try:
            other = connect(connection.credentials)
            try:
                with other.cursor() as cursor:
                    cursor.execute(f"kill query {int(thread_id)}")
            finally:
                other.close()
        except pymysql.err.MySQLError as exc:
            logger.debug(f"Could not cancel query on connection {connection.name}: {exc}")

    @contextmanager
    def exception_handler(self, sql: str) -> Iterator[None]:
        try:
            yield
        except pymysql.err.MySQLError as exc:
            logger.debug(f"MySQL error: {exc}")
            try:
                self.rollback_if_open()
            except pymysql.err.MySQLError:
                logger.debug("Failed to roll back after an error")
            self._restore_foreign_key_checks()
            credentials = None
            conn = self.get_if_exists()
            if conn is not None:
                credentials = conn.credentials
            raise DbtDatabaseError(_friendly_message(exc, credentials)) from exc
        except Exception as exc:
            logger.debug(f"Error running SQL: {sql}")
            logger.debug("Rolling back transaction.")
            self.rollback_if_open()
            if isinstance(exc, DbtRuntimeError):
                raise
            raise DbtRuntimeError(str(exc)) from exc

    def add_query(
        self,
        sql: str,
        auto_begin: bool = True,
        bindings: Any | None = None,
        abridge_sql_log: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[Connection, Any]:
        connection, cursor = super().add_query(
            sql, auto_begin, bindings, abridge_sql_log, *args, **kwargs
        )
        # With several statements in one string the server reports an error in statement N
        # only when the client reads result N: read them all now (keeps the last one).
        with self.exception_handler(sql):
            while cursor.nextset():
                pass
        return connection, cursor

    def _restore_foreign_key_checks(self) -> None:
        # A statement that failed between `set foreign_key_checks = 0` and `= 1` (table swaps)
        # must not leave the session without checks.
        conn = self.get_if_exists()
        handle = getattr(conn, "handle", None) if conn is not None else None
        if handle is None or not getattr(handle, "open", False):
            return
        try:
            with handle.cursor() as cursor:
                cursor.execute("set foreign_key_checks = 1")
        except pymysql.err.MySQLError:
            logger.debug("Could not restore foreign_key_checks")

    @classmethod
    def get_credentials(cls, credentials: MySQLCredentials) -> MySQLCredentials:
        return credentials

    @classmethod
    def get_response(cls, cursor: Any) -> AdapterResponse:
        rows = cursor.rowcount if cursor is not None else -1
        rows = rows if rows is not None and rows >= 0 else 0
        return AdapterResponse(_message=f"OK {rows}", code="OK", rows_affected=rows)

    @classmethod
    def data_type_code_to_name(cls, type_code: int | str) -> str:
        """Coarse type family of a result column (contracts compare these families)."""
        return _TYPE_FAMILIES.get(int(type_code), f"unknown({type_code})")


# MySQL reports different wire types for the same logical family depending on the expression
# (e.g. an `int` column is LONG, `cast(x as signed)` is LONGLONG). Contracts compare families.
_TYPE_FAMILIES: dict[int, str] = {
    FIELD_TYPE.TINY: "integer",
    FIELD_TYPE.SHORT: "integer",
    FIELD_TYPE.LONG: "integer",
    FIELD_TYPE.INT24: "integer",
    FIELD_TYPE.LONGLONG: "integer",
    FIELD_TYPE.YEAR: "integer",
    FIELD_TYPE.DECIMAL: "decimal",
    FIELD_TYPE.NEWDECIMAL: "decimal",
    FIELD_TYPE.FLOAT: "float",
    FIELD_TYPE.DOUBLE: "float",
    FIELD_TYPE.DATE: "date",
    FIELD_TYPE.NEWDATE: "date",
    FIELD_TYPE.DATETIME: "datetime",
    FIELD_TYPE.TIMESTAMP: "datetime",
    FIELD_TYPE.TIME: "time",
    FIELD_TYPE.VARCHAR: "text",
    FIELD_TYPE.VAR_STRING: "text",
    FIELD_TYPE.STRING: "text",
    FIELD_TYPE.TINY_BLOB: "text",
    FIELD_TYPE.MEDIUM_BLOB: "text",
    FIELD_TYPE.LONG_BLOB: "text",
    FIELD_TYPE.BLOB: "text",
    FIELD_TYPE.JSON: "json",
    FIELD_TYPE.BIT: "bit",
    FIELD_TYPE.ENUM: "text",
    FIELD_TYPE.SET: "text",
    FIELD_TYPE.GEOMETRY: "geometry",
    FIELD_TYPE.NULL: "null",
}
