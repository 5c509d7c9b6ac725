"""The generator's parts as Spark tasks (the `spark` extra: pyspark 4 on Java 17+).

    from seeds_gen.config import GeneratorConfig
    from seeds_gen.spark import spark_tables

    with spark_tables(spark, GeneratorConfig(scale=100)) as tables:
        tables["orders"].write.saveAsTable("ecom.orders")

`frames` builds the nine tables as DataFrames whose partitions are the parts; `engine` is
`python -m seeds_gen --engine spark`: it writes them with Spark's writers. Importing this package
does not import pyspark: the CLI can say in one line that it is missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from seeds_gen.spark.frames import SparkTables, spark_schema, spark_tables

__all__ = ["SparkTables", "spark_schema", "spark_tables"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from seeds_gen.spark import frames

        return getattr(frames, name)
    raise AttributeError(name)
