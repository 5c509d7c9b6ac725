"""Relations render as `schema`.`identifier`: MySQL has no database level above the schema."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dbt.adapters.base.relation import BaseRelation, InformationSchema, Policy
from dbt.adapters.contracts.relation import RelationType
from dbt_common.exceptions import DbtRuntimeError

MAX_IDENTIFIER_LENGTH = 64


@dataclass
class MySQLQuotePolicy(Policy):
    database: bool = False
    schema: bool = True
    identifier: bool = True


@dataclass
class MySQLIncludePolicy(Policy):
    database: bool = False
    schema: bool = True
    identifier: bool = True


@dataclass(frozen=True, eq=False, repr=False)
class MySQLRelation(BaseRelation):
    quote_policy: Policy = field(default_factory=lambda: MySQLQuotePolicy())
    include_policy: Policy = field(default_factory=lambda: MySQLIncludePolicy())
    quote_character: str = "`"
    renameable_relations: frozenset[RelationType] = field(
        default_factory=lambda: frozenset({RelationType.View, RelationType.Table})
    )
    # `create or replace view` exists; there is no `create or replace table`.
    replaceable_relations: frozenset[RelationType] = field(
        default_factory=lambda: frozenset({RelationType.View})
    )

    def __post_init__(self) -> None:
        if (
            self.identifier is not None
            and self.type is not None
            and len(self.identifier) > MAX_IDENTIFIER_LENGTH
        ):
            raise DbtRuntimeError(
                f"Relation name {self.identifier!r} is longer than {MAX_IDENTIFIER_LENGTH} "
                "characters, the MySQL limit"
            )

    @classmethod
    def create(
        cls,
        database: str | None = None,
        schema: str | None = None,
        identifier: str | None = None,
        type: RelationType | None = None,
        **kwargs: Any,
    ) -> MySQLRelation:
        # Nodes carry no database (or an empty/undefined one from Jinja): keep it None.
        if not isinstance(database, str) or not database:
            database = None
        return super().create(database, schema, identifier, type, **kwargs)

    def relation_max_name_length(self) -> int:
        return MAX_IDENTIFIER_LENGTH

    def information_schema(self, view_name: str | None = None) -> InformationSchema:
        # information_schema is a schema of its own in MySQL, never `db`.information_schema.
        schema: InformationSchema = super().information_schema(view_name).incorporate(  # type: ignore[no-untyped-call]
            path={"database": None}, include_policy={"database": False}
        )
        return schema
