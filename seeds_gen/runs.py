"""The output folder as an atomic dataset: a folder per run, one `current` link, one lock.

    <out>/.runs/<run-id>/     one complete run: the nine raw_<table>.csv (or .parquet),
                              raw_row_counts.csv and manifest.json; never modified once published
    <out>/.runs/.tmp-<pid>-*  a run being written; renamed to .runs/<run-id> when complete
    <out>/current             symlink to .runs/<run-id>; replacing it publishes a dataset
    <out>/raw_*.csv|parquet, <out>/raw_row_counts.csv, <out>/manifest.json
                              static symlinks to current/<name> for each file the current run
                              holds, where dbt and users read
    <out>/.lock               flock()ed for a whole run: one writer per output folder

Publishing is one rename(2) of a new symlink over `current`, so a reader sees the previous
dataset or the new one, never a mix. The previous run folder is kept (a reader that resolved
`current` just before the switch may still be reading it); older ones are removed.
A folder written by the earlier layout (real files in <out>) is adopted as a run first, by hard
links, so that replacing its real files with links never changes what a reader sees.
A run in another format than the previous one links its own names before the switch; the other
format's links dangle from the switch on (`current` no longer holds their files) and are removed
right after it, or by the next run's publish if this one is killed in between.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from seeds_gen.faults import fault_point
from seeds_gen.parts import LARGE_TABLES, Part
from seeds_gen.schema import (
    CHANGES_DIR,
    MANIFEST_FILE,
    OUTPUT_FORMATS,
    ROW_COUNTS_SEED,
    TABLES,
    OutputFormat,
)

RUNS_DIR = ".runs"
CURRENT = "current"
LOCK_FILE = ".lock"
TEMP_PREFIX = ".tmp-"
# Staging folders of the earlier layout, directly in <out>, named .tmp-seeds-<pid>-<random>.
OLD_STAGING_PREFIX = ".tmp-seeds-"


def dataset_files(output_format: OutputFormat, parts: int = 1) -> tuple[str, ...]:
    """Every name of a dataset, as it appears in a run folder and as a link in <out>
    (docs/dataset_layout.md): raw_<table>.csv for every table (the data, or a header stub),
    the Parquet files, a folder per large table in parts, the row counts and the manifest."""
    names: list[str] = []
    for table in TABLES:
        names.append(table.file_name)
        if parts > 1 and table.name in LARGE_TABLES:
            names.append(table.seed_name)
        elif output_format != "csv":
            names.append(table.file_name_for(output_format))
    return (*names, f"{ROW_COUNTS_SEED}.csv", MANIFEST_FILE)


# Every name a dataset of any format and layout may have in <out>, with the change set's folder.
KNOWN_FILES = tuple(dict.fromkeys(
    [*(name for f in OUTPUT_FORMATS for parts in (1, 2) for name in dataset_files(f, parts)),
     CHANGES_DIR]))
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


class OutputError(OSError):
    """The output folder cannot be written; the message says which and how to fix it."""


class BusyError(OutputError):
    """Another generator run holds the output folder's lock."""


@dataclass
class Outcome:
    """What a run has done to its output folder so far: the CLI's messages are read from it."""

    out: Path
    run_id: str | None = None
    # A part made apart (--part K): its folder, and whether it was published.
    part: Path | None = None
    part_published: bool = False

    def published(self) -> bool:
        return self.run_id is not None and current_run(self.out) == self.run_id

    def describe(self) -> str:
        if self.part is not None:
            if self.part_published:
                return f"part {self.part} had already been published"
            return f"part {self.part} was not published (an earlier copy, if any, is as it was)"
        if self.published():
            return f"the new dataset had already been published in {self.out}"
        # Read now, not when the run started: a signal may land before the run took the lock.
        if current_run(self.out) is not None or _old_layout_files(self.out):
            return "the previous dataset was left unchanged"
        return "no dataset was published"


def current_run(out: Path) -> str | None:
    """The run folder `current` names, if it names one that exists."""
    try:
        target = os.readlink(out / CURRENT)
    except OSError:
        return None
    name = target.removeprefix(f"{RUNS_DIR}/")
    if name == target or "/" in name or not (out / RUNS_DIR / name).is_dir():
        return None
    return name


def _old_layout_files(out: Path) -> list[str]:
    """Dataset files of the earlier layout: real files, not our links."""
    return [name for name in KNOWN_FILES
            if (out / name).is_file() and not (out / name).is_symlink()]


def _cannot_write(out: Path, exc: OSError) -> OSError:
    if exc.errno in _DISK_FULL:
        return exc  # an environment failure: the CLI reports a full disk (exit 1)
    reason = exc.strerror or str(exc)
    return OutputError(
        f"cannot write to output folder {out} ({reason}); choose a writable folder with --out")


