"""The change set of a long interval, a window at a time: `python -m seeds_gen --as-of END
--changes-since START` for each window in a child process, the next window prepared while the
current one plays, each folder removed once played. Memory stays that of one window's generator
run and one instant of changes, whatever the length of the run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from seeds_gen.config import GeneratorConfig
from seeds_gen.live.database import EXIT_ENVIRONMENT, LiveError
from seeds_gen.schema import MANIFEST_FILE
from seeds_gen.timeline import TIMESTAMP_FORMAT


@dataclass(frozen=True)
class Window:
    since: dt.datetime
    until: dt.datetime
    folder: Path


def window_bounds(since: dt.datetime, until: dt.datetime, days: float,
                  ) -> list[tuple[dt.datetime, dt.datetime]]:
    """(since, until] cut into windows of `days` (the last one shorter)."""
    step = dt.timedelta(days=days)
    bounds = []
    start = since
    while start < until:
        end = min(start + step, until)
        bounds.append((start, end))
        start = end
    return bounds


def generator_command(config: GeneratorConfig, since: dt.datetime, until: dt.datetime,
                      out: Path) -> list[str]:
    """The generator's command line for one window of the world `config` fixes."""
    settings = config.settings()
    command = [sys.executable, "-m", "seeds_gen", "--seed", str(settings["seed"]),
               "--scale", repr(settings["scale"]), "--start", settings["start"],
               "--end", settings["end"], "--locale", settings["locale"],
               "--as-of", until.strftime(TIMESTAMP_FORMAT),
               "--changes-since", since.strftime(TIMESTAMP_FORMAT),
               "--out", str(out), "--quiet",
               # one core: the other stays with the database and this process
               "--threads", "1"]
    for table, rows in settings["rows"].items():
        command += ["--rows", f"{table}={rows}"]
    return command


class WindowMaker:
    """Makes the windows' change sets in a temporary folder, one ahead of the reader."""

    def __init__(self, config: GeneratorConfig, world: str, work: Path | None = None) -> None:
        self.config = config
        self.world = world
        self._tmp = Path(tempfile.mkdtemp(prefix="ecom-synth-live-", dir=work))
        self._children: set[subprocess.Popen[str]] = set()
        self._lock = threading.Lock()
        self._closed = False

    def _make(self, number: int, since: dt.datetime, until: dt.datetime) -> Window:
        out = self._tmp / f"window-{number:06d}"
        command = generator_command(self.config, since, until, out)
        with self._lock:
            if self._closed:
                raise LiveError("stopped", EXIT_ENVIRONMENT)
            # its own session: a Ctrl-C at the terminal reaches this process, which stops
            # between events; the child is ended by close()
            child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, start_new_session=True)
            self._children.add(child)
        _, err = child.communicate()
        with self._lock:
            self._children.discard(child)
        if child.returncode != 0:
            last = (err.strip().splitlines() or ["(no message)"])[-1]
            raise LiveError(f"the generator failed for the window ({since}, {until}]: {last}",
                            EXIT_ENVIRONMENT)
        manifest = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
        if manifest.get("world") != self.world:
            raise LiveError(f"the generator made another world ({manifest.get('world')}) than "
                            f"the tables hold ({self.world}) for ({since}, {until}]",
                            EXIT_ENVIRONMENT)
        return Window(since, until, out)

    def windows(self, bounds: list[tuple[dt.datetime, dt.datetime]]) -> Iterator[Window]:
        """Each window's change set, in order; the next one is made while this one is used,
        and this one's folder is removed when the caller asks for the next."""
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending: Future[Window] | None = None
            for number, (since, until) in enumerate(bounds):
                current = pending if pending is not None else pool.submit(
                    self._make, number, since, until)
                window = current.result()
                pending = (pool.submit(self._make, number + 1, *bounds[number + 1])
                           if number + 1 < len(bounds) else None)
                try:
                    yield window
                finally:
                    shutil.rmtree(window.folder, ignore_errors=True)
                    if pending is not None and self._closed:
                        with contextlib.suppress(Exception):
                            pending.result()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for child in self._children:
                child.terminate()
        shutil.rmtree(self._tmp, ignore_errors=True)
