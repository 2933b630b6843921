"""领导驾驶舱: the whole district on one screen for leaders; every figure links to the page that explains it."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from data.reference import SUBJECT_KINDS
from ui import grid
from ui import text as T
from ui import text_overview as TO
from ui.components import BLANK_FIGURE, GRAPH_CONFIG, deferred, hold, kpi_card, page_header, reserve, table_card

dash.register_page(__name__, path="/overview", name=TO.TITLE, title=f"{TO.TITLE} - {T.APP_TITLE}", order=10,
                   access="overview")

SUBJECT_TYPE_OPTIONS = [
    {"label": TO.ALL_TYPES, "value": ""},
    {"label": TO.LEGAL, "value": "legal"},
    *({"label": name, "value": kind} for kind, name in SUBJECT_KINDS.items()),
]


def _filters() -> html.Div:
    return html.Div(
        dbc.Row(
            [
                dbc.Col(html.Label(TO.YEAR, htmlFor="overview-year", className="col-form-label"), width="auto"),
                # "" is the newest year: the charts ask at once, and the year callback fills in the options.
                dbc.Col(hold(dcc.Dropdown(id="overview-year", options=[{"label": TO.NEWEST_YEAR, "value": ""}],
                                          value="", clearable=False, searchable=False, style={"width": "9rem"})),
                        width="auto"),
                dbc.Col(html.Label(TO.SUBJECT_TYPE, htmlFor="overview-subject-type", className="col-form-label"),
                        width="auto"),
                dbc.Col(hold(dcc.Dropdown(id="overview-subject-type", options=SUBJECT_TYPE_OPTIONS, value="",
                                          clearable=False, searchable=False, style={"width": "14rem"})),
                        width="auto"),
            ],
            className="g-2 align-items-center",
        ),
        className="filter-bar shadow-sm",
    )


def _chart(graph_id: str, height: int, href: str, link_text: str) -> dbc.Card:
    """A chart card with a link to the page that explains the figure (clicking the figure itself goes there too)."""
    return dbc.Card(
        dbc.CardBody([
            reserve(dcc.Loading(dcc.Graph(id=graph_id, figure=BLANK_FIGURE, config=GRAPH_CONFIG,
                                          style={"height": f"{height}px"},
                                          className="clickable-graph")), height, exact=True),
            html.Div(dcc.Link(link_text, href=href, id=f"{graph_id}-link"), className="text-end small"),
        ]),
        className="chart-card shadow-sm",
    )


def _risk_columns() -> list[dict]:
    return [
        grid.column("date", TO.COLUMNS["date"], width=120),
        grid.column("category", TO.COLUMNS["category"], width=190),
        grid.column("subject_name", TO.COLUMNS["subject_name"], width=220),
        grid.column("kind_name", TO.COLUMNS["kind_name"], width=120),
        grid.column("town", TO.COLUMNS["town"], width=120),
        grid.column("bureau", TO.COLUMNS["bureau"], width=140),
        grid.column("detail", TO.COLUMNS["detail"], width=220),
        grid.column("status", TO.COLUMNS["status"], width=110),
    ]


layout = html.Div(
    [
        dcc.Location(id="overview-nav", refresh="callback-nav"),
        page_header(TO.TITLE, TO.SUBTITLE),
        _filters(),
        dbc.Row(
            [
                dbc.Col(kpi_card("overview-kpi-subjects", TO.KPI_SUBJECTS, href="/"), md=6, xl=3),
                dbc.Col(kpi_card("overview-kpi-records", TO.KPI_RECORDS, href="/assessment"), md=6, xl=3),
                dbc.Col(kpi_card("overview-kpi-black", TO.KPI_BLACK, href="/lists"), md=6, xl=3),
                dbc.Col(kpi_card("overview-kpi-red", TO.KPI_RED, href="/lists"), md=6, xl=3),
            ],
            className="g-3 mb-3",
        ),
        dbc.Row(
            [
                dbc.Col(kpi_card("overview-kpi-on-time", TO.KPI_ON_TIME, href="/assessment"), md=6, xl=3),
                dbc.Col(kpi_card("overview-kpi-below", TO.KPI_BELOW, href="/assessment"), md=6, xl=3),
                dbc.Col(kpi_card("overview-kpi-objections", TO.KPI_OBJECTIONS, href="/lists"), md=6, xl=3),
                dbc.Col(kpi_card("overview-kpi-honours", TO.KPI_HONOURS, href="/campaign"), md=6, xl=3),
            ],
            className="g-3 mb-3",
        ),
        dbc.Row([dbc.Col(_chart("overview-records-trend", 360, "/assessment", TO.LINK_ASSESSMENT), lg=7),
                 dbc.Col(_chart("overview-subjects", 360, "/", TO.LINK_HOME), lg=5)]),
        dbc.Row([dbc.Col(_chart("overview-lists", 400, "/lists", TO.LINK_LISTS), lg=6),
                 dbc.Col(_chart("overview-on-time", 400, "/assessment", TO.LINK_ASSESSMENT), lg=6)]),
        # Below the first screen: drawn as they come into view.
        deferred("overview-lower", [
            dbc.Row([dbc.Col(_chart("overview-grades", 340, "/scored", TO.LINK_GRADES), lg=7),
                     dbc.Col(_chart("overview-objections", 340, "/lists", TO.LINK_OBJECTIONS), lg=5)]),
        ], 420),
        deferred("overview-tables", [
            table_card(TO.RISKS_TABLE, grid.data_grid("overview-risks-grid", _risk_columns(), height=440),
                       export_button_id="overview-risks-export", download_id="overview-risks-download"),
            table_card(TO.HONOURS_TABLE, grid.data_grid("overview-honours-grid", _risk_columns(), height=440),
                       export_button_id="overview-honours-export", download_id="overview-honours-download"),
        ], 1060),
    ]
)
