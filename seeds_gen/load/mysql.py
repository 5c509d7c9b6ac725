"""MySQL/MariaDB: LOAD DATA LOCAL INFILE of each file into the side table, over the adapter's own
guarded connection (adapters/dbt-mysql, local_files.py): opened from the dbt target's credentials
with the same TLS settings, it sends the server the one file being loaded and nothing else, and
hashes what it sends. A Parquet file becomes a temporary CSV first (a bounded batch at a time)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from seeds_gen.load.job import DataFile, LoadError, TableJob, parquet_csv_chunks

_LOCAL_INFILE_FIX = (
    "turn it on (as an administrator: SET GLOBAL local_infile = 1, or local_infile = 1 under "
    "[mysqld] in the server's configuration) and run the load again. Nothing was replaced."
)


def connect(credentials: Any) -> Any:
    """The adapter's guarded connection, with the session dbt's own connections get."""
    import ssl

    import pymysql  # type: ignore[import-untyped, unused-ignore]
    from dbt.adapters.mysql.connections import (  # type: ignore[import-not-found, unused-ignore]
        MySQLConnectionManager,
        _friendly_message,
    )
    from dbt.adapters.mysql.connections import (  # type: ignore[import-not-found, unused-ignore]
        connect as guarded_connect,
    )

    where = f"MySQL at {credentials.host}:{credentials.port}"
    if not credentials.local_infile:
        raise LoadError(f"the target sets local_infile: false, so {where} cannot be sent the "
                        "files; remove that line from profiles.yml (or set it true)")
    try:
        conn = guarded_connect(credentials)
    except ssl.SSLError as exc:
        raise LoadError(f"cannot use the TLS files of the target (ssl_ca, ssl_cert, ssl_key) "
                        f"for {where}: {exc}") from None
    except pymysql.err.MySQLError as exc:
        raise LoadError(f"cannot connect to {where}: {_friendly_message(exc, credentials)}; "
                        "check the target in profiles.yml") from None
    try:
        MySQLConnectionManager._init_session(conn, credentials)
        with conn.cursor() as cursor:
            cursor.execute("select @@global.local_infile")
            (enabled,) = cursor.fetchone()
    except pymysql.err.MySQLError as exc:
        conn.close()
        raise LoadError(f"{where}: {_friendly_message(exc, credentials)}") from None
    if str(enabled).upper() not in ("1", "ON", "TRUE"):
        conn.close()
        raise LoadError(f"{where} has LOAD DATA LOCAL INFILE off (local_infile is OFF); "
                        + _LOCAL_INFILE_FIX)
    return conn


def _load_sql(job: TableJob, file: DataFile, path: str, real_path: str) -> str:
    """The adapter's LOAD DATA statement (only an empty field is NULL, true/false into 1/0) for
    the declared columns, after checking that the file's header is that declaration."""
    from dbt.adapters.mysql import seed as seed_loader  # type: ignore[import-not-found, unused-ignore]

    try:
        plan = seed_loader.plan_seed(path, ",", job.column_types, sample_rows=1)
    except (ValueError, UnicodeDecodeError) as exc:
        raise LoadError(f"{file.label}: not a readable CSV ({exc}). Nothing was replaced."
                        ) from None
    if plan.column_names != list(job.column_types):
        raise LoadError(f"{file.label}: the header ({', '.join(plan.column_names)}) is not the "
                        f"seed's declared columns ({', '.join(job.column_types)}). Nothing was "
                        "replaced.")
    return str(seed_loader.load_data_sql(plan, job.relation, list(job.columns), path=real_path))


@contextmanager
def _csv_of(file: DataFile, fmt: str) -> Iterator[Path]:
    """The file itself (CSV), or a temporary CSV of it (Parquet) deleted afterwards."""
    if fmt != "parquet":
        yield file.path
        return
    fd, name = tempfile.mkstemp(prefix="ecom-synth-load-", suffix=".csv")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in parquet_csv_chunks(file):
                out.write(chunk)
        yield Path(name)
    finally:
        os.unlink(name)


def _load_file(conn: Any, job: TableJob, file: DataFile) -> int:
    """One file into the side table; its rows, after checking them (and, for a CSV, the bytes
    and sha256 that were sent) against the manifest."""
    with _csv_of(file, job.format) as path:
        try:
            with conn.expect_file(str(path)) as local:
                sql = _load_sql(job, file, str(path), local.real_path)
                with conn.cursor() as cursor:
                    cursor.execute(sql)
                    rows = int(cursor.rowcount)
                    warnings: tuple[Any, ...] = ()
                    if getattr(getattr(cursor, "_result", None), "warning_count", 0):
                        cursor.execute("show warnings limit 3")
                        warnings = tuple(cursor.fetchall())
        except OSError as exc:
            raise LoadError(f"{file.label}: cannot be read ({exc.strerror}); run python -m "
                            "seeds_gen again. Nothing was replaced.") from None
    if warnings:
        # LOCAL makes the server go on past a bad value with a warning: any is fatal here.
        raise LoadError(f"{file.label}: values do not fit the declared column types ("
                        + "; ".join(str(w[2]) for w in warnings) + "). Nothing was replaced.")
    if job.format != "parquet" and file.sha256 is not None and (
            local.sent_bytes != file.bytes or local.sha256 != file.sha256):
        raise LoadError(
            f"{file.label}: not the file the manifest lists (manifest: {file.bytes} bytes, "
            f"sha256 {file.sha256[:16]}...; sent: {local.sent_bytes} bytes, sha256 "
            f"{local.sha256[:16]}...); run python -m seeds_gen again. Nothing was replaced.")
    if rows != file.rows:
        raise LoadError(f"{file.label}: {rows:,} rows loaded, the manifest says {file.rows:,}; "
                        "run python -m seeds_gen again. Nothing was replaced.")
    return rows


def load_table(credentials: Any, job: TableJob) -> int:
    import pymysql  # type: ignore[import-untyped, unused-ignore]
    from dbt.adapters.mysql.connections import (  # type: ignore[import-not-found, unused-ignore]
        ER_LOAD_INFILE_DISABLED,
        _error_code,
        _friendly_message,
    )

    conn = connect(credentials)
    rows = 0
    try:
        for file in job.files:
            try:
                rows += _load_file(conn, job, file)
            except pymysql.err.MySQLError as exc:
                if _error_code(exc) in ER_LOAD_INFILE_DISABLED:
                    raise LoadError(f"{file.label}: the server refused LOAD DATA LOCAL INFILE "
                                    f"({_friendly_message(exc)}); " + _LOCAL_INFILE_FIX) from None
                raise LoadError(f"{file.label}: MySQL refused the load "
                                f"({_friendly_message(exc, credentials)}). Nothing was replaced."
                                ) from None
    finally:
        if conn.open:
            conn.close()
    return rows
