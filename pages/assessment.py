"""委办局报送考核: the quarterly assessment of how bureaus report (itc, admin), the district summary (leader), and
a bureau's own scores, uploads and error reports (bureau). Layout only; the sections follow the role."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from data import assessment as A
from data.reference import BUREAUS, RECORD_TYPES
from security.access import allowed
from ui import grid
from ui import text as T
from ui import text_assessment as TA
from ui.components import chart_card, deferred, kpi_card, labelled, page_header, table_card, viewer_role
from ui.figures_assessment import HEATMAP_HEIGHT, SCORES_HEIGHT, SINGLE_BUREAU_HEIGHT

dash.register_page(__name__, path="/assessment", name=TA.TITLE, title=f"{TA.TITLE} - {T.APP_TITLE}", order=20,
                   access="assessment")

BUREAU_KIND_OPTIONS = [{"label": TA.ALL, "value": ""}] + [
    {"label": kind, "value": kind} for kind in dict.fromkeys(b.kind for b in BUREAUS if b.kind != "外部")]
KIND_OPTIONS = [{"label": TA.UPLOAD_KIND_AUTO, "value": ""}] + [
    {"label": rt.name, "value": rt.category} for rt in RECORD_TYPES]
UPLOAD_MAX_BYTES = 40 * 1024 * 1024


def _filter_bar(role: str | None) -> html.Div:
    controls = [
        labelled(TA.PERIOD_KIND, dbc.RadioItems(
            id="assessment-period-kind", options=[{"label": v, "value": k} for k, v in TA.PERIOD_KINDS.items()],
            value="quarter", inline=True, className="pt-1")),
        # "" is the default quarter: the figures ask at once, and the period callback fills in the options.
        labelled(TA.PERIOD, dcc.Dropdown(id="assessment-period", options=[{"label": TA.LATEST_PERIOD, "value": ""}],
                                          value="", clearable=False, searchable=False, style={"width": "11rem"})),
        labelled(TA.BUREAU_KIND, dcc.Dropdown(id="assessment-bureau-kind", options=BUREAU_KIND_OPTIONS, value="",
                                               clearable=False, searchable=False, style={"width": "9rem"})),
        labelled(TA.CATALOG, dcc.Dropdown(id="assessment-catalog", value="", clearable=False,
                                           style={"width": "14rem"})),
    ]
    if role == "bureau":
        controls.append(dbc.Col(dbc.Badge(TA.SCOPE_NOTE_BUREAU, color="info", className="mt-4"), width="auto"))
    return html.Div(dbc.Row(controls, className="g-3 align-items-end"), className="filter-bar shadow-sm")


def _kpis(role: str | None) -> dbc.Row:
    bureau = role == "bureau"
    return dbc.Row(
        [
            dbc.Col(kpi_card("assessment-kpi-on-time", TA.KPI_ON_TIME_BUREAU if bureau else TA.KPI_ON_TIME),
                    md=6, xl=3),
            dbc.Col(kpi_card("assessment-kpi-late", TA.KPI_LATE), md=6, xl=3),
            dbc.Col(kpi_card("assessment-kpi-rejected", TA.KPI_REJECTED), md=6, xl=3),
            dbc.Col(kpi_card("assessment-kpi-below", TA.KPI_SCORE_BUREAU if bureau else TA.KPI_BELOW), md=6, xl=3),
        ],
        className="g-3 mb-3",
    )


def _settings_form() -> html.Div:
    """The admin's form for the district's weighting (filled and saved by callbacks)."""
    number = {"type": "number", "min": 0, "step": 1, "size": "sm"}
    rows = [dbc.Row([dbc.Col(dbc.Label(name, html_for=f"assessment-weight-{key}", className="small mb-0"), width=7),
                     dbc.Col(dbc.Input(id=f"assessment-weight-{key}", **number), width=5)], className="g-2 mb-1")
            for key, (name, _definition) in A.MEASURES.items()]
    rows += [dbc.Row([dbc.Col(dbc.Label(label, html_for=control_id, className="small mb-0"), width=7),
                      dbc.Col(dbc.Input(id=control_id, **number), width=5)], className="g-2 mb-1")
             for label, control_id in ((TA.SETTINGS_THRESHOLD, "assessment-threshold"),
                                       (TA.SETTINGS_DAYS, "assessment-objection-days"))]
    return html.Div([
        dbc.Button(TA.SETTINGS_OPEN, id="assessment-settings-open", size="sm", color="secondary", outline=True,
                   className="mt-2"),
        dbc.Collapse(html.Div([*rows, dbc.Button(TA.SETTINGS_SAVE, id="assessment-settings-save", size="sm",
                                                 color="primary", className="mt-2"),
                               html.Div(id="assessment-settings-feedback", className="small mt-2")],
                              className="mt-2"),
                     id="assessment-settings-collapse", is_open=False),
    ], id="assessment-settings-form")


def _weights_card(role: str | None) -> dbc.Card:
    body = [html.Div(id="assessment-weights"),
            html.P(TA.WEIGHTS_NOTE, className="small text-muted mb-1 mt-2"),
            html.P(id="assessment-weights-threshold", className="small text-muted mb-0")]
    if allowed(role, "assessment", "settings"):
        body.append(_settings_form())
    return dbc.Card([dbc.CardHeader(html.Span(TA.WEIGHTS_TITLE, className="fw-semibold")), dbc.CardBody(body)],
                    className="chart-card shadow-sm")


# Long Chinese headers wrap onto two lines rather than being cut off.
_WRAP = {"wrapHeaderText": True, "autoHeaderHeight": True}


_SUBMISSION_WIDTHS = {"received_at": {"minWidth": 150}, "file_name": {"flex": 2, "minWidth": 180}}


def _percent(field: str) -> dict:
    return grid.column(field, TA.COLUMNS[field], kind="percent", minWidth=110, **_WRAP)


def _table() -> dbc.Card:
    columns = [
        grid.column("rank", TA.COLUMNS["rank"], kind="number", width=80, flex=0, pinned="left"),
        grid.column("bureau", TA.COLUMNS["bureau"], width=190, flex=0, pinned="left"),
        grid.column("bureau_kind", TA.COLUMNS["bureau_kind"], minWidth=80),
        grid.column("score", TA.COLUMNS["score"], kind="decimal", minWidth=100, **_WRAP),
        grid.column("below_name", TA.COLUMNS["below"], minWidth=90, **_WRAP),
        _percent("on_time"),
        grid.column("late", TA.COLUMNS["late"], kind="number", minWidth=90, **_WRAP),
        _percent("timeliness"),
        grid.column("days_late", TA.COLUMNS["days_late"], kind="decimal", minWidth=110, **_WRAP),
        _percent("completeness"),
        _percent("error_rate"),
        _percent("duplicate_rate"),
        _percent("objections"),
        grid.column("turnaround_days", TA.COLUMNS["turnaround_days"], kind="decimal", minWidth=120, **_WRAP),
        _percent("coverage"),
        grid.column("rows_total", TA.COLUMNS["rows_total"], kind="number", minWidth=100, **_WRAP),
    ]
    return table_card(TA.TABLE_TITLE, grid.data_grid("assessment-grid", columns, height=520, page_size=50),
                      export_button_id="assessment-export", download_id="assessment-download")


def _drilldown(role: str | None) -> html.Div:
    bureau_control = dcc.Dropdown(id="assessment-drill-bureau", clearable=False, disabled=role == "bureau",
                                  style={"width": "16rem"})
    late = grid.data_grid(
        "assessment-late-grid",
        [grid.column(f, h, kind="number" if f == "publish_delay_wd" else "date" if f.endswith("_date") else "text")
         for f, h in TA.LATE_COLUMNS.items()] + [grid.REFRESH_COLUMN],
        server_side=True, page_size=20, height=420)
    rejected = grid.data_grid(
        "assessment-rejected-grid",
        [grid.column(f, h, kind="number" if f == "row_number" else "text",
                     **({"flex": 3} if f == "reason" else {})) for f, h in TA.REJECTED_COLUMNS.items()]
        + [grid.REFRESH_COLUMN],
        server_side=True, page_size=20, height=420)
    return html.Div(
        [
            html.H2(TA.DRILL_TITLE, className="h5 mt-4 mb-3"),
            html.Div(dbc.Row([labelled(TA.DRILL_BUREAU, bureau_control)], className="g-3"),
                     className="filter-bar shadow-sm"),
            chart_card("assessment-measures", 330),
            table_card(TA.LATE_TITLE, late),
            table_card(TA.REJECTED_TITLE, rejected),
        ],
        id="assessment-drill-section",
    )


def _upload(role: str | None) -> html.Div:
    bureau_control = dcc.Dropdown(id="assessment-upload-bureau", clearable=False, disabled=role == "bureau",
                                  style={"width": "16rem"})
    kind_control = dcc.Dropdown(id="assessment-upload-kind", options=KIND_OPTIONS, value="", clearable=False,
                                style={"width": "14rem"})
    submissions = grid.data_grid(
        "assessment-submissions-grid",
        [grid.column(f, h, kind="number" if f.startswith("rows_") else "text", **_SUBMISSION_WIDTHS.get(f, {}))
         for f, h in TA.SUBMISSION_COLUMNS.items()],
        height=380, page_size=20)
    submissions.dashGridOptions["rowSelection"] = {"mode": "singleRow", "checkboxes": False,
                                                   "enableClickSelection": True}
    submissions_card = dbc.Card(
        [dbc.CardHeader([html.Span(TA.SUBMISSIONS_TITLE, className="fw-semibold"),
                         dbc.Button(TA.SUBMISSION_REPORT, id="assessment-submission-report", size="sm",
                                    color="secondary", outline=True, className="float-end")]),
         dbc.CardBody(submissions), dcc.Download(id="assessment-submission-download")],
        className="chart-card shadow-sm")
    return html.Div(
        [
            html.H2(TA.UPLOAD_TITLE, className="h5 mt-4 mb-3"),
            dbc.Card(dbc.CardBody([
                dbc.Row([labelled(TA.UPLOAD_BUREAU, bureau_control), labelled(TA.UPLOAD_KIND, kind_control),
                         dbc.Col([dbc.Button(TA.TEMPLATE_CURRENT, id="assessment-template-current", size="sm",
                                             color="secondary", outline=True, className="me-2"),
                                  dbc.Button(TA.TEMPLATE_2015, id="assessment-template-2015", size="sm",
                                             color="secondary", outline=True)], width="auto",
                                 className="align-self-end")],
                        className="g-3 mb-3"),
                dcc.Upload(id="assessment-upload", children=html.Div(TA.UPLOAD_PROMPT), multiple=False,
                           max_size=UPLOAD_MAX_BYTES, className="upload-zone",
                           style={"borderWidth": "2px", "borderStyle": "dashed", "borderRadius": "0.5rem",
                                  "borderColor": "#9aa9bd", "padding": "1.5rem", "textAlign": "center",
                                  "background": "#fafbfd", "cursor": "pointer"}),
                html.P(TA.UPLOAD_HINT, className="small text-muted mt-2 mb-2"),
                html.Div(dbc.Progress(id="assessment-upload-progress", value=0, striped=True, animated=True,
                                      label="", style={"height": "1.4rem"}),
                         id="assessment-upload-progress-box", style={"display": "none"}, className="mb-2"),
                html.Div(id="assessment-upload-result"),
                dbc.Button(TA.UPLOAD_REPORT, id="assessment-upload-report", size="sm", color="danger", outline=True,
                           className="mt-2", style={"display": "none"}),
                dcc.Store(id="assessment-upload-submission"),
                dcc.Interval(id="assessment-upload-poll", interval=700, disabled=True),
                dcc.Download(id="assessment-template-download"),
                dcc.Download(id="assessment-report-download"),
            ]), className="chart-card shadow-sm"),
            submissions_card,
        ],
        id="assessment-upload-section",
    )


def layout(**_query: str) -> html.Div:
    role = viewer_role()
    heatmap_height = SINGLE_BUREAU_HEIGHT if role == "bureau" else HEATMAP_HEIGHT
    children = [
        page_header(TA.TITLE, TA.SUBTITLE_BUREAU if role == "bureau" else TA.SUBTITLE),
        # Bumped when the admin saves new settings, so the scores are computed again.
        dcc.Store(id="assessment-settings-version", data=0),
        _filter_bar(role),
        _kpis(role),
        dbc.Row([dbc.Col(chart_card("assessment-scores", SINGLE_BUREAU_HEIGHT if role == "bureau" else SCORES_HEIGHT),
                         lg=7),
                 dbc.Col(_weights_card(role), lg=5)]),
        # Below the first screen: drawn as they come into view.
        deferred("assessment-heatmap", [chart_card("assessment-heatmap", heatmap_height)], heatmap_height + 40),
        deferred("assessment-trend", [chart_card("assessment-trend", 340)], 380),
        deferred("assessment-table", [_table()], 600),
    ]
    if allowed(role, "assessment", "drilldown"):
        children.append(deferred("assessment-drilldown", [_drilldown(role)], 600))
    if allowed(role, "assessment", "upload"):
        children.append(deferred("assessment-upload", [_upload(role)], 600))
    return html.Div(children)
