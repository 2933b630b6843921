"""红黑名单: lists in force and over time, the entry grid, typical cases, objections and repair, 积分落户.

Layout only; the tabs for objections/repair and 积分落户 appear for the roles the authorisation table allows
(their callbacks check the same table on the server).
"""

from __future__ import annotations

import datetime as dt

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from data.lists import OUTCOMES
from data.reference import BUREAU_NAMES, INDUSTRIES, LIST_COLOR_NAMES, LIST_TYPES, SEVERITIES, TOWNS
from security.access import allowed
from ui import grid
from ui import text_lists as T
from ui.components import chart_card, deferred, kpi_card, labelled, page_header, table_card, viewer_role
from ui.figures import BLACK, RED, WARNING
from ui.text import EXPORT_EXCEL

dash.register_page(__name__, path="/lists", name=T.TITLE, title=T.TITLE, order=30, access="lists")

_COLOR_ORDER = {"red": 0, "black": 1, "warning": 2}
_OUTCOME_OPTIONS = [{"label": name, "value": code} for code, name in OUTCOMES.items()]
_REPAIR_CONDITIONS = [{"label": T.REPAIR_CONDUCT, "value": "conduct_corrected"},
                      {"label": T.REPAIR_OBLIGATIONS, "value": "obligations_met"},
                      {"label": T.REPAIR_COMMITMENT, "value": "commitment_signed"}]
# The list colour column is drawn in the list's own colour in every grid.
COLOR_CELL_STYLE = {"styleConditions": [
    {"condition": f"params.value == '{LIST_COLOR_NAMES['red']}'", "style": {"color": RED, "fontWeight": 600}},
    {"condition": f"params.value == '{LIST_COLOR_NAMES['black']}'", "style": {"color": BLACK, "fontWeight": 600}},
    {"condition": f"params.value == '{LIST_COLOR_NAMES['warning']}'", "style": {"color": WARNING, "fontWeight": 600}},
]}


def _selectable(table: dag.AgGrid) -> dag.AgGrid:
    """A click selects one row; the selected row is what the forms act on."""
    table.dashGridOptions = {**table.dashGridOptions,
                             "rowSelection": {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True}}
    return table


def _dropdown(dropdown_id: str, options: list[dict], width: str = "11rem") -> dcc.Dropdown:
    return dcc.Dropdown(id=dropdown_id, options=options, placeholder=T.ALL, clearable=True, style={"width": width})


def _filter_bar(role: str | None, today: dt.date) -> html.Div:
    list_types = sorted(LIST_TYPES, key=lambda t: (_COLOR_ORDER.get(t.color, 9), t.code))
    issuers = sorted({t.issuer for t in LIST_TYPES})
    controls = [
        labelled(T.AS_OF, dcc.DatePickerSingle(id="lists-as-of", date=today, max_date_allowed=today,
                                                display_format="YYYY-MM-DD", first_day_of_week=1,
                                                month_format="YYYY年M月")),
        labelled(T.COLOR, _dropdown("lists-color", [{"label": n, "value": c} for c, n in LIST_COLOR_NAMES.items()],
                                     "9rem")),
        labelled(T.LIST_TYPE, _dropdown("lists-list-type", [{"label": t.name, "value": t.code} for t in list_types],
                                         "13rem")),
        labelled(T.TOWN, _dropdown("lists-town", [{"label": t.name, "value": t.code} for t in TOWNS])),
        labelled(T.INDUSTRY, _dropdown("lists-industry", [{"label": f"{k} {v}", "value": k}
                                                           for k, v in INDUSTRIES.items()], "14rem")),
    ]
    issuer = _dropdown("lists-issuer", [{"label": BUREAU_NAMES[b], "value": b} for b in issuers])
    if role == "bureau":
        # A bureau sees only its own lists: the issuer filter would be meaningless.
        controls.append(dbc.Col(html.Div([issuer, html.Small(T.SCOPE_NOTE_BUREAU, className="text-muted")],
                                         className="pt-4"), width="auto"))
        issuer.style = {"display": "none"}
    else:
        controls.insert(3, labelled(T.ISSUER, issuer))
    return html.Div(dbc.Row(controls, className="g-3 align-items-end"), className="filter-bar shadow-sm")


