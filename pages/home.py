"""首页概览: the landing page every role sees first."""

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from ui import grid
from ui import text as T
from ui.components import chart_card, deferred, hold, kpi_card, page_header, table_card

dash.register_page(__name__, path="/", name=T.HOME_TITLE, title=f"{T.HOME_TITLE} - {T.APP_TITLE}", order=0,
                   access="home")

layout = html.Div(
    [
        page_header(T.HOME_TITLE, T.APP_SUBTITLE),
        html.Div(
            dbc.Row(
                [
                    dbc.Col(html.Label(T.HOME_YEAR, htmlFor="home-year", className="col-form-label"), width="auto"),
                    # Every year is the default, so the charts ask at once; the callback adds the years it finds.
                    dbc.Col(hold(dcc.Dropdown(id="home-year", options=[{"label": T.ALL, "value": ""}], value="",
                                              clearable=False, searchable=False, style={"width": "10rem"})),
                            width="auto"),
                ],
                className="g-2 align-items-center",
            ),
            className="filter-bar shadow-sm",
        ),
        dbc.Row(
            [
                dbc.Col(kpi_card("home-kpi-subjects", T.HOME_KPI_SUBJECTS), md=3),
                dbc.Col(kpi_card("home-kpi-records", T.HOME_KPI_RECORDS), md=3),
                dbc.Col(kpi_card("home-kpi-black", T.HOME_KPI_BLACK), md=3),
                dbc.Col(kpi_card("home-kpi-red", T.HOME_KPI_RED), md=3),
            ],
            className="g-3 mb-3",
        ),
        # 574 px: the towns' bar chart, one bar per town.
        dbc.Row([dbc.Col(chart_card("home-subjects-kind"), lg=5),
                 dbc.Col(chart_card("home-subjects-town", 574), lg=7)]),
        # Below the first screen: drawn as they come into view.
        deferred("home-records", [dbc.Row([dbc.Col(chart_card("home-records-type", 420), lg=6),
                                           dbc.Col(chart_card("home-records-bureau", 420), lg=6)])], 460),
        deferred("home-lists", [
            table_card(
                T.HOME_LIST_TABLE,
                grid.data_grid(
                    "home-lists-grid",
                    [
                        grid.column("list_type", T.COLUMN_NAMES["list_type"]),
                        grid.column("color_name", T.COLUMN_NAMES["color"]),
                        grid.column("issuer", T.COLUMN_NAMES["issuer"]),
                        grid.column("active", T.COLUMN_NAMES["active"], kind="number"),
                        grid.column("listed_total", T.COLUMN_NAMES["listed_total"], kind="number"),
                        grid.column("removed", T.COLUMN_NAMES["removed"], kind="number"),
                        grid.column("expired", T.COLUMN_NAMES["expired"], kind="number"),
                    ],
                    height=420,
                ),
                export_button_id="home-lists-export",
                download_id="home-lists-download",
            ),
        ], 480),
    ]
)
