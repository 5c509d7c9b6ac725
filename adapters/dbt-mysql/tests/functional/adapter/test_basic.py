"""dbt's basic adapter suite."""

import pytest
from dbt.tests.adapter.basic import expected_catalog
from dbt.tests.adapter.basic.test_adapter_methods import BaseAdapterMethod
from dbt.tests.adapter.basic.test_base import BaseSimpleMaterializations
from dbt.tests.adapter.basic.test_docs_generate import BaseDocsGenerate, BaseDocsGenReferences
from dbt.tests.adapter.basic.test_empty import BaseEmpty
from dbt.tests.adapter.basic.test_ephemeral import BaseEphemeral
from dbt.tests.adapter.basic.test_generic_tests import BaseGenericTests
from dbt.tests.adapter.basic.test_incremental import (
    BaseIncremental,
    BaseIncrementalNotSchemaChange,
)
from dbt.tests.adapter.basic.test_singular_tests import BaseSingularTests
from dbt.tests.adapter.basic.test_singular_tests_ephemeral import BaseSingularTestsEphemeral
from dbt.tests.adapter.basic.test_snapshot_check_cols import BaseSnapshotCheckCols
from dbt.tests.adapter.basic.test_snapshot_timestamp import BaseSnapshotTimestamp
from dbt.tests.adapter.basic.test_table_materialization import BaseTableMaterialization
from dbt.tests.adapter.basic.test_validate_connection import BaseValidateConnection


class TestSimpleMaterializationsMySQL(BaseSimpleMaterializations):
    pass


class TestSingularTestsMySQL(BaseSingularTests):
    pass


class TestSingularTestsEphemeralMySQL(BaseSingularTestsEphemeral):
    pass


class TestEmptyMySQL(BaseEmpty):
    pass


class TestEphemeralMySQL(BaseEphemeral):
    pass


class TestIncrementalMySQL(BaseIncremental):
    pass


class TestIncrementalNotSchemaChangeMySQL(BaseIncrementalNotSchemaChange):
    pass


class TestGenericTestsMySQL(BaseGenericTests):
    pass


class TestSnapshotCheckColsMySQL(BaseSnapshotCheckCols):
    pass


class TestSnapshotTimestampMySQL(BaseSnapshotTimestamp):
    pass


class TestBaseAdapterMethodMySQL(BaseAdapterMethod):
    pass


class TestTableMaterializationMySQL(BaseTableMaterialization):
    pass


class TestValidateConnectionMySQL(BaseValidateConnection):
    pass


class TestDocsGenerateMySQL(BaseDocsGenerate):
    @pytest.fixture(scope="class")
    def expected_catalog(self, project, profile_user):
        return expected_catalog.base_expected_catalog(
            project,
            role=None,
            id_type="bigint",
            text_type="text",
            time_type="datetime",
            view_type="view",
            table_type="table",
            model_stats=expected_catalog.no_stats(),
        )


class TestDocsGenReferencesMySQL(BaseDocsGenReferences):
    @pytest.fixture(scope="class")
    def expected_catalog(self, project, profile_user):
        return expected_catalog.expected_references_catalog(
            project,
            role=None,
            id_type="bigint",
            text_type="text",
            time_type="datetime",
            bigint_type="bigint",
            view_type="view",
            table_type="table",
            model_stats=expected_catalog.no_stats(),
        )
