"""Questions the 红黑名单 page asks: entries in force and over time, flows, expiries, the paged entry grid, typical
cases, and the records, objections and history behind the objection and repair forms.

Every count uses data.publicity's "public on day D" rule, and every function takes the viewer's scope ("district" or
"bureau:<code>") so that a bureau user only ever sees what its own bureau issued or decided.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Select, case, func, literal, or_, select
from sqlalchemy.engine import Connection

from data import publicity
from data.cache import memoize
from data.db import Store
from data.models import ChangeHistory, CreditRecord, CreditRepair, ListEntry, ListType, Objection, Subject
from data.queries import grid
from data.reference import (
    BUREAU_NAMES,
    INDUSTRIES,
    LIST_COLOR_NAMES,
    LIST_TYPE_NAMES,
    LIST_TYPES,
    RECORD_STATUSES,
    RECORD_TYPE_NAMES,
    SEVERITIES,
    SUBJECT_KINDS,
    TOWN_NAMES,
)

UNKNOWN = "未知"
NO_INDUSTRY = "自然人及未分类"
# District honours and customs certification: the "notable honours" of the typical cases.
HONOUR_LIST_TYPES = ("CXQY", "MFGR", "TZBY", "WMDW", "HGGJ")
SEVERITY_RANK = {"serious": 3, "ordinary": 2, "minor": 1}


@dataclass(frozen=True)
class ListFilter:
    """The page's filter bar; None = all. Frozen so that it is part of the cache key."""

    color: str | None = None
    list_type: str | None = None
    issuer: str | None = None
    town: str | None = None
    industry: str | None = None


def scope_bureau(scope: str) -> str | None:
    """The bureau a scope is limited to, or None for the whole district."""
    return scope.split(":", 1)[1] if scope.startswith("bureau:") else None


def _entry_conditions(scope: str, filters: ListFilter) -> list[ColumnElement]:
    conditions: list[ColumnElement] = []
    bureau = scope_bureau(scope)
    if bureau:
        conditions.append(ListEntry.bureau_code == bureau)
    if filters.color:
        conditions.append(ListEntry.color == filters.color)
    if filters.list_type:
        conditions.append(ListEntry.list_type_code == filters.list_type)
    if filters.issuer:
        conditions.append(ListEntry.bureau_code == filters.issuer)
    if filters.town:
        conditions.append(Subject.town_code == filters.town)
    if filters.industry:
        conditions.append(Subject.industry == filters.industry)
    return conditions


def _frame(connection: Connection, statement: Select) -> pd.DataFrame:
    result = connection.execute(statement)
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _name_entries(frame: pd.DataFrame) -> pd.DataFrame:
    """Chinese names next to the codes of an entry frame."""
    if "list_type_code" in frame:
        frame["list_type"] = frame["list_type_code"].map(LIST_TYPE_NAMES)
    if "color" in frame:
        frame["color_name"] = frame["color"].map(LIST_COLOR_NAMES)
    if "bureau_code" in frame:
        frame["issuer"] = frame["bureau_code"].map(BUREAU_NAMES).fillna(frame["bureau_code"])
    if "town_code" in frame:
        frame["town_name"] = frame["town_code"].map(TOWN_NAMES).fillna(UNKNOWN)
    if "industry" in frame:
        frame["industry_name"] = frame["industry"].map(INDUSTRIES).fillna(NO_INDUSTRY)
    if "kind" in frame:
        frame["kind_name"] = frame["kind"].map(SUBJECT_KINDS)
    return frame


