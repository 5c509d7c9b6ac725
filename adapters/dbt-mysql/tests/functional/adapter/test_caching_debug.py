"""Relation cache and `dbt debug` suites."""

import pytest
from dbt.tests.adapter.caching.test_caching import (
    BaseCachingLowercaseModel,
    BaseCachingSelectedSchemaOnly,
    BaseCachingUppercaseModel,
    BaseNoPopulateCache,
)
from dbt.tests.adapter.dbt_debug.test_dbt_debug import BaseDebug

# The caching suite asserts relation.database.lower() == ...: MySQL relations have no database
# component (None, see README), so the comparison itself cannot run. Caching is covered by the
# basic suite's TestBaseAdapterMethodMySQL (BaseAdapterMethod) and by every other suite.
_NO_DATABASE = pytest.mark.skip(
    reason="suite compares relation.database.lower(); MySQL relations have database=None"
)


@_NO_DATABASE
class TestCachingLowercaseModelMySQL(BaseCachingLowercaseModel):
    pass


@_NO_DATABASE
class TestCachingUppercaseModelMySQL(BaseCachingUppercaseModel):
    pass


@_NO_DATABASE
class TestCachingSelectedSchemaOnlyMySQL(BaseCachingSelectedSchemaOnly):
    pass


@_NO_DATABASE
class TestNoPopulateCacheMySQL(BaseNoPopulateCache):
    pass


class TestDebugMySQL(BaseDebug):
    @pytest.fixture(scope="class", autouse=True)
    def drop_schema_after(self, unique_schema):
        # `dbt debug` resets dbt's adapters, after which the project fixture's teardown no
        # longer drops the test database: drop it here.
        yield
        import pymysql
        from conftest import mysql_target

        t = mysql_target()
        conn = pymysql.connect(
            host=t["host"], port=t["port"], user=t["user"], password=t["password"]
        )
        with conn.cursor() as cur:
            cur.execute(f"drop database if exists `{unique_schema}`")
        conn.close()

    def test_ok(self, project):
        from dbt.tests.util import run_dbt

        run_dbt(["debug"])
        assert "ERROR" not in self.capsys.readouterr().out
