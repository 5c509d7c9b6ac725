"""The loader's shared checks (seeds_gen/load/job.py) on files of a real generated dataset."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from seeds_gen.load.job import DataFile, LoadError, TableJob, check_header, checked_file

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", params=["csv", "parquet"])
def dataset(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(request.param) / "data"
    subprocess.run([sys.executable, "-m", "seeds_gen", "--scale", "0.01", "--parts", "2",
                    "--format", request.param, "--out", str(out), "--quiet"], cwd=REPO, check=True)
    return out


def table_job(data: Path, column_types: dict[str, str]) -> TableJob:
    entry = json.loads((data / "manifest.json").read_text())["tables"]["order_item"]
    files = tuple(DataFile(data / f["file"], f["file"], f["rows"], f["bytes"], f["sha256"])
                  for f in entry["files"])
    return TableJob("raw_order_item", "x", tuple(column_types), column_types, entry["format"],
                    files)


def declared(data: Path) -> dict[str, str]:
    header = (data / "raw_order_item.csv").read_text().splitlines()[0].split(",")
    return {name: "varchar" for name in header}


def test_the_generators_header_passes_and_another_order_is_refused(dataset: Path) -> None:
    columns = declared(dataset)
    job = table_job(dataset, columns)
    for file in job.files:
        check_header(job, file)
    names = list(columns)
    names[0], names[1] = names[1], names[0]
    swapped = table_job(dataset, dict.fromkeys(names, "varchar"))
    with pytest.raises(LoadError, match="is not the seed's declared columns"):
        check_header(swapped, swapped.files[0])


def test_a_file_that_is_not_the_manifests_is_refused_after_reading(dataset: Path) -> None:
    job = table_job(dataset, declared(dataset))
    file = job.files[1]
    with checked_file(file) as reader:
        assert sum(len(c) for c in reader.chunks()) == file.bytes
    other = DataFile(file.path, file.label, file.rows, file.bytes, "0" * 64)
    with pytest.raises(LoadError, match="not the file the manifest lists"), checked_file(other):
        pass
