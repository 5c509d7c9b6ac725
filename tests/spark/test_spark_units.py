"""Pure functions of the Spark engine: masters, output locations, error lines."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from seeds_gen.config import GeneratorConfig
from seeds_gen.spark.engine import check_master, first_line, is_local_master, output_location
from seeds_gen.spark.errors import SparkSetupError


@pytest.mark.parametrize("master", ["local", "local[*]", "local[2]", "local[2,3]", "local[*,2]"])
def test_local_masters_are_local(master: str) -> None:
    assert is_local_master(master)
    check_master(master)


@pytest.mark.parametrize("master", ["local[0]", "local[two]", "spark//x:1", "mesos://x:5050"])
def test_malformed_masters_are_refused(master: str) -> None:
    with pytest.raises(SparkSetupError, match="--spark-master must be"):
        check_master(master)


def test_a_standalone_master_answers_when_any_of_its_addresses_does() -> None:
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        check_master(f"spark://127.0.0.1:1,127.0.0.1:{port}")


def test_a_standalone_master_without_a_port_is_refused() -> None:
    with pytest.raises(SparkSetupError, match="is not host:port"):
        check_master("spark://host")


def test_a_uri_keeps_its_slashes_and_cannot_come_from_the_config_file() -> None:
    config = GeneratorConfig(out=Path("s3a://bucket/ecom"))  # what the TOML file's out gives
    assert output_location("s3a://bucket/ecom", config) == "s3a://bucket/ecom"
    assert output_location(None, GeneratorConfig(out=Path("data"))) == "data"
    with pytest.raises(SparkSetupError, match="pass a URI with --out"):
        output_location(None, config)


def test_the_cause_of_a_worker_failure_is_its_last_python_error_line() -> None:
    text = ("An exception was thrown from the Python worker:\nTraceback (most recent call last):\n"
            '  File "x.py", line 1\nKeyError: 3\nModuleNotFoundError: No module named \'duckdb\'\n'
            "\tat org.apache.spark.Thing(Thing.scala:1)")
    cause = first_line(RuntimeError(text))
    assert cause.startswith("ModuleNotFoundError: No module named 'duckdb'; the executors'")
    assert first_line(RuntimeError("x\nseeds_gen.spark.frames.TaskError: versions differ")) == \
        "versions differ"
    assert first_line(RuntimeError("Connection refused\n\tat y")) == "Connection refused"