def _lock(out: Path) -> int:
    """Take <out>/.lock for this process, or fail at once naming the holder."""
    return _lock_file(out / LOCK_FILE, str(out))


def _lock_file(path: Path, what: str) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
        os.close(fd)
        who = f" (pid {holder})" if holder.isdigit() else ""
        raise BusyError(
            f"another seeds_gen run{who} is writing to {what}; wait for it to finish or choose "
            "another --out"
        ) from None
    with contextlib.suppress(OSError):  # the pid is for the message above; same-size rewrite
        os.pwrite(fd, f"{os.getpid():<20}\n".encode("ascii"), 0)
    return fd


def _preflight(out: Path) -> None:
    """Refuse, before writing anything, names in <out> that the layout cannot replace."""
    current = out / CURRENT
    if current.exists() and not current.is_symlink():
        raise OutputError(
            f"{current} exists and is not the generator's link to the current run; move it "
            "away and run again"
        )
    for name in KNOWN_FILES:
        path = out / name
        if path.is_dir() and not path.is_symlink():
            raise OutputError(f"{path} is a folder; move it away and run again")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _link_temp(out: Path, name: str, pid: int | None = None) -> Path:
    return out / f".{name}.tmp-{os.getpid() if pid is None else pid}"


def _remove_leftovers(out: Path) -> None:
    """With the lock held, every temporary name in <out> belongs to a dead run: remove it."""
    runs = out / RUNS_DIR
    if runs.is_dir():
        for entry in runs.iterdir():
            if entry.name.startswith(TEMP_PREFIX):
                shutil.rmtree(entry, ignore_errors=True)
    for entry in out.iterdir():
        name = entry.name
        if name.startswith(OLD_STAGING_PREFIX):
            # The earlier layout took no lock: leave a live old-version run alone.
            pid_text = name.removeprefix(OLD_STAGING_PREFIX).split("-")[0]
            if not (pid_text.isdigit() and _alive(int(pid_text))):
                shutil.rmtree(entry, ignore_errors=True)
        elif name.startswith(".") and ".tmp-" in name and entry.is_symlink():
            entry.unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _our_link(out: Path, name: str) -> bool:
    """<out>/<name> is the static link this layout makes (not a user's file or link)."""
    path = out / name
    return path.is_symlink() and os.readlink(path) == f"{CURRENT}/{name}"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _replace_with_link(out: Path, name: str, target: str) -> None:
    """Make <out>/<name> a symlink to `target` in one rename (readers never see it missing)."""
    temp = _link_temp(out, name)
    temp.unlink(missing_ok=True)
    os.symlink(target, temp)
    try:
        os.replace(temp, out / name)
    except OSError:
        temp.unlink(missing_ok=True)
        raise


def _make_temp_dir(runs: Path) -> Path:
    """A new .tmp-<pid>-<random> folder, with the umask's permissions (mkdtemp's 0700 would
    stay on the published run and hide it from other users)."""
    while True:
        path = runs / f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path


def _new_run_id(runs: Path, suffix: str = "") -> str:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    while True:
        run_id = f"{stamp}-{secrets.token_hex(3)}{suffix}"
        if not (runs / run_id).exists():
            return run_id