def _overview_tab() -> html.Div:
    kpis = [("lists-kpi-black", T.KPI_BLACK), ("lists-kpi-red", T.KPI_RED), ("lists-kpi-warning", T.KPI_WARNING),
            ("lists-kpi-new", T.KPI_NEW), ("lists-kpi-exits", T.KPI_EXITS), ("lists-kpi-expiring", T.KPI_EXPIRING)]
    expiring_columns = [
        grid.column("name", T.COLUMNS["name"], cellRenderer="markdown", minWidth=160),
        grid.column("code", T.COLUMNS["code"], minWidth=170),
        grid.column("list_type", T.COLUMNS["list_type"]),
        grid.column("color_name", T.COLUMNS["color_name"], cellStyle=COLOR_CELL_STYLE, maxWidth=120),
        grid.column("issuer", T.COLUMNS["issuer"]),
        grid.column("listed_on", T.COLUMNS["listed_on"], kind="date", maxWidth=130),
        grid.column("expires_on", T.COLUMNS["expires_on"], kind="date", maxWidth=130),
        grid.column("days_left", T.COLUMNS["days_left"], kind="number", maxWidth=120),
        grid.column("reason", T.COLUMNS["reason"], minWidth=160),
    ]
    expiring_window = dbc.RadioItems(id="lists-expiring-days", inline=True, value=90,
                                     options=[{"label": v, "value": k} for k, v in T.EXPIRING_DAYS.items()])
    return html.Div(
        [
            dbc.Row([dbc.Col(kpi_card(card_id, label), md=4, lg=2) for card_id, label in kpis], className="g-3 mb-3"),
            dbc.Row([dbc.Col(chart_card("lists-by-type", 400), lg=5), dbc.Col(chart_card("lists-trend", 400), lg=7)]),
            # Below the first screen: drawn as they come into view.
            deferred("lists-flows", [dbc.Row([dbc.Col(chart_card("lists-flows", 400), lg=7),
                                              dbc.Col(chart_card("lists-by-issuer", 400), lg=5)])], 440),
            deferred("lists-places", [dbc.Row([dbc.Col(chart_card("lists-by-town", 560), lg=6),
                                               dbc.Col(chart_card("lists-by-industry", 560), lg=6)])], 600),
            deferred("lists-expiring", [dbc.Card(
                [
                    dbc.CardHeader([html.Span(T.EXPIRING_TITLE, className="fw-semibold me-3"),
                                    html.Span(T.EXPIRING_WITHIN, className="text-muted small me-2"),
                                    html.Div(expiring_window, className="d-inline-block"),
                                    dbc.Button(EXPORT_EXCEL, id="lists-expiring-export", size="sm", color="secondary",
                                               outline=True, className="float-end")]),
                    dbc.CardBody(grid.data_grid("lists-expiring-grid", [*expiring_columns, grid.REFRESH_COLUMN],
                                                   height=420, server_side=True)),
                    dcc.Download(id="lists-expiring-download"),
                ],
                className="chart-card shadow-sm",
            )], 520),
        ],
        className="pt-3",
    )


def _entry_columns() -> list[dict]:
    return [
        grid.column("entry_id", T.COLUMNS["entry_id"], kind="number", maxWidth=110),
        grid.column("name", T.COLUMNS["name"], cellRenderer="markdown", minWidth=170),
        grid.column("code", T.COLUMNS["code"], minWidth=180),
        grid.column("kind_name", T.COLUMNS["kind_name"], minWidth=110),
        grid.column("list_type", T.COLUMNS["list_type"], minWidth=150),
        grid.column("color_name", T.COLUMNS["color_name"], cellStyle=COLOR_CELL_STYLE, minWidth=110),
        grid.column("issuer", T.COLUMNS["issuer"], minWidth=140),
        grid.column("listed_on", T.COLUMNS["listed_on"], kind="date", minWidth=130),
        grid.column("expires_on", T.COLUMNS["expires_on"], kind="date", minWidth=130),
        grid.column("removed_on", T.COLUMNS["removed_on"], kind="date", minWidth=130),
        grid.column("entry_status_name", T.COLUMNS["entry_status_name"], sortable=False, filter=False,
                    minWidth=100),
        grid.column("reason", T.COLUMNS["reason"], minWidth=180),
        grid.column("document_no", T.COLUMNS["document_no"], minWidth=170),
        grid.column("town_name", T.COLUMNS["town_name"], minWidth=120),
        # Not shown: changing its filter is how the page tells the grid to fetch again after the filter bar changed.
        grid.REFRESH_COLUMN,
    ]