def _iso(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Dates as YYYY-MM-DD text (grids and JSON), empty for missing."""
    for column in columns:
        if column in frame:
            frame[column] = pd.to_datetime(frame[column]).dt.strftime("%Y-%m-%d").fillna("")
    return frame


@memoize(survives=("submission",))  # list entries and listed subjects only
def entries_in_force(store: Store, scope: str, as_of: dt.date, filters: ListFilter) -> pd.DataFrame:
    """Entries on their lists on `as_of`, counted by list type, colour, issuer, town, industry and subject kind."""
    keys = [ListEntry.list_type_code, ListEntry.color, ListEntry.bureau_code, Subject.town_code, Subject.industry,
            Subject.kind]
    statement = (
        select(*keys, func.count().label("entries"))
        .join(Subject, Subject.id == ListEntry.subject_id)
        .where(publicity.entry_public_on(as_of), *_entry_conditions(scope, filters))
        .group_by(*keys)
    )
    with store.engine.connect() as connection:
        frame = _frame(connection, statement)
    frame["entries"] = frame["entries"].astype("int64")
    return _name_entries(frame)


@memoize(survives=("submission",))  # list entries and listed subjects only
def _entry_dates(store: Store, scope: str, as_of: dt.date, filters: ListFilter) -> pd.DataFrame:
    """listed_on, expires_on, removed_on (datetime64) and colour of every entry listed by `as_of`."""
    statement = (select(ListEntry.color, ListEntry.listed_on, ListEntry.expires_on, ListEntry.removed_on)
                 .where(ListEntry.listed_on <= as_of, *_entry_conditions(scope, filters)))
    if filters.town or filters.industry:
        # Only these filters need the subject; joining 2 million subjects otherwise costs most of the query.
        statement = statement.join(Subject, Subject.id == ListEntry.subject_id)
    with store.engine.connect() as connection:
        result = connection.execute(statement)
        # Every entry of the district (145,000 at district scale): the driver's tuples, not SQLAlchemy rows (which
        # cost 0.3 s here); the dates are parsed below whatever the driver returns (date objects or ISO text).
        frame = pd.DataFrame.from_records(result.cursor.fetchall(), columns=list(result.keys()))
    for column in ("listed_on", "expires_on", "removed_on"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _month_ends(as_of: dt.date, months: int) -> list[dt.date]:
    """The last day of each of the `months` months up to `as_of`'s month; the last point is `as_of` itself."""
    first = publicity.add_months(as_of.replace(day=1), -(months - 1))
    ends = [publicity.add_months(first, i + 1) - dt.timedelta(days=1) for i in range(months - 1)]
    return [*ends, as_of]


@memoize(survives=("submission",))  # list entries and listed subjects only
def entries_over_time(store: Store, scope: str, as_of: dt.date, filters: ListFilter, months: int = 24
                      ) -> pd.DataFrame:
    """Entries on their lists at each month end (the current month up to `as_of`): columns day, month, color,
    color_name, entries."""
    frame = _entry_dates(store, scope, as_of, filters)
    colors = list(LIST_COLOR_NAMES)
    codes = pd.Categorical(frame["color"], categories=colors).codes  # -1 for a colour not named (none expected)
    known = codes >= 0
    days = _month_ends(as_of, months)
    rows = []
    for day, public in zip(days, publicity.entries_public_masks(frame, days), strict=True):
        counts = np.bincount(codes[public & known], minlength=len(colors))
        for color, count in zip(colors, counts, strict=True):
            rows.append({"day": day, "month": f"{day:%Y-%m}", "color": color, "entries": int(count)})
    result = pd.DataFrame(rows, columns=["day", "month", "color", "entries"])
    result["color_name"] = result["color"].map(LIST_COLOR_NAMES)
    return result


@memoize(survives=("submission",))  # list entries and listed subjects only
def monthly_flows(store: Store, scope: str, as_of: dt.date, filters: ListFilter, months: int = 24) -> pd.DataFrame:
    """Per month and colour: new listings, early removals, and expiries (the day after the last day on the list),
    up to `as_of`. Columns month, color, color_name, listed, removed, expired."""
    frame = _entry_dates(store, scope, as_of, filters)
    first = pd.Timestamp(publicity.add_months(as_of.replace(day=1), -(months - 1)))
    day = pd.Timestamp(as_of)
    exit_by_expiry = frame["expires_on"] + pd.Timedelta(days=1)
    # An entry removed before its expiry leaves by removal, otherwise by expiry (whichever comes first).
    expired = exit_by_expiry.notna() & (frame["removed_on"].isna() | (frame["removed_on"] > frame["expires_on"]))
    removed = frame["removed_on"].notna() & (frame["expires_on"].isna() | (frame["removed_on"] <= frame["expires_on"]))
    events = pd.concat([
        pd.DataFrame({"when": frame["listed_on"], "color": frame["color"], "kind": "listed"}),
        pd.DataFrame({"when": frame.loc[removed, "removed_on"], "color": frame.loc[removed, "color"],
                      "kind": "removed"}),
        pd.DataFrame({"when": exit_by_expiry[expired], "color": frame.loc[expired, "color"], "kind": "expired"}),
    ])
    events = events[(events["when"] >= first) & (events["when"] <= day)]
    all_months = [f"{publicity.add_months(first.date(), i):%Y-%m}" for i in range(months)]
    index = pd.MultiIndex.from_product([all_months, list(LIST_COLOR_NAMES)], names=["month", "color"])
    if events.empty:
        result = pd.DataFrame(0, index=index, columns=["listed", "removed", "expired"])
    else:
        # Month labels through the month number: strftime on every event cost 0.36 s at district scale.
        months_since_first = (events["when"].dt.year - first.year) * 12 + events["when"].dt.month - first.month
        events["month"] = np.asarray(all_months, dtype=object)[months_since_first.to_numpy()]
        result = (events.groupby(["month", "color", "kind"]).size().unstack("kind")
                  .reindex(index=index, columns=["listed", "removed", "expired"]).fillna(0).astype("int64"))
    result = result.reset_index()
    result["color_name"] = result["color"].map(LIST_COLOR_NAMES)
    return result


def _entry_select(as_of: dt.date) -> Select:
    """Entries with their subject, record and status on `as_of` (在列 / 已期满 / 已移出 / 未列入)."""
    status = case(
        (ListEntry.listed_on > as_of, "pending"),
        (ListEntry.removed_on <= as_of, "removed"),
        (ListEntry.expires_on < as_of, "expired"),
        else_="listed",
    )
    return (
        select(
            ListEntry.id.label("entry_id"), Subject.id.label("subject_id"), Subject.name.label("name"),
            Subject.code.label("code"), Subject.kind.label("kind"), Subject.town_code.label("town_code"),
            Subject.industry.label("industry"), ListEntry.list_type_code.label("list_type_code"),
            ListEntry.color.label("color"), ListEntry.bureau_code.label("bureau_code"),
            ListEntry.listed_on.label("listed_on"), ListEntry.expires_on.label("expires_on"),
            ListEntry.removed_on.label("removed_on"), ListEntry.reason.label("reason"),
            ListEntry.removal_reason.label("removal_reason"), ListEntry.record_id.label("record_id"),
            CreditRecord.document_no.label("document_no"), CreditRecord.severity.label("severity"),
            CreditRecord.amount.label("amount"), status.label("entry_status"),
        )
        .join(Subject, Subject.id == ListEntry.subject_id)
        .outerjoin(CreditRecord, CreditRecord.id == ListEntry.record_id)
    )


ENTRY_STATUS_NAMES = {"listed": "在列", "expired": "已期满", "removed": "已移出", "pending": "未到列入日"}


def _finish_entries(frame: pd.DataFrame) -> pd.DataFrame:
    frame = _name_entries(frame)
    frame["severity_name"] = frame["severity"].map(SEVERITIES).fillna("")
    frame["entry_status_name"] = frame["entry_status"].map(ENTRY_STATUS_NAMES)
    return _iso(frame, "listed_on", "expires_on", "removed_on")


def _grid_columns(unmask: bool) -> dict[str, ColumnElement]:
    """Columns the grid may filter and sort on. For a viewer who sees persons masked, persons' names and identity
    numbers are not searchable (filtering on them would reveal the hidden characters)."""
    person = Subject.kind == "person"
    name = Subject.name if unmask else case((person, literal(None)), else_=Subject.name)
    code = Subject.code if unmask else case((person, literal(None)), else_=Subject.code)
    return {
        "entry_id": ListEntry.id, "name": name, "code": code, "kind_name": Subject.kind,
        "list_type": ListEntry.list_type_code, "color_name": ListEntry.color, "issuer": ListEntry.bureau_code,
        "listed_on": ListEntry.listed_on, "expires_on": ListEntry.expires_on, "removed_on": ListEntry.removed_on,
        "reason": ListEntry.reason, "document_no": CreditRecord.document_no, "town_name": Subject.town_code,
    }


# Filters on columns shown by name but stored by code match the names the user types.
_CODE_NAMES = {"list_type": LIST_TYPE_NAMES, "color_name": LIST_COLOR_NAMES, "issuer": BUREAU_NAMES,
               "kind_name": SUBJECT_KINDS, "town_name": TOWN_NAMES}


def _translate_filter_model(filter_model: dict[str, Any] | None) -> dict[str, Any]:
    """A text filter on a named column (e.g. 认定单位 contains “法院”) becomes an equality on the matching codes."""
    translated: dict[str, Any] = {}
    for field, spec in (filter_model or {}).items():
        names = _CODE_NAMES.get(field)
        if names is None or not isinstance(spec, dict):
            translated[field] = spec
            continue
        specs = spec.get("conditions") or [spec]
        codes: set[str] = set()
        for item in specs:
            typed = str(item.get("filter") or "")
            codes |= {code for code, name in names.items() if typed and typed in name}
        # No matching name: match nothing rather than everything.
        conditions = [{"filterType": "text", "type": "equals", "filter": code} for code in sorted(codes)] or [
            {"filterType": "text", "type": "equals", "filter": "\x00"}]
        translated[field] = {"filterType": "text", "operator": "OR", "conditions": conditions}
    return translated


@memoize()
def entries_page(store: Store, scope: str, as_of: dt.date, request: dict[str, Any] | None, search: str | None,
                 include_ended: bool, unmask: bool, filters: ListFilter,
                 max_rows: int = grid.MAX_BLOCK) -> tuple[pd.DataFrame, int]:
    """One block of the entry grid: entries on their lists on `as_of` (or every entry, with its status, when
    `include_ended`), filtered, searched and sorted as asked; and how many match."""
    statement = _entry_select(as_of).where(*_entry_conditions(scope, filters))
    if not include_ended:
        statement = statement.where(publicity.entry_public_on(as_of))
    term = (search or "").strip()[:60]
    if term:
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        columns = _grid_columns(unmask)
        statement = statement.where(or_(columns["name"].like(pattern, escape="\\"),
                                        columns["code"].like(pattern, escape="\\"),
                                        ListEntry.reason.like(pattern, escape="\\"),
                                        CreditRecord.document_no.like(pattern, escape="\\")))
    request = dict(request or {})
    request["filterModel"] = _translate_filter_model(request.get("filterModel"))
    with store.engine.connect() as connection:
        frame, total = grid.page(connection, statement, _grid_columns(unmask), request,
                                 default_order=[ListEntry.listed_on.desc(), ListEntry.id.desc()], max_rows=max_rows)
    return _finish_entries(frame), total


@memoize()
def entries_expiring(store: Store, scope: str, as_of: dt.date, days: int, filters: ListFilter) -> pd.DataFrame:
    """Entries on their lists on `as_of` whose last day on the list falls within `days` days, soonest first.

    All of them (the grid pages them on the server and says how many there are; the export lists every one)."""
    statement = (
        _entry_select(as_of)
        .where(publicity.entry_public_on(as_of), ListEntry.expires_on <= as_of + dt.timedelta(days=days),
               *_entry_conditions(scope, filters))
        .order_by(ListEntry.expires_on, ListEntry.id)
    )
    with store.engine.connect() as connection:
        frame = _frame(connection, statement)
    if not frame.empty:
        frame["days_left"] = (pd.to_datetime(frame["expires_on"]) - pd.Timestamp(as_of)).dt.days.astype("int64")
    else:
        frame["days_left"] = pd.Series(dtype="int64")
    return _finish_entries(frame)


@memoize(survives=("submission",))  # list entries and listed subjects only
def expiring_count(store: Store, scope: str, as_of: dt.date, days: int, filters: ListFilter) -> int:
    """How many entries on their lists on `as_of` reach their last day within `days` days."""
    statement = (
        select(func.count()).select_from(ListEntry).join(Subject, Subject.id == ListEntry.subject_id)
        .where(publicity.entry_public_on(as_of), ListEntry.expires_on <= as_of + dt.timedelta(days=days),
               *_entry_conditions(scope, filters))
    )
    with store.engine.connect() as connection:
        return int(connection.execute(statement).scalar_one())


@memoize()
def typical_cases(store: Store, scope: str, as_of: dt.date, filters: ListFilter, limit: int = 6,
                  recent_days: int = 365) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The most serious black-list entries listed in the last `recent_days` days (serious first, then the larger
    amount, then the newest) and the newest notable honours; both only while on their lists on `as_of`."""
    since = as_of - dt.timedelta(days=recent_days)
    recent = [publicity.entry_public_on(as_of), ListEntry.listed_on > since, *_entry_conditions(scope, filters)]
    rank = case(SEVERITY_RANK, value=CreditRecord.severity, else_=0)
    black = (_entry_select(as_of).where(ListEntry.color == "black", *recent)
             .order_by(rank.desc(), func.coalesce(CreditRecord.amount, 0).desc(), ListEntry.listed_on.desc(),
                       ListEntry.id.desc())
             .limit(limit))
    red = (_entry_select(as_of).where(ListEntry.list_type_code.in_(HONOUR_LIST_TYPES), *recent)
           .order_by(ListEntry.listed_on.desc(), ListEntry.id.desc()).limit(limit))
    with store.engine.connect() as connection:
        return _finish_entries(_frame(connection, black)), _finish_entries(_frame(connection, red))


def _record_conditions(scope: str) -> list[ColumnElement]:
    bureau = scope_bureau(scope)
    return [CreditRecord.bureau_code == bureau] if bureau else []


@memoize()
def record_for_action(store: Store, scope: str, key: str | None, as_of: dt.date) -> pd.DataFrame:
    """The record a form acts on, found by its number or its document number (文书号), within the scope;
    one row (or none) with its subject, status, publicity and open objection."""
    key = (key or "").strip()[:80]
    if not key:
        return pd.DataFrame()
    match = CreditRecord.document_no == key
    if key.isdigit():
        match = or_(match, CreditRecord.id == int(key))
    open_objection = (select(func.max(Objection.id)).where(Objection.record_id == CreditRecord.id,
                                                           Objection.resolved_on.is_(None))
                      .scalar_subquery())
    statement = (
        select(CreditRecord.id.label("record_id"), CreditRecord.document_no, CreditRecord.record_type_code,
               CreditRecord.bureau_code, CreditRecord.decision_date, CreditRecord.publication_date,
               CreditRecord.severity, CreditRecord.status, CreditRecord.publicity_end, CreditRecord.amount,
               CreditRecord.content, Subject.id.label("subject_id"), Subject.name, Subject.code, Subject.kind,
               publicity.record_public_on(as_of).label("public"), open_objection.label("open_objection_id"))
        .join(Subject, Subject.id == CreditRecord.subject_id)
        .where(match, *_record_conditions(scope))
        .order_by(CreditRecord.id)
        .limit(1)
    )
    with store.engine.connect() as connection:
        frame = _frame(connection, statement)
    if frame.empty:
        return frame
    row = frame.iloc[0]
    special = publicity.is_special_sector(row["bureau_code"], row["record_type_code"], row["content"])
    frame["special_sector"] = special
    frame["earliest_repair"] = (publicity.earliest_repair_date(row["decision_date"], row["severity"],
                                                               special_sector=special)
                                if row["severity"] else None)
    frame["regime"] = publicity.REGIME_NAMES[publicity.regime_for(row["decision_date"])]
    frame["record_type"] = frame["record_type_code"].map(RECORD_TYPE_NAMES)
    frame["bureau"] = frame["bureau_code"].map(BUREAU_NAMES)
    frame["severity_name"] = frame["severity"].map(SEVERITIES).fillna("—")
    frame["status_name"] = frame["status"].map(RECORD_STATUSES)
    frame["public"] = frame["public"].astype(bool)
    return frame


@memoize()
def record_entries(store: Store, record_id: int, as_of: dt.date) -> pd.DataFrame:
    """The list entries that stand on a record, with their status on `as_of`."""
    with store.engine.connect() as connection:
        frame = _frame(connection, _entry_select(as_of).where(ListEntry.record_id == record_id)
                       .order_by(ListEntry.listed_on))
    return _finish_entries(frame)


@memoize()
def record_history(store: Store, record_id: int) -> pd.DataFrame:
    """Every change to a record, its objections, repairs and list entries, oldest first: changed_at, entity,
    entity_id, action, changed_by, before, after (JSON text)."""
    objections = select(Objection.id).where(Objection.record_id == record_id)
    repairs = select(CreditRepair.id).where(CreditRepair.record_id == record_id)
    entries = select(ListEntry.id).where(ListEntry.record_id == record_id)
    statement = (
        select(ChangeHistory.id, ChangeHistory.changed_at, ChangeHistory.entity, ChangeHistory.entity_id,
               ChangeHistory.action, ChangeHistory.changed_by, ChangeHistory.before, ChangeHistory.after)
        .where(or_(
            (ChangeHistory.entity == "record") & (ChangeHistory.entity_id == record_id),
            (ChangeHistory.entity == "objection") & ChangeHistory.entity_id.in_(objections),
            (ChangeHistory.entity == "repair") & ChangeHistory.entity_id.in_(repairs),
            (ChangeHistory.entity == "list_entry") & ChangeHistory.entity_id.in_(entries),
        ))
        .order_by(ChangeHistory.changed_at, ChangeHistory.id)
    )
    with store.engine.connect() as connection:
        return _frame(connection, statement)


@memoize()
def entry_history(store: Store, scope: str, entry_id: int) -> pd.DataFrame:
    """Changes to one list entry (within the scope), oldest first."""
    bureau = scope_bureau(scope)
    owned = select(ListEntry.id).where(ListEntry.id == entry_id, *([ListEntry.bureau_code == bureau] if bureau else []))
    statement = (
        select(ChangeHistory.id, ChangeHistory.changed_at, ChangeHistory.entity, ChangeHistory.entity_id,
               ChangeHistory.action, ChangeHistory.changed_by, ChangeHistory.before, ChangeHistory.after)
        .where(ChangeHistory.entity == "list_entry", ChangeHistory.entity_id.in_(owned))
        .order_by(ChangeHistory.changed_at, ChangeHistory.id)
    )
    with store.engine.connect() as connection:
        return _frame(connection, statement)


@memoize()
def entry_for_action(store: Store, scope: str, entry_id: int, as_of: dt.date) -> pd.DataFrame:
    """One list entry (within the scope) with its subject and status on `as_of`."""
    statement = _entry_select(as_of).where(ListEntry.id == entry_id)
    bureau = scope_bureau(scope)
    if bureau:
        statement = statement.where(ListEntry.bureau_code == bureau)
    with store.engine.connect() as connection:
        return _finish_entries(_frame(connection, statement))


@memoize()
def open_objections(store: Store, scope: str, as_of: dt.date) -> pd.DataFrame:
    """Objections not yet resolved (a bureau sees those on its own records), oldest first, with days open."""
    statement = (
        select(Objection.id.label("objection_id"), Objection.record_id, CreditRecord.document_no,
               Objection.bureau_code, Objection.filed_on, Objection.reason, Subject.id.label("subject_id"),
               Subject.name, Subject.code, Subject.kind)
        .join(Subject, Subject.id == Objection.subject_id)
        .outerjoin(CreditRecord, CreditRecord.id == Objection.record_id)
        .where(Objection.resolved_on.is_(None),
               *([Objection.bureau_code == scope_bureau(scope)] if scope_bureau(scope) else []))
        .order_by(Objection.filed_on, Objection.id)
        .limit(500)
    )
    with store.engine.connect() as connection:
        frame = _frame(connection, statement)
    frame["days_open"] = (pd.Timestamp(as_of) - pd.to_datetime(frame["filed_on"])).dt.days if not frame.empty else []
    frame["bureau"] = frame["bureau_code"].map(BUREAU_NAMES)
    return _iso(frame, "filed_on")


@memoize()
def find_persons(store: Store, term: str | None, limit: int = 20) -> pd.DataFrame:
    """Natural persons by exact identity number or by name (contains): subject_id, name, code, kind, town_name."""
    term = (term or "").strip()[:40]
    if not term:
        return pd.DataFrame(columns=["subject_id", "name", "code", "kind", "town_name"])
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    statement = (
        select(Subject.id.label("subject_id"), Subject.name, Subject.code, Subject.kind, Subject.town_code)
        .where(Subject.kind == "person", or_(Subject.code == term.upper(),
                                             Subject.name.like(f"%{escaped}%", escape="\\")))
        .order_by(Subject.name, Subject.id)
        .limit(limit)
    )
    with store.engine.connect() as connection:
        frame = _frame(connection, statement)
    frame["town_name"] = frame["town_code"].map(TOWN_NAMES).fillna(UNKNOWN)
    return frame


def list_type_options() -> list[dict[str, str]]:
    """List types in colour order (red, black, warning) for the filter bar."""
    order = {"red": 0, "black": 1, "warning": 2}
    return [{"label": f"{t.name}（{LIST_COLOR_NAMES[t.color]}）", "value": t.code}
            for t in sorted(LIST_TYPES, key=lambda t: (order.get(t.color, 9), t.code))]


@memoize()
def issuers(store: Store) -> pd.DataFrame:
    """Bureaus that issue lists: code, name."""
    with store.engine.connect() as connection:
        frame = _frame(connection, select(ListType.issuer_code.label("code")).distinct().order_by(ListType.issuer_code))
    frame["name"] = frame["code"].map(BUREAU_NAMES).fillna(frame["code"])
    return frame
