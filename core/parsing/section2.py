"""Table 二: the 第二十条 items, one small block of rows per item.

A row is recognised by its label (规章, 行政许可 …); its columns come from
the edition, in the order the nearest header line prints them.
"""

from __future__ import annotations

import re

from core import formats

from .document import Line
from .messages import printed, where
from .normalize import rule_of
from .numbers import is_blank, parse_number
from .result import ParseResult, Value
from .rows import Row, fit, split_row


def _offset(column: formats.Label, cell: str) -> int | None:
    squashed = formats.squash(cell)
    for pattern in column.variants:
        match = re.search(pattern, squashed)
        if match:
            return match.start()
    return None


def _header_order(row: Row, block: formats.Section2Block) -> list[str] | None:
    """The block's columns in the order a header line prints them, if it is one."""
    positions = []
    for column in block.columns:
        for i, cell in enumerate(row.cells):
            # Position by cell, then by offset: space-aligned headers are one cell.
            offset = _offset(column, cell)
            if offset is not None:
                positions.append((i, offset, column.key))
                break
    if not positions:
        return None
    ordered = [key for _, _, key in sorted(positions)]
    rest = [c.key for c in block.columns if c.key not in ordered]
    return ordered + rest


def read_section2(lines: list[Line], edition: formats.Edition, result: ParseResult) -> None:
    found: dict[str, tuple[dict[str, tuple], Line]] = {}
    header: Row | None = None
    for line in lines:
        row = split_row(line)
        if not row.values:
            if any(
                c.matches(cell) for b in edition.section2 for c in b.columns for cell in row.cells
            ):
                header = row
            continue
        for block in edition.section2:
            match = next((r for r in block.rows if r.matches(row.last_label)), None)
            if match is None:
                match = next((r for r in block.rows if r.matches(row.label)), None)
            if match is None or match.key in found:
                continue
            order = (_header_order(header, block) if header else None) or [
                c.key for c in block.columns
            ]
            values = fit(row.values, len(order)) or row.values[: len(order)]
            cells = {}
            for key, raw in zip(order, values, strict=False):
                value = parse_number(raw)
                if value is None and not is_blank(raw):
                    result.warn(
                        "s2_unreadable", row=match.label, where=where(line), raw=printed(raw)
                    )
                cells[key] = (value, raw)
            found[match.key] = (cells, line)
            break
    _emit(edition, found, result)


def _emit(edition: formats.Edition, found: dict, result: ParseResult) -> None:
    for block in edition.section2:
        for row in block.rows:
            cells, line = found.get(row.key, ({}, None))
            if line is None:
                result.warn("s2_row_missing", row=row.label)
            for column in block.columns:
                value, raw = cells.get(column.key, (None, ""))
                if line is not None and column.key not in cells:
                    result.warn("s2_cell_missing", row=row.label, column=column.label)
                result.add(
                    Value(
                        table=formats.SECTION2,
                        row=row.key,
                        column=column.key,
                        value=value,
                        raw=raw,
                        location=line.where() if line else "",
                        confidence=0.95 if value is not None else 0.3,
                        rule=rule_of(raw),
                    )
                )
