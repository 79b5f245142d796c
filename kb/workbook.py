"""Excel workbooks (openpyxl): sheets of rows, plus an "About" sheet that describes them.

Every text cell is neutralised against formula execution (kb.cells), exactly as in CSV, and
characters that XML cannot hold (control characters) are dropped. Numbers stay numbers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from kb import cells

MAX_WIDTH = 60


def cell_value(value: Any) -> Any:
    """What goes in a cell: numbers as they are, text cleaned and neutralised."""
    if value is None or isinstance(value, int | float):
        return value
    return cells.neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def write_workbook(
    *,
    sheets: Sequence[tuple[str, list[str], list[list[Any]]]],
    about: Sequence[tuple[str, Any]],
    columns: Sequence[tuple[str, str]],
) -> bytes:
    """`sheets`: (name, header, rows); `about`: (label, value) lines; `columns`: (column,
    meaning) rows, the last sheet."""
    book = Workbook()
    book.remove(book.active)
    for name, header, rows in sheets:
        _table_sheet(book.create_sheet(name), header, rows)
    sheet = book.create_sheet("About")
    for label, value in about:
        sheet.append([label, cell_value(value)])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    sheet.append([])
    start = sheet.max_row + 1
    sheet.append(["Column", "Meaning"])
    for column, meaning in columns:
        sheet.append([column, cell_value(meaning)])
    for cell in sheet[start]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _table_sheet(sheet: Any, header: list[str], rows: list[list[Any]]) -> None:
    sheet.append(header)
    for row in rows:
        sheet.append([cell_value(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    wrap = Alignment(vertical="top", wrap_text=True)
    for n, name in enumerate(header, 1):
        longest = max([len(name), *(len(str(r[n - 1] or "")) for r in rows[:200])])
        sheet.column_dimensions[get_column_letter(n)].width = min(MAX_WIDTH, longest + 2)
        if longest > MAX_WIDTH:  # long text wraps inside its column rather than running on
            for (cell,) in sheet.iter_rows(min_row=2, min_col=n, max_col=n):
                cell.alignment = wrap
