"""`--empty` and `dbt show` suites."""

import pytest
from dbt.tests.adapter.dbt_show.test_dbt_show import (
    BaseShowDoesNotHandleDoubleLimit,
    BaseShowLimit,
    BaseShowSqlHeader,
)
from dbt.tests.adapter.empty.test_empty import (
    BaseTestEmpty,
    BaseTestEmptyInlineSourceRef,
    BaseTestEmptySeedFlag,
    MetadataWithEmptyFlag,
)


class TestEmptyMySQL(BaseTestEmpty):
    pass


@pytest.mark.skip(
    reason="MySQL requires an alias on derived tables, so --empty renders sources as "
    "'(select ... limit 0) _dbt_limit_subq_x'; a user alias after it ('as raw_source') "
    "is then a syntax error"
)
class TestEmptyInlineSourceRefMySQL(BaseTestEmptyInlineSourceRef):
    pass


@pytest.mark.skip(reason="`dbt seed --empty` does not exist in dbt-core 1.11 (No such option)")
class TestEmptySeedFlagMySQL(BaseTestEmptySeedFlag):
    pass


class TestMetadataWithEmptyFlagMySQL(MetadataWithEmptyFlag):
    pass


class TestShowLimitMySQL(BaseShowLimit):
    pass


class TestShowSqlHeaderMySQL(BaseShowSqlHeader):
    pass


class TestShowDoesNotHandleDoubleLimitMySQL(BaseShowDoesNotHandleDoubleLimit):
    # str(ExceptionInfo) is abridged, so match its start.
    DATABASE_ERROR_MESSAGE = "Database Error"
