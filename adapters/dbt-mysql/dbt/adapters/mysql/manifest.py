"""Seed files checked against the generator's manifest (manifest.json beside the CSVs).

ecom-synth's generator writes, for every table, the file name, its data rows, bytes and
sha256. A seed named there is loaded only if the file is that file: a CSV cut at a line end
parses fine and would otherwise replace the table with half the rows. Seeds not named in a
manifest (or in a folder without one) load as before.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

from dbt_common.exceptions import DbtRuntimeError

MANIFEST_FILE = "manifest.json"
_HINT = (
    "the file is not the one the generator wrote: run python -m seeds_gen again. "
    "The existing seed table is unchanged."
)


@dataclass(frozen=True)
class ManifestEntry:
    manifest_path: str
    file: str
    rows: int
    bytes: int
    sha256: str


def _candidate_dirs(seed_path: str) -> list[str]:
    # The folder the file really lives in first (a run folder behind data/current holds its
    # own manifest), then the folder it was named in.
    dirs = [
        os.path.dirname(os.path.realpath(seed_path)),
        os.path.dirname(os.path.abspath(seed_path)),
    ]
    return list(dict.fromkeys(dirs))


def find_entry(seed_path: str) -> ManifestEntry | None:
    names = {os.path.basename(seed_path), os.path.basename(os.path.realpath(seed_path))}
    for folder in _candidate_dirs(seed_path):
        manifest_path = os.path.join(folder, MANIFEST_FILE)
        if not os.path.isfile(manifest_path):
            continue
        try:
            with open(manifest_path, encoding="utf-8") as fp:
                data: Any = json.load(fp)
            tables = data.get("tables") or {}
            for entry in tables.values():
                if entry.get("file") in names:
                    return ManifestEntry(
                        manifest_path,
                        str(entry["file"]),
                        int(entry["rows"]),
                        int(entry["bytes"]),
                        str(entry["sha256"]).lower(),
                    )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise DbtRuntimeError(
                f"Cannot read {manifest_path} ({type(exc).__name__}: {exc}); run python -m "
                "seeds_gen again. The existing seed table is unchanged."
            ) from None
    return None


def mismatch(label: str, what: str, manifest_says: str, file_has: str) -> DbtRuntimeError:
    return DbtRuntimeError(
        f"{label}: {what} (manifest says {manifest_says}, file has {file_has}); {_HINT}"
    )


def count_records(path: str) -> int:
    """Data records of a CSV (quoted newlines inside a record do not count): error path only."""
    with open(path, encoding="utf-8", errors="replace", newline="") as fp:
        reader = csv.reader(fp)
        next(reader, None)
        return sum(1 for _ in reader)


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fp:
        for block in iter(lambda: fp.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _short(sha: str) -> str:
    return f"sha256 {sha[:16]}..."


def check_before_load(entry: ManifestEntry, path: str, label: str) -> None:
    """Cheap check before anything is created: the size, and on a mismatch the row count."""
    size = os.path.getsize(path)
    if size == entry.bytes:
        return
    rows = count_records(path)
    if rows != entry.rows:
        raise mismatch(label, "row count differs", f"{entry.rows} rows", str(rows))
    raise mismatch(label, "size differs", f"{entry.bytes} bytes", str(size))


def check_loaded(
    entry: ManifestEntry, label: str, rows: int, sent_bytes: int, sha256: str
) -> None:
    """After the load into the side table: what was sent and loaded is what the manifest says."""
    if sent_bytes != entry.bytes or sha256 != entry.sha256:
        if rows != entry.rows:
            raise mismatch(label, "row count differs", f"{entry.rows} rows", str(rows))
        raise mismatch(label, "content differs", _short(entry.sha256), _short(sha256))
    if rows != entry.rows:
        raise mismatch(label, "rows loaded differ", f"{entry.rows} rows", f"{rows} loaded")
