"""Unit tests without a server: credentials, relation rendering, column types, seed typing."""

import pytest
from dbt.adapters.mysql import seed as seed_loader
from dbt.adapters.mysql.column import MySQLColumn
from dbt.adapters.mysql.connections import MySQLConnectionManager, MySQLCredentials
from dbt.adapters.mysql.relation import MySQLRelation
from dbt_common.exceptions import DbtRuntimeError


def creds(**kw):
    base = {"schema": "shop", "user": "root"}
    base.update(kw)
    return MySQLCredentials.from_dict(base)


def test_credentials_database_defaults_to_none_and_type_is_mysql():
    c = creds()
    assert c.database is None
    assert c.type == "mysql"
    assert c.port == 3306 and c.charset == "utf8mb4"


def test_credentials_accept_database_equal_to_schema():
    assert creds(database="shop").database is None


def test_credentials_reject_database_different_from_schema():
    with pytest.raises(DbtRuntimeError, match="no level above schema"):
        creds(database="other")


def test_credentials_username_alias():
    c = MySQLCredentials.from_dict(
        MySQLCredentials.translate_aliases({"schema": "s", "username": "bob"})
    )
    assert c.user == "bob"


def test_connect_kwargs_ssl_and_local_infile(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    kw = creds(ssl_ca=str(ca), ssl_verify=True, local_infile=False).connect_kwargs()
    assert kw["ssl_ca"] == str(ca) and kw["ssl_verify_cert"] is True
    # PyMySQL's own LOCAL INFILE handler never runs; the guarded connection decides
    assert kw["local_infile"] is False and kw["allow_local_files"] is False
    assert kw["require_tls"] is True
    assert "database" not in kw  # a missing target schema must not stop dbt from creating it


def test_ssl_ca_verifies_certificate_and_host_name_by_default(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    kw = creds(ssl_ca=str(ca)).connect_kwargs()
    assert kw["ssl_verify_cert"] is True and kw["ssl_verify_identity"] is True
    assert kw["require_tls"] is True
    kw = creds(ssl_ca=str(ca), ssl_verify_identity=False).connect_kwargs()
    assert kw["ssl_verify_cert"] is True and kw["ssl_verify_identity"] is False
    kw = creds(ssl_ca=str(ca), ssl_verify=False).connect_kwargs()
    assert kw["ssl_verify_cert"] is False and kw["ssl_verify_identity"] is False


def test_empty_ssl_ca_means_unset_and_a_missing_file_is_one_clear_error(tmp_path):
    kw = creds(ssl_ca="").connect_kwargs()
    assert "ssl_ca" not in kw and kw["require_tls"] is False
    assert creds().connect_kwargs()["allow_local_files"] is True
    with pytest.raises(DbtRuntimeError, match=r"ssl_ca .* is not a file"):
        creds(ssl_ca=str(tmp_path / "missing.pem"))


def test_relation_renders_without_database_and_with_backticks():
    rel = MySQLRelation.create(database="ignored", schema="shop", identifier="orders")
    assert rel.render() == "`shop`.`orders`"
    assert MySQLRelation.create(database="", schema="s", identifier="t").database is None


def test_relation_name_longer_than_64_is_refused():
    with pytest.raises(DbtRuntimeError, match="longer than 64"):
        MySQLRelation.create(schema="s", identifier="x" * 65, type="table")


@pytest.mark.parametrize(
    "declared, cast_target",
    [
        ("int", "signed"),
        ("bigint unsigned", "unsigned"),
        ("varchar(100)", "char(100)"),
        ("text", "char"),
        ("decimal(12,2)", "decimal(12,2)"),
        ("datetime(6)", "datetime(6)"),
        ("timestamp", "datetime"),
        ("date", "date"),
        ("boolean", "signed"),
        ("double", "double"),
    ],
)
def test_cast_targets_are_ones_mysql_accepts(declared, cast_target):
    assert MySQLColumn.cast_type(declared) == cast_target


def test_column_data_types_keep_sizes():
    assert MySQLColumn("c", "varchar", char_size=40).data_type == "varchar(40)"
    assert MySQLColumn("c", "text").data_type == "text"
    money = MySQLColumn("c", "decimal", numeric_precision=10, numeric_scale=2)
    assert money.data_type == "decimal(10,2)"
    short = MySQLColumn("c", "varchar", char_size=10)
    long = MySQLColumn("c", "varchar", char_size=20)
    assert short.can_expand_to(long)
    assert MySQLColumn("c", "x").quoted == "`c`"


def test_result_type_codes_map_to_families():
    from pymysql.constants import FIELD_TYPE

    assert MySQLConnectionManager.data_type_code_to_name(FIELD_TYPE.LONG) == "integer"
    assert MySQLConnectionManager.data_type_code_to_name(FIELD_TYPE.LONGLONG) == "integer"
    assert MySQLConnectionManager.data_type_code_to_name(FIELD_TYPE.VAR_STRING) == "text"
    assert MySQLConnectionManager.data_type_code_to_name(FIELD_TYPE.NEWDECIMAL) == "decimal"


def test_seed_typing_follows_dbt_rules(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        "id,price,flag,ts,d,name,mixed\n"
        "1,12.50,true,2024-01-02 03:04:05,2024-01-02,Zoë,1\n"
        "2,,false,,,\"a, \"\"b\"\"\nc\",x\n"
        "3,0.001,,2024-01-02 03:04:05.5,2023-02-28,東京 😀,2\n",
        encoding="utf-8",
    )
    plan = seed_loader.plan_seed(str(path))
    types = {c.name: c.sql_type for c in plan.columns}
    assert types == {
        "id": "bigint",
        "price": "decimal(21,3)",
        "flag": "boolean",
        "ts": "datetime(6)",
        "d": "date",
        "name": "text",
        "mixed": "text",
    }
    assert plan.row_count == 3 and plan.line_terminator == "\n"


def test_seed_sampled_plan_knows_it_is_a_sample(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("a\n" + "".join(f"{i}\n" for i in range(100)), encoding="utf-8")
    plan = seed_loader.plan_seed(str(path), sample_rows=10)
    assert plan.sampled and plan.row_count == 10


def test_seed_typing_takes_only_an_empty_field_for_null(tmp_path):
    # DATA_SPEC: an empty field is NULL and nothing else; the words are text (a surname Null)
    path = tmp_path / "s.csv"
    path.write_text("n,word,flag\n1,Null,true\n,NULL,\n3,None,false\n", encoding="utf-8")
    types = {c.name: c.sql_type for c in seed_loader.plan_seed(str(path)).columns}
    assert types == {"n": "bigint", "word": "text", "flag": "boolean"}
    path.write_text("n\n1\nnull\n", encoding="utf-8")
    assert seed_loader.plan_seed(str(path)).columns[0].sql_type == "text"
    rows = next(seed_loader.iter_insert_batches(seed_loader.plan_seed(str(path)), 10))
    assert rows == [("1",), ("null",)]


def test_load_data_sql_takes_only_an_empty_field_for_null_and_booleans_into_bits(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("id,flag\r\n1,true\r\n", encoding="utf-8")
    plan = seed_loader.plan_seed(str(path))
    sql = seed_loader.load_data_sql(plan, "`s`.`t`", ["id", "flag"])
    assert "local infile" in sql and "lines terminated by '\\r\\n'" in sql
    assert "escaped by ''" in sql  # \N is text
    # the server reads an unquoted NULL as NULL: it is given back as the text it was
    assert "if(length(ifnull(@c0, 'NULL')) = 0, null, ifnull(@c0, 'NULL'))" in sql
    assert "'null'" not in sql.lower().replace("ifnull(@c0, 'null')", "").replace(
        "ifnull(@c1, 'null')", "")
    assert "when lower(trim(ifnull(@c1, 'NULL'))) = 'true' then 1" in sql


@pytest.mark.parametrize(
    "declared, mysql",
    [("timestamp", "datetime"), ("TIMESTAMP(6)", "datetime(6)"),
     ("timestamp without time zone", "datetime"), ("double precision", "double"),
     ("varchar(20)", "varchar(20)")],
)
def test_seed_column_types_get_mysql_spellings(declared, mysql):
    assert seed_loader.mysql_type(declared) == mysql
