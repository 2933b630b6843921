"""Callbacks of 主体信用画像: search (audited), the profile of the subject in the address (every view audited),
unmasking (audited), the 积分落户 deduction for persons."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import parse_qs

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, html, no_update

from callbacks.common import store, today
from data.points import PointsError
from data.queries import model as model_queries
from data.queries import profile as queries
from security.access import Viewer, guarded, require
from security.auth import audit_event
from security.masking import mask_id_number, mask_person_name
from ui import figures, figures_model
from ui import text_model as T

_HIDDEN = {"display": "none"}


def subject_id_from(search: str | None) -> int | None:
    """The subject id in '?subject=<id>' (None when absent or not a positive integer)."""
    values = parse_qs((search or "").lstrip("?")).get("subject") or []
    try:
        value = int(values[0]) if values else None
    except ValueError:
        return None
    return value if value and value > 0 else None


def _shown_name(name: str, kind: str, unmask: bool) -> str:
    return name if unmask or kind != "person" else mask_person_name(name)


def _shown_code(code: str, kind: str, unmask: bool) -> str:
    return code if unmask or kind != "person" else mask_id_number(code)


def _json_rows(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Grid rows; dates as YYYY-MM-DD (what the date filter compares and a reader expects)."""
    if frame.empty:
        return []
    data = frame[columns].copy()
    for column in columns:
        if data[column].map(lambda v: isinstance(v, dt.date)).any():
            data[column] = pd.to_datetime(data[column]).dt.strftime("%Y-%m-%d")
    return json.loads(data.to_json(orient="records", force_ascii=False))


# ---- search -------------------------------------------------------------------------------------------------------


@callback(Output("profile-search-results", "children"), Input("profile-search-button", "n_clicks"),
          Input("profile-search", "n_submit"), State("profile-search", "value"), prevent_initial_call=True)
@guarded("profile")
def search(n_clicks: int | None, n_submit: int | None, term: str | None) -> Any:
    if not n_clicks and not n_submit:
        return no_update
    viewer = require("profile")
    term = (term or "").strip()
    if len(term) < 2:
        return html.Span(T.SEARCH_TOO_SHORT, className="text-danger")
    found = queries.search_subjects(store(), term)
    audit_event("search", target="profile:search", detail={"term": term[:60], "matches": len(found)})
    if found.empty:
        return html.Span(T.SEARCH_NONE, className="text-muted")
    items = [
        dbc.ListGroupItem(
            [html.Span(_shown_name(row.name, row.kind, viewer.may_unmask), className="fw-semibold me-2"),
             html.Small(f"{_shown_code(row.code, row.kind, viewer.may_unmask)} · {row.kind_name} · "
                        f"{row.town_name or ''}", className="text-muted")],
            href=f"/profile?subject={row.subject_id}", action=True)
        for row in found.itertuples(index=False)
    ]
    return html.Div([html.Small(T.SEARCH_RESULTS.format(n=len(found), limit=queries.SEARCH_LIMIT),
                                className="text-muted"), dbc.ListGroup(items, className="mt-1")])


# ---- the profile ---------------------------------------------------------------------------------------------------


