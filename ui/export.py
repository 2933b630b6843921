"""Excel exports laid out for filing: a title, the period and notes, then the table; formula injection neutralised."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe-like quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


@dataclass
class Sheet:
    name: str
    frame: pd.DataFrame
    title: str
    notes: Sequence[str] = field(default_factory=tuple)
    headers: dict[str, str] = field(default_factory=dict)  # column -> Chinese header


def excel_bytes(sheets: Sequence[Sheet]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.name[:31])
        columns = list(sheet.frame.columns)
        width = max(len(columns), 1)
        ws.cell(row=1, column=1, value=neutralise(sheet.title)).font = Font(bold=True, size=14)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        row = 2
        for note in sheet.notes:
            ws.cell(row=row, column=1, value=neutralise(note)).font = Font(color="555555")
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            row += 1
        row += 1
        header_fill = PatternFill("solid", fgColor="DCE6F1")
        for j, column in enumerate(columns, start=1):
            cell = ws.cell(row=row, column=j, value=neutralise(sheet.headers.get(column, column)))
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header_row = row
        for values in sheet.frame.itertuples(index=False, name=None):
            row += 1
            for j, value in enumerate(values, start=1):
                if value is None or (isinstance(value, float) and value != value):
                    value = None
                elif hasattr(value, "item"):
                    value = value.item()
                ws.cell(row=row, column=j, value=neutralise(value))
        for j, column in enumerate(columns, start=1):
            longest = max([len(str(sheet.headers.get(column, column)))] +
                          [len(str(v)) for v in sheet.frame[column].head(200)])
            ws.column_dimensions[get_column_letter(j)].width = min(max(10, longest * 1.6), 60)
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
