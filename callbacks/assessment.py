"""Callbacks of the 委办局报送考核 page: filters, scores and figures, the assessment sheet, the drill-down grids
(server-paged), and the upload with its progress and error reports.

A bureau user's bureau comes from the signed-in viewer, never from what the browser sends: every callback that
takes a bureau code replaces it with the viewer's own for bureau users.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html, no_update, set_props
from flask import request

from callbacks.common import default_first, excel_download, store, today
from data import assessment as A
from data.cache import cache, invalidate
from data.ingest import IngestError, Submitter, ingest, samples
from data.queries import assessment as queries
from data.reference import BUREAU_NAMES, RECORD_TYPE_NAMES, RECORD_TYPES
from security.access import Viewer, guarded, require
from security.auth import audit_event
from security.masking import mask_subjects
from ui import figures, figures_assessment
from ui import grid as ui_grid
from ui import text_assessment as TA
from ui.components import kpi_outputs
from ui.export import Sheet, excel_bytes

PAGE = "assessment"
_CATEGORY = {rt.category: rt.code for rt in RECORD_TYPES}
FILTER_STATES = [State("assessment-period", "value"), State("assessment-bureau-kind", "value"),
                 State("assessment-catalog", "value")]
FILTER_INPUTS = [Input(s.component_id, s.component_property) for s in FILTER_STATES]
PERCENT_COLUMNS = ("on_time", "timeliness", "completeness", "error_rate", "duplicate_rate", "objections", "coverage")


# ---- inputs and scope ------------------------------------------------------------------------------------------


def _period(value: str | None) -> str | None:
    """A period filter value as a period; "" (the page's first value) is the default quarter; None when missing or
    not a period."""
    if value == "":
        return _default_period(queries.periods(store(), "quarter"))
    try:
        return value if value and A.granularity(value) else None
    except ValueError:
        return None


def _filters(period: str | None, bureau_kind: str | None, catalog: str | None) -> tuple[str | None, str | None,
                                                                                          str | None]:
    """The filter bar with unknown values dropped (a period that is not a period, a type that is not a type)."""
    kinds = {b for b in queries.catalog(store())["bureau_kind"]}
    return _period(period), bureau_kind if bureau_kind in kinds else None, \
        catalog if catalog in RECORD_TYPE_NAMES else None


def bureau_for(viewer: Viewer, requested: str | None) -> str | None:
    """The bureau a callback may look at: a bureau user's own, always; otherwise the known bureau asked for."""
    if viewer.role == "bureau":
        return viewer.bureau_code
    return requested if requested in BUREAU_NAMES else None


def _rows(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", force_ascii=False)) if not frame.empty else []


def _percent(value: float | None) -> str:
    return TA.NOT_APPLICABLE if value is None or pd.isna(value) else f"{value:.1%}"


def _default_period(found: list[str]) -> str | None:
    """The newest period that has ended (an assessment is of a finished period), else the newest one."""
    for period in found:
        if A.bounds(period)[1] <= today():
            return period
    return found[0] if found else None


# ---- filters ---------------------------------------------------------------------------------------------------


@callback(Output("assessment-period", "options"), Input("assessment-period-kind", "value"),
          State("assessment-period", "value"))
@guarded(PAGE)
def period_options(kind: str | None, current: str | None) -> list[dict]:
    """The periods of the chosen kind. The page starts on the value "" (the default quarter, `_period`), so the
    figures ask in the same round as this callback instead of waiting for it; that quarter's option keeps the
    value. When the reader changes the kind, the period moves to one of the new kind (set here, not declared as an
    output, for the same reason)."""
    kind = kind if kind in TA.PERIOD_KINDS else "quarter"
    found = queries.periods(store(), kind)
    default = _default_period(found)
    # "" stands for the default quarter only (`_period`).
    options = default_first([(p, A.label(p)) for p in found], default if kind == "quarter" else None)
    values = [option["value"] for option in options]
    if ctx.triggered_id == "assessment-period-kind" and current not in values and values:
        set_props("assessment-period", {"value": "" if kind == "quarter" else default})
    return options


@callback(Output("assessment-catalog", "options"), Input("assessment-period-kind", "id"))
@guarded(PAGE)
def catalog_options(_id: str | None) -> list[dict]:
    viewer = require(PAGE)
    owned = set(queries.catalog_in_scope(store(), viewer.scope)["record_type_code"])
    return [{"label": TA.ALL, "value": ""}] + [{"label": rt.name, "value": rt.code} for rt in RECORD_TYPES
                                                if rt.code in owned]


# ---- scores, figures, the assessment table --------------------------------------------------------------------


def _weights_table(config: A.Settings) -> dbc.Table:
    shares = config.shares()
    rows = [html.Tr([html.Td(name), html.Td(f"{shares[key]:.0%}", className="text-end fw-semibold"),
                     html.Td(definition, className="small text-muted")])
            for key, (name, definition) in A.MEASURES.items() if config.weights.get(key, 0) > 0]
    header = html.Thead(html.Tr([html.Th(TA.WEIGHT_COLUMNS[c]) for c in ("measure", "weight", "definition")]))
    return dbc.Table([header, html.Tbody(rows)], size="sm", bordered=False, hover=True, className="mb-0")


def _kpis(viewer: Viewer, frame: pd.DataFrame, config: A.Settings, assessed: int) -> list[str]:
    published = int(frame["published"].sum()) if not frame.empty else 0
    late = int(frame["late"].sum()) if not frame.empty else 0
    total_rows = int(frame["rows_total"].sum()) if not frame.empty else 0
    rejected = int(frame["rows_rejected"].sum()) if not frame.empty else 0
    duplicates = int(frame["rows_duplicate"].sum()) if not frame.empty else 0
    on_time = (published - late) / published if published else None
    error_rate = rejected / total_rows if total_rows else None
    values = [_percent(on_time), TA.KPI_ON_TIME_NOTE.format(published=published),
              f"{late:,}", TA.KPI_LATE_NOTE,
              f"{rejected:,}", TA.KPI_REJECTED_NOTE.format(rate=_percent(error_rate), duplicates=duplicates)]
    if viewer.role == "bureau":
        row = frame.iloc[0] if not frame.empty else None
        score = "—" if row is None or pd.isna(row["score"]) else f"{row['score']:.1f}"
        rank = "—" if row is None or pd.isna(row["rank"]) else int(row["rank"])
        values += [score, TA.KPI_SCORE_NOTE.format(rank=rank, assessed=assessed, threshold=config.threshold)]
    else:
        values += [f"{int(frame['below'].sum()):,}" if not frame.empty else "0",
                   TA.KPI_BELOW_NOTE.format(threshold=config.threshold, assessed=assessed)]
    return values


def _figure_height(viewer: Viewer, figure: str) -> int:
    """Figures fill their card, whose height the page sets by role (one bar and one row for a bureau user)."""
    if viewer.role == "bureau":
        return figures_assessment.SINGLE_BUREAU_HEIGHT - 10
    return (figures_assessment.SCORES_HEIGHT if figure == "scores" else figures_assessment.HEATMAP_HEIGHT) - 10


def _trend_figure(trend: pd.DataFrame) -> Any:
    data = trend.copy()
    for column in TA.TREND_PANELS:
        data[column] = data[column] * 100
    panels = [(column, name, "%", color) for (column, name), color in
              zip(TA.TREND_PANELS.items(), (figures.PRIMARY, figures.GOOD, figures.WARNING, figures.RED),
                  strict=True)]
    return figures.line_panels(data, "month", panels, TA.FIG_TREND, height=340)


# The view is split so that no callback builds more than two figures (each request then costs a few times what one
# small figure does): the KPIs, the ranking with the table, the heatmap (the costliest figure, alone), the trend,
# and the weighting. The parts ask the same memoised queries, so a filter change still computes each query once.
# Every part takes the same inputs, the settings version included, so saved settings redraw all of them.
VIEW_INPUTS = [*FILTER_INPUTS, Input("assessment-settings-version", "data")]


def _assessment(viewer: Viewer, period: str, bureau_kind: str | None, catalog: str | None) -> pd.DataFrame:
    """The assessment table cut to the viewer's scope."""
    return queries.bureau_assessment(store(), viewer.scope, period, bureau_kind, catalog, today())


@callback(
    *kpi_outputs("assessment-kpi-on-time", "assessment-kpi-late", "assessment-kpi-rejected", "assessment-kpi-below"),
    *VIEW_INPUTS,
)
@guarded(PAGE)
def assessment_kpis(period: str | None, bureau_kind: str | None, catalog: str | None,
                    _version: int | None) -> list[str]:
    viewer = require(PAGE)
    period, bureau_kind, catalog = _filters(period, bureau_kind, catalog)
    if period is None:
        return ["—", ""] * 4
    everyone = queries.bureau_measures(store(), period, bureau_kind, catalog, today())
    frame = _assessment(viewer, period, bureau_kind, catalog)
    return _kpis(viewer, frame, queries.settings(store()), int(everyone["score"].notna().sum()))


@callback(Output("assessment-scores", "figure"), *VIEW_INPUTS)
@guarded(PAGE)
def assessment_scores(period: str | None, bureau_kind: str | None, catalog: str | None,
                      _version: int | None) -> Any:
    viewer = require(PAGE)
    period, bureau_kind, catalog = _filters(period, bureau_kind, catalog)
    if period is None:
        return figures.empty_figure(TA.FIG_SCORES.format(period="—"))
    config = queries.settings(store())
    frame = _assessment(viewer, period, bureau_kind, catalog)
    return figures_assessment.score_ranking(
        frame, "bureau", "score", TA.FIG_SCORES.format(period=A.label(period)), TA.UNIT_SCORE, config.threshold,
        TA.THRESHOLD.format(threshold=config.threshold), height=_figure_height(viewer, "scores"))


@callback(Output("assessment-grid", "rowData"), *VIEW_INPUTS)
@guarded(PAGE)
def assessment_table(period: str | None, bureau_kind: str | None, catalog: str | None,
                     _version: int | None) -> list[dict]:
    """The assessment table (a section drawn when scrolled to; the same cached assessment as the figures)."""
    def build(viewer: Viewer, period: str, bureau_kind: str | None, catalog: str | None) -> list[dict]:
        frame = _assessment(viewer, period, bureau_kind, catalog)
        return _rows(frame.assign(below_name=frame["below"].map({True: TA.FAIL, False: TA.PASS}).where(
            frame["score"].notna(), TA.NOT_APPLICABLE)))

    return _view((period, bureau_kind, catalog), [], build)


def _view(values: tuple, empty: Any, build: Callable[[Viewer, str, str | None, str | None], Any]) -> Any:
    """One part of the assessment view within the viewer's scope (`empty` until a period is chosen)."""
    viewer = require(PAGE)
    period, bureau_kind, catalog = _filters(*values[:3])
    return empty if period is None else build(viewer, period, bureau_kind, catalog)


def _view_figure(values: tuple, title: str, build: Callable[[Viewer, str, str | None, str | None], Any]) -> Any:
    """One chart of the assessment view within the viewer's scope (an empty chart until a period is chosen)."""
    return _view(values, figures.empty_figure(title), build)


@callback(Output("assessment-heatmap", "figure"), *VIEW_INPUTS)
@guarded(PAGE)
def assessment_heatmap(*values: Any) -> Any:
    def build(viewer: Viewer, period: str, bureau_kind: str | None, catalog: str | None) -> Any:
        months = queries.trend_months(period)
        by_month = queries.on_time_by_month(store(), viewer.scope, tuple(months), bureau_kind, catalog)
        return figures_assessment.on_time_heatmap(by_month, months, TA.FIG_HEATMAP, TA.HEAT_COLOR, TA.HEAT_HOVER,
                                                  height=_figure_height(viewer, "heatmap"))

    return _view_figure(values, TA.FIG_HEATMAP, build)


@callback(Output("assessment-trend", "figure"), *VIEW_INPUTS)
@guarded(PAGE)
def assessment_trend(*values: Any) -> Any:
    return _view_figure(values, TA.FIG_TREND, lambda viewer, period, bureau_kind, catalog: _trend_figure(
        queries.monthly_trend(store(), viewer.scope, tuple(queries.trend_months(period)), bureau_kind, catalog)))


@callback(Output("assessment-weights", "children"), Output("assessment-weights-threshold", "children"),
          *VIEW_INPUTS)
@guarded(PAGE)
def assessment_weights(_period: str | None, _bureau_kind: str | None, _catalog: str | None,
                       _version: int | None) -> tuple:
    """The district's weighting and pass line, shown whatever the filters (they are not the viewer's data)."""
    require(PAGE)
    config = queries.settings(store())
    return _weights_table(config), TA.WEIGHTS_THRESHOLD.format(threshold=config.threshold, days=config.objection_days)


def assessment_sheets(frame: pd.DataFrame, config: A.Settings, period: str, scope_label: str,
                      assessed: int) -> list[Sheet]:
    """The assessment sheet as an assessment office files it: title, period, weighting, one row per bureau, rank;
    and the weighting on its own sheet."""
    columns = ["rank", "bureau", "bureau_kind", "score", "below", "on_time", "published", "late", "timeliness",
               "days_late", "completeness", "error_rate", "duplicate_rate", "objections", "turnaround_days",
               "coverage", "rows_total", "rows_rejected"]
    data = frame[columns].copy()
    for column in PERCENT_COLUMNS:
        data[column] = (data[column] * 100).round(1)
    for column in ("score", "days_late", "turnaround_days"):
        data[column] = data[column].round(1)
    data["below"] = frame["below"].map({True: TA.FAIL, False: TA.PASS}).where(frame["score"].notna(),
                                                                              TA.NOT_APPLICABLE)
    data["rank"] = data["rank"].astype(object).where(data["rank"].notna(), None)
    headers = {c: TA.COLUMNS[c] + (TA.EXPORT_PERCENT if c in PERCENT_COLUMNS else "") for c in columns}
    start, after = A.bounds(period)
    shares = config.shares()
    weights = "；".join(f"{A.MEASURES[k][0]} {shares[k]:.0%}" for k in A.MEASURES if config.weights.get(k, 0) > 0)
    notes = [line.format(label=A.label(period), start=start, end=after - dt.timedelta(days=1), scope=scope_label,
                         weights=weights, threshold=config.threshold, below=int(frame["below"].sum()),
                         assessed=assessed, today=today()) for line in TA.EXPORT_NOTES]
    weighting = pd.DataFrame({"measure": [A.MEASURES[k][0] for k in A.MEASURES],
                              "weight": [round(shares[k] * 100, 1) for k in A.MEASURES],
                              "definition": [A.MEASURES[k][1] for k in A.MEASURES]})
    return [
        Sheet(TA.EXPORT_SHEET, data, f"{TA.EXPORT_TITLE}（{A.label(period)}）", notes=notes, headers=headers),
        Sheet(TA.EXPORT_WEIGHTS_SHEET, weighting, TA.WEIGHTS_TITLE, notes=[TA.WEIGHTS_NOTE],
              headers={"measure": TA.WEIGHT_COLUMNS["measure"], "weight": TA.WEIGHT_COLUMNS["weight"] + "（%）",
                       "definition": TA.WEIGHT_COLUMNS["definition"]}),
    ]


@callback(Output("assessment-download", "data"), Input("assessment-export", "n_clicks"), *FILTER_STATES,
          prevent_initial_call=True)
@guarded(PAGE, "export")
def export_assessment(n_clicks: int | None, period: str | None, bureau_kind: str | None,
                      catalog: str | None) -> Any:
    if not n_clicks:
        return no_update
    viewer = require(PAGE, "export")
    period, bureau_kind, catalog = _filters(period, bureau_kind, catalog)
    if period is None:
        return no_update
    everyone = queries.bureau_measures(store(), period, bureau_kind, catalog, today())
    frame = queries.bureau_assessment(store(), viewer.scope, period, bureau_kind, catalog, today())
    parts = [bureau_kind or "全部类型", RECORD_TYPE_NAMES.get(catalog or "", "全部目录")]
    if viewer.role == "bureau":
        parts.insert(0, BUREAU_NAMES.get(viewer.bureau_code or "", ""))
    sheets = assessment_sheets(frame, queries.settings(store()), period, "，".join(parts),
                               int(everyone["score"].notna().sum()))
    return excel_download(viewer, f"委办局报送考核表_{period}.xlsx", sheets, target=f"assessment:{period}")


# ---- the district's settings (admin) ---------------------------------------------------------------------------

SETTINGS_INPUTS = [State(f"assessment-weight-{key}", "value") for key in A.MEASURES] + [
    State("assessment-threshold", "value"), State("assessment-objection-days", "value")]


@callback(Output("assessment-settings-collapse", "is_open"), Input("assessment-settings-open", "n_clicks"),
          State("assessment-settings-collapse", "is_open"), prevent_initial_call=True)
@guarded(PAGE, "settings")
def toggle_settings(n_clicks: int | None, is_open: bool | None) -> bool:
    return not is_open if n_clicks else bool(is_open)


@callback([Output(s.component_id, "value") for s in SETTINGS_INPUTS], Input("assessment-settings-form", "id"))
@guarded(PAGE, "settings")
def settings_values(_id: str | None) -> list:
    config = queries.settings(store())
    return [config.weights[key] for key in A.MEASURES] + [config.threshold, config.objection_days]


@callback(Output("assessment-settings-feedback", "children"), Output("assessment-settings-version", "data"),
          Input("assessment-settings-save", "n_clicks"), *SETTINGS_INPUTS, State("assessment-settings-version", "data"),
          prevent_initial_call=True)
@guarded(PAGE, "settings")
def store_settings(n_clicks: int | None, *values: Any) -> tuple:
    viewer = require(PAGE, "settings")
    *numbers, version = values
    if not n_clicks:
        return no_update, no_update
    weights = {key: value or 0 for key, value in zip(A.MEASURES, numbers, strict=False)}
    threshold, days = numbers[len(A.MEASURES):]
    try:
        with store().session() as db:
            A.save_settings(db, weights, threshold if threshold is not None else -1, days or 0,
                            username=viewer.username)
    except (A.SettingsError, TypeError, ValueError) as error:
        return html.Span(TA.SETTINGS_INVALID.format(message=error), className="text-danger"), no_update
    invalidate()
    return html.Span(TA.SETTINGS_SAVED, className="text-success"), (version or 0) + 1


# ---- drill-down ------------------------------------------------------------------------------------------------


def _bureau_options(viewer: Viewer) -> list[dict]:
    codes = queries.catalog_in_scope(store(), viewer.scope)["bureau_code"].unique()
    return [{"label": BUREAU_NAMES[c], "value": c} for c in codes]


@callback(Output("assessment-drill-bureau", "options"), Output("assessment-drill-bureau", "value"),
          Input("assessment-drill-bureau", "id"), *FILTER_STATES)
@guarded(PAGE, "drilldown")
def drill_bureaus(_id: str | None, period: str | None, bureau_kind: str | None,
                  catalog: str | None) -> tuple[list[dict], str | None]:
    viewer = require(PAGE, "drilldown")
    options = _bureau_options(viewer)
    if viewer.role == "bureau":
        return options, viewer.bureau_code
    period = _period(period) or _default_period(queries.periods(store(), "quarter"))
    if period is None or not options:
        return options, options[0]["value"] if options else None
    frame = queries.bureau_measures(store(), period, None, None, today())
    worst = frame.dropna(subset=["score"]).sort_values("score")
    return options, worst["bureau_code"].iloc[0] if not worst.empty else options[0]["value"]


@callback(Output("assessment-measures", "figure"), Input("assessment-drill-bureau", "value"), *FILTER_INPUTS)
@guarded(PAGE, "drilldown")
def drill_measures(bureau: str | None, period: str | None, bureau_kind: str | None, catalog: str | None) -> Any:
    viewer = require(PAGE, "drilldown")
    bureau = bureau_for(viewer, bureau)
    period, _kind, catalog = _filters(period, bureau_kind, catalog)
    name = BUREAU_NAMES.get(bureau or "", "—")
    title = TA.FIG_MEASURES.format(bureau=name, period=A.label(period) if period else "—")
    if bureau is None or period is None:
        return figures.empty_figure(title)
    # The bureau among all bureaus (not only its type), so its figures match the assessment table's.
    frame = queries.bureau_measures(store(), period, None, catalog, today())
    row = frame[frame["bureau_code"] == bureau]
    if row.empty:
        return figures.empty_figure(title)
    shares = queries.settings(store()).shares()
    measures = pd.DataFrame({"measure": [A.MEASURES[k][0] for k in A.MEASURES],
                             "value": [row.iloc[0][k] * 100 if pd.notna(row.iloc[0][k]) else None
                                       for k in A.MEASURES],
                             "weight": [shares[k] for k in A.MEASURES]})
    return figures_assessment.measure_bars(measures, "measure", "value", "weight", title, TA.UNIT_SCORE,
                                           TA.NOT_APPLICABLE)


@callback(Output("assessment-late-grid", "filterModel"), Output("assessment-rejected-grid", "filterModel"),
          Input("assessment-drill-bureau", "value"), Input("assessment-period", "value"),
          Input("assessment-catalog", "value"), State("assessment-late-grid", "filterModel"),
          State("assessment-rejected-grid", "filterModel"), State("assessment-late-grid", "getRowsRequest"),
          State("assessment-rejected-grid", "getRowsRequest"), prevent_initial_call=True)
@guarded(PAGE, "drilldown")
def refresh_drill(bureau: str | None, period: str | None, catalog: str | None, late_model: dict | None,
                  rejected_model: dict | None, late_requested: dict | None, rejected_requested: dict | None) -> tuple:
    """The bureau or period changed: touch the hidden column's filter so both grids drop their rows and ask again."""
    return (ui_grid.refresh_filter(late_model, late_requested, bureau, period, catalog),
            ui_grid.refresh_filter(rejected_model, rejected_requested, bureau, period, catalog))


def _drill_args(bureau: str | None, period: str | None, catalog: str | None) -> tuple[Viewer, str | None,
                                                                                      str | None, str | None]:
    viewer = require(PAGE, "drilldown")
    return viewer, bureau_for(viewer, bureau), _period(period), catalog if catalog in RECORD_TYPE_NAMES else None


@callback(Output("assessment-late-grid", "getRowsResponse"), Input("assessment-late-grid", "getRowsRequest"),
          State("assessment-drill-bureau", "value"), State("assessment-period", "value"),
          State("assessment-catalog", "value"), prevent_initial_call=True)
@guarded(PAGE, "drilldown")
def late_rows(grid_request: dict | None, bureau: str | None, period: str | None, catalog: str | None) -> dict:
    viewer, bureau, period, catalog = _drill_args(bureau, period, catalog)
    if bureau is None or period is None:
        return {"rowData": [], "rowCount": 0}
    frame, total = queries.late_records(store(), bureau, period, catalog, grid_request)
    if viewer.may_unmask and not frame.empty and (frame["subject_kind"] == "person").any():
        persons = frame.loc[frame["subject_kind"] == "person", "subject_id"]
        audit_event("unmask", target=f"assessment:late:{bureau}",
                    detail={"subjects": sorted(int(s) for s in persons.unique())[:500]})
    frame = mask_subjects(frame, unmask=viewer.may_unmask, kind_col="subject_kind", code_col="subject_code",
                          name_col="subject_name")
    return {"rowData": _rows(frame.drop(columns=["subject_id"], errors="ignore")), "rowCount": total}


@callback(Output("assessment-rejected-grid", "getRowsResponse"),
          Input("assessment-rejected-grid", "getRowsRequest"), State("assessment-drill-bureau", "value"),
          State("assessment-period", "value"), State("assessment-catalog", "value"), prevent_initial_call=True)
@guarded(PAGE, "drilldown")
def rejected_rows(grid_request: dict | None, bureau: str | None, period: str | None, catalog: str | None) -> dict:
    _viewer, bureau, period, catalog = _drill_args(bureau, period, catalog)
    if bureau is None or period is None:
        return {"rowData": [], "rowCount": 0}
    frame, total = queries.rejected_rows(store(), bureau, period, catalog, grid_request)
    return {"rowData": _rows(frame), "rowCount": total}


# ---- upload ----------------------------------------------------------------------------------------------------


def _progress_key(viewer: Viewer) -> str:
    return f"assessment:upload-progress:{viewer.user_id}"


@callback(Output("assessment-upload-bureau", "options"), Output("assessment-upload-bureau", "value"),
          Input("assessment-upload-bureau", "id"))
@guarded(PAGE, "upload")
def upload_bureaus(_id: str | None) -> tuple[list[dict], str | None]:
    viewer = require(PAGE, "upload")
    options = _bureau_options(viewer)
    return options, viewer.bureau_code if viewer.role == "bureau" else None


def _result_message(result) -> html.Div:
    name = RECORD_TYPE_NAMES[result.record_type]
    if result.resubmitted:
        return dbc.Alert(TA.UPLOAD_REPEAT.format(id=result.submission_id), color="info", className="mb-0")
    lines = [html.Div(TA.UPLOAD_DONE.format(id=result.submission_id, record_type=name, period=result.period,
                                            total=result.total, accepted=result.accepted, rejected=result.rejected,
                                            duplicates=result.duplicates))]
    if result.due_at:
        state = TA.UPLOAD_ON_TIME if result.on_time else TA.UPLOAD_OVERDUE
        lines.append(html.Div(TA.UPLOAD_LATE.format(due=result.due_at[:10], received=result.received_at[:16],
                                                    state=state), className="small"))
    color = "success" if not result.errors else "warning"
    return dbc.Alert(lines, color=color, className="mb-0")


@callback(
    Output("assessment-upload-result", "children"), Output("assessment-upload-submission", "data"),
    Output("assessment-upload-report", "style"), Output("assessment-upload", "contents"),
    Input("assessment-upload", "contents"), State("assessment-upload", "filename"),
    State("assessment-upload-bureau", "value"), State("assessment-upload-kind", "value"),
    running=[(Output("assessment-upload-poll", "disabled"), False, True),
             (Output("assessment-upload-progress-box", "style"), {"display": "block"}, {"display": "none"}),
             (Output("assessment-upload", "disabled"), True, False)],
    prevent_initial_call=True,
)
@guarded(PAGE, "upload")
def upload_file(contents: str | None, filename: str | None, bureau: str | None, kind: str | None) -> tuple:
    viewer = require(PAGE, "upload")
    hidden = {"display": "none"}
    if not contents:
        return no_update, no_update, no_update, no_update
    bureau = bureau_for(viewer, bureau)
    if bureau is None:
        return dbc.Alert(TA.UPLOAD_NEED_BUREAU, color="danger", className="mb-0"), None, hidden, None
    try:
        content = base64.b64decode(contents.split(",", 1)[-1], validate=False)
    except (binascii.Error, ValueError):
        content = b""
    key = _progress_key(viewer)

    def report(stage: str, done: int, total: int) -> None:
        # The shared cache lets the polling callback (another request, perhaps another worker) read the stage.
        cache.set(key, {"stage": stage, "done": done, "total": total}, timeout=600)

    try:
        result = ingest(store(), content, bureau, kind=kind or None, file_name=(filename or "")[:255],
                        source="upload", progress=report,
                        submitter=Submitter(viewer.user_id, viewer.username, viewer.role, request.remote_addr))
    except IngestError as error:
        return dbc.Alert(TA.UPLOAD_FAILED.format(message=error), color="danger", className="mb-0"), None, hidden, \
            None
    finally:
        cache.delete(key)
    show_report = {"display": "inline-block"} if result.errors else hidden
    return _result_message(result), result.submission_id, show_report, None


@callback(Output("assessment-upload-progress", "value"), Output("assessment-upload-progress", "label"),
          Input("assessment-upload-poll", "n_intervals"), prevent_initial_call=True)
@guarded(PAGE, "upload")
def upload_progress(_n: int | None) -> tuple[int, str]:
    viewer = require(PAGE, "upload")
    state = cache.get(_progress_key(viewer))
    if not state:
        return 100, TA.UPLOAD_RUNNING
    stages = ["读取文件", "逐行校验", "匹配信用主体", "写入信用记录", "刷新汇总"]
    index = stages.index(state["stage"]) if state["stage"] in stages else 0
    within = state["done"] / state["total"] if state["total"] else 0
    value = int(100 * (index + within) / len(stages))
    return value, TA.UPLOAD_STAGE.format(stage=state["stage"], done=state["done"], total=state["total"])


@callback(Output("assessment-submissions-grid", "rowData"), Input("assessment-upload-bureau", "value"),
          Input("assessment-upload-submission", "data"))
@guarded(PAGE, "upload")
def submission_rows(bureau: str | None, _latest: int | None) -> list[dict]:
    viewer = require(PAGE, "upload")
    bureau = bureau_for(viewer, bureau)
    if bureau is None:
        return []
    frame = queries.submissions_of(store(), bureau)
    frame["late_name"] = frame["late"].map({1: TA.UPLOAD_OVERDUE, 0: TA.UPLOAD_ON_TIME}).where(
        frame["due_at"].notna(), "")
    return _rows(frame)


def _report_download(viewer: Viewer, submission_id: object) -> Any:
    """The error report of one submission the viewer may see, as an audited Excel download."""
    try:
        submission_id = int(submission_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return no_update
    found = queries.error_report(store(), viewer.scope, submission_id)
    if found is None:
        return no_update
    frame, facts = found
    bureau = BUREAU_NAMES.get(facts["bureau"], facts["bureau"])
    notes = [line.format(record_type=RECORD_TYPE_NAMES[facts["record_type"]], period=facts["period"],
                         file=facts["file_name"] or "—", total=facts["total"], accepted=facts["accepted"],
                         rejected=facts["rejected"], duplicates=facts["duplicates"],
                         received=f"{facts['received_at']:%Y-%m-%d %H:%M}") for line in TA.REPORT_NOTES]
    sheet = Sheet("错误报告", frame, TA.REPORT_TITLE.format(bureau=bureau, id=submission_id), notes=notes)
    return excel_download(viewer, f"错误报告_{facts['bureau']}_{submission_id}.xlsx", [sheet],
                          target=f"submission:{submission_id}")


@callback(Output("assessment-report-download", "data"), Input("assessment-upload-report", "n_clicks"),
          State("assessment-upload-submission", "data"), prevent_initial_call=True)
@guarded(PAGE, "upload")
def download_latest_report(n_clicks: int | None, latest: int | None) -> Any:
    """The error report of the file just uploaded."""
    if not n_clicks:
        return no_update
    return _report_download(require(PAGE, "upload"), latest)


@callback(Output("assessment-submission-download", "data"), Input("assessment-submission-report", "n_clicks"),
          State("assessment-submissions-grid", "selectedRows"), prevent_initial_call=True)
@guarded(PAGE, "upload")
def download_selected_report(n_clicks: int | None, selected: list[dict] | None) -> Any:
    """The error report of the submission selected in the list."""
    if not n_clicks or not selected:
        return no_update
    return _report_download(require(PAGE, "upload"), selected[0].get("id"))


@callback(Output("assessment-template-download", "data"), Input("assessment-template-current", "n_clicks"),
          Input("assessment-template-2015", "n_clicks"), State("assessment-upload-kind", "value"),
          State("assessment-upload-bureau", "value"), prevent_initial_call=True)
@guarded(PAGE, "upload")
def download_template(_current: int | None, _legacy: int | None, kind: str | None, bureau: str | None) -> Any:
    viewer = require(PAGE, "upload")
    generation = {"assessment-template-current": "current", "assessment-template-2015": "2015"}.get(
        str(ctx.triggered_id))
    if generation is None:
        return no_update
    code = _CATEGORY.get(kind or "")
    if code is None:
        owned = queries.catalog_in_scope(store(), f"bureau:{bureau_for(viewer, bureau)}")["record_type_code"]
        code = "CF" if owned.empty or "CF" in set(owned) else owned.iloc[0]
    name = RECORD_TYPE_NAMES[code]
    suffix = "2015版" if generation == "2015" and samples.headers(code, "2015") != samples.headers(code) else "模板"
    frame = samples.template_frame(code, generation)
    content = excel_bytes([Sheet(name, frame, f"{name}报送模板", notes=[TA.UPLOAD_HINT])])
    return dcc.send_bytes(content, f"{name}_{suffix}.xlsx")
