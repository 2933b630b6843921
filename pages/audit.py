"""审计日志: the admin's view of the hash-chained audit trail."""

import dash
import dash_bootstrap_components as dbc
from dash import html

from ui import grid
from ui import text_audit as T
from ui.components import page_header, table_card

dash.register_page(__name__, path="/audit", name=T.TITLE, title=T.TITLE, order=90, access="audit")

_KINDS = {"id": "number", "at": "date"}
# Room for the whole time (2026-11-29 16:01:02) and a wider detail; the other columns share what is left.
_WIDTHS = {"at": {"minWidth": 175}, "detail": {"flex": 3}}

layout = html.Div(
    [
        page_header(T.TITLE, T.SUBTITLE),
        html.Div(
            [dbc.Button(T.VERIFY, id="audit-verify", color="secondary", className="me-3"),
             html.Span(id="audit-verify-result")],
            className="filter-bar shadow-sm d-flex align-items-center",
        ),
        table_card(
            T.TABLE,
            grid.data_grid(
                "audit-grid",
                [grid.column(c, T.COLUMNS[c], kind=_KINDS.get(c, "text"), **_WIDTHS.get(c, {})) for c in T.COLUMNS],
                server_side=True,
                page_size=50,
                height=640,
            ),
            export_button_id="audit-export",
            download_id="audit-download",
        ),
    ]
)
