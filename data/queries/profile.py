"""Questions a subject's credit profile asks: search, the subject, its scores, records, lists, objections, 积分落户."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pandas as pd
from sqlalchemy import func, or_, select

from data import points
from data.cache import memoize
from data.db import Store
from data.models import CreditRecord, ListEntry, ModelVersion, Objection, Score, Subject
from data.publicity import records_public_mask
from data.reference import (
    BUREAU_NAMES,
    INDUSTRIES,
    LIST_COLOR_NAMES,
    LIST_TYPE_NAMES,
    RECORD_STATUSES,
    RECORD_TYPES,
    SEVERITIES,
    SUBJECT_KINDS,
    TOWN_NAMES,
)

SEARCH_LIMIT = 20
_CODE_LIKE = re.compile(r"^[0-9A-Za-z*]{4,18}$")
_POLARITY = {rt.code: rt.polarity for rt in RECORD_TYPES}
_TYPE_NAMES = {rt.code: rt.name for rt in RECORD_TYPES}


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@memoize()
def search_subjects(store: Store, term: str, limit: int = SEARCH_LIMIT) -> pd.DataFrame:
    """Subjects whose name contains `term` or whose code starts with it (codes compared in upper case)."""
    term = term.strip()[:100]
    columns = ["subject_id", "name", "code", "kind", "town_code"]
    if len(term) < 2:
        return pd.DataFrame(columns=[*columns, "kind_name", "town_name"])
    conditions = [Subject.name.like(f"%{_escape_like(term)}%", escape="\\")]
    if _CODE_LIKE.match(term):
        conditions.append(Subject.code.like(f"{_escape_like(term.upper())}%", escape="\\"))
    statement = (select(Subject.id.label("subject_id"), Subject.name, Subject.code, Subject.kind, Subject.town_code)
                 .where(or_(*conditions)).order_by(func.length(Subject.name), Subject.id).limit(limit))
    with store.engine.connect() as connection:
        result = connection.execute(statement)
        frame = pd.DataFrame(result.fetchall(), columns=columns)
    frame["kind_name"] = frame["kind"].map(SUBJECT_KINDS)
    frame["town_name"] = frame["town_code"].map(TOWN_NAMES)
    return frame


@memoize()
def subject_detail(store: Store, subject_id: int) -> dict[str, Any] | None:
    """The subject, its legal representative and the entities it represents (ids, names, codes, kinds)."""
    with store.read() as db:
        subject = db.get(Subject, subject_id)
        if subject is None:
            return None
        rep = db.get(Subject, subject.legal_rep_id) if subject.legal_rep_id else None
        represents = db.execute(select(Subject.id, Subject.name, Subject.code, Subject.kind)
                                .where(Subject.legal_rep_id == subject_id).order_by(Subject.id).limit(50)).all()
    return {
        "id": subject.id, "name": subject.name, "code": subject.code, "kind": subject.kind,
        "kind_name": SUBJECT_KINDS.get(subject.kind, subject.kind),
        "town_code": subject.town_code, "town_name": TOWN_NAMES.get(subject.town_code or "", "未登记"),
        "industry": subject.industry, "industry_name": INDUSTRIES.get(subject.industry or "", ""),
        "registered_on": subject.registered_on, "deregistered_on": subject.deregistered_on,
        "rep": None if rep is None else {"id": rep.id, "name": rep.name, "code": rep.code, "kind": rep.kind},
        "represents": [{"id": r.id, "name": r.name, "code": r.code, "kind": r.kind} for r in represents],
    }


@memoize()
def subject_scores(store: Store, subject_id: int, stamp: tuple) -> pd.DataFrame:
    """The subject's score in every version that scored it, newest version first (`stamp`: see
    data.queries.model.version_stamp, so a re-score shows at once)."""
    statement = (select(Score.model_version_id, Score.as_of, Score.score, Score.grade, Score.probability,
                        Score.reasons, ModelVersion.in_service, ModelVersion.algorithm)
                 .join(ModelVersion, ModelVersion.id == Score.model_version_id)
                 .where(Score.subject_id == subject_id).order_by(Score.model_version_id.desc()))
    with store.engine.connect() as connection:
        result = connection.execute(statement)
        frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    frame["reasons"] = [json.loads(r) if r else [] for r in frame["reasons"]]
    return frame


@memoize()
def subject_records(store: Store, subject_id: int, as_of: dt.date) -> pd.DataFrame:
    """Every credit record of the subject, newest first, with Chinese labels and whether it is public on `as_of`."""
    statement = (select(CreditRecord.id.label("record_id"), CreditRecord.decision_date, CreditRecord.publication_date,
                        CreditRecord.publicity_end, CreditRecord.record_type_code, CreditRecord.bureau_code,
                        CreditRecord.severity, CreditRecord.content, CreditRecord.amount, CreditRecord.status,
                        CreditRecord.document_no)
                 .where(CreditRecord.subject_id == subject_id)
                 .order_by(CreditRecord.decision_date.desc(), CreditRecord.id.desc()))
    with store.engine.connect() as connection:
        result = connection.execute(statement)
        frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    if frame.empty:
        return frame.assign(record_type="", bureau="", severity_name="", status_name="", polarity="", public=False)
    frame["public"] = records_public_mask(frame, as_of)
    frame["record_type"] = frame["record_type_code"].map(_TYPE_NAMES)
    frame["polarity"] = frame["record_type_code"].map(_POLARITY)
    frame["bureau"] = frame["bureau_code"].map(BUREAU_NAMES)
    frame["severity_name"] = frame["severity"].map(SEVERITIES).fillna("")
    frame["status_name"] = frame["status"].map(RECORD_STATUSES).fillna(frame["status"])
    return frame


@memoize()
def subject_list_entries(store: Store, subject_id: int) -> pd.DataFrame:
    statement = (select(ListEntry.list_type_code, ListEntry.color, ListEntry.bureau_code, ListEntry.listed_on,
                        ListEntry.expires_on, ListEntry.removed_on, ListEntry.reason)
                 .where(ListEntry.subject_id == subject_id).order_by(ListEntry.listed_on.desc()))
    with store.engine.connect() as connection:
        result = connection.execute(statement)
        frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    frame["list_type"] = frame["list_type_code"].map(LIST_TYPE_NAMES)
    frame["color_name"] = frame["color"].map(LIST_COLOR_NAMES)
    frame["issuer"] = frame["bureau_code"].map(BUREAU_NAMES)
    return frame


@memoize()
def subject_objections(store: Store, subject_id: int) -> pd.DataFrame:
    statement = (select(Objection.filed_on, Objection.record_id, CreditRecord.document_no,
                        CreditRecord.record_type_code, Objection.bureau_code, Objection.reason,
                        Objection.resolved_on, Objection.outcome)
                 .outerjoin(CreditRecord, CreditRecord.id == Objection.record_id)
                 .where(Objection.subject_id == subject_id).order_by(Objection.filed_on.desc()))
    with store.engine.connect() as connection:
        result = connection.execute(statement)
        frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    frame["bureau"] = frame["bureau_code"].map(BUREAU_NAMES)
    frame["record"] = [f"{_TYPE_NAMES.get(t, '')} {d or ''}".strip()
                       for t, d in zip(frame["record_type_code"], frame["document_no"], strict=True)]
    return frame


@memoize()
def points_deduction(store: Store, person_id: int, as_of: dt.date) -> dict[str, Any]:
    """积分落户 deduction of a natural person under the district's rule in force (data.points)."""
    result = points.points_deduction(store, person_id, as_of)
    return {"rule": result.rule.name, "description": result.rule.description, "deduction": result.deduction,
            "records": result.records}
