"""Relation cache and `dbt debug` suites."""

from dbt.tests.adapter.caching.test_caching import (
    BaseCachingLowercaseModel,
    BaseCachingSelectedSchemaOnly,
    BaseCachingUppercaseModel,
    BaseNoPopulateCache,
)
from dbt.tests.adapter.dbt_debug.test_dbt_debug import BaseDebug


class TestCachingLowercaseModelMySQL(BaseCachingLowercaseModel):
    pass


class TestCachingUppercaseModelMySQL(BaseCachingUppercaseModel):
    pass


class TestCachingSelectedSchemaOnlyMySQL(BaseCachingSelectedSchemaOnly):
    pass


class TestNoPopulateCacheMySQL(BaseNoPopulateCache):
    pass


class TestDebugMySQL(BaseDebug):
    def test_ok(self, project):
        from dbt.tests.util import run_dbt

        run_dbt(["debug"])
        assert "ERROR" not in self.capsys.readouterr().out
