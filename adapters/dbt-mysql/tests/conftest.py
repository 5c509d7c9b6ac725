"""Shared pytest setup: dbt's adapter-test fixtures, pointed at the local MariaDB/MySQL.

Connection settings come from the environment (defaults: 127.0.0.1:3306, root, no password).
Each test class gets its own database (dbt's `unique_schema`, prefixed test<timestamp>...),
created and dropped by the dbt.tests fixtures.
"""

import os

import pytest

pytest_plugins = ["dbt.tests.fixtures.project"]


def mysql_target() -> dict:
    return {
        "type": "mysql",
        "host": os.getenv("MYSQL_TEST_HOST", "127.0.0.1"),
        "port": int(os.getenv("MYSQL_TEST_PORT", "3306")),
        "user": os.getenv("MYSQL_TEST_USER", "root"),
        "password": os.getenv("MYSQL_TEST_PASSWORD", ""),
        "threads": 1,
    }


@pytest.fixture(scope="class")
def dbt_profile_target():
    return mysql_target()
