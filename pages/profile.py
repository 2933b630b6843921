"""主体信用画像: one subject's score, grade, reasons, records timeline, lists, objections and 积分落户 deduction.

Layout only. The subject comes from the address (?subject=<id>, so other pages link here) or from the search;
every view is audited by its callback.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from ui import grid
from ui import text_model as T
from ui.components import chart_card, page_header, table_card

dash.register_page(__name__, path="/profile", name=T.PROFILE_TITLE, title=T.PROFILE_TITLE, order=60,
                   access="profile")


def _columns(spec: dict[str, str], kinds: dict[str, str] | None = None, wide: tuple[str, ...] = ()) -> list[dict]:
    kinds = kinds or {}
    return [grid.column(key, label, kind=kinds.get(key, "text"), **({"minWidth": 220} if key in wide else {}))
            for key, label in spec.items()]


def layout(**_query: str) -> html.Div:
    search = dbc.Row(
        [
            dbc.Col(html.Label(T.SEARCH, htmlFor="profile-search", className="col-form-label"), width="auto"),
            dbc.Col(dcc.Input(id="profile-search", type="text", placeholder=T.SEARCH_PLACEHOLDER, debounce=False,
                              className="form-control", style={"width": "26rem"}, maxLength=60), width="auto"),
            dbc.Col(dbc.Button(T.SEARCH_BUTTON, id="profile-search-button", color="primary"), width="auto"),
        ],
        className="g-2 align-items-center",
    )
    record_columns = _columns(
        {key: T.RECORD_COLUMNS[key] for key in ("decision_date", "record_type", "bureau", "severity", "content",
                                                 "amount", "publicity_end", "status", "public", "document_no")},
        {"decision_date": "date", "publicity_end": "date", "amount": "decimal"}, wide=("content",))
    list_columns = _columns(T.LIST_COLUMNS, {"listed_on": "date", "expires_on": "date", "removed_on": "date"},
                            wide=("reason",))
    objection_columns = _columns(T.OBJECTION_COLUMNS, {"filed_on": "date", "resolved_on": "date"},
                                 wide=("reason", "record"))
    points_columns = _columns(T.POINTS_COLUMNS_TABLE, {"item_date": "date", "points": "number"},
                              wide=("item", "subject_name"))
    return html.Div(
        [
            page_header(T.PROFILE_TITLE, T.PROFILE_SUBTITLE),
            html.Div([search, html.Div(id="profile-search-results", className="mt-2")],
                     className="filter-bar shadow-sm"),
            # No fade: the body must not shift under the pointer while the notice animates away.
            dbc.Alert(T.PROFILE_EMPTY, id="profile-empty", color="info", is_open=True, fade=False),
            dcc.Store(id="profile-subject-id"),
            html.Div(
                [
                    dbc.Row(
                        [
                            dbc.Col(dbc.Card(dbc.CardBody([html.Div(id="profile-subject"),
                                                           html.Div(id="profile-unmask-area", className="mt-2")]),
                                             className="chart-card shadow-sm h-100"), lg=5),
                            dbc.Col(dbc.Card([dbc.CardHeader(html.Span(T.SCORE_TITLE, className="fw-semibold")),
                                              dbc.CardBody(html.Div(id="profile-score"))],
                                             className="chart-card shadow-sm h-100"), lg=7),
                        ],
                        className="g-3 mb-3",
                    ),
                    # The timeline is at least 300 px high (taller with more categories): reserving more left a
                    # blank band under short timelines.
                    chart_card("profile-timeline", 300),
                    table_card(T.RECORDS_TITLE, grid.data_grid("profile-records-grid", record_columns, height=400)),
                    dbc.Row([
                        dbc.Col(table_card(T.LISTS_TITLE, grid.data_grid("profile-lists-grid", list_columns,
                                                                          height=300)), lg=6),
                        dbc.Col(table_card(T.OBJECTIONS_TITLE, grid.data_grid("profile-objections-grid",
                                                                              objection_columns, height=300)), lg=6),
                    ]),
                    dbc.Card(
                        [dbc.CardHeader(html.Span(T.POINTS_CARD_TITLE, className="fw-semibold")),
                         dbc.CardBody([html.Div(id="profile-points"),
                                       grid.data_grid("profile-points-grid", points_columns, height=280)])],
                        className="chart-card shadow-sm", id="profile-points-card",
                    ),
                ],
                id="profile-body", style={"display": "none"},
            ),
        ]
    )
