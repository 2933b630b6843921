"""What every callback module needs: the store of the running app, today's date, Excel downloads."""

from __future__ import annotations

import datetime as dt

from dash import dcc
from flask import current_app

from data.db import Store
from security.access import Viewer
from security.auth import audit_event
from ui.export import Sheet, excel_bytes


def store() -> Store:
    return current_app.extensions["credit_store"]


def today() -> dt.date:
    return dt.date.today()


def default_first(choices: list[tuple[object, str]], default: object) -> list[dict]:
    """Dropdown options for (value, label) choices where the default choice keeps the value "": the value a page
    starts its selector on, so that the figures reading it ask in the first round of callbacks (no callback has
    to set the value first; docs/architecture.md)."""
    return [{"label": label, "value": "" if value == default else value} for value, label in choices]


def excel_download(viewer: Viewer, filename: str, sheets: list[Sheet], *, target: str) -> dict:
    """Build the workbook, audit the export, and hand it to dcc.Download."""
    content = excel_bytes(sheets)
    audit_event("export", target=target, detail={"file": filename, "rows": sum(len(s.frame) for s in sheets),
                                                  "scope": viewer.scope})
    return dcc.send_bytes(content, filename)