def _entries_tab(role: str | None) -> html.Div:
    range_options = [{"label": T.RANGE_PUBLIC, "value": "public"}, {"label": T.RANGE_ALL, "value": "all"}]
    show_range = allowed(role, "lists", "trail")
    controls = dbc.Row(
        [
            dbc.Col(dbc.InputGroup([dbc.InputGroupText(T.SEARCH),
                                    dbc.Input(id="lists-search", type="search", debounce=True, maxLength=60,
                                              placeholder=T.SEARCH_PLACEHOLDER)]), lg=6),
            dbc.Col(dbc.RadioItems(id="lists-range", options=range_options, value="public", inline=True),
                    lg=6, className="pt-2", style=None if show_range else {"display": "none"}),
        ],
        className="g-2 mb-2",
    )
    return html.Div(
        [
            controls,
            html.P(T.ENTRIES_NOTE, className="text-muted small mb-2"),
            table_card(
                T.ENTRIES_TITLE,
                _selectable(grid.data_grid("lists-entries-grid", _entry_columns(), server_side=True, page_size=50,
                                           height=640)),
                export_button_id="lists-entries-export",
                download_id="lists-entries-download",
            ),
        ],
        className="pt-3",
    )


def _cases_tab() -> html.Div:
    return html.Div(
        dbc.Row(
            [
                dbc.Col(dbc.Card([dbc.CardHeader(T.CASES_BLACK, className="fw-semibold text-black-list"),
                                  dbc.CardBody(dcc.Loading(html.Div(id="lists-cases-black")))],
                                 className="chart-card shadow-sm case-black"), lg=6),
                dbc.Col(dbc.Card([dbc.CardHeader(T.CASES_RED, className="fw-semibold text-red-list"),
                                  dbc.CardBody(dcc.Loading(html.Div(id="lists-cases-red")))],
                                 className="chart-card shadow-sm case-red"), lg=6),
            ]
        ),
        className="pt-3",
    )


def _form_card(title: str, body: list, feedback_id: str) -> dbc.Card:
    return dbc.Card([dbc.CardHeader(title, className="fw-semibold"),
                     dbc.CardBody([*body, dbc.Alert(id=feedback_id, is_open=False, className="mt-3 mb-0")])],
                    className="chart-card shadow-sm")


def _field(label: str, control, *, width: int = 12) -> dbc.Col:
    return dbc.Col([dbc.Label(label, html_for=control.id, className="small text-muted mb-1"), control], md=width,
                   className="mb-2")


def _date(date_id: str, today: dt.date) -> dcc.DatePickerSingle:
    return dcc.DatePickerSingle(id=date_id, date=today, max_date_allowed=today, display_format="YYYY-MM-DD",
                                first_day_of_week=1, month_format="YYYY年M月")


def _shown_if(permitted: bool, card: dbc.Card) -> html.Div:
    """Forms a role may not use stay in the layout, hidden, so that every callback finds its components."""
    return html.Div(card, style=None if permitted else {"display": "none"})


