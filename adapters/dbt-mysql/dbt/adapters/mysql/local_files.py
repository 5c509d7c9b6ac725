"""A PyMySQL connection that sends a local file only for the adapter's own LOAD DATA.

In the MySQL protocol the *server* names the file a client sends: any reply to any statement
may be a LOCAL INFILE request (first byte 0xFB, then the file name). PyMySQL with
`local_infile=True` opens and sends whatever is named, so a hostile server, or anyone in the
middle of a plaintext connection, could read any file on this machine. Here PyMySQL's own
switch stays off (its handler then sends nothing) and this subclass answers the request itself:
only while `expect_file` is active, only for that very file (real paths compared), and streamed
from the file opened when the load began, hashing what it sends. Any other request gets the
empty reply the protocol requires, the connection is closed and LocalFileRefused is raised.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO

import pymysql
from pymysql.connections import Connection, MySQLResult
from pymysql.constants import CLIENT

# Client error number MySQL itself uses for a refused LOCAL INFILE request.
CR_LOAD_DATA_LOCAL_INFILE_REJECTED = 2068
CR_SSL_CONNECTION_ERROR = 2026
# How long to wait for the server's reply to a refusal before closing regardless.
_REFUSAL_REPLY_SECONDS = 5.0
_CHUNK_BYTES = 256 * 1024


class LocalFileRefused(pymysql.err.OperationalError):  # type: ignore[misc]
    """The server asked for a local file that the adapter is not loading in that statement."""

    @property
    def message(self) -> str:
        return str(self.args[1])


class LocalFile:
    """The one file a LOAD DATA LOCAL statement may read: opened when the load begins, so the
    bytes sent are those of that file even if a symlink on its path is switched meanwhile."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.real_path = os.path.realpath(path)
        self._file: BinaryIO = open(self.real_path, "rb")  # noqa: SIM115 (closed by close())
        self.sent_bytes = 0
        self.requests = 0
        self._digest = hashlib.sha256()

    def matches(self, requested: str) -> bool:
        return os.path.realpath(requested) == self.real_path

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def send(self, conn: Connection) -> None:
        chunk_size = max(1024, min(int(conn.max_allowed_packet), _CHUNK_BYTES))
        self._file.seek(0)
        self._digest = hashlib.sha256()
        self.sent_bytes = 0
        while True:
            chunk = self._file.read(chunk_size)
            if not chunk:
                return
            self._digest.update(chunk)
            self.sent_bytes += len(chunk)
            conn.write_packet(chunk)

    def close(self) -> None:
        self._file.close()


def _refusal_message(conn: GuardedConnection, requested: str, allowed: LocalFile | None) -> str:
    where = f"{conn.host}:{conn.port}"
    if allowed is None:
        context = "in reply to a statement that loads no file"
    else:
        context = f"while the adapter was loading {allowed.real_path!r}"
    return (
        f"The MySQL server at {where} asked this machine for the local file {requested!r} "
        f"{context}; refused: nothing was sent and the connection was closed. A server that "
        "does this is hostile, misconfigured, or not the one you meant to reach: check host "
        "and port, and use TLS (ssl_ca in the profile) for any server not on this machine."
    )


class _GuardedResult(MySQLResult):  # type: ignore[misc]
    connection: GuardedConnection

    def _read_load_local_packet(self, first_packet: Any) -> None:
        conn = self.connection
        requested = os.fsdecode(first_packet.get_all_data()[1:])
        allowed = conn.expected_file
        if allowed is None or not allowed.matches(requested):
            conn.refuse_local_file()
            raise LocalFileRefused(
                CR_LOAD_DATA_LOCAL_INFILE_REJECTED, _refusal_message(conn, requested, allowed)
            )
        allowed.requests += 1
        try:
            allowed.send(conn)
        finally:
            # An empty packet ends the file, also after a read error, so the server answers.
            conn.write_packet(b"")
            reply = conn._read_packet()
        if not reply.is_ok_packet():
            raise pymysql.err.OperationalError(2014, "Commands out of sync after LOAD DATA")
        self._read_ok_packet(reply)


class GuardedConnection(Connection):  # type: ignore[misc]
    """pymysql Connection whose LOCAL INFILE answers are decided by `expect_file`.

    `allow_local_files` only advertises the capability (CLIENT.LOCAL_FILES) so the server
    accepts LOAD DATA LOCAL at all; PyMySQL's `local_infile` stays False.
    """

    expected_file: LocalFile | None = None

    def __init__(
        self,
        *args: Any,
        allow_local_files: bool = False,
        require_tls: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs["local_infile"] = False
        if allow_local_files:
            kwargs["client_flag"] = int(kwargs.get("client_flag", 0)) | CLIENT.LOCAL_FILES
        self.expected_file = None
        self._require_tls = require_tls
        super().__init__(*args, **kwargs)

    def _request_authentication(self) -> None:
        # With TLS configured, a server (or a man in the middle) that does not offer it must
        # not get the credentials in plaintext: refuse before anything is sent.
        if self._require_tls and not self.server_capabilities & CLIENT.SSL:
            self._force_close()
            raise pymysql.err.OperationalError(
                CR_SSL_CONNECTION_ERROR,
                "TLS is configured (ssl_ca) but the server does not offer it; nothing was sent",
            )
        super()._request_authentication()

    def _read_query_result(self, unbuffered: bool = False) -> int:
        # PyMySQL's own method with the guarded result class.
        self._result = None
        result = _GuardedResult(self)
        if unbuffered:
            result.init_unbuffered_query()
        else:
            result.read()
        self._result = result
        if result.server_status is not None:
            self.server_status = result.server_status
        return result.affected_rows  # type: ignore[no-any-return]

    def refuse_local_file(self) -> None:
        """The protocol's refusal (an empty file), then close: nothing on this connection is
        trusted after a request the adapter did not make."""
        try:
            self.write_packet(b"")
            if self._sock is not None:
                self._sock.settimeout(_REFUSAL_REPLY_SECONDS)
            self._read_packet()
        except (pymysql.err.MySQLError, OSError):
            pass
        finally:
            self._force_close()

    @contextmanager
    def expect_file(self, path: str) -> Iterator[LocalFile]:
        """Allow the server to read `path` (and nothing else) during the block."""
        local = LocalFile(path)
        self.expected_file = local
        try:
            yield local
        finally:
            self.expected_file = None
            local.close()
