"""The Spark engine's errors, importable without pyspark (the CLI catches them)."""

from __future__ import annotations

from seeds_gen.config import ConfigError


class SparkSetupError(ConfigError):
    """Spark cannot be used as asked (bad input: exit 2, nothing written)."""


class SparkJobError(RuntimeError):
    """A Spark job failed after its retries; the message is the cause in one line."""
