"""`python -m scripts.erd [--check]`: write the ERD files, or say which are out of date."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import render
from .contracts import ContractError

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.erd", description=__doc__)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a committed file differs")
    args = parser.parse_args()
    try:
        outputs = render(ROOT)
    except ContractError as exc:
        print(f"erd: {exc}", file=sys.stderr)
        return 2
    stale = [p for p, text in outputs.items()
             if not (ROOT / p).exists() or (ROOT / p).read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"erd: {path} is out of step with the contracts: run `make erd`",
                  file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        (ROOT / path).parent.mkdir(parents=True, exist_ok=True)
        (ROOT / path).write_text(outputs[path], encoding="utf-8")
    print(f"erd: {len(stale)} of {len(outputs)} files written "
          f"({', '.join(str(p) for p in outputs)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