def subject_card(detail: dict[str, Any], unmask: bool) -> list:
    kind = detail["kind"]
    person = kind == "person"
    fields = [(T.FIELD_CODE, html.Span(_shown_code(detail["code"], kind, unmask), id="profile-code")),
              (T.FIELD_KIND, detail["kind_name"]), (T.FIELD_TOWN, detail["town_name"])]
    if not person:
        fields.append((T.FIELD_INDUSTRY, detail["industry_name"] or "—"))
    if detail["registered_on"]:
        born = detail["registered_on"]
        fields.append((T.FIELD_BORN, f"{born:%Y-%m-%d}" if unmask else f"{born:%Y} 年") if person
                      else (T.FIELD_REGISTERED, f"{born:%Y-%m-%d}"))
    if detail["deregistered_on"]:
        fields.append((T.FIELD_DEREGISTERED, f"{detail['deregistered_on']:%Y-%m-%d}"))
    if detail["rep"]:
        rep = detail["rep"]
        fields.append((T.FIELD_REP, html.A(_shown_name(rep["name"], rep["kind"], unmask),
                                           href=f"/profile?subject={rep['id']}")))
    if detail["represents"]:
        links = []
        for entity in detail["represents"]:
            links += [html.A(entity["name"], href=f"/profile?subject={entity['id']}"), html.Span("、")]
        fields.append((T.FIELD_REPRESENTS, html.Span(links[:-1])))
    rows = [html.Tr([html.Th(label, className="text-muted fw-normal pe-3 text-nowrap"), html.Td(value)])
            for label, value in fields]
    return [html.H2(_shown_name(detail["name"], kind, unmask), className="h5 mb-3", id="profile-name"),
            html.Table(html.Tbody(rows), className="table table-sm table-borderless mb-0")]


def score_card(scores: pd.DataFrame) -> list:
    if scores.empty:
        return [html.P(T.NOT_SCORED, className="text-muted mb-0")]
    latest = scores.iloc[0]
    colour = figures_model.GRADE_COLORS.get(latest["grade"], "#555")
    reasons = latest["reasons"] or []
    reason_items = [html.Li([html.Span(r["text"]), html.Small(T.REASON_POINTS.format(points=r["points"]),
                                                               className="text-muted ms-2")])
                    for r in reasons] or [html.Li(T.REASONS_NONE, className="text-muted")]
    headline = dbc.Row(
        [
            dbc.Col([html.Div(T.SCORE_LABEL, className="text-muted small"),
                     html.Div(f"{latest['score']:.1f}", className="fs-2 fw-semibold", id="profile-score-value")],
                    width="auto"),
            dbc.Col([html.Div(T.GRADE, className="text-muted small"),
                     html.Div(latest["grade"], className="fs-2 fw-semibold", style={"color": colour},
                              id="profile-grade")], width="auto"),
            dbc.Col([html.Div(T.PROBABILITY_LABEL, className="text-muted small"),
                     html.Div(f"{latest['probability']:.2%}", className="fs-2 fw-semibold",
                              id="profile-probability")], width="auto"),
        ],
        className="g-4 mb-1",
    )
    note = html.Div(T.SCORE_NOTE.format(version=latest["model_version_id"], as_of=latest["as_of"]),
                    className="kpi-note mb-3")
    history = []
    if len(scores) > 1:
        history = [html.Div(T.SCORE_HISTORY, className="fw-semibold small mt-3"),
                   html.Small("；".join(f"版本 {r.model_version_id}（{r.as_of}）：{r.score:.1f} 分 {r.grade} 级"
                                       for r in scores.itertuples(index=False)), className="text-muted")]
    return [headline, note, html.Div(T.REASONS_TITLE, className="fw-semibold"),
            html.Ol(reason_items, id="profile-reasons", className="mb-0"), *history]


def points_view(detail: dict[str, Any]) -> tuple[Any, list[dict], dict]:
    if detail["kind"] != "person":
        return html.P(T.POINTS_NOT_PERSON, className="text-muted mb-0"), [], _HIDDEN
    try:
        result = queries.points_deduction(store(), detail["id"], today())
    except PointsError as error:
        return html.P(str(error), className="text-danger mb-0"), [], {}
    deduction = result["deduction"]
    summary = [
        html.Div(T.POINTS_DEDUCTION.format(points=deduction) if deduction else T.POINTS_NONE,
                 className="fs-4 fw-semibold", id="profile-points-deduction"),
        html.Div(T.POINTS_RULE.format(rule=result["rule"]), className="fw-semibold small"),
        html.Small(result["description"], className="text-muted d-block mb-2"),
    ]
    records = result["records"]
    if not records.empty:
        # Persons' names stay masked here as in the rest of the profile's default view.
        records = records.assign(subject_name=[mask_person_name(n) if k == "person" else n for n, k in
                                               zip(records["subject_name"], records["subject_kind"], strict=True)])
    return summary, _json_rows(records, list(T.POINTS_COLUMNS_TABLE)), {}


