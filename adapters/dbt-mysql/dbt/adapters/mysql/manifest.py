"""Seed files checked against the generator's manifest (manifest.json beside the CSVs).

ecom-synth's generator writes, for every table, the file name, its data rows, bytes and
sha256. A seed named there is loaded only if the file is that file: a CSV cut at a line end
parses fine and would otherwise replace the table with half the rows. A table in parts (or in
Parquet) has a header-only stub as its seed CSV and its rows in the files the manifest lists
(ecom-synth's docs/dataset_layout.md): the seed loads those, each checked the same way. Seeds
not named in a manifest (or in a folder without one) load as before.
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
class ManifestFile:
    """One data file of a table: `name` as the manifest spells it (relative to its folder)."""

    path: str
    name: str
    rows: int
    bytes: int
    sha256: str


@dataclass(frozen=True)
class ManifestEntry:
    """A table in the manifest. `stub`: the seed's own CSV is a header-only stub and the rows
    are in `files` (parts, or Parquet); otherwise `files` is the seed's own file."""

    manifest_path: str
    file: str
    rows: int
    bytes: int
    sha256: str  # one file: its sha256; parts: the table fingerprint
    format: str
    stub: bool
    files: tuple[ManifestFile, ...]


def _candidate_dirs(seed_path: str) -> list[str]:
    # The folder the file really lives in first (a run folder behind data/current holds its
    # own manifest), then the folder it was named in.
    dirs = [
        os.path.dirname(os.path.realpath(seed_path)),
        os.path.dirname(os.path.abspath(seed_path)),
    ]
    return list(dict.fromkeys(dirs))


def _data_file(folder: str, raw: Any) -> ManifestFile:
    name = str(raw["file"])
    path = os.path.normpath(os.path.join(folder, name))
    # A manifest names files inside its own folder, never elsewhere on this machine.
    if os.path.isabs(name) or not path.startswith(os.path.join(folder, "")):
        raise ValueError(f"data file {name!r} is outside the dataset folder")
    return ManifestFile(path, name, int(raw["rows"]), int(raw["bytes"]), str(raw["sha256"]).lower())


def _entry(manifest_path: str, raw: Any, names: set[str]) -> ManifestEntry | None:
    folder = os.path.dirname(manifest_path)
    stub = raw.get("stub") in names
    if not stub and raw.get("file") not in names:
        return None
    own = str(raw["stub"] if stub else raw["file"])
    rows, size, sha = int(raw["rows"]), int(raw["bytes"]), str(raw["sha256"]).lower()
    if stub:
        files = tuple(_data_file(folder, f) for f in raw["files"])
        if not files:
            raise ValueError(f"{own} is a stub but no data files are listed for it")
    else:
        files = (ManifestFile(os.path.join(folder, own), own, rows, size, sha),)
    return ManifestEntry(manifest_path, own, rows, size, sha, str(raw.get("format") or "csv"),
                         stub, files)


def find_entry(seed_path: str, strict: bool = True) -> ManifestEntry | None:
    """The manifest's entry for the seed file (by its data `file` or its `stub`), or None.
    An unreadable manifest raises, unless `strict` is false (then it is as if absent)."""
    names = {os.path.basename(seed_path), os.path.basename(os.path.realpath(seed_path))}
    for folder in _candidate_dirs(seed_path):
        manifest_path = os.path.join(folder, MANIFEST_FILE)
        if not os.path.isfile(manifest_path):
            continue
        try:
            with open(manifest_path, encoding="utf-8") as fp:
                data: Any = json.load(fp)
            for raw in (data.get("tables") or {}).values():
                entry = _entry(manifest_path, raw, names)
                if entry is not None:
                    return entry
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            if not strict:
                return None
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


def check_before_load(entry: ManifestFile, path: str, label: str) -> None:
    """Cheap check before anything is created: the size, and on a mismatch the row count."""
    size = os.path.getsize(path)
    if size == entry.bytes:
        return
    rows = count_records(path)
    if rows != entry.rows:
        raise mismatch(label, "row count differs", f"{entry.rows} rows", str(rows))
    raise mismatch(label, "size differs", f"{entry.bytes} bytes", str(size))


def check_loaded(
    entry: ManifestFile, label: str, rows: int, sent_bytes: int, sha256: str
) -> None:
    """After the load into the side table: what was sent and loaded is what the manifest says."""
    if sent_bytes != entry.bytes or sha256 != entry.sha256:
        if rows != entry.rows:
            raise mismatch(label, "row count differs", f"{entry.rows} rows", str(rows))
        raise mismatch(label, "content differs", _short(entry.sha256), _short(sha256))
    if rows != entry.rows:
        raise mismatch(label, "rows loaded differ", f"{entry.rows} rows", f"{rows} loaded")
