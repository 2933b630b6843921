"""Questions the landing page asks: subjects by kind and town, records by category and bureau, list entries."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import text

from data.cache import memoize
from data.db import Store
from data.publicity import entry_public_sql
from data.reference import (
    BUREAU_NAMES,
    LIST_COLOR_NAMES,
    LIST_TYPE_NAMES,
    RECORD_TYPE_NAMES,
    SUBJECT_KINDS,
    TOWN_NAMES,
)


def _frame(store: Store, sql: str, params: dict | None = None) -> pd.DataFrame:
    with store.engine.connect() as connection:
        return pd.read_sql_query(text(sql), connection, params=params or {})


@memoize()
def subjects_by_kind_and_town(store: Store) -> pd.DataFrame:
    """Subjects still registered, from the summary: columns kind, kind_name, town_code, town_name, subjects."""
    frame = _frame(store, "SELECT kind, town_code, SUM(subjects) AS subjects FROM summary_subjects "
                          "WHERE deregistered_year = 0 GROUP BY kind, town_code")
    frame["subjects"] = frame["subjects"].astype("int64")
    frame["kind_name"] = frame["kind"].map(SUBJECT_KINDS)
    frame["town_name"] = frame["town_code"].map(TOWN_NAMES).fillna("未知街乡")
    return frame


@memoize()
def record_years(store: Store) -> list[str]:
    frame = _frame(store, "SELECT DISTINCT substr(month, 1, 4) AS year FROM summary_records_monthly ORDER BY 1")
    return frame["year"].tolist()


@memoize()
def records_by_type_and_bureau(store: Store, year: str | None) -> pd.DataFrame:
    """Columns record_type_code, record_type, bureau_code, bureau, records, amount (万元); from the summary."""
    where, params = "", {}
    if year:
        where, params = "WHERE month >= :first AND month <= :last", {"first": f"{year}-01", "last": f"{year}-12"}
    frame = _frame(
        store,
        f"""SELECT record_type_code, bureau_code, SUM(records) AS records, SUM(amount) AS amount
            FROM summary_records_monthly {where} GROUP BY record_type_code, bureau_code""",
        params,
    )
    frame["record_type"] = frame["record_type_code"].map(RECORD_TYPE_NAMES)
    frame["bureau"] = frame["bureau_code"].map(BUREAU_NAMES)
    frame["records"] = frame["records"].astype("int64")
    return frame


@memoize(survives=("submission",))  # list entries and list types only
def list_entries_by_type(store: Store, as_of: dt.date) -> pd.DataFrame:
    """Per list type as of `as_of`: entries in force (public), listed so far, removed early, expired."""
    frame = _frame(
        store,
        f"""SELECT l.list_type_code, t.color, t.issuer_code,
                  SUM(CASE WHEN {entry_public_sql("l")} THEN 1 ELSE 0 END) AS active,
                  COUNT(*) AS listed_total,
                  SUM(CASE WHEN l.removed_on <= :day THEN 1 ELSE 0 END) AS removed,
                  SUM(CASE WHEN (l.removed_on IS NULL OR l.removed_on > :day) AND l.expires_on < :day
                           THEN 1 ELSE 0 END) AS expired
           FROM list_entries l JOIN list_types t ON t.code = l.list_type_code
           WHERE l.listed_on <= :day
           GROUP BY l.list_type_code, t.color, t.issuer_code""",
        {"day": as_of},
    )
    frame["list_type"] = frame["list_type_code"].map(LIST_TYPE_NAMES)
    frame["color_name"] = frame["color"].map(LIST_COLOR_NAMES)
    frame["issuer"] = frame["issuer_code"].map(BUREAU_NAMES)
    for column in ("active", "listed_total", "removed", "expired"):
        frame[column] = frame[column].fillna(0).astype("int64")
    return frame.sort_values(["color", "active"], ascending=[True, False]).reset_index(drop=True)
