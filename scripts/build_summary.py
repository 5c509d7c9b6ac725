"""Print what `dbt build` did: tables and their rows, tests passed and failed.

Reads dbt's own record of the run (target/run_results.json, target/manifest.json) and the row
counts the generator wrote (data/raw_row_counts.csv). Exits 1 if anything failed.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections import Counter
from pathlib import Path

TARGET = Path(os.environ.get("DBT_TARGET_PATH", "target"))
ROW_COUNTS = Path("data/raw_row_counts.csv")
FAILED = ("fail", "error")


def main() -> int:
    try:
        results = json.loads((TARGET / "run_results.json").read_text())["results"]
        nodes = json.loads((TARGET / "manifest.json").read_text())["nodes"]
        with ROW_COUNTS.open(encoding="utf-8") as f:
            rows = {r["table_name"]: int(r["row_count"]) for r in csv.DictReader(f)}
    except FileNotFoundError as exc:
        print(f"build_summary: {exc.filename} is missing; run `make run`", file=sys.stderr)
        return 2

    by_kind: dict[str, Counter[str]] = {}
    built: dict[str, str] = {}
    counted: dict[str, str] = {}
    for result in results:
        uid, status = result["unique_id"], result["status"]
        kind = uid.split(".")[0]
        by_kind.setdefault(kind, Counter())[status] += 1
        node = nodes.get(uid, {})
        if kind == "model":
            built[node.get("name", uid)] = status
        test_name = (node.get("test_metadata") or {}).get("name")
        if test_name == "row_count_equals_expected" and node.get("attached_node"):
            counted[node["attached_node"].split(".")[-1]] = status

    print(f"\n{'table':<18} {'rows':>12}  {'model':<8} {'row count test'}")
    for table, expected in rows.items():
        print(f"{table:<18} {expected:>12,}  {built.get(table, '-'):<8} "
              f"{counted.get(table, '-')}")
    tests = by_kind.get("test", Counter()) + by_kind.get("unit_test", Counter())
    failed = sum(tests[s] for s in FAILED)
    print(f"\ntests: {tests['pass']} passed, {failed} failed"
          + (f", {tests['warn']} warned" if tests["warn"] else ""))
    broken = sum(c[s] for c in by_kind.values() for s in FAILED)
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
