"""Where each table and reference goes in the picture: a deterministic layered layout.

Tables stand in columns (layers), each table one column left of the nearest table that references
it, so every reference points left, most often into the next column. Within a column the tables
are ordered to keep references short (barycentres of their neighbours, ties by name). A reference
to the next column is a curve through the gap between the two; a longer one runs above all the
boxes; a table's reference to itself is a loop on its free side. Sizes assume a monospaced font.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from .contracts import ForeignKey, Schema, Table

FONT_SIZE = 12
CHAR_WIDTH = 7.3  # a monospaced font's advance at FONT_SIZE (0.6 em), with a little slack
ROW_HEIGHT = 19
HEADER_HEIGHT = 26
PAD = 8
MARKER_WIDTH = 5 * CHAR_WIDTH  # "PK FK"
GAP_X = 150
GAP_Y = 34
MARGIN = 56  # room for a self-loop beside an outer column
TITLE_HEIGHT = 34
LEGEND_HEIGHT = 34
LOOP_REACH = 40
LANE_STEP = 12

Point = tuple[float, float]
# A curve: its start, then cubic Bezier segments (control 1, control 2, end); a straight piece is
# a segment whose controls are its ends.
Curve = tuple[Point, tuple[tuple[Point, Point, Point], ...]]


@dataclass(frozen=True)
class Box:
    table: Table
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    def row_y(self, column: str) -> float:
        """The middle of the column's row."""
        index = [c.name for c in self.table.columns].index(column)
        return self.y + HEADER_HEIGHT + (index + 0.5) * ROW_HEIGHT


@dataclass(frozen=True)
class Edge:
    table: str
    foreign_key: ForeignKey
    curve: Curve


@dataclass(frozen=True)
class Layout:
    boxes: tuple[Box, ...]
    edges: tuple[Edge, ...]
    width: float
    height: float


def footer_lines(table: Table) -> list[str]:
    """Keys of several columns, which no single column's marker can show."""
    return [f"unique ({', '.join(k.columns)})" for k in table.uniques if len(k.columns) > 1]


def text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def box_size(table: Table) -> tuple[float, float]:
    name_w = max(text_width(c.name) for c in table.columns)
    type_w = max(text_width(c.data_type) for c in table.columns)
    width = max(
        PAD + MARKER_WIDTH + PAD + name_w + 2 * PAD + type_w + PAD,
        2 * PAD + text_width(table.name) * 1.1,
        *(2 * PAD + text_width(line) for line in footer_lines(table)),
    )
    rows = len(table.columns) + len(footer_lines(table))
    return width, HEADER_HEIGHT + rows * ROW_HEIGHT + PAD / 2


def layers(schema: Schema) -> list[list[str]]:
    """Tables by column, left to right: referenced tables left of those that reference them."""
    children: dict[str, set[str]] = {t.name: set() for t in schema.tables}
    for table in schema.tables:
        for fk in table.foreign_keys:
            if fk.ref_table != table.name:
                children[fk.ref_table].add(table.name)
    height: dict[str, int] = {}

    def height_of(name: str, path: tuple[str, ...]) -> int:
        if name in path:
            raise ValueError(f"foreign keys form a cycle: {' -> '.join((*path, name))}")
        if name not in height:
            height[name] = max((1 + height_of(c, (*path, name)) for c in children[name]),
                               default=0)
        return height[name]

    top = max(height_of(t.name, ()) for t in schema.tables)
    columns: list[list[str]] = [[] for _ in range(top + 1)]
    for table in schema.tables:  # by name
        columns[top - height[table.name]].append(table.name)
    return _order_within(schema, columns)


