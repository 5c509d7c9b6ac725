from dbt.adapters.base import AdapterPlugin
from dbt.adapters.mysql.column import MySQLColumn
from dbt.adapters.mysql.connections import MySQLConnectionManager, MySQLCredentials
from dbt.adapters.mysql.impl import MySQLAdapter
from dbt.adapters.mysql.relation import MySQLRelation
from dbt.include import mysql

__all__ = [
    "MySQLAdapter",
    "MySQLColumn",
    "MySQLConnectionManager",
    "MySQLCredentials",
    "MySQLRelation",
    "Plugin",
]

Plugin = AdapterPlugin(
    adapter=MySQLAdapter,  # type: ignore[arg-type]
    credentials=MySQLCredentials,
    include_path=mysql.PACKAGE_PATH,
)
