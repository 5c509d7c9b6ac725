"""An ERD of the typed tables, derived from the models' contracts: SVG, DBML and Mermaid.

`python -m scripts.erd` (`make erd`) writes the three files; `render(root)` returns them, so a
test can compare them with the committed ones.
"""

from __future__ import annotations

from pathlib import Path

from .contracts import read_schema
from .dbml import render_dbml
from .layout import lay_out
from .mermaid import render_mermaid
from .svg import render_svg

SVG = Path("assets/erd.svg")
DBML = Path("docs/erd.dbml")
MERMAID = Path("docs/erd.mmd")
GENERATED_BY = "Generated from the models' contracts by `make erd` (scripts/erd): do not edit."
TITLE = "ecom-synth: the typed OLTP tables"


def render(root: Path) -> dict[Path, str]:
    """Each output file (relative to root) and its text, from root's contracts."""
    schema = read_schema(root)
    return {
        SVG: render_svg(lay_out(schema), TITLE, GENERATED_BY),
        DBML: render_dbml(schema, GENERATED_BY),
        MERMAID: render_mermaid(schema, GENERATED_BY),
    }