def _actions_tab(role: str | None, today: dt.date) -> html.Div:
    forms = [
        _shown_if(allowed(role, "lists", "objection"), _form_card(T.OBJECTION_FORM, [
            dbc.Row([_field(T.OBJECTION_DATE, _date("lists-objection-date", today), width=5)]),
            _field(T.OBJECTION_REASON, dbc.Textarea(id="lists-objection-reason", maxLength=400, rows=3)),
            dbc.Button(T.OBJECTION_SUBMIT, id="lists-objection-submit", color="primary"),
        ], "lists-objection-feedback")),
        _shown_if(allowed(role, "lists", "outcome"), _form_card(T.OUTCOME_FORM, [
            dbc.Row([
                _field(T.OUTCOME_OBJECTION, dbc.Input(id="lists-outcome-objection", type="number", min=1, step=1),
                       width=4),
                _field(T.OUTCOME_DATE, _date("lists-outcome-date", today), width=4),
            ]),
            _field(T.OUTCOME, dbc.RadioItems(id="lists-outcome", options=_OUTCOME_OPTIONS, value="confirmed",
                                             inline=True)),
            _field(T.OUTCOME_NOTE, dbc.Textarea(id="lists-outcome-note", maxLength=200, rows=2)),
            dbc.Row([
                _field(T.OUTCOME_SEVERITY, dcc.Dropdown(id="lists-outcome-severity", placeholder=T.UNCHANGED,
                                                        options=[{"label": v, "value": k}
                                                                 for k, v in SEVERITIES.items()]), width=4),
                _field(T.OUTCOME_AMOUNT, dbc.Input(id="lists-outcome-amount", type="number", min=0, step=0.01),
                       width=4),
            ]),
            _field(T.OUTCOME_CONTENT, dbc.Input(id="lists-outcome-content", maxLength=200)),
            dbc.Button(T.OUTCOME_SUBMIT, id="lists-outcome-submit", color="primary"),
        ], "lists-outcome-feedback")),
        _shown_if(allowed(role, "lists", "repair"), _form_card(T.REPAIR_FORM, [
            dbc.Row([_field(T.REPAIR_APPLIED, _date("lists-repair-applied", today), width=5),
                     _field(T.REPAIR_DECIDED, _date("lists-repair-decided", today), width=5)]),
            _field(T.REPAIR_CONDITIONS, dbc.Checklist(id="lists-repair-conditions", options=_REPAIR_CONDITIONS,
                                                      value=[])),
            _field(T.REPAIR_DECISION, dbc.RadioItems(id="lists-repair-decision", inline=True, value="granted",
                                                     options=[{"label": T.REPAIR_GRANT, "value": "granted"},
                                                              {"label": T.REPAIR_REFUSE, "value": "refused"}])),
            _field(T.REPAIR_REASON, dbc.Input(id="lists-repair-reason", maxLength=200)),
            dbc.Button(T.REPAIR_SUBMIT, id="lists-repair-submit", color="primary"),
        ], "lists-repair-feedback")),
        _shown_if(allowed(role, "lists", "repair"), _form_card(T.REMOVAL_FORM, [
            dbc.Row([_field(T.REMOVAL_ENTRY, dbc.Input(id="lists-removal-entry", type="number", min=1, step=1),
                            width=5),
                     _field(T.REMOVAL_DATE, _date("lists-removal-date", today), width=5)]),
            _field(T.REMOVAL_REASON, dbc.Input(id="lists-removal-reason", maxLength=200)),
            html.P(T.ENTRY_PICK_HINT, className="small text-muted"),
            dbc.Button(T.REMOVAL_SUBMIT, id="lists-removal-submit", color="primary"),
        ], "lists-removal-feedback")),
    ]
    objection_columns = [
        grid.column(c, T.OPEN_OBJECTION_COLUMNS[c], kind="number" if c in ("objection_id", "record_id", "days_open")
                    else "date" if c == "filed_on" else "text")
        for c in T.OPEN_OBJECTION_COLUMNS
    ]
    history_columns = [grid.column(c, T.HISTORY_COLUMNS[c], **({"flex": 3, "wrapText": True, "autoHeight": True}
                                                              if c == "change" else {}))
                       for c in T.HISTORY_COLUMNS]
    return html.Div(
        [
            dbc.Alert(T.ACTIONS_HELP, color="light", className="small"),
            table_card(T.OPEN_OBJECTIONS, _selectable(grid.data_grid("lists-objections-grid", objection_columns,
                                                                     height=260, page_size=20))),
            html.Div(
                dbc.Row([
                    dbc.Col(dbc.InputGroup([dbc.InputGroupText(T.RECORD_KEY),
                                            dbc.Input(id="lists-record-key", debounce=True, maxLength=80,
                                                      placeholder=T.RECORD_KEY_PLACEHOLDER)]), lg=8),
                    dbc.Col(dbc.Button(T.LOOKUP, id="lists-record-lookup", color="primary"), width="auto"),
                ], className="g-2"),
                className="filter-bar shadow-sm",
            ),
            dbc.Row([
                dbc.Col([dbc.Card([dbc.CardHeader(T.RECORD_DETAILS, className="fw-semibold"),
                                   dbc.CardBody(dcc.Loading(html.Div(
                                       html.P(T.NEED_RECORD, className="text-muted"), id="lists-record-detail")))],
                                  className="chart-card shadow-sm"),
                         table_card(T.HISTORY, grid.data_grid("lists-history-grid", history_columns, height=320,
                                                              page_size=20))], lg=6),
                dbc.Col(forms, lg=6),
            ]),
            *[dcc.Store(id=f"lists-{form}-done") for form in ("objection", "outcome", "repair", "removal")],
        ],
        className="pt-3",
    )


