"""The generator as a spark-submit application: `python -m seeds_gen --engine spark` on the
master (and with the resources) that spark-submit was given.

    spark-submit --master spark://host:7077 "$(python -m seeds_gen.spark.submit --path)" \
        --scale 1000 --out s3a://bucket/ecom --format parquet
"""

from __future__ import annotations

import sys

from seeds_gen.cli import main

if __name__ == "__main__":
    if sys.argv[1:] == ["--path"]:  # where spark-submit finds this file
        print(__file__)
        raise SystemExit(0)
    raise SystemExit(main(["--engine", "spark", *sys.argv[1:]]))
