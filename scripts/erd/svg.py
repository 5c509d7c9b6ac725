"""The layout drawn as a standalone SVG: boxes with key markers and types, arrows to the keys."""

from __future__ import annotations

from xml.sax.saxutils import escape

from .contracts import TYPES_OF_TARGET, ForeignKey
from .layout import (
    CHAR_WIDTH,
    FONT_SIZE,
    HEADER_HEIGHT,
    LEGEND_HEIGHT,
    MARKER_WIDTH,
    PAD,
    ROW_HEIGHT,
    TITLE_HEIGHT,
    Box,
    Curve,
    Layout,
    footer_lines,
)

FONT = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace"
INK = "#1f2933"
MUTED = "#7b8794"
LINE = "#52606d"
HEADER = "#334e68"
STRIPE = "#f0f4f8"
MARKER_COLOURS = {"PK": "#b7791f", "FK": "#2b6cb0", "UQ": "#2f855a"}


def render_svg(layout: Layout, title: str, generated_by: str) -> str:
    w, h = _n(layout.width), _n(layout.height)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" font-family="{FONT}" font-size="{FONT_SIZE}" fill="{INK}">',
        f"<!-- {escape(generated_by)} -->",
        f"<title>{escape(title)}</title>",
        "<defs>",
        '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" '
        f'markerHeight="9" orient="auto"><path d="M0,1 L9,5 L0,9 z" fill="{LINE}"/></marker>',
        "</defs>",
        f'<rect width="{w}" height="{h}" fill="#ffffff"/>',
        f'<text x="{_n(PAD * 3)}" y="{_n(TITLE_HEIGHT * 0.65)}" font-size="{FONT_SIZE + 3}" '
        f'font-weight="bold">{escape(title)}</text>',
    ]
    # Boxes above the curves, so a curve never hides a column name.
    parts += [_curve(edge.curve, _reference(edge.table, edge.foreign_key))
              for edge in layout.edges]
    for box in layout.boxes:
        parts += _box(box)
    parts.append(_legend(layout))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _box(box: Box) -> list[str]:
    table, x, y = box.table, box.x, box.y
    out = [
        f'<g id="table-{escape(table.name)}">',
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(box.width)}" height="{_n(box.height)}" '
        f'rx="4" fill="#ffffff" stroke="{HEADER}" stroke-width="1.2"/>',
        f'<path d="M{_n(x)},{_n(y + HEADER_HEIGHT)} V{_n(y + 4)} q0,-4 4,-4 '
        f'H{_n(box.right - 4)} q4,0 4,4 V{_n(y + HEADER_HEIGHT)} z" fill="{HEADER}"/>',
        f'<text x="{_n(x + box.width / 2)}" y="{_n(y + HEADER_HEIGHT / 2 + FONT_SIZE * 0.35)}" '
        f'text-anchor="middle" font-weight="bold" font-size="{FONT_SIZE + 1}" '
        f'fill="#ffffff">{escape(table.name)}</text>',
    ]
    for i, column in enumerate(table.columns):
        top = y + HEADER_HEIGHT + i * ROW_HEIGHT
        base = _n(top + ROW_HEIGHT / 2 + FONT_SIZE * 0.35)
        if i % 2:
            out.append(f'<rect x="{_n(x + 1)}" y="{_n(top)}" width="{_n(box.width - 2)}" '
                       f'height="{ROW_HEIGHT}" fill="{STRIPE}"/>')
        marker_x = x + PAD
        for marker in table.key_markers(column.name):
            out.append(f'<text x="{_n(marker_x)}" y="{base}" font-weight="bold" '
                       f'fill="{MARKER_COLOURS[marker]}">{marker}</text>')
            marker_x += 3 * CHAR_WIDTH
        # A column that may be null is in italics (see the legend).
        style = "" if column.not_null else ' font-style="italic"'
        out.append(f'<text x="{_n(x + PAD + MARKER_WIDTH + PAD)}" y="{base}"{style}>'
                   f"{escape(column.name)}</text>")
        out.append(f'<text x="{_n(box.right - PAD)}" y="{base}" text-anchor="end" '
                   f'fill="{MUTED}"{style}>{escape(column.data_type)}</text>')
    for j, line in enumerate(footer_lines(table)):
        top = y + HEADER_HEIGHT + (len(table.columns) + j) * ROW_HEIGHT
        out.append(f'<text x="{_n(x + PAD)}" y="{_n(top + ROW_HEIGHT / 2 + FONT_SIZE * 0.35)}" '
                   f'fill="{MARKER_COLOURS["UQ"]}">{escape(line)}</text>')
    out.append("</g>")
    return out


def _reference(table: str, fk: ForeignKey) -> str:
    """The edge's tooltip, which also names it for the tests."""
    return (f"{table}.{', '.join(fk.columns)} \u2192 "
            f"{fk.ref_table}.{', '.join(fk.ref_columns)}")


def _curve(curve: Curve, reference: str) -> str:
    (x, y), segments = curve
    d = f"M{_n(x)},{_n(y)}" + "".join(
        f" C{_n(a[0])},{_n(a[1])} {_n(b[0])},{_n(b[1])} {_n(c[0])},{_n(c[1])}"
        for a, b, c in segments)
    return (f'<path d="{d}" fill="none" stroke="{LINE}" stroke-width="1.3" '
            f'marker-end="url(#arrow)"><title>{escape(reference)}</title></path>')


def _legend(layout: Layout) -> str:
    y = _n(layout.height - LEGEND_HEIGHT / 2 + FONT_SIZE * 0.35)
    items = [
        f'<tspan font-weight="bold" fill="{MARKER_COLOURS["PK"]}">PK</tspan> primary key',
        f'<tspan font-weight="bold" fill="{MARKER_COLOURS["FK"]}">FK</tspan> foreign key',
        f'<tspan font-weight="bold" fill="{MARKER_COLOURS["UQ"]}">UQ</tspan> unique',
        '<tspan font-style="italic">italic</tspan> nullable',
        "arrow: from a foreign key to the key it references",
        f"types as target {TYPES_OF_TARGET} spells them",
    ]
    return f'<text x="{_n(PAD * 3)}" y="{y}" fill="{MUTED}">' + " · ".join(items) + "</text>"


def _n(value: float) -> str:
    """A coordinate as short, stable text."""
    return f"{round(value, 1):g}"
