"""What a reader sees in an output folder, and whether it is one whole dataset.

Used after every injected fault: the dataset visible through <out>/current and the static links
must match its own manifest (rows, bytes, sha256 of every file) and be exactly one run's.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
from pathlib import Path

import duckdb

from seeds_gen.runs import CURRENT, KNOWN_FILES, LOCK_FILE, RUNS_DIR, TEMP_PREFIX, dataset_files
from seeds_gen.schema import MANIFEST_FILE, ROW_COUNTS_SEED

ROW_COUNTS_FILE = f"{ROW_COUNTS_SEED}.csv"


def visible(out: Path) -> dict[str, bytes]:
    """The bytes a reader gets for every dataset name in `out`, of any format and layout, a
    table's folder of parts file by file (missing names and dangling links are absent)."""
    found: dict[str, bytes] = {}
    for name in KNOWN_FILES:
        path = out / name
        if path.is_file():
            found[name] = path.read_bytes()
        elif path.is_dir():
            found.update({f"{name}/{part.name}": part.read_bytes()
                          for part in sorted(path.iterdir()) if part.is_file()})
    return found


def tree(out: Path) -> dict[str, str | bytes]:
    """Every entry below `out`: links by target, files by bytes (the lock file excepted)."""
    entries: dict[str, str | bytes] = {}
    for root, dirs, files in os.walk(out):
        for name in sorted(dirs + files):
            path = Path(root) / name
            key = str(path.relative_to(out))
            if path.is_symlink():
                entries[key] = "-> " + os.readlink(path)
            elif path.is_file() and name != LOCK_FILE:
                entries[key] = path.read_bytes()
            elif path.is_dir():
                entries[key] = "dir"
    return entries


def assert_whole_dataset(out: Path, linked: bool = True) -> dict[str, bytes]:
    """The visible dataset is complete, matches its manifest and, when `linked`, every name
    resolves into the one run folder that `current` names."""
    files = visible(out)
    manifest = json.loads(files[MANIFEST_FILE])
    names = set(dataset_files(manifest.get("format", "csv"), manifest.get("parts", 1)))
    listed = {f["file"] for entry in manifest["tables"].values() for f in entry["files"]}
    expected = {n for n in names if (out / n).is_file() or n not in _folders(listed)} | listed
    assert set(files) == expected, f"missing {expected - set(files)}, extra {set(files) - expected}"
    run = Path(os.path.realpath(out / CURRENT))
    if linked:
        assert run.parent == Path(os.path.realpath(out / RUNS_DIR)), run
        for name in names:
            assert Path(os.path.realpath(out / name)) == run / name, name
        stale = [n for n in KNOWN_FILES if n not in names and os.path.lexists(out / n)]
        assert stale == [], f"names of another format left in {out}: {stale}"
    counts = {row["table_name"]: int(row["row_count"])
              for row in csv.DictReader(files[ROW_COUNTS_FILE].decode().splitlines())}
    for table, entry in manifest["tables"].items():
        for part in entry["files"]:
            data = files[part["file"]]
            assert len(data) == part["bytes"], part
            assert hashlib.sha256(data).hexdigest() == part["sha256"], part
            assert file_rows(out / part["file"]) == part["rows"], part
        assert sum(part["rows"] for part in entry["files"]) == entry["rows"] == counts[table]
        if "stub" in entry:  # dbt's seed node: the header alone
            assert files[entry["stub"]].decode().count("\n") == 1, entry["stub"]
    if linked and "run_id" in manifest:
        assert manifest["run_id"] == run.name
    return files


def _folders(files: set[str]) -> set[str]:
    return {name.split("/")[0] for name in files if "/" in name}


def file_rows(path: Path) -> int:
    """Data rows of a table file: CSV records after the header, or the Parquet row count."""
    if path.suffix == ".parquet":
        with duckdb.connect() as con:
            literal = str(path).replace("'", "''")
            (count,) = con.execute(
                f"select sum(num_rows) from parquet_file_metadata('{literal}')").fetchone() or (0,)
            return int(count)
    with path.open(newline="", encoding="utf-8") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def leftovers(out: Path) -> list[str]:
    """Temporary names a finished or interrupted run must not leave behind."""
    found = [p.name for p in out.iterdir() if ".tmp-" in p.name]
    runs = out / RUNS_DIR
    if runs.is_dir():
        found += [f"{RUNS_DIR}/{p.name}" for p in runs.iterdir()
                  if p.name.startswith(TEMP_PREFIX)]
    return sorted(found)


def run_folders(out: Path) -> list[str]:
    runs = out / RUNS_DIR
    return sorted(p.name for p in runs.iterdir() if not p.name.startswith(".")) \
        if runs.is_dir() else []


def copy_output(source: Path, target: Path) -> None:
    """A copy of an output folder, links kept as links."""
    shutil.copytree(source, target, symlinks=True)


def write_old_layout(dataset: dict[str, bytes], out: Path) -> dict[str, bytes]:
    """An output folder as the earlier generator left it: real files, no run folders, and a
    manifest without a run id. Returns what a reader now sees there."""
    manifest = json.loads(dataset[MANIFEST_FILE])
    manifest.pop("run_id", None)
    files = {**dataset, MANIFEST_FILE: (json.dumps(manifest, indent=2) + "\n").encode()}
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out / name).write_bytes(data)
    return files
