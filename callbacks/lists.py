"""Callbacks of the 红黑名单 page: statistics, the server-paged entry grid, typical cases, objection / outcome /
repair / removal forms with their history, and the 积分落户 lookup."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pandas as pd
from dash import Input, Output, State, callback, ctx, html, no_update
from flask import request

from callbacks.common import excel_download, store, today
from data import lists as domain
from data import points
from data.cache import invalidate, memoize
from data.db import Store
from data.queries import grid
from data.queries import lists as queries
from data.reference import (
    BUREAU_NAMES,
    INDUSTRIES,
    LIST_COLOR_NAMES,
    LIST_TYPE_NAMES,
    RECORD_STATUSES,
    SEVERITIES,
    TOWN_NAMES,
)
from security.access import Viewer, allowed, guarded, require
from security.auth import audit_event
from security.masking import mask_subjects
from ui import figures, figures_lists
from ui import grid as ui_grid
from ui import text_lists as T
from ui.components import kpi_outputs
from ui.export import Sheet

EXPORT_LIMIT = 50_000
EXPIRING_KPI_DAYS = 30
FILTERS = [State("lists-color", "value"), State("lists-list-type", "value"), State("lists-issuer", "value"),
           State("lists-town", "value"), State("lists-industry", "value")]
FILTER_INPUTS = [Input("lists-as-of", "date"), *[Input(s.component_id, s.component_property) for s in FILTERS]]
DONE_INPUTS = [Input(f"lists-{form}-done", "data") for form in ("objection", "outcome", "repair", "removal")]
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>])")


# ---- inputs ----------------------------------------------------------------------------------------------------


def _as_of(value: str | None) -> dt.date:
    """The page's statistics day: the picked date, never in the future; today when none."""
    try:
        day = dt.date.fromisoformat(str(value)[:10]) if value else today()
    except ValueError:
        day = today()
    return min(day, today())


def _filters(color: str | None, list_type: str | None, issuer: str | None, town: str | None,
             industry: str | None) -> queries.ListFilter:
    """The filter bar as a ListFilter; values that are not known codes are ignored."""
    return queries.ListFilter(
        color=color if color in LIST_COLOR_NAMES else None,
        list_type=list_type if list_type in LIST_TYPE_NAMES else None,
        issuer=issuer if issuer in BUREAU_NAMES else None,
        town=town if town in TOWN_NAMES else None,
        industry=industry if industry in INDUSTRIES else None,
    )


def _days(value: int | None) -> int:
    """The expiring-soon window: one of the offered choices, 90 days otherwise."""
    return int(value) if value in T.EXPIRING_DAYS else 90


