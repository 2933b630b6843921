"""Callbacks of the audit-log page (admin only)."""

from __future__ import annotations

from dash import Input, Output, State, callback, html, no_update

from callbacks.common import excel_download, store, today
from data import audit
from data.queries import audit as queries
from security.access import guarded, require
from ui import grid as ui_grid
from ui import text_audit as T
from ui.export import Sheet

EXPORT_LIMIT = 100_000


@callback(Output("audit-grid", "getRowsResponse"), Input("audit-grid", "getRowsRequest"), prevent_initial_call=True)
@guarded("audit")
def audit_rows(request: dict | None) -> dict:
    frame, total = queries.audit_entries(store(), ui_grid.block_request(request))
    if not frame.empty:
        frame["action"] = frame["action"].map(lambda a: T.ACTIONS.get(a, a))
    return {"rowData": frame.to_dict("records"), "rowCount": total}


@callback(Output("audit-verify-result", "children"), Input("audit-verify", "n_clicks"), prevent_initial_call=True)
@guarded("audit")
def verify_chain(n_clicks: int | None):
    if not n_clicks:
        return no_update
    with store().read() as db:
        result = audit.verify(db)
    if result.ok:
        return html.Span(T.VERIFY_OK.format(entries=result.entries), className="text-success")
    return html.Span(T.VERIFY_BAD.format(first_bad_id=result.first_bad_id, reason=result.reason),
                     className="text-danger fw-semibold")


@callback(Output("audit-download", "data"), Input("audit-export", "n_clicks"), State("audit-grid", "filterModel"),
          prevent_initial_call=True)
@guarded("audit", "export")
def export_audit(n_clicks: int | None, filter_model: dict | None) -> dict:
    if not n_clicks:
        return no_update
    viewer = require("audit", "export")
    frame, total = queries.audit_entries(store(), {"startRow": 0, "endRow": EXPORT_LIMIT,
                                                   "filterModel": filter_model or {}}, max_rows=EXPORT_LIMIT)
    notes = [f"导出日期：{today():%Y-%m-%d}", f"符合条件的记录：{total:,} 条"]
    sheet = Sheet("审计日志", frame, T.TITLE, notes=notes, headers=T.COLUMNS)
    return excel_download(viewer, f"审计日志_{today():%Y%m%d}.xlsx", [sheet], target="audit:log")
