"""评分主体: the scored population by grade, type, town and industry, and grade migration between versions.

Layout only; the grid pages on the server (infinite row model) so the district's 2.3 million scores never reach
the browser at once.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from data.reference import INDUSTRIES, SUBJECT_KINDS, TOWNS
from security.access import UNMASK_ROLES, allowed
from ui import grid
from ui import text_model as T
from ui.components import chart_card, deferred, kpi_card, labelled, page_header, table_card, viewer_role
from ui.figures_model import GRADE_COLORS, GRADES

dash.register_page(__name__, path="/scored", name=T.SCORED_TITLE, title=T.SCORED_TITLE, order=70, access="scored")

GRADE_CELL_STYLE = {"styleConditions": [
    {"condition": f"params.value == '{grade}'", "style": {"color": colour, "fontWeight": 600}}
    for grade, colour in GRADE_COLORS.items()
]}


def _multi(dropdown_id: str, options: list[dict], width: str) -> dcc.Dropdown:
    return dcc.Dropdown(id=dropdown_id, options=options, multi=True, placeholder=T.ALL, style={"minWidth": width})


def layout(**_query: str) -> html.Div:
    role = viewer_role()
    may_export = allowed(role, "scored", "export")
    # Searching names is for roles that see persons' names: a search on masked names would still identify people
    # (the server ignores a name filter from other roles too).
    name_filter = {} if role in UNMASK_ROLES else {"filter": False, "sortable": False}
    filters = dbc.Row(
        [
            # "" is the version shown by default: the charts ask at once, the versions callback fills the options.
            labelled(T.VERSION, dcc.Dropdown(id="scored-version", options=[{"label": T.SHOWN_VERSION, "value": ""}],
                                              value="", clearable=False, searchable=False,
                                              style={"width": "22rem"})),
            labelled(T.GRADE, _multi("scored-grade", [{"label": g, "value": g} for g in GRADES], "10rem")),
            labelled(T.KIND, _multi("scored-kind", [{"label": v, "value": k} for k, v in SUBJECT_KINDS.items()],
                                     "12rem")),
            labelled(T.TOWN, _multi("scored-town", [{"label": t.name, "value": t.code} for t in TOWNS], "12rem")),
            labelled(T.INDUSTRY, _multi("scored-industry", [{"label": f"{k} {v}", "value": k}
                                                             for k, v in INDUSTRIES.items()], "14rem")),
            labelled(T.COMPARE_VERSION, dcc.Dropdown(id="scored-compare", clearable=True, searchable=False,
                                                      placeholder="不对比", style={"width": "22rem"})),
        ],
        className="g-3 align-items-end",
    )
    kpis = [("scored-kpi-subjects", T.KPI_SCORED), ("scored-kpi-mean", T.KPI_MEAN), ("scored-kpi-a", T.KPI_A),
            ("scored-kpi-cd", T.KPI_CD)]
    columns = [
        grid.column("name", T.SCORED_COLUMNS["name"], cellRenderer="markdown", minWidth=220, **name_filter),
        grid.column("code", T.SCORED_COLUMNS["code"], minWidth=180, filter=False, sortable=False),
        grid.column("kind_name", T.SCORED_COLUMNS["kind_name"], maxWidth=130, filter=False, sortable=False),
        grid.column("town_name", T.SCORED_COLUMNS["town_name"], maxWidth=140, filter=False, sortable=False),
        grid.column("industry_name", T.SCORED_COLUMNS["industry_name"], minWidth=160, filter=False, sortable=False),
        grid.column("score", T.SCORED_COLUMNS["score"], kind="decimal", maxWidth=120),
        grid.column("grade", T.SCORED_COLUMNS["grade"], maxWidth=100, cellStyle=GRADE_CELL_STYLE),
        grid.column("probability", T.SCORED_COLUMNS["probability"], kind="percent", maxWidth=130),
        grid.column("top_reason", T.SCORED_COLUMNS["top_reason"], minWidth=280, filter=False, sortable=False),
        # Hidden: the filter bar writes a token into its filter so the server-side grid asks for rows again.
        grid.REFRESH_COLUMN,
    ]
    return html.Div(
        [
            page_header(T.SCORED_TITLE, T.SCORED_SUBTITLE),
            html.Div(filters, className="filter-bar shadow-sm"),
            dbc.Alert(T.NO_MODEL, id="scored-empty", color="info", is_open=False),
            dbc.Row([dbc.Col(kpi_card(card_id, label), md=6, lg=3) for card_id, label in kpis], className="g-3 mb-3"),
            dbc.Row([dbc.Col(chart_card("scored-grades"), lg=5), dbc.Col(chart_card("scored-kinds"), lg=7)]),
            # Below the first screen: drawn as they come into view.
            deferred("scored-places", [dbc.Row([dbc.Col(chart_card("scored-towns", 620), lg=6),
                                                dbc.Col(chart_card("scored-industries", 620), lg=6)])], 660),
            deferred("scored-grid", [table_card(T.SCORED_TABLE, grid.data_grid("scored-grid", columns,
                                                                               server_side=True, page_size=50,
                                                                               height=620),
                                                export_button_id="scored-export" if may_export else None,
                                                download_id="scored-download" if may_export else None)], 700),
            deferred("scored-migration", [chart_card("scored-migration", 480)], 520),
        ]
    )