@dataclass
class Run:
    """One run's staging folder and the steps that publish it."""

    out: Path
    staging: Path
    run_id: str
    outcome: Outcome
    _temps: list[Path] = field(default_factory=list)

    @property
    def runs(self) -> Path:
        return self.out / RUNS_DIR

    @property
    def final(self) -> Path:
        return self.runs / self.run_id

    def publish(self) -> None:
        """Rename the complete staging folder to its run id, then switch `current` to it."""
        fault_point("before_run_rename")
        _fsync_dir(self.staging)
        os.rename(self.staging, self.final)
        self.outcome.run_id = self.run_id
        _fsync_dir(self.runs)
        fault_point("after_run_rename")
        previous = current_run(self.out)
        if previous is None and _old_layout_files(self.out):
            previous = self._adopt_old_layout()
            fault_point("after_legacy_adopted")
        written = {entry.name for entry in self.final.iterdir()} & set(KNOWN_FILES)
        # What the run wrote, plus real files adopted into the previous run (same bytes through
        # `current` until the switch; removed as stale after it when this run lacks the name).
        adopted = {name for name in _old_layout_files(self.out)
                   if previous and _same_file(self.out / name, self.runs / previous / name)}
        for name in sorted(written | adopted):
            if not _our_link(self.out, name):
                _replace_with_link(self.out, name, f"{CURRENT}/{name}")
        fault_point("before_switch")
        _replace_with_link(self.out, CURRENT, f"{RUNS_DIR}/{self.run_id}")  # the one step
        _fsync_dir(self.out)
        fault_point("after_switch")
        # Links of names this run did not write (the other format's) now dangle: remove them.
        for name in KNOWN_FILES:
            if name not in written and _our_link(self.out, name):
                (self.out / name).unlink(missing_ok=True)
        _fsync_dir(self.out)
        keep = {self.run_id, previous}
        for entry in self.runs.iterdir():
            if entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)

    def _adopt_old_layout(self) -> str:
        """Hard-link the earlier layout's real files into a run folder and make it current."""
        adopting = _make_temp_dir(self.runs)
        self._temps.append(adopting)
        for name in _old_layout_files(self.out):
            try:
                os.link(self.out / name, adopting / name)
            except OSError:
                shutil.copy2(self.out / name, adopting / name)
        run_id = _new_run_id(self.runs, "-adopted")
        self._temps.append(self.runs / run_id)
        os.rename(adopting, self.runs / run_id)
        # Same bytes under every name: switching to them is invisible to a reader.
        _replace_with_link(self.out, CURRENT, f"{RUNS_DIR}/{run_id}")
        self._temps.clear()
        return run_id

    def discard_unpublished(self) -> None:
        """After a failure or interruption: remove whatever of this run is not published."""
        shutil.rmtree(self.staging, ignore_errors=True)
        current = current_run(self.out)
        for path in (self.final, *self._temps):
            if path.name != current:
                shutil.rmtree(path, ignore_errors=True)
        for name in (*KNOWN_FILES, CURRENT):
            _link_temp(self.out, name).unlink(missing_ok=True)


@contextlib.contextmanager
def open_run(out: Path, outcome: Outcome) -> Iterator[Run]:
    """Lock `out`, clean what dead runs left, and stage a new run folder.

    On leaving, anything unpublished is removed and the lock is released. A second run into the
    same folder fails at once with BusyError and writes nothing.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock = _lock(out)
    except OutputError:
        raise
    except OSError as exc:
        raise _cannot_write(out, exc) from None
    try:
        fault_point("locked")
        _preflight(out)
        runs = out / RUNS_DIR
        try:
            _remove_leftovers(out)
            runs.mkdir(exist_ok=True)
            staging = _make_temp_dir(runs)
        except OSError as exc:
            raise _cannot_write(out, exc) from None
        run = Run(out, staging, _new_run_id(runs), outcome)
        try:
            yield run
        finally:
            run.discard_unpublished()
    finally:
        # Whatever a signal cut short (a staging folder made but not yet handed over, a link
        # being replaced), nothing temporary outlives the lock.
        with contextlib.suppress(OSError):
            _remove_leftovers(out)
        os.close(lock)


# --- parts made apart ---------------------------------------------------------------------

def parts_folder(out: Path, count: int) -> Path:
    """Where parts made apart (--parts N --part K) wait for --assemble."""
    return out / f"parts-of-{count}"


@contextlib.contextmanager
def open_part(out: Path, part: Part, outcome: Outcome | None = None) -> Iterator[Path]:
    """Stage part K in <out>/parts-of-<N>/; publish it as part-<K>/ in one rename when the
    block completes, or remove it. Each part has its own lock: parts of one dataset can be made
    at once, into one folder, by several processes or machines sharing it."""
    folder = parts_folder(out, part.count)
    final = folder / part.name
    if outcome is not None:
        outcome.part = final
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = _lock_file(folder / f".lock-{part.name}", f"part {part.index} in {folder}")
    except OutputError:
        raise
    except OSError as exc:
        raise _cannot_write(out, exc) from None
    prefix = f"{TEMP_PREFIX}{part.name}-"
    try:
        for entry in folder.iterdir():  # with the lock held, these belong to dead runs
            if entry.name.startswith(prefix) or entry.name.startswith(f".old-{part.name}-"):
                shutil.rmtree(entry, ignore_errors=True)
        staging = folder / f"{prefix}{os.getpid()}-{secrets.token_hex(4)}"
        staging.mkdir()
        yield staging
        _fsync_dir(staging)
        old = folder / f".old-{part.name}-{secrets.token_hex(4)}"
        if final.exists():
            os.rename(final, old)  # a directory cannot be renamed over a full one
        os.rename(staging, final)
        if outcome is not None:
            outcome.part_published = True
        _fsync_dir(folder)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        for entry in folder.iterdir():
            if entry.name.startswith(prefix):
                shutil.rmtree(entry, ignore_errors=True)
        os.close(lock)
