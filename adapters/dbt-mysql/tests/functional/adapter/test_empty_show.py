"""`--empty` and `dbt show` suites."""

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


class TestEmptyInlineSourceRefMySQL(BaseTestEmptyInlineSourceRef):
    pass


class TestEmptySeedFlagMySQL(BaseTestEmptySeedFlag):
    pass


class TestMetadataWithEmptyFlagMySQL(MetadataWithEmptyFlag):
    pass


class TestShowLimitMySQL(BaseShowLimit):
    pass


class TestShowSqlHeaderMySQL(BaseShowSqlHeader):
    pass


class TestShowDoesNotHandleDoubleLimitMySQL(BaseShowDoesNotHandleDoubleLimit):
    DATABASE_ERROR_MESSAGE = "You have an error in your SQL syntax"
