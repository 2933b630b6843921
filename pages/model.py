"""信用评价模型: the model report, champion versus challenger, the points table, grades, versions and training.

Layout only. The train button appears for roles the authorisation table allows to train (the callback checks the
same table on the server); a running training job is polled every two seconds while the page stays usable.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from security.access import allowed
from ui import grid
from ui import text_model as T
from ui.components import chart_card, deferred, hold, kpi_card, page_header, table_card, viewer_role

dash.register_page(__name__, path="/model", name=T.MODEL_TITLE, title=T.MODEL_TITLE, order=50, access="model")

JOB_POLL_MS = 2000


def _toolbar(role: str | None) -> html.Div:
    may_train = allowed(role, "model", "train")
    controls = [
        dbc.Col(html.Label(T.VERSION, htmlFor="model-version", className="col-form-label"), width="auto"),
        # "" is the version shown by default: the report asks at once, the versions callback fills the options.
        dbc.Col(hold(dcc.Dropdown(id="model-version", options=[{"label": T.SHOWN_VERSION, "value": ""}], value="",
                                  clearable=False, searchable=False, style={"width": "24rem"})),
                width="auto"),
    ]
    if may_train:
        controls.append(dbc.Col(dbc.Button(T.TRAIN, id="model-train", color="primary"), width="auto"))
    controls.append(dbc.Col(html.Div(
        [dbc.Progress(id="model-job-progress", value=0, striped=True, animated=True, style={"display": "none"},
                      className="mb-1"),
         html.Small(id="model-job-message", className="text-muted")],
        style={"minWidth": "22rem"}), width=True))
    return html.Div(
        [dbc.Row(controls, className="g-2 align-items-center"),
         html.Small(T.TRAIN_HINT, className="text-muted d-block mt-1") if may_train else None,
         dbc.Alert(id="model-train-feedback", is_open=False, dismissable=True, className="mt-2 mb-0"),
         dcc.Interval(id="model-job-poll", interval=JOB_POLL_MS, disabled=True),
         dcc.Store(id="model-job-finished"), dcc.Store(id="model-job-done")],
        className="filter-bar shadow-sm",
    )


def _kpis() -> dbc.Row:
    cards = [("model-kpi-champion", T.KPI_CHAMPION), ("model-kpi-auc", T.KPI_AUC), ("model-kpi-oracle", T.KPI_ORACLE),
             ("model-kpi-ks", T.KPI_KS), ("model-kpi-brier", T.KPI_BRIER), ("model-kpi-psi", T.KPI_PSI)]
    return dbc.Row([dbc.Col(kpi_card(card_id, label), md=4, lg=2) for card_id, label in cards], className="g-3 mb-3")


def _points_card() -> dbc.Card:
    segment = dbc.RadioItems(id="model-points-segment", inline=True, value="person",
                             options=[{"label": name, "value": key} for key, name in T.SEGMENT_NAMES.items()])
    columns = [
        grid.column("label", T.POINTS_COLUMNS["label"], minWidth=200),
        grid.column("bin", T.POINTS_COLUMNS["bin"], minWidth=200),
        grid.column("count", T.POINTS_COLUMNS["count"], kind="number"),
        grid.column("bads", T.POINTS_COLUMNS["bads"], kind="number"),
        grid.column("bad_rate", T.POINTS_COLUMNS["bad_rate"], kind="percent"),
        grid.column("woe", T.POINTS_COLUMNS["woe"], kind="decimal"),
        grid.column("points", T.POINTS_COLUMNS["points"], kind="decimal"),
    ]
    return dbc.Card(
        [dbc.CardHeader([html.Span(T.POINTS_TITLE, className="fw-semibold me-3"),
                         html.Span(T.POINTS_SEGMENT, className="text-muted small me-2"),
                         html.Div(segment, className="d-inline-block")]),
         dbc.CardBody([html.P(id="model-points-note", className="text-muted small"),
                       grid.data_grid("model-points-grid", columns, page_size=50, height=520)])],
        className="chart-card shadow-sm",
    )


def layout(**_query: str) -> html.Div:
    role = viewer_role()
    may_export = allowed(role, "model", "export")
    feature_columns = [
        grid.column("segment_name", T.POINTS_SEGMENT, maxWidth=140),
        grid.column("label", T.FEATURE_COLUMNS["label"], minWidth=220),
        grid.column("iv", T.FEATURE_COLUMNS["iv"], kind="decimal", maxWidth=130),
        grid.column("selected_name", T.FEATURE_COLUMNS["selected"], maxWidth=100),
        grid.column("coefficient", T.FEATURE_COLUMNS["coefficient"], kind="decimal", maxWidth=120),
        grid.column("dropped", T.FEATURE_COLUMNS["dropped"], minWidth=240),
    ]
    band_columns = [grid.column(key, label, kind="percent" if "probability" in key else "text")
                    for key, label in T.BAND_COLUMNS.items()]
    history_columns = [
        grid.column("id", T.HISTORY_COLUMNS["id"], kind="number", maxWidth=90),
        grid.column("created_at", T.HISTORY_COLUMNS["created_at"], minWidth=160),
        grid.column("as_of", T.HISTORY_COLUMNS["as_of"], kind="date"),
        grid.column("algorithm_name", T.HISTORY_COLUMNS["algorithm"], minWidth=180),
        grid.column("in_service_name", T.HISTORY_COLUMNS["in_service"], maxWidth=90),
        grid.column("auc", T.HISTORY_COLUMNS["auc"], kind="decimal"),
        grid.column("oracle_auc", T.HISTORY_COLUMNS["oracle_auc"], kind="decimal"),
        grid.column("psi", T.HISTORY_COLUMNS["psi"], kind="decimal"),
        grid.column("scored", T.HISTORY_COLUMNS["scored"], kind="number"),
        grid.column("created_by", T.HISTORY_COLUMNS["created_by"]),
    ]
    return html.Div(
        [
            page_header(T.MODEL_TITLE, T.MODEL_SUBTITLE),
            _toolbar(role),
            dbc.Alert(T.NO_MODEL, id="model-empty", color="info", is_open=False),
            _kpis(),
            dbc.Row([
                # 465 px: the comparison table, so that the rows below do not move when it arrives.
                dbc.Col(dbc.Card([dbc.CardHeader(html.Span(T.COMPARE_TITLE, className="fw-semibold")),
                                  dbc.CardBody(html.Div(id="model-compare", style={"minHeight": "465px"}))],
                                 className="chart-card shadow-sm"),
                        lg=6),
                dbc.Col(chart_card("model-calibration"), lg=6),
            ]),
            dbc.Row([dbc.Col(chart_card("model-histogram"), lg=6), dbc.Col(chart_card("model-grades"), lg=6)]),
            # Below the first screen: drawn as they come into view.
            deferred("model-groups", [dbc.Row([dbc.Col(chart_card("model-kind-grades", 420), lg=6),
                                               dbc.Col(chart_card("model-town-scores", 620), lg=6)])], 660),
            deferred("model-points", [_points_card()], 500),
            deferred("model-tables", [
                dbc.Row([
                    dbc.Col(table_card(T.FEATURES_TITLE, grid.data_grid("model-features-grid", feature_columns,
                                                                         page_size=50, height=460)), lg=7),
                    dbc.Col(table_card(T.BANDS_TITLE, grid.data_grid("model-bands-grid", band_columns,
                                                                     height=460)), lg=5),
                ]),
                table_card(T.HISTORY_TITLE, grid.data_grid("model-history-grid", history_columns, height=360),
                           export_button_id="model-export" if may_export else None,
                           download_id="model-download" if may_export else None),
            ], 940),
        ]
    )