def _points_tab(role: str | None, today: dt.date) -> html.Div:
    rule_editor = html.Div(
        [
            dbc.Row([
                dbc.Col(dcc.Dropdown(id="lists-points-rule-select", clearable=False,
                                     placeholder=T.POINTS_RULE_CHANGE, style={"minWidth": "24rem"}),
                        width="auto"),
                dbc.Col(dbc.Button(T.POINTS_RULE_SAVE, id="lists-points-rule-save", color="secondary",
                                   outline=True), width="auto"),
            ], className="g-2 mt-2"),
            dbc.Alert(id="lists-points-rule-feedback", is_open=False, className="mt-2 mb-0"),
        ],
        style=None if allowed(role, "lists", "points_rule") else {"display": "none"},
    )
    points_columns = [grid.column(c, T.POINTS_COLUMNS[c], **({"kind": "number"} if c == "points" else
                                                              {"kind": "date"} if c == "item_date" else {}))
                      for c in T.POINTS_COLUMNS]
    return html.Div(
        [
            dbc.Card([dbc.CardHeader(T.POINTS_RULE, className="fw-semibold"),
                      dbc.CardBody([html.Div(id="lists-points-rule"), rule_editor])],
                     className="chart-card shadow-sm"),
            html.Div(
                dbc.Row([
                    dbc.Col(dbc.InputGroup([dbc.InputGroupText(T.POINTS_PERSON),
                                            dbc.Input(id="lists-points-term", debounce=True, maxLength=40,
                                                      placeholder=T.POINTS_PERSON_PLACEHOLDER)]), lg=5),
                    dbc.Col(dbc.Button(T.LOOKUP, id="lists-points-search", color="primary"), width="auto"),
                    labelled(T.POINTS_MATCHES, dcc.Dropdown(id="lists-points-person", clearable=False,
                                                             placeholder=T.POINTS_PICK, style={"minWidth": "20rem"})),
                    labelled(T.POINTS_AS_OF, _date("lists-points-as-of", today)),
                ], className="g-2 align-items-end"),
                className="filter-bar shadow-sm",
            ),
            dbc.Card(dbc.CardBody(dcc.Loading(html.Div(id="lists-points-result"))), className="chart-card shadow-sm"),
            table_card(T.POINTS_TITLE, grid.data_grid("lists-points-grid", points_columns, height=360)),
            dcc.Store(id="lists-points-rule-version"),
        ],
        className="pt-3",
    )


def layout(**_query: str) -> html.Div:
    role = viewer_role()
    today = dt.date.today()
    def later(tab_id: str, content: html.Div) -> html.Div:
        # A closed tab's pane is hidden, so its section is drawn when the tab is first opened.
        return deferred(f"lists-tab-{tab_id}", [content], 600)

    tabs = [
        dbc.Tab(_overview_tab(), label=T.TAB_OVERVIEW, tab_id="overview"),
        dbc.Tab(later("entries", _entries_tab(role)), label=T.TAB_ENTRIES, tab_id="entries"),
        dbc.Tab(later("cases", _cases_tab()), label=T.TAB_CASES, tab_id="cases"),
    ]
    if any(allowed(role, "lists", action) for action in ("objection", "outcome", "repair")):
        tabs.append(dbc.Tab(later("actions", _actions_tab(role, today)), label=T.TAB_ACTIONS, tab_id="actions"))
    if allowed(role, "lists", "points"):
        tabs.append(dbc.Tab(later("points", _points_tab(role, today)), label=T.TAB_POINTS, tab_id="points"))
    return html.Div([page_header(T.TITLE, T.SUBTITLE), _filter_bar(role, today),
                     dbc.Tabs(tabs, id="lists-tabs", active_tab="overview")])
