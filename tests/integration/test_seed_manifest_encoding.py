"""`make seed` / `make build` refuse a seed file that is not UTF-8 before dbt parses the project
(scripts/check_data.py, called by the Makefile's check-data target): one line naming the file,
the line and byte, and the fix. No database needed.

Run: .venv/bin/python -m pytest tests/integration/test_seed_manifest_encoding.py
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from dbt_harness import REPO_ROOT

SCRIPT = REPO_ROOT / "scripts" / "check_data.py"
GOOD = "customer_id,last_name\n1,Zoë Ångström\n2,李\n3,😀\n"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_data", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_data = load_script()


def run_script(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(folder)], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("encoding", "words"),
    [
        ("latin-1", ["not UTF-8 (byte 0xeb on line 2", "iconv -f latin1"]),
        ("utf-16", ["byte-order mark", "iconv -f utf-16"]),
        ("utf-16-le", ["a NUL byte on line 1", "iconv -f utf-16"]),
    ],
)
def test_a_csv_in_another_encoding_is_refused_in_one_line_naming_it(
    tmp_path: Path, encoding: str, words: list[str]
) -> None:
    (tmp_path / "raw_brand.csv").write_text("brand_id\n1\n", encoding="utf-8")
    bad = tmp_path / "raw_customer.csv"
    bad.write_text(GOOD.replace("李\n3,😀\n", ""), encoding=encoding)
    done = run_script(tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"{bad}: not UTF-8"), lines[0]
    assert "run python -m seeds_gen again" in lines[0]
    for word in words:
        assert word in lines[0], lines[0]


def test_utf8_files_pass_also_through_symlinks_and_with_a_bom(tmp_path: Path) -> None:
    run = tmp_path / ".runs" / "r1"
    run.mkdir(parents=True)
    (run / "raw_customer.csv").write_text(GOOD, encoding="utf-8")
    (tmp_path / "current").symlink_to(Path(".runs") / "r1")
    (tmp_path / "raw_customer.csv").symlink_to(Path("current") / "raw_customer.csv")
    (tmp_path / "raw_brand.csv").write_text(GOOD, encoding="utf-8-sig")
    done = run_script(tmp_path)
    assert done.returncode == 0 and done.stderr == "", done.stderr


def test_characters_split_across_blocks_pass_and_a_bad_byte_far_down_is_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(check_data, "BLOCK", 5)  # every multi-byte character straddles blocks
    path = tmp_path / "raw_customer.csv"
    path.write_text(GOOD * 50, encoding="utf-8")
    check_data.check_utf8(path)
    good = (GOOD * 50).encode("utf-8")
    path.write_bytes(good + b"4,Jos\xe9\n")
    with pytest.raises(check_data.NotUtf8Error) as raised:
        check_data.check_utf8(path)
    line = good.count(b"\n") + 1
    assert f"byte 0xe9 on line {line}, offset {len(good) + 5})" in str(raised.value)


def test_make_seed_and_build_run_the_check_before_dbt() -> None:
    for target in ("seed", "build"):
        done = subprocess.run(
            ["make", "-n", target], cwd=REPO_ROOT, capture_output=True, text=True, check=False
        )
        commands = done.stdout.splitlines()
        check = next(i for i, c in enumerate(commands) if "scripts/check_data.py data" in c)
        dbt = next(i for i, c in enumerate(commands) if "/dbt " in c)
        assert check < dbt, done.stdout
