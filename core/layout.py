"""Tables 二, 三 and 四 laid out like the national format: header cells and input cells.

Plain data built from :mod:`core.formats` (no Django), so the clerk's form and the public report
page render the same grid. A row is a list of :class:`Head` (a label cell, possibly
merged across rows or columns) and :class:`Slot` (one figure's input).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core import formats


def gettext_noop(message: str) -> str:
    """Marks a heading for the translation catalogue; templates translate it when shown."""
    return message


# Headings printed on the national form that are not row or column labels of a figure.
CONTENT_HEADING = gettext_noop("信息内容")
APPLICANT_HEADING = gettext_noop("申请人情况")
ORGANISATION_HEADING = gettext_noop("法人或其他组织")


@dataclass(frozen=True)
class Head:
    """A label cell of the grid (rendered as th)."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    scope: str = "col"
    is_head = True


@dataclass(frozen=True)
class Slot:
    """An input cell: one figure of the report."""

    table: str
    row: str
    column: str
    colspan: int = 1
    # "total" for cells the form itself adds up (总计 column, (七) 总计 row, 四 totals).
    role: str = ""
    is_head = False

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.table, self.row, self.column)

    @property
    def name(self) -> str:
        """The form field name of the cell."""
        return cell_name(self.key)


@dataclass
class Grid:
    """One table: a caption, header rows and body rows, each a list of Head/Slot."""

    table: str
    numeral: str  # 二, 三 or 四
    caption: str
    width: int
    head: list[list] = field(default_factory=list)
    body: list[list] = field(default_factory=list)

    def cells(self) -> list[Slot]:
        return [item for row in self.head + self.body for item in row if not item.is_head]


def cell_name(cell: tuple[str, str, str]) -> str:
    """Form field name of a (table, row, column) cell, e.g. ``c__section3__三.一__自然人``."""
    return "c__" + "__".join(cell)


def cell_from_name(name: str) -> tuple[str, str, str] | None:
    """The cell a form field name stands for, or None for other fields."""
    parts = name.split("__")
    if len(parts) != 4 or parts[0] != "c":
        return None
    return (parts[1], parts[2], parts[3])


def section2_grid(edition_key: str) -> Grid:
    """表二: one block per 第二十条 item, narrower blocks' last column widened to fit."""
    edition = formats.get_edition(edition_key)
    columns = max(len(b.columns) for b in edition.section2)
    grid = Grid(formats.SECTION2, *formats.SECTIONS[1][:2], columns + 1)
    for block in edition.section2:
        spans = [1] * (len(block.columns) - 1) + [columns - len(block.columns) + 1]
        grid.body.append([Head(block.item, colspan=columns + 1, scope="colgroup")])
        grid.body.append(
            [Head(CONTENT_HEADING)]
            + [Head(c.label, colspan=s) for c, s in zip(block.columns, spans, strict=True)]
        )
        for row in block.rows:
            grid.body.append(
                [Head(row.label, scope="row")]
                + [
                    Slot(formats.SECTION2, row.key, c.key, colspan=s)
                    for c, s in zip(block.columns, spans, strict=True)
                ]
            )
    return grid


def _section3_labels(edition: formats.Edition) -> list[list[Head]]:
    """The three label columns of 三, with 三 and its groups merged down their rows."""
    rows = edition.section3_rows
    results = [r for r in rows if r.key.startswith("三.")]
    labels: list[list[Head]] = []
    seen_groups: set[str] = set()
    for row in rows:
        if not row.key.startswith("三."):
            labels.append([Head(row.label, colspan=3, scope="row")])
            continue
        heads = []
        if row is results[0]:
            heads.append(Head(formats.SECTION3_GROUPS["三"][0], rowspan=len(results), scope="row"))
        if row.group:
            if row.group not in seen_groups:
                seen_groups.add(row.group)
                size = sum(1 for r in rows if r.group == row.group)
                heads.append(Head(formats.SECTION3_GROUPS[row.group][0], rowspan=size, scope="row"))
            heads.append(Head(row.label, scope="row"))
        else:
            heads.append(Head(row.label, colspan=2, scope="row"))
        labels.append(heads)
    return labels


def section3_grid(edition_key: str) -> Grid:
    """表三: 申请人情况 over 自然人 / 法人或其他组织 (five) / 总计, three label columns."""
    edition = formats.get_edition(edition_key)
    natural, *organisations, total = formats.APPLICANT_COLUMNS
    grid = Grid(formats.SECTION3, *formats.SECTIONS[2][:2], 3 + len(formats.APPLICANT_COLUMNS))
    grid.head = [
        [
            Head("", colspan=3, rowspan=3),
            Head(APPLICANT_HEADING, colspan=len(formats.APPLICANT_COLUMNS), scope="colgroup"),
        ],
        [
            Head(natural.label, rowspan=2),
            Head(ORGANISATION_HEADING, colspan=len(organisations), scope="colgroup"),
            Head(total.label, rowspan=2),
        ],
        [Head(c.label) for c in organisations],
    ]
    results_total = [r for r in edition.section3_rows if r.key.startswith("三.")][-1].key
    for row, labels in zip(edition.section3_rows, _section3_labels(edition), strict=True):
        cells = [
            Slot(
                formats.SECTION3,
                row.key,
                c,
                role="total" if c == formats.TOTAL_COLUMN or row.key == results_total else "",
            )
            for c in formats.APPLICANT_KEYS
        ]
        grid.body.append(labels + cells)
    return grid


def section4_grid(edition_key: str = formats.EDITION_2021) -> Grid:
    """表四: 行政复议 and 行政诉讼 (未经复议直接起诉, 复议后起诉), five columns each."""
    review, *litigation = formats.SECTION4_GROUPS
    width = len(formats.SECTION4_COLUMNS)
    # The litigation groups' labels carry their parent heading: "行政诉讼·未经复议直接起诉".
    parent = litigation[0].label.partition("·")[0]
    grid = Grid(formats.SECTION4, *formats.SECTIONS[3][:2], width * len(formats.SECTION4_GROUPS))
    grid.head = [
        [
            Head(review.label, colspan=width, rowspan=2, scope="colgroup"),
            Head(parent, colspan=width * len(litigation), scope="colgroup"),
        ],
        [Head(g.key, colspan=width, scope="colgroup") for g in litigation],
        [Head(c.label) for _ in formats.SECTION4_GROUPS for c in formats.SECTION4_COLUMNS],
    ]
    grid.body = [
        [
            Slot(formats.SECTION4, g, c, role="total" if c == formats.TOTAL_COLUMN else "")
            for g, c in formats.SECTION4_CELLS
        ]
    ]
    return grid


def report_grids(edition_key: str) -> list[Grid]:
    """The three tables of an edition, in printed order."""
    return [section2_grid(edition_key), section3_grid(edition_key), section4_grid(edition_key)]


def edition_cells(edition_key: str) -> list[Slot]:
    """Every input cell of the edition's three tables, in printed order."""
    return [cell for grid in report_grids(edition_key) for cell in grid.cells()]
