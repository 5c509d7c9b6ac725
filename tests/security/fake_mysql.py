"""A hostile MySQL server for tests: just enough of the protocol for PyMySQL and dbt.

It accepts any login (handshake v10, mysql_native_password, no TLS offered), answers SELECT and
SHOW with small result sets (`@@global.local_infile` is 1, `count(*)` is 0, anything else has no
rows), every other statement with OK, and answers the statements that `hostile` picks with a
LOAD DATA LOCAL INFILE request (0xFB) for a file of its choosing. Everything a client sends
after such a request is recorded in `received_after_request`, so a test can prove that no byte
of the file arrived. Bounded in time: every socket has a timeout and the server stops with
the fixture.
"""

from __future__ import annotations

import contextlib
import re
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

# Capability flags (MySQL protocol, CLIENT_*).
LONG_PASSWORD = 0x1
LONG_FLAG = 0x4
CONNECT_WITH_DB = 0x8
LOCAL_FILES = 0x80
PROTOCOL_41 = 0x200
TRANSACTIONS = 0x2000
SECURE_CONNECTION = 0x8000
MULTI_STATEMENTS = 0x10000
MULTI_RESULTS = 0x20000
PLUGIN_AUTH = 0x80000
SERVER_CAPABILITIES = (
    LONG_PASSWORD | LONG_FLAG | CONNECT_WITH_DB | LOCAL_FILES | PROTOCOL_41 | TRANSACTIONS
    | SECURE_CONNECTION | MULTI_STATEMENTS | MULTI_RESULTS | PLUGIN_AUTH
)
STATUS_AUTOCOMMIT = 0x0002
COM_QUIT, COM_INIT_DB, COM_QUERY, COM_PING = 0x01, 0x02, 0x03, 0x0E
TYPE_VAR_STRING = 0xFD
SOCKET_SECONDS = 20.0


class _Closed(Exception):
    pass


def _lenenc_int(value: int) -> bytes:
    if value < 251:
        return bytes([value])
    if value < 1 << 16:
        return b"\xfc" + struct.pack("<H", value)
    if value < 1 << 24:
        return b"\xfd" + struct.pack("<I", value)[:3]
    return b"\xfe" + struct.pack("<Q", value)


def _lenenc_str(value: bytes) -> bytes:
    return _lenenc_int(len(value)) + value


@dataclass
class Request:
    """One LOCAL INFILE request the server made, and what the client sent back."""

    query: str
    filename: str
    packets: list[bytes] = field(default_factory=list)

    @property
    def data(self) -> bytes:
        return b"".join(self.packets)


class _Session:
    def __init__(self, server: FakeMySQLServer, sock: socket.socket) -> None:
        self.server = server
        self.sock = sock
        self.seq = 0

    def recv_exact(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise _Closed
            data += chunk
        return data

    def read_packet(self) -> bytes:
        header = self.recv_exact(4)
        length = header[0] | header[1] << 8 | header[2] << 16
        self.seq = header[3] + 1
        return self.recv_exact(length)

    def send(self, payload: bytes) -> None:
        self.sock.sendall(struct.pack("<I", len(payload))[:3] + bytes([self.seq & 0xFF]) + payload)
        self.seq += 1

    def ok(self) -> None:
        self.send(b"\x00\x00\x00" + struct.pack("<HH", STATUS_AUTOCOMMIT, 0))

    def eof(self) -> None:
        self.send(b"\xfe" + struct.pack("<HH", 0, STATUS_AUTOCOMMIT))

    def result_set(self, columns: list[str], rows: list[list[str]]) -> None:
        self.send(_lenenc_int(len(columns)))
        for name in columns:
            self.send(
                _lenenc_str(b"def") + _lenenc_str(b"") + _lenenc_str(b"") + _lenenc_str(b"")
                + _lenenc_str(name.encode()) + _lenenc_str(name.encode()) + b"\x0c"
                + struct.pack("<HIBHB", 45, 1024, TYPE_VAR_STRING, 0, 0) + b"\x00\x00"
            )
        self.eof()
        for row in rows:
            self.send(b"".join(_lenenc_str(v.encode()) for v in row))
        self.eof()

    def handshake(self) -> None:
        scramble = b"abcdefghijklmnopqrst"
        caps = SERVER_CAPABILITIES
        self.seq = 0
        self.send(
            b"\x0a" + b"10.11.0-MariaDB-fake\x00" + struct.pack("<I", 7) + scramble[:8] + b"\x00"
            + struct.pack("<H", caps & 0xFFFF) + bytes([45]) + struct.pack("<H", STATUS_AUTOCOMMIT)
            + struct.pack("<H", caps >> 16) + bytes([21]) + b"\x00" * 10 + scramble[8:] + b"\x00"
            + b"mysql_native_password\x00"
        )
        # the client's handshake response (user name, password hash): any login is fine
        self.server.logins.append(self.read_packet())
        self.ok()

    def local_infile(self, query: str, filename: str) -> None:
        request = Request(query, filename)
        self.server.requests.append(request)
        self.send(b"\xfb" + filename.encode())
        while True:
            packet = self.read_packet()
            request.packets.append(packet)
            if packet == b"":
                break
        self.ok()

    def query(self, sql: str) -> None:
        self.server.queries.append(sql)
        filename = self.server.hostile(sql)
        if filename is not None:
            self.local_infile(sql, filename)
            return
        text = re.sub(r"/\*.*?\*/|--[^\n]*", " ", sql, flags=re.S).strip().lower()
        if not text.startswith(("select", "show", "with")):
            self.ok()
        elif "local_infile" in text:
            self.result_set(["v"], [["1"]])
        elif "version()" in text:
            self.result_set(["v"], [["10.11.0-MariaDB-fake"]])
        elif "count(*)" in text:
            self.result_set(["count"], [["0"]])
        else:
            self.result_set(["c"], [])

    def serve(self) -> None:
        self.handshake()
        while True:
            packet = self.read_packet()
            command, body = packet[0], packet[1:]
            if command == COM_QUIT:
                return
            if command == COM_QUERY:
                self.query(body.decode("utf-8", "replace"))
            else:  # COM_PING, COM_INIT_DB and the rest
                self.ok()


class FakeMySQLServer:
    """Listens on 127.0.0.1 (a free port); `hostile(sql)` names the file to ask for, or None."""

    def __init__(self, hostile: Callable[[str], str | None]) -> None:
        self.hostile = hostile
        self.queries: list[str] = []
        self.requests: list[Request] = []
        self.logins: list[bytes] = []
        self.errors: list[BaseException] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port: int = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            sock.settimeout(SOCKET_SECONDS)
            thread = threading.Thread(target=self._session, args=(sock,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _session(self, sock: socket.socket) -> None:
        with sock:
            try:
                _Session(self, sock).serve()
            except (_Closed, ConnectionError):
                pass
            except Exception as exc:  # reported by the test (server.errors)
                self.errors.append(exc)

    @contextlib.contextmanager
    def running(self) -> Iterator[FakeMySQLServer]:
        acceptor = threading.Thread(target=self._accept_loop, daemon=True)
        acceptor.start()
        try:
            yield self
        finally:
            self._stop.set()
            acceptor.join(5)
            self._listener.close()
            for thread in self._threads:
                thread.join(SOCKET_SECONDS)

    @property
    def file_bytes_received(self) -> bytes:
        return b"".join(r.data for r in self.requests)