@callback(
    Output("profile-empty", "is_open"), Output("profile-empty", "children"), Output("profile-body", "style"),
    Output("profile-subject-id", "data"), Output("profile-subject", "children"), Output("profile-unmask-area",
                                                                                        "children"),
    Output("profile-score", "children"), Output("profile-timeline", "figure"),
    Output("profile-records-grid", "rowData"), Output("profile-lists-grid", "rowData"),
    Output("profile-objections-grid", "rowData"), Output("profile-points", "children"),
    Output("profile-points-grid", "rowData"), Output("profile-points-grid", "style"),
    Input("url", "search"),
)
@guarded("profile")
def profile(search_string: str | None) -> tuple:
    viewer = require("profile")
    subject_id = subject_id_from(search_string)
    blank = (None, [], [], [], figures.empty_figure(T.TIMELINE_TITLE), [], [], [], [], [], _HIDDEN)
    if subject_id is None:
        return (True, T.PROFILE_EMPTY, _HIDDEN, *blank)
    detail = queries.subject_detail(store(), subject_id)
    if detail is None:
        return (True, T.PROFILE_NOT_FOUND.format(id=subject_id), _HIDDEN, *blank)
    audit_event("subject_view", target=f"subject:{subject_id}")
    day = today()
    records = queries.subject_records(store(), subject_id, day)
    entries = queries.subject_list_entries(store(), subject_id)
    objections = queries.subject_objections(store(), subject_id)
    scores = queries.subject_scores(store(), subject_id, model_queries.version_stamp(store()))
    points_summary, points_rows, points_style = points_view(detail)
    timeline = figures_model.records_timeline(records, entries, T.TIMELINE_TITLE, list_label=T.TIMELINE_LIST)
    if not records.empty:
        records = records.assign(severity=records["severity_name"], status=records["status_name"],
                                 public=records["public"].map({True: T.PUBLIC_NOW, False: T.NOT_PUBLIC}))
    if not objections.empty:
        objections = objections.assign(outcome=objections["outcome"].map(T.OUTCOMES).fillna(""))
    return (
        False, "", {}, subject_id,
        subject_card(detail, unmask=False),
        _unmask_control(viewer, detail),
        score_card(scores),
        timeline,
        _json_rows(records, list(T.RECORD_COLUMNS)),
        _json_rows(entries, list(T.LIST_COLUMNS)),
        _json_rows(objections, list(T.OBJECTION_COLUMNS)),
        points_summary, points_rows, {"height": "280px", "width": "100%", **points_style},
    )


def _unmask_control(viewer: Viewer, detail: dict[str, Any]) -> Any:
    masked = detail["kind"] == "person" or (detail["rep"] and detail["rep"]["kind"] == "person")
    if not masked or not viewer.may_unmask:
        return None
    return dbc.Button(T.UNMASK, id="profile-unmask", size="sm", color="secondary", outline=True)


@callback(Output("profile-subject", "children", allow_duplicate=True),
          Output("profile-unmask-area", "children", allow_duplicate=True),
          Input("profile-unmask", "n_clicks"), State("profile-subject-id", "data"), prevent_initial_call=True)
@guarded("profile")
def unmask(n_clicks: int | None, subject_id: Any) -> tuple:
    if not n_clicks or not subject_id:
        return no_update, no_update
    viewer = require("profile")
    if not viewer.may_unmask:
        return no_update, html.Small(T.UNMASK_REFUSED, className="text-danger")
    detail = queries.subject_detail(store(), int(subject_id))
    if detail is None:
        return no_update, no_update
    audit_event("unmask", target=f"subject:{detail['id']}", detail={"page": "profile"})
    return subject_card(detail, unmask=True), html.Small(T.UNMASKED, className="text-muted")