def _order_within(schema: Schema, columns: list[list[str]]) -> list[list[str]]:
    neighbours: dict[str, set[str]] = {t.name: set() for t in schema.tables}
    for table in schema.tables:
        for fk in table.foreign_keys:
            if fk.ref_table != table.name:
                neighbours[table.name].add(fk.ref_table)
                neighbours[fk.ref_table].add(table.name)
    # Two sweeps each way: a table's place is the mean place of its neighbours in the column
    # just ordered, and one without any there keeps its own.
    forth = [(i, i - 1) for i in range(1, len(columns))]
    back = [(i, i + 1) for i in range(len(columns) - 2, -1, -1)]
    for index, towards in (forth + back) * 2:
        place = {name: i for i, name in enumerate(columns[towards])}

        def key(name: str, own: int, place: dict[str, int] = place) -> tuple[float, int]:
            near = [place[n] for n in neighbours[name] if n in place]
            return (sum(near) / len(near) if near else float(own), own)

        ranked = sorted((key(name, i), name) for i, name in enumerate(columns[index]))
        columns[index] = [name for _, name in ranked]
    return columns


def lay_out(schema: Schema) -> Layout:
    columns = layers(schema)
    sizes = {t.name: box_size(t) for t in schema.tables}
    widths = [max(sizes[n][0] for n in column) for column in columns]
    heights = [sum(sizes[n][1] for n in column) + GAP_Y * (len(column) - 1) for column in columns]
    long_edges = [
        (t.name, fk) for t in schema.tables for fk in t.foreign_keys
        if _column_of(columns, fk.ref_table) < _column_of(columns, t.name) - 1
    ]
    lanes_height = LANE_STEP * (len(long_edges) + 1) if long_edges else 0
    top = TITLE_HEIGHT + lanes_height
    tallest = max(heights)
    boxes: dict[str, Box] = {}
    x: float = MARGIN
    for column, width, height in zip(columns, widths, heights, strict=True):
        y = top + (tallest - height) / 2  # each column centred
        for name in column:
            boxes[name] = Box(schema.table(name), x, y, width, sizes[name][1])
            y += sizes[name][1] + GAP_Y
        x += width + GAP_X
    edges = [_edge(t, fk, boxes, columns, long_edges, TITLE_HEIGHT)
             for t in schema.tables for fk in t.foreign_keys]
    return Layout(
        boxes=tuple(boxes[n] for column in columns for n in column),
        edges=tuple(edges),
        width=x - GAP_X + MARGIN,
        height=top + tallest + LEGEND_HEIGHT,
    )


def _column_of(columns: list[list[str]], table: str) -> int:
    return next(i for i, column in enumerate(columns) if table in column)


def _straight(a: Point, b: Point) -> tuple[Point, Point, Point]:
    return (a, b, b)


def _edge(table: Table, fk: ForeignKey, boxes: dict[str, Box], columns: list[list[str]],
          long_edges: list[tuple[str, ForeignKey]], lanes_top: float) -> Edge:
    child, parent = boxes[table.name], boxes[fk.ref_table]
    start_y, end_y = child.row_y(fk.columns[0]), parent.row_y(fk.ref_columns[0])
    if fk.ref_table == table.name:
        # The loop goes on the side no other reference uses: the left carries references to
        # other tables, the right those from them.
        refers_out = any(f.ref_table != table.name for f in table.foreign_keys)
        side, out = (child.x, -1) if not refers_out or _column_of(columns, table.name) == 0 \
            else (child.right, 1)
        reach = side + out * LOOP_REACH
        return Edge(table.name, fk, ((side, start_y), (((reach, start_y), (reach, end_y),
                                                         (side, end_y)),)))
    start, end = (child.x, start_y), (parent.right, end_y)
    if (table.name, fk) not in long_edges:
        bend = (start[0] - end[0]) / 2
        return Edge(table.name, fk, (start, (((start[0] - bend, start_y),
                                              (end[0] + bend, end_y), end),)))
    # Past the columns between: up through the gap beside each end, along a lane above the boxes.
    lane = long_edges.index((table.name, fk))
    lane_y = lanes_top + LANE_STEP * (lane + 1)
    out_x, in_x = start[0] - GAP_X / 3 - 4 * lane, end[0] + GAP_X / 3 + 4 * lane
    points = [start, (out_x, start_y), (out_x, lane_y), (in_x, lane_y), (in_x, end_y), end]
    return Edge(table.name, fk, (start, tuple(_straight(a, b) for a, b in pairwise(points))))
