"""dbt's unit-testing suites: fixture values go through CAST targets MySQL accepts."""

import pytest
from dbt.tests.adapter.unit_testing.test_case_insensitivity import BaseUnitTestCaseInsensivity
from dbt.tests.adapter.unit_testing.test_invalid_input import BaseUnitTestInvalidInput
from dbt.tests.adapter.unit_testing.test_types import (
    BaseUnitTestingTypes,
    BaseUnitTestingVarcharFixtureNoTruncation,
)


class TestUnitTestingTypesMySQL(BaseUnitTestingTypes):
    @pytest.fixture
    def data_types(self):
        # (sql value in the upstream model, value in the unit-test yaml)
        return [
            ["1", "1"],
            ["'1'", "1"],
            ["true", "true"],
            ["cast('2013-11-03 00:00:00' as datetime)", "2013-11-03 00:00:00"],
            ["cast('2013-11-03' as date)", "2013-11-03"],
            ["cast('1' as decimal(10,2))", "1"],
            ["cast(1.5 as double)", "1.5"],
        ]


class TestUnitTestingVarcharFixtureNoTruncationMySQL(BaseUnitTestingVarcharFixtureNoTruncation):
    @pytest.fixture(scope="class")
    def models(self):
        from dbt.tests.adapter.unit_testing import test_types as t

        return {
            "my_model.sql": t._length_model_sql,
            # MySQL cannot CAST to varchar; a varchar(5) column comes from a table's DDL.
            "my_upstream_model.sql": "{{ config(materialized='table') }} "
            "select cast('short' as char(5)) as tested_column",
            "schema.yml": t._length_test_yml,
        }


class TestUnitTestCaseInsensitivityMySQL(BaseUnitTestCaseInsensivity):
    pass


class TestUnitTestInvalidInputMySQL(BaseUnitTestInvalidInput):
    pass
