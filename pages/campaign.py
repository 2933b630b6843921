"""文明创城诚信统计: honours, integrity activities and adverse records by town/street, unit type and year, with the
composite integrity index, its weights and the town ranking."""

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from data.queries.campaign import INDEX_COMPONENT_NAMES, INDEX_COMPONENTS
from data.reference import CAMPAIGN_UNIT_TYPES
from pages.overview import SUBJECT_TYPE_OPTIONS
from ui import grid
from ui import text as T
from ui import text_campaign as TC
from ui.components import chart_card, deferred, hold, kpi_card, page_header, table_card

dash.register_page(__name__, path="/campaign", name=TC.TITLE, title=f"{TC.TITLE} - {T.APP_TITLE}", order=40,
                   access="campaign")

UNIT_TYPE_OPTIONS = [{"label": TC.ALL_UNIT_TYPES, "value": ""},
                     *({"label": name, "value": code} for code, name in CAMPAIGN_UNIT_TYPES.items())]


def _filters() -> html.Div:
    def labelled(label: str, control_id: str, control) -> list:
        return [dbc.Col(html.Label(label, htmlFor=control_id, className="col-form-label"), width="auto"),
                dbc.Col(hold(control), width="auto")]

    return html.Div(
        dbc.Row(
            [
                # "" is the newest year: the charts ask at once, and the year callback fills in the options.
                *labelled(TC.YEAR, "campaign-year",
                          dcc.Dropdown(id="campaign-year", options=[{"label": TC.NEWEST_YEAR, "value": ""}], value="",
                                       clearable=False, searchable=False, style={"width": "9rem"})),
                *labelled(TC.UNIT_TYPE, "campaign-unit-type",
                          dcc.Dropdown(id="campaign-unit-type", options=UNIT_TYPE_OPTIONS, value="", clearable=False,
                                       searchable=False, style={"width": "10rem"})),
                *labelled(TC.SUBJECT_TYPE, "campaign-subject-type",
                          dcc.Dropdown(id="campaign-subject-type", options=SUBJECT_TYPE_OPTIONS, value="",
                                       clearable=False, searchable=False, style={"width": "14rem"})),
            ],
            className="g-2 align-items-center",
        ),
        className="filter-bar shadow-sm",
    )


def _weights_card() -> dbc.Card:
    inputs = [
        dbc.Row(
            [
                dbc.Label(INDEX_COMPONENT_NAMES[c], html_for=f"campaign-weight-{c}", width=7),
                dbc.Col(dbc.InputGroup([dbc.Input(id=f"campaign-weight-{c}", type="number", min=0, max=100,
                                                  step=1), dbc.InputGroupText("%")], size="sm"), width=5),
            ],
            className="mb-1",
        )
        for c in INDEX_COMPONENTS
    ]
    return dbc.Card(
        [
            dbc.CardHeader(html.Span(TC.WEIGHTS_TITLE, className="fw-semibold")),
            dbc.CardBody(
                [
                    html.P(TC.WEIGHTS_METHOD, className="small text-muted"),
                    html.Div(id="campaign-weights-table"),
                    html.Div(id="campaign-weights-source", className="small text-muted mb-2"),
                    html.Div(id="campaign-movers", className="small mb-2"),
                    html.Div(
                        [
                            dbc.Button(TC.WEIGHTS_EDIT, id="campaign-weights-toggle", size="sm", color="secondary",
                                       outline=True, className="mb-2"),
                            dbc.Collapse(
                                [html.P(TC.WEIGHTS_HELP, className="small text-muted"), *inputs,
                                 dbc.Button(TC.WEIGHTS_SAVE, id="campaign-weights-save", size="sm", color="primary",
                                            className="mt-2"),
                                 dbc.Alert(id="campaign-weights-feedback", is_open=False, className="mt-2 small")],
                                id="campaign-weights-editor", is_open=False,
                            ),
                        ],
                        id="campaign-weights-edit-area", hidden=True,
                    ),
                ]
            ),
        ],
        className="chart-card shadow-sm",
    )


def _grid(grid_id: str, columns: dict[str, str], kinds: dict[str, str], height: int, *,
          server_side: bool = False) -> dag.AgGrid:
    definitions = [grid.column(field, header, kind=kinds.get(field, "text")) for field, header in columns.items()]
    if server_side:
        definitions.append(grid.REFRESH_COLUMN)
    return grid.data_grid(grid_id, definitions, height=height, server_side=server_side)


_TOWN_KINDS = {"rank": "number", "index": "decimal", "index_change": "decimal", "rank_change": "number",
               "population": "number", "legal_persons": "number", "honours": "number", "activities": "number",
               "adverse_residents": "number", "adverse_legal": "number", "black_residents": "number",
               "black_legal": "number", **dict.fromkeys(INDEX_COMPONENTS, "decimal")}

layout = html.Div(
    [
        dcc.Store(id="campaign-weights-version", data=0),
        page_header(TC.TITLE, TC.SUBTITLE),
        _filters(),
        dbc.Row(
            [
                dbc.Col(kpi_card("campaign-kpi-honours", TC.KPI_HONOURS), md=4, xl=2),
                dbc.Col(kpi_card("campaign-kpi-activities", TC.KPI_ACTIVITIES), md=4, xl=2),
                dbc.Col(kpi_card("campaign-kpi-adverse-residents", TC.KPI_ADVERSE_RESIDENTS), md=4, xl=2),
                dbc.Col(kpi_card("campaign-kpi-adverse-legal", TC.KPI_ADVERSE_LEGAL, href="/lists"), md=4, xl=2),
                dbc.Col(kpi_card("campaign-kpi-black", TC.KPI_BLACK, href="/lists"), md=4, xl=2),
                dbc.Col(kpi_card("campaign-kpi-top", TC.KPI_TOP), md=4, xl=2),
            ],
            className="g-3 mb-3",
        ),
        dbc.Row([dbc.Col(chart_card("campaign-ranking", 600), lg=5), dbc.Col(chart_card("campaign-treemap", 600),
                                                                             lg=7)]),
        # Drawn with the page (the weights editor's callbacks write the weights version above, so they must not be
        # inserted later: Dash would fire them on insertion).
        dbc.Row([dbc.Col(chart_card("campaign-change", 600), lg=7), dbc.Col(_weights_card(), lg=5)]),
        # Below: each row drawn when it comes into view.
        deferred("campaign-honours", [dbc.Row([
            dbc.Col(chart_card("campaign-honours-town", 600), lg=7),
            dbc.Col([chart_card("campaign-by-unit-type", 290), chart_card("campaign-quarters", 290)], lg=5)])], 640),
        deferred("campaign-rates", [dbc.Row([dbc.Col(chart_card("campaign-resident-rates", 600), lg=6),
                                             dbc.Col(chart_card("campaign-legal-rates", 600), lg=6)])], 640),
        deferred("campaign-years", [dbc.Row([dbc.Col(chart_card("campaign-years", 320), lg=12)])], 360),
        deferred("campaign-towns", [table_card(TC.TOWN_TABLE, _grid("campaign-towns-grid", TC.TOWN_COLUMNS,
                                                                    _TOWN_KINDS, 560),
                                               export_button_id="campaign-towns-export",
                                               download_id="campaign-towns-download")], 640),
        deferred("campaign-events", [table_card(TC.EVENTS_TABLE, _grid("campaign-events-grid", TC.EVENT_COLUMNS,
                                                                       {"event_date": "date"}, 460,
                                                                       server_side=True),
                                                export_button_id="campaign-events-export",
                                                download_id="campaign-events-download")], 540),
    ]
)
