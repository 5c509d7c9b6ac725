"""Same seed and settings: byte-identical files, whatever the thread count; new seed: new data."""

from __future__ import annotations

import json
from pathlib import Path

from seeds_gen.schema import MANIFEST_FILE, TABLES

from .conftest import RunCli


def _hashes(folder: Path) -> dict[str, str]:
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    return {name: entry["sha256"] for name, entry in manifest["tables"].items()}


def test_same_seed_gives_identical_files_even_on_one_thread(
        run_cli: RunCli, default_dataset: Path, tmp_path: Path) -> None:
    result = run_cli("--out", str(tmp_path), "--threads", "1", "--quiet")
    assert result.returncode == 0, result.stderr
    assert _hashes(tmp_path) == _hashes(default_dataset)
    for table in TABLES:  # the manifest's hashes describe the bytes on disk
        assert (tmp_path / table.file_name).read_bytes() == \
            (default_dataset / table.file_name).read_bytes()


def test_another_seed_gives_different_data(run_cli: RunCli, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for out, seed in ((a, "1"), (b, "2")):
        result = run_cli("--out", str(out), "--seed", seed, "--scale", "0.05", "--quiet")
        assert result.returncode == 0, result.stderr
    first, second = _hashes(a), _hashes(b)
    assert all(first[t.name] != second[t.name] for t in TABLES if t.name != "category")


def test_config_file_and_options_give_the_same_dataset(run_cli: RunCli, tmp_path: Path) -> None:
    config = tmp_path / "shop.toml"
    config.write_text('seed = 7\nscale = 0.02\nstart = 2023-03-01\nend = "2024-03-01"\n'
                      '[rows]\nproduct = 50\n')
    by_file, by_flags = tmp_path / "file", tmp_path / "flags"
    assert run_cli("--config", str(config), "--out", str(by_file), "--quiet").returncode == 0
    assert run_cli("--seed", "7", "--scale", "0.02", "--start", "2023-03-01", "--end",
                   "2024-03-01", "--rows", "product=50", "--out", str(by_flags),
                   "--quiet").returncode == 0
    assert _hashes(by_file) == _hashes(by_flags)
