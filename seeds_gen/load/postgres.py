"""PostgreSQL: COPY FROM STDIN of each file into the side table, over one connection opened from
the dbt target's credentials (the same TLS settings dbt uses)."""

from __future__ import annotations

from typing import Any

from seeds_gen.load.job import (
    LoadError,
    TableJob,
    check_header,
    checked_file,
    parquet_csv_chunks,
)


def connect(credentials: Any) -> Any:
    import psycopg2  # type: ignore[import-untyped]

    params: dict[str, Any] = {
        "dbname": credentials.database, "user": credentials.user, "host": credentials.host,
        "password": credentials.password, "port": credentials.port,
        "connect_timeout": credentials.connect_timeout or 10,
        "application_name": "ecom-synth load",
    }
    for name in ("sslmode", "sslcert", "sslkey", "sslrootcert"):
        if getattr(credentials, name, None):
            params[name] = getattr(credentials, name)
    try:
        return psycopg2.connect(**params)
    except psycopg2.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LoadError(f"cannot connect to PostgreSQL at {credentials.host}:{credentials.port} "
                        f"({first}); check the target in profiles.yml") from None


def copy_sql(job: TableJob) -> str:
    columns = ", ".join(job.columns)
    return (f"copy {job.relation} ({columns}) from stdin with (format csv, header true, "
            f"null '', force_null ({columns}), encoding 'UTF8')")


class _Chunks:
    """A read() over an iterator of byte chunks, for psycopg2's copy_expert."""

    def __init__(self, chunks: Any) -> None:
        self._chunks = iter(chunks)
        self._rest = b""

    def read(self, size: int = -1) -> bytes:
        while not self._rest:
            try:
                self._rest = next(self._chunks)
            except StopIteration:
                return b""
        if size is None or size < 0:
            size = len(self._rest)
        out, self._rest = self._rest[:size], self._rest[size:]
        return out


def load_table(credentials: Any, job: TableJob) -> int:
    import psycopg2

    sql = copy_sql(job)
    conn = connect(credentials)
    rows = 0
    try:
        with conn, conn.cursor() as cursor:
            for file in job.files:
                check_header(job, file)
                try:
                    if job.format == "parquet":
                        cursor.copy_expert(sql, _Chunks(parquet_csv_chunks(file)))
                    else:
                        with checked_file(file) as reader:
                            cursor.copy_expert(sql, reader, size=1 << 20)
                except psycopg2.Error as exc:
                    first = (exc.pgerror or str(exc)).strip().splitlines()[0]
                    raise LoadError(f"{file.label}: PostgreSQL refused the COPY ({first}). "
                                    "Nothing was replaced.") from None
                rows += cursor.rowcount
    finally:
        conn.close()
    return rows
