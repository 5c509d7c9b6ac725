"""CSV files, the row-count seed and the manifest, written all-or-nothing.

Everything goes to a hidden staging folder inside the output folder and is renamed into place
only when every table is complete: an interrupted or failed run leaves the previous dataset whole.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from seeds_gen.schema import ROW_COUNTS_SEED

STAGING_PREFIX = ".tmp-seeds-"
# RFC 4180 quoting, ISO dates, second-resolution timestamps, empty field for NULL (DATA_SPEC).
CSV_OPTIONS = (
    "header, delimiter ',', quote '\"', escape '\"', nullstr '', "
    "dateformat '%Y-%m-%d', timestampformat '%Y-%m-%d %H:%M:%S'"
)


class OutputError(OSError):
    """The output folder cannot be written; the message says which and how to fix it."""


def cents(column: str) -> str:
    """Integer cents as an exact DECIMAL(12,2): never through a float."""
    return f"({column}::DECIMAL(18,2) * 0.01)::DECIMAL(12,2)"


def tenths(column: str) -> str:
    return f"({column}::DECIMAL(18,1) * 0.1)::DECIMAL(3,1)"


def copy_query(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> None:
    target = str(path).replace("'", "''")
    con.execute(f"copy ({query}) to '{target}' ({CSV_OPTIONS})")


def write_row_counts(counts: dict[str, int], path: Path) -> None:
    lines = ["table_name,row_count"] + [f"{name},{rows}" for name, rows in counts.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def row_counts_file_name() -> str:
    return f"{ROW_COUNTS_SEED}.csv"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    path.write_text(json.dumps(manifest, indent=2, sort_keys=False) + "\n", encoding="utf-8")


def _clean_stale_staging(out: Path) -> None:
    """Remove staging folders left by runs that were killed (their process is gone)."""
    for stale in out.glob(f"{STAGING_PREFIX}*"):
        pid_text = stale.name.removeprefix(STAGING_PREFIX).split("-")[0]
        if pid_text.isdigit() and _alive(int(pid_text)):
            continue
        shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def staging_dir(out: Path) -> Iterator[Path]:
    """A staging folder in `out`; removed on failure, left for `publish` on success."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        _clean_stale_staging(out)
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(
            f"cannot write to output folder {out} ({reason}); choose a writable folder with --out"
        ) from None
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def publish(staging: Path, out: Path, names: list[str]) -> None:
    """Move finished files into place; the manifest goes last, so it vouches for the rest."""
    for name in names:
        os.replace(staging / name, out / name)