def _date_or_none(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


# ---- presentation helpers ----------------------------------------------------------------------------------------


def _markdown_text(value: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value or "")


def _present_subjects(frame: pd.DataFrame, viewer: Viewer, *, masked: bool = False) -> pd.DataFrame:
    """Mask persons for viewers not entitled to see them (unless `masked` already); names become profile links for
    roles that may open it."""
    if frame.empty:
        return frame
    frame = frame.copy() if masked else mask_subjects(frame, unmask=viewer.may_unmask)
    link = allowed(viewer.role, "profile")
    frame["name"] = [f"[{_markdown_text(name)}](/profile?subject={subject})" if link else _markdown_text(name)
                     for name, subject in zip(frame["name"], frame["subject_id"], strict=True)]
    return frame


def _audit_unmasked(viewer: Viewer, frame: pd.DataFrame, target: str) -> None:
    """An entitled viewer was shown persons' identity numbers and names: record whose."""
    if viewer.may_unmask and not frame.empty and "kind" in frame and (frame["kind"] == "person").any():
        persons = frame.loc[frame["kind"] == "person", "subject_id"]
        audit_event("unmask", target=target, detail={"subjects": sorted(int(s) for s in persons.unique())[:500]})


def _rows(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", force_ascii=False, date_format="iso")) if not frame.empty else []


def _feedback(message: str, ok: bool) -> tuple[str, str, bool]:
    return message, "success" if ok else "danger", True


# ---- statistics ----------------------------------------------------------------------------------------------------


# The overview is split so that each request costs a few times what one small figure does: the KPIs, the two light
# figures together, and each costlier figure (flows, stacked bars, ~10 ms to build) alone. The parts ask the same
# memoised queries, so a filter change still computes each query once.
_KPIS = ("black", "red", "warning", "new", "exits", "expiring")


def _statistics_filters(as_of_value: str | None, color: str | None, list_type: str | None, issuer: str | None,
                        town: str | None, industry: str | None) -> tuple[dt.date, queries.ListFilter]:
    """The statistics day and the filter bar, as every part of the overview reads them."""
    return _as_of(as_of_value), _filters(color, list_type, issuer, town, industry)


def _day_suffix(as_of: dt.date) -> str:
    return f"（{as_of:%Y-%m-%d}）"


def _stacked(viewer: Viewer, values: tuple[str | None, ...], label: str, title: str, height: int) -> Any:
    """Entries in force per `label` within the viewer's scope, stacked by list colour."""
    as_of, filters = _statistics_filters(*values)
    in_force = queries.entries_in_force(store(), viewer.scope, as_of, filters)
    data = in_force.groupby([label, "color"], as_index=False)["entries"].sum()
    return figures_lists.stacked_by_color(data, label, "entries", title + _day_suffix(as_of), T.UNIT_SUBJECTS,
                                          height=height)


@callback(*kpi_outputs(*(f"lists-kpi-{kpi}" for kpi in _KPIS)), *FILTER_INPUTS)
@guarded("lists")
def overview_kpis(*values: str | None) -> tuple:
    viewer = require("lists")
    as_of, filters = _statistics_filters(*values)
    in_force = queries.entries_in_force(store(), viewer.scope, as_of, filters)
    flows = queries.monthly_flows(store(), viewer.scope, as_of, filters)
    expiring = queries.expiring_count(store(), viewer.scope, as_of, EXPIRING_KPI_DAYS, filters)
    by_color = in_force.groupby("color")["entries"].sum()
    this_month = flows[flows["month"] == f"{as_of:%Y-%m}"]
    removed, expired = int(this_month["removed"].sum()), int(this_month["expired"].sum())
    day_note = T.KPI_AS_OF.format(day=f"{as_of:%Y-%m-%d}")
    return (
        f"{int(by_color.get('black', 0)):,}", day_note,
        f"{int(by_color.get('red', 0)):,}", day_note,
        f"{int(by_color.get('warning', 0)):,}", day_note,
        f"{int(this_month['listed'].sum()):,}", T.KPI_MONTH.format(month=f"{as_of:%Y-%m}"),
        f"{removed + expired:,}", T.KPI_EXITS_NOTE.format(removed=removed, expired=expired),
        f"{expiring:,}", T.KPI_EXPIRING_NOTE.format(
            first=f"{as_of:%Y-%m-%d}", last=f"{as_of + dt.timedelta(days=EXPIRING_KPI_DAYS):%Y-%m-%d}"),
    )


@callback(Output("lists-by-type", "figure"), *FILTER_INPUTS)
@guarded("lists")
def overview_by_type(*values: str | None) -> Any:
    viewer = require("lists")
    as_of, filters = _statistics_filters(*values)
    in_force = queries.entries_in_force(store(), viewer.scope, as_of, filters)
    by_type = in_force.groupby(["list_type", "color"], as_index=False)["entries"].sum()
    return figures_lists.bars_by_list_type(by_type, "list_type", "entries", "color",
                                           T.FIG_BY_TYPE + _day_suffix(as_of), T.UNIT_SUBJECTS)


@callback(Output("lists-trend", "figure"), *FILTER_INPUTS)
@guarded("lists")
def overview_trend(*values: str | None) -> Any:
    viewer = require("lists")
    as_of, filters = _statistics_filters(*values)
    trend = queries.entries_over_time(store(), viewer.scope, as_of, filters)
    return figures_lists.lines_by_color(trend, "month", "entries", T.FIG_TREND, T.UNIT_SUBJECTS)


@callback(Output("lists-flows", "figure"), *FILTER_INPUTS)
@guarded("lists")
def overview_flows(*values: str | None) -> Any:
    viewer = require("lists")
    as_of, filters = _statistics_filters(*values)
    flows = queries.monthly_flows(store(), viewer.scope, as_of, filters)
    return figures_lists.diverging_flows(flows, "month", "listed", ["removed", "expired"], T.FIG_FLOWS,
                                         T.UNIT_ENTRIES, up_name=T.FLOW_LISTED, down_name=T.FLOW_EXITED)


@callback(Output("lists-by-issuer", "figure"), *FILTER_INPUTS)
@guarded("lists")
def overview_by_issuer(*values: str | None) -> Any:
    return _stacked(require("lists"), values, "issuer", T.FIG_BY_ISSUER, 400)


@callback(Output("lists-by-town", "figure"), *FILTER_INPUTS)
@guarded("lists")
def overview_by_town(*values: str | None) -> Any:
    return _stacked(require("lists"), values, "town_name", T.FIG_BY_TOWN, 560)


@callback(Output("lists-by-industry", "figure"), *FILTER_INPUTS)
@guarded("lists")
def overview_by_industry(*values: str | None) -> Any:
    return _stacked(require("lists"), values, "industry_name", T.FIG_BY_INDUSTRY, 560)


@memoize()
def _expiring_shown(data_store: Store, scope: str, as_of: dt.date, days: int, filters: queries.ListFilter,
                    unmask: bool) -> pd.DataFrame:
    """The expiring entries as a viewer with this scope and unmasking right sees them (up to ~20,000 rows at
    district scale): masked once, then each grid block only filters, sorts and slices."""
    frame = queries.entries_expiring(data_store, scope, as_of, days, filters)
    return mask_subjects(frame, unmask=unmask) if not frame.empty else frame


_EXPIRING_FILTERS = {"name": "text", "code": "text", "list_type": "text", "color_name": "text", "issuer": "text",
                     "listed_on": "date", "expires_on": "date", "days_left": "number", "reason": "text"}


@callback(Output("lists-expiring-grid", "getRowsResponse"), Input("lists-expiring-grid", "getRowsRequest"),
          State("lists-as-of", "date"), *FILTERS, State("lists-expiring-days", "value"), prevent_initial_call=True)
@guarded("lists")
def expiring_rows(grid_request: dict | None, as_of_value: str | None, color: str | None, list_type: str | None,
                  issuer: str | None, town: str | None, industry: str | None, days: int | None) -> dict:
    """Entries leaving the lists soon, a block at a time from the cached frame; filters match what the viewer
    sees (masked names and numbers), and only the rows sent are audited as unmasked."""
    viewer = require("lists")
    frame = _expiring_shown(store(), viewer.scope, _as_of(as_of_value), _days(days),
                            _filters(color, list_type, issuer, town, industry), viewer.may_unmask)
    page, total = grid.frame_page(frame, _EXPIRING_FILTERS, grid_request)
    _audit_unmasked(viewer, page, "lists:expiring")
    return {"rowData": _rows(_present_subjects(page, viewer, masked=True)), "rowCount": total}


@callback(Output("lists-expiring-grid", "filterModel"), *FILTER_INPUTS, Input("lists-expiring-days", "value"),
          State("lists-expiring-grid", "filterModel"), State("lists-expiring-grid", "getRowsRequest"),
          prevent_initial_call=True)
@guarded("lists")
def refresh_expiring(*values: Any) -> Any:
    """A filter of the page changed: the grid drops its blocks and asks again."""
    *inputs, current, requested = values
    return ui_grid.refresh_filter(current, requested, *inputs)


@callback(Output("lists-expiring-download", "data"), Input("lists-expiring-export", "n_clicks"),
          State("lists-as-of", "date"), *FILTERS, State("lists-expiring-days", "value"), prevent_initial_call=True)
@guarded("lists", "export")
def export_expiring(n_clicks: int | None, as_of_value: str | None, color: str | None, list_type: str | None,
                    issuer: str | None, town: str | None, industry: str | None, days: int | None) -> Any:
    if not n_clicks:
        return no_update
    viewer = require("lists", "export")
    as_of = _as_of(as_of_value)
    frame = queries.entries_expiring(store(), viewer.scope, as_of, _days(days),
                                     _filters(color, list_type, issuer, town, industry))
    columns = ["name", "code", "list_type", "color_name", "issuer", "listed_on", "expires_on", "days_left", "reason"]
    sheet = _entries_sheet(viewer, frame, columns, f"{T.EXPIRING_TITLE}（{T.EXPIRING_DAYS[_days(days)]}）",
                           [f"统计日期：{as_of:%Y-%m-%d}"])
    return excel_download(viewer, f"即将到期名单_{as_of:%Y%m%d}.xlsx", [sheet], target="lists:expiring")


def _entries_sheet(viewer: Viewer, frame: pd.DataFrame, columns: list[str], title: str, notes: list[str]) -> Sheet:
    frame = mask_subjects(frame, unmask=viewer.may_unmask) if not frame.empty else frame
    _audit_unmasked(viewer, frame, "lists:export")
    if not viewer.may_unmask:
        notes = [*notes, T.EXPORT_NOTE_MASKED]
    data = frame[columns] if not frame.empty else pd.DataFrame(columns=columns)
    return Sheet(T.TITLE, data, title, notes=notes, headers={c: T.COLUMNS[c] for c in columns})


# ---- the entry grid (infinite row model) ---------------------------------------------------------------------------


def _include_ended(viewer: Viewer, range_value: str | None) -> bool:
    return range_value == "all" and allowed(viewer.role, "lists", "trail")


@callback(Output("lists-entries-grid", "getRowsResponse"), Input("lists-entries-grid", "getRowsRequest"),
          State("lists-as-of", "date"), State("lists-search", "value"), State("lists-range", "value"), *FILTERS,
          prevent_initial_call=True)
@guarded("lists")
def entry_rows(grid_request: dict | None, as_of_value: str | None, search: str | None, range_value: str | None,
               color: str | None, list_type: str | None, issuer: str | None, town: str | None,
               industry: str | None) -> dict:
    viewer = require("lists")
    grid_request = ui_grid.block_request(grid_request)
    frame, total = queries.entries_page(store(), viewer.scope, _as_of(as_of_value), grid_request, search,
                                        _include_ended(viewer, range_value), viewer.may_unmask,
                                        _filters(color, list_type, issuer, town, industry))
    if search and search.strip() and not grid_request.get("startRow"):
        audit_event("search", target="lists:entries", detail={"term": search.strip()[:60], "matches": total})
    _audit_unmasked(viewer, frame, "lists:entries")
    return {"rowData": _rows(_present_subjects(frame, viewer)), "rowCount": total}


@callback(Output("lists-entries-grid", "filterModel"), *FILTER_INPUTS, Input("lists-search", "value"),
          Input("lists-range", "value"), State("lists-entries-grid", "filterModel"),
          State("lists-entries-grid", "getRowsRequest"), prevent_initial_call=True)
@guarded("lists")
def refresh_entries(*values: Any) -> Any:
    """The filter bar changed: change the hidden column's filter so the grid drops its blocks and asks again."""
    *inputs, current, requested = values
    return ui_grid.refresh_filter(current, requested, *inputs)


@callback(Output("lists-entries-download", "data"), Input("lists-entries-export", "n_clicks"),
          State("lists-entries-grid", "getRowsRequest"), State("lists-as-of", "date"), State("lists-search", "value"),
          State("lists-range", "value"), *FILTERS, prevent_initial_call=True)
@guarded("lists", "export")
def export_entries(n_clicks: int | None, grid_request: dict | None, as_of_value: str | None, search: str | None,
                   range_value: str | None, color: str | None, list_type: str | None, issuer: str | None,
                   town: str | None, industry: str | None) -> Any:
    if not n_clicks:
        return no_update
    viewer = require("lists", "export")
    as_of = _as_of(as_of_value)
    grid_request = {**ui_grid.block_request(grid_request), "startRow": 0, "endRow": EXPORT_LIMIT}
    frame, total = queries.entries_page(store(), viewer.scope, as_of, grid_request, search,
                                        _include_ended(viewer, range_value), viewer.may_unmask,
                                        _filters(color, list_type, issuer, town, industry), max_rows=EXPORT_LIMIT)
    columns = ["entry_id", "name", "code", "kind_name", "list_type", "color_name", "issuer", "listed_on",
               "expires_on", "removed_on", "entry_status_name", "reason", "document_no", "town_name"]
    notes = [f"统计日期：{as_of:%Y-%m-%d}", T.EXPORT_LIMIT_NOTE.format(limit=EXPORT_LIMIT, total=total)]
    if search:
        notes.append(f"搜索：{search.strip()[:60]}")
    sheet = _entries_sheet(viewer, frame, columns, T.ENTRIES_TITLE, notes)
    return excel_download(viewer, f"红黑名单明细_{as_of:%Y%m%d}.xlsx", [sheet], target="lists:entries")


# ---- typical cases ------------------------------------------------------------------------------------------------


def _case_card(row: pd.Series, link: bool) -> html.Div:
    color = figures.LIST_COLORS.get(row["color"], figures.MUTED)
    facts = [f"{T.CASES_ISSUER}：{row['issuer']}", f"{T.CASES_LISTED}：{row['listed_on']}"]
    if row.get("severity_name"):
        facts.append(f"{T.CASES_SEVERITY}：{row['severity_name']}")
    if pd.notna(row.get("amount")) and row.get("amount"):
        facts.append(f"{T.CASES_AMOUNT}：{row['amount']:,.2f} 万元")
    name = html.A(row["name"], href=f"/profile?subject={row['subject_id']}") if link else html.Span(row["name"])
    return html.Div(
        [
            html.Div([html.Span(row["list_type"], className="badge me-2", style={"backgroundColor": color}),
                      html.Strong(name)]),
            html.Div(" · ".join(facts), className="small text-muted mt-1"),
            html.Div(row["reason"] or "", className="small mt-1"),
        ],
        className="case-item ps-2 mb-3", style={"borderLeft": f"4px solid {color}"},
    )


@callback(Output("lists-cases-black", "children"), Output("lists-cases-red", "children"), *FILTER_INPUTS)
@guarded("lists")
def cases(as_of_value: str | None, color: str | None, list_type: str | None, issuer: str | None, town: str | None,
          industry: str | None) -> tuple[list, list]:
    viewer = require("lists")
    black, red = queries.typical_cases(store(), viewer.scope, _as_of(as_of_value),
                                       _filters(color, list_type, issuer, town, industry))
    link = allowed(viewer.role, "profile")
    shown = []
    for frame in (black, red):
        _audit_unmasked(viewer, frame, "lists:cases")
        frame = mask_subjects(frame, unmask=viewer.may_unmask) if not frame.empty else frame
        cards = [_case_card(row, link) for _, row in frame.iterrows()]
        shown.append(cards or [html.P(T.CASES_NONE, className="text-muted")])
    return shown[0], shown[1]


# ---- objections, outcomes, repair, removal --------------------------------------------------------------------------


def _value_text(field: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if field == "status":
        return RECORD_STATUSES.get(value, value)
    if field == "severity":
        return SEVERITIES.get(value, value)
    if field == "outcome":
        return {**domain.OUTCOMES, **domain.REPAIR_OUTCOMES}.get(value, value)
    if field == "rule":
        rule = points.POINTS_RULES.get(value)
        return rule.name if rule else value
    if isinstance(value, bool):
        return T.YES if value else T.NO
    return str(value)


def _change_text(before: str | None, after: str | None) -> str:
    """'状态：公示中 → 异议处理中；公示截止日期：… → …' from the JSON before/after of a change."""
    old = json.loads(before) if before else {}
    new = json.loads(after) if after else {}
    parts = []
    for field in dict.fromkeys([*old, *new]):
        if field in old and old.get(field) == new.get(field):
            continue
        label = T.FIELD_NAMES.get(field, field)
        if field in old:
            parts.append(f"{label}：{_value_text(field, old.get(field))} → {_value_text(field, new.get(field))}")
        else:
            parts.append(f"{label}：{_value_text(field, new.get(field))}")
    return "；".join(parts)


def _history_rows(frame: pd.DataFrame) -> list[dict]:
    if frame.empty:
        return []
    shown = pd.DataFrame({
        "changed_at": pd.to_datetime(frame["changed_at"]).dt.strftime("%Y-%m-%d %H:%M:%S"),
        "entity": frame["entity"].map(T.ENTITY_NAMES).fillna(frame["entity"]),
        "entity_id": frame["entity_id"],
        "action": frame["action"].map(T.ACTION_NAMES).fillna(frame["action"]),
        "changed_by": frame["changed_by"],
        "change": [_change_text(b, a) for b, a in zip(frame["before"], frame["after"], strict=True)],
    })
    return _rows(shown)


def _record_detail(record: pd.Series, entries: pd.DataFrame) -> html.Div:
    def value(field: str) -> str:
        item = record.get(field)
        if item is None or (isinstance(item, float) and pd.isna(item)):
            return "—"
        if isinstance(item, dt.date):
            return f"{item:%Y-%m-%d}"
        return str(item)

    rows = [html.Tr([html.Th(label, className="text-muted fw-normal", style={"width": "9rem"}), html.Td(value(f))])
            for f, label in T.RECORD_FIELDS.items()]
    badges = [html.Span(T.PUBLIC_YES if record["public"] else T.PUBLIC_NO,
                        className=f"badge me-2 {'bg-success' if record['public'] else 'bg-secondary'}")]
    if record.get("special_sector"):
        badges.append(html.Span(T.SPECIAL_SECTOR, className="badge bg-warning text-dark"))
    children = [html.Div(badges, className="mb-2"), html.Table(html.Tbody(rows), className="table table-sm mb-2")]
    if not entries.empty:
        children.append(html.Div(T.LINKED_ENTRIES, className="fw-semibold small mt-2"))
        children.append(html.Ul([html.Li(f"#{e['entry_id']} {e['list_type']}（{e['color_name']}）"
                                         f" {e['listed_on']} — {e['expires_on'] or '长期'}：{e['entry_status_name']}",
                                         className="small")
                                 for _, e in entries.iterrows()]))
    return html.Div(children)


@callback(Output("lists-record-detail", "children"), Output("lists-history-grid", "rowData"),
          Output("lists-outcome-objection", "value"),
          Input("lists-record-lookup", "n_clicks"), Input("lists-record-key", "value"), *DONE_INPUTS,
          prevent_initial_call=True)
@guarded("lists", "records")
def record_detail(_n: int | None, key: str | None, *_done: Any) -> tuple:
    viewer = require("lists", "records")
    if not key or not str(key).strip():
        return html.P(T.NEED_RECORD, className="text-muted"), [], None
    frame = queries.record_for_action(store(), viewer.scope, str(key), today())
    if frame.empty:
        return html.P(T.RECORD_NOT_FOUND, className="text-danger"), [], None
    _audit_unmasked(viewer, frame, "lists:record")
    record = mask_subjects(frame, unmask=viewer.may_unmask).iloc[0]
    record_id = int(record["record_id"])
    entries = queries.record_entries(store(), record_id, today())
    history = queries.record_history(store(), record_id)
    open_objection = record.get("open_objection_id")
    return (_record_detail(record, entries), _history_rows(history),
            int(open_objection) if pd.notna(open_objection) else None)


@callback(Output("lists-objections-grid", "rowData"), *DONE_INPUTS)
@guarded("lists", "records")
def objection_rows(*_done: Any) -> list[dict]:
    viewer = require("lists", "records")
    frame = queries.open_objections(store(), viewer.scope, today())
    _audit_unmasked(viewer, frame, "lists:objections")
    if not frame.empty:
        frame = mask_subjects(frame, unmask=viewer.may_unmask)
    return _rows(frame.drop(columns=["code", "kind"], errors="ignore"))


@callback(Output("lists-record-key", "value"), Output("lists-removal-entry", "value"),
          Input("lists-objections-grid", "selectedRows"), Input("lists-entries-grid", "selectedRows"),
          State("lists-as-of", "date"))
@guarded("lists", "records")
def pick_for_action(objections: list[dict] | None, entries: list[dict] | None, as_of_value: str | None) -> tuple:
    """Selecting an open objection or a list entry brings its record (and the entry) into the forms; also when the
    forms' tab is first opened (drawn then) after an entry was selected."""
    viewer = require("lists", "records")
    if ctx.triggered_id == "lists-objections-grid":
        record_id = (objections or [{}])[0].get("record_id")
        return (str(int(record_id)) if isinstance(record_id, int | float) else no_update), no_update
    entry_id = (entries or [{}])[0].get("entry_id")
    if not isinstance(entry_id, int):
        return no_update, no_update
    # The entry is looked up again within the viewer's scope rather than trusting the row sent by the browser.
    frame = queries.entry_for_action(store(), viewer.scope, entry_id, _as_of(as_of_value))
    if frame.empty:
        return no_update, no_update
    record_id = frame.iloc[0]["record_id"]
    return (str(int(record_id)) if pd.notna(record_id) else no_update), entry_id


def _record_id(viewer: Viewer, key: str | None) -> int | None:
    """The record the forms act on, only if the viewer's scope contains it."""
    frame = queries.record_for_action(store(), viewer.scope, key, today()) if key else pd.DataFrame()
    return None if frame.empty else int(frame.iloc[0]["record_id"])


def _write(action: Any) -> tuple[Any, str | None]:
    """Run one domain change in its own transaction; (result, error message)."""
    try:
        with store().session() as db:
            result = action(db)
    except (domain.ListsError, points.PointsError) as error:
        return None, str(error)
    invalidate()
    return result, None


@callback(Output("lists-objection-feedback", "children"), Output("lists-objection-feedback", "color"),
          Output("lists-objection-feedback", "is_open"), Output("lists-objection-done", "data"),
          Input("lists-objection-submit", "n_clicks"), State("lists-record-key", "value"),
          State("lists-objection-date", "date"), State("lists-objection-reason", "value"), prevent_initial_call=True)
@guarded("lists", "objection")
def submit_objection(n_clicks: int | None, key: str | None, filed: str | None, reason: str | None) -> tuple:
    viewer = require("lists", "objection")
    if not n_clicks:
        return no_update, no_update, no_update, no_update
    record_id = _record_id(viewer, key)
    if record_id is None:
        return *_feedback(T.RECORD_NOT_FOUND, False), no_update
    objection, error = _write(lambda db: domain.file_objection(
        db, record_id, reason=reason, filed_on=_date_or_none(filed), actor=viewer, ip=request.remote_addr))
    if error:
        return *_feedback(error, False), no_update
    return *_feedback(T.OBJECTION_DONE.format(objection_id=objection.id, record_id=record_id), True), objection.id


@callback(Output("lists-outcome-feedback", "children"), Output("lists-outcome-feedback", "color"),
          Output("lists-outcome-feedback", "is_open"), Output("lists-outcome-done", "data"),
          Input("lists-outcome-submit", "n_clicks"), State("lists-outcome-objection", "value"),
          State("lists-outcome", "value"), State("lists-outcome-date", "date"), State("lists-outcome-note", "value"),
          State("lists-outcome-severity", "value"), State("lists-outcome-content", "value"),
          State("lists-outcome-amount", "value"), prevent_initial_call=True)
@guarded("lists", "outcome")
def submit_outcome(n_clicks: int | None, objection_id: int | None, outcome: str | None, resolved: str | None,
                   note: str | None, severity: str | None, content: str | None, amount: float | None) -> tuple:
    viewer = require("lists", "outcome")
    if not n_clicks:
        return no_update, no_update, no_update, no_update
    if not objection_id:
        return *_feedback(T.NO_OPEN_OBJECTION, False), no_update
    objection, error = _write(lambda db: domain.resolve_objection(
        db, int(objection_id), outcome=outcome or "", resolved_on=_date_or_none(resolved), actor=viewer, note=note,
        severity=severity, content=content, amount=float(amount) if amount not in (None, "") else None,
        ip=request.remote_addr))
    if error:
        return *_feedback(error, False), no_update
    message = T.OUTCOME_DONE.format(objection_id=objection.id, outcome=domain.OUTCOMES[objection.outcome])
    return *_feedback(message, True), objection.id


@callback(Output("lists-repair-feedback", "children"), Output("lists-repair-feedback", "color"),
          Output("lists-repair-feedback", "is_open"), Output("lists-repair-done", "data"),
          Input("lists-repair-submit", "n_clicks"), State("lists-record-key", "value"),
          State("lists-repair-applied", "date"), State("lists-repair-decided", "date"),
          State("lists-repair-conditions", "value"), State("lists-repair-decision", "value"),
          State("lists-repair-reason", "value"), prevent_initial_call=True)
@guarded("lists", "repair")
def submit_repair(n_clicks: int | None, key: str | None, applied: str | None, decided: str | None,
                  conditions: list[str] | None, decision: str | None, reason: str | None) -> tuple:
    viewer = require("lists", "repair")
    if not n_clicks:
        return no_update, no_update, no_update, no_update
    record_id = _record_id(viewer, key)
    if record_id is None:
        return *_feedback(T.RECORD_NOT_FOUND, False), no_update
    met = set(conditions or [])
    repair, error = _write(lambda db: domain.repair_record(
        db, record_id, applied_on=_date_or_none(applied), decided_on=_date_or_none(decided),
        conduct_corrected="conduct_corrected" in met, obligations_met="obligations_met" in met,
        commitment_signed="commitment_signed" in met, grant=decision != "refused", reason=reason, actor=viewer,
        ip=request.remote_addr))
    if error:
        return *_feedback(error, False), no_update
    if repair.outcome == "refused":
        return *_feedback(T.REPAIR_DONE_REFUSED.format(repair_id=repair.id), True), repair.id
    entries = queries.record_entries(store(), record_id, repair.decided_on)
    removed = int((entries["removed_on"] == f"{repair.decided_on:%Y-%m-%d}").sum()) if not entries.empty else 0
    message = T.REPAIR_DONE_GRANTED.format(record_id=record_id, day=f"{repair.decided_on:%Y-%m-%d}",
                                           entries=T.REPAIR_ENTRIES.format(count=removed) if removed else "")
    return *_feedback(message, True), repair.id


@callback(Output("lists-removal-feedback", "children"), Output("lists-removal-feedback", "color"),
          Output("lists-removal-feedback", "is_open"), Output("lists-removal-done", "data"),
          Input("lists-removal-submit", "n_clicks"), State("lists-removal-entry", "value"),
          State("lists-removal-date", "date"), State("lists-removal-reason", "value"), prevent_initial_call=True)
@guarded("lists", "repair")
def submit_removal(n_clicks: int | None, entry_id: int | None, removed: str | None, reason: str | None) -> tuple:
    viewer = require("lists", "repair")
    if not n_clicks:
        return no_update, no_update, no_update, no_update
    if not entry_id or queries.entry_for_action(store(), viewer.scope, int(entry_id), today()).empty:
        return *_feedback(T.ENTRY_NOT_FOUND, False), no_update
    entry, error = _write(lambda db: domain.remove_list_entry(
        db, int(entry_id), removed_on=_date_or_none(removed), reason=reason, actor=viewer, ip=request.remote_addr))
    if error:
        return *_feedback(error, False), no_update
    return *_feedback(T.REMOVAL_DONE.format(entry_id=entry.id, day=f"{entry.removed_on:%Y-%m-%d}"), True), entry.id


# ---- 积分落户 ----------------------------------------------------------------------------------------------------


@callback(Output("lists-points-rule", "children"), Output("lists-points-rule-select", "options"),
          Output("lists-points-rule-select", "value"), Input("lists-points-rule-version", "data"))
@guarded("lists", "points")
def points_rule(_version: Any) -> tuple:
    require("lists", "points")
    with store().read() as db:
        rule = points.current_rule(db)
    options = [{"label": r.name, "value": r.key} for r in points.POINTS_RULES.values()]
    shown = [html.Div(rule.name, className="fw-semibold", id="lists-points-rule-name"),
             html.Div(rule.description, className="small text-muted")]
    return shown, options, rule.key


@callback(Output("lists-points-rule-feedback", "children"), Output("lists-points-rule-feedback", "color"),
          Output("lists-points-rule-feedback", "is_open"), Output("lists-points-rule-version", "data"),
          Input("lists-points-rule-save", "n_clicks"), State("lists-points-rule-select", "value"),
          prevent_initial_call=True)
@guarded("lists", "points_rule")
def save_points_rule(n_clicks: int | None, key: str | None) -> tuple:
    viewer = require("lists", "points_rule")
    if not n_clicks:
        return no_update, no_update, no_update, no_update
    rule, error = _write(lambda db: points.set_rule(db, key or "", username=viewer.username,
                                                            user_id=viewer.user_id, role=viewer.role,
                                                            ip=request.remote_addr))
    if error:
        return *_feedback(error, False), no_update
    return *_feedback(T.POINTS_RULE_SAVED.format(name=rule.name), True), rule.key


@callback(Output("lists-points-person", "options"), Output("lists-points-person", "value"),
          Input("lists-points-search", "n_clicks"), Input("lists-points-term", "value"), prevent_initial_call=True)
@guarded("lists", "points")
def points_persons(_n: int | None, term: str | None) -> tuple:
    viewer = require("lists", "points")
    if not term or not term.strip():
        return [], None
    frame = queries.find_persons(store(), term)
    audit_event("search", target="lists:points", detail={"term": term.strip()[:40], "matches": len(frame)})
    if frame.empty:
        return [{"label": T.POINTS_NO_MATCH, "value": "", "disabled": True}], None
    _audit_unmasked(viewer, frame, "lists:points")
    frame = mask_subjects(frame, unmask=viewer.may_unmask)
    options = [{"label": f"{r.name}（{r.code}，{r.town_name}）", "value": int(r.subject_id)}
               for r in frame.itertuples()]
    return options, options[0]["value"]


@callback(Output("lists-points-result", "children"), Output("lists-points-grid", "rowData"),
          Input("lists-points-person", "value"), Input("lists-points-as-of", "date"),
          Input("lists-points-rule-version", "data"))
@guarded("lists", "points")
def points_result(person_id: int | None, as_of_value: str | None, _version: Any) -> tuple:
    viewer = require("lists", "points")
    if not person_id:
        return html.P(T.POINTS_PERSON_PLACEHOLDER, className="text-muted"), []
    as_of = _as_of(as_of_value)
    try:
        result = points.points_deduction(store(), int(person_id), as_of)
    except points.PointsError as error:
        return html.P(str(error), className="text-danger"), []
    audit_event("points_lookup", target=f"subject:{int(person_id)}",
                detail={"as_of": f"{as_of:%Y-%m-%d}", "rule": result.rule.key, "deduction": result.deduction})
    frame = result.records
    if not frame.empty:
        frame = mask_subjects(frame.rename(columns={"subject_kind": "kind", "subject_name": "name"}),
                              unmask=viewer.may_unmask, code_col="code")
        frame = frame.rename(columns={"kind": "subject_kind", "name": "subject_name"})
        frame["relation"] = frame["relation"].map(T.POINTS_RELATIONS)
        frame["item_date"] = pd.to_datetime(frame["item_date"]).dt.strftime("%Y-%m-%d")
    summary = html.Div(
        [
            html.Div(T.POINTS_DEDUCTION, className="kpi-label"),
            html.Div(f"−{result.deduction}" if result.deduction else "0", className="kpi-value text-red-list",
                     id="lists-points-deduction"),
            html.Div(T.POINTS_RECORD_COUNT.format(count=len(frame), points=result.rule.points_per_record)
                     if len(frame) else T.POINTS_NONE, className="kpi-note"),
            html.Div(f"{T.POINTS_RULE}：{result.rule.name}（{as_of:%Y-%m-%d}）", className="small mt-2",
                     id="lists-points-rule-applied"),
        ],
        className="kpi-card",
    )
    return summary, _rows(frame[[c for c in T.POINTS_COLUMNS if c in frame]] if not frame.empty else frame)

