"""--also-changes DIR: every applied event's rows in the change-set format
(docs/dataset_layout.md), appended after the event commits, one file per changing table.

Each event writes its inserts and order updates, and the product rows it is the last to move at
its instant (a product changes at most once per instant in a change set): an uninterrupted run
from T0 to T1 writes the rows of the generator's change set of (T0, T1], in the order applied.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import IO, Any

from seeds_gen.live.events import CHANGING_TABLES, Event
from seeds_gen.schema import TABLES_BY_NAME


class ChangeLog:
    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._files: dict[str, IO[str]] = {}
        self._writers: dict[str, Any] = {}
        for table in CHANGING_TABLES:
            path = folder / f"raw_{table}.csv"
            new = not path.exists() or path.stat().st_size == 0
            f = path.open("a", encoding="utf-8", newline="")
            writer = csv.writer(f, lineterminator="\n")
            if new:
                writer.writerow(["_changed_at", "_op", *TABLES_BY_NAME[table].column_names])
            self._files[table], self._writers[table] = f, writer

    def write(self, event: Event) -> None:
        touched = set()
        for change in event.changes():
            columns = TABLES_BY_NAME[change.table].column_names
            self._writers[change.table].writerow(
                [change.at, change.op, *(change.row[c] for c in columns)])
            touched.add(change.table)
        for table in touched:
            self._files[table].flush()

    def close(self) -> None:
        for f in self._files.values():
            f.close()
