"""What the project's commands (generate, load, live) share on the command line: a bad option
is one line that names the fix and exit status 2, and a dbt target is named the same way."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

EXIT_USAGE = 2


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad option is one line and exit status 2, with no usage dump."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("python -m ")
        sys.stderr.write(f"{command}: error: {message} (see {self.prog} --help)\n")
        raise SystemExit(EXIT_USAGE)


def add_dbt_target_options(parser: argparse.ArgumentParser) -> None:
    """The connection: a target of the dbt project's profile, found the way dbt finds it."""
    parser.add_argument("--target", required=True, help="the profiles.yml target (e.g. postgres)")
    parser.add_argument("--project-dir", type=Path, default=Path("."),
                        help="the dbt project (default: the current folder)")
    parser.add_argument("--profiles-dir", type=Path,
                        help="where profiles.yml is (default: as dbt finds it)")
