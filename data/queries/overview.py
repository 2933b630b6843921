"""Questions the leadership overview (领导驾驶舱) asks, answered from the summary tables and the small tables.

Every function takes the store first and the subject-type filter as a tuple of subject kinds (None = all kinds).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import bindparam, text

from data.cache import memoize
from data.db import Store
from data.publicity import entry_public_sql
from data.queries import assessment as assessment_queries
from data.reference import (
    BUREAU_NAMES,
    LIST_COLOR_NAMES,
    LIST_TYPE_NAMES,
    LIST_TYPES,
    SUBJECT_KINDS,
    SUBJECT_STORES,
    TOWN_NAMES,
)

# The nine levels of the Beijing-Tianjin-Hebei-Shanxi evaluation standard and the four grades they refine.
CREDIT_GRADES: tuple[str, ...] = ("A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D")
GRADE_GROUPS: dict[str, str] = {"A": "优", "B": "良", "C": "中", "D": "差"}

# Subject-type filter values shared by the overview and campaign pages: '' all, 'legal' every non-person kind,
# or one kind of data.reference.SUBJECT_KINDS.
LEGAL_KINDS: tuple[str, ...] = tuple(kind for kind in SUBJECT_KINDS if kind != "person")

def subject_kinds(subject_type: str | None) -> tuple[str, ...] | None:
    """The subject kinds a filter value stands for; None for all kinds. Unknown values raise ValueError."""
    if not subject_type:
        return None
    if subject_type == "legal":
        return LEGAL_KINDS
    if subject_type in SUBJECT_KINDS:
        return (subject_type,)
    raise ValueError(f"未知的主体类型：{subject_type}")


def valid_year(value: object, today: dt.date) -> int | None:
    """A year filter value as a year between 2000 and next year; None when missing or not such a year."""
    try:
        year = int(str(value))
    except ValueError:
        return None
    return year if 2000 <= year <= today.year + 1 else None


def period_bounds(year: int, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The day before the year starts and the year's last day, capped at `as_of` for the running year."""
    return dt.date(year - 1, 12, 31), min(dt.date(year, 12, 31), as_of)


def frame(store: Store, sql: str, params: dict | None = None, *, expanding: Sequence[str] = ()) -> pd.DataFrame:
    """Run a SELECT and return its rows; `expanding` names the parameters bound as IN (...) lists."""
    statement = text(sql)
    if expanding:
        statement = statement.bindparams(*(bindparam(name, expanding=True) for name in expanding))
    with store.engine.connect() as connection:
        return pd.read_sql_query(statement, connection, params=params or {})


def whole_counts(values: pd.Series) -> pd.Series:
    """Whole counts with missing as 0 (an empty SQL result comes back as untyped object columns)."""
    return pd.to_numeric(values).fillna(0).astype("int64")


def kind_filter(kinds: tuple[str, ...] | None, column: str, params: dict) -> tuple[str, tuple[str, ...]]:
    """An SQL condition restricting `column` to the kinds (or nothing), and the expanding parameter names."""
    if kinds is None:
        return "", ()
    params["kinds"] = list(kinds)
    return f" AND {column} IN :kinds", ("kinds",)


@memoize()
def subjects_by_kind(store: Store, year: int, kinds: tuple[str, ...] | None) -> pd.DataFrame:
    """Subjects registered by the end of `year` and not deregistered by then: kind, kind_name, store_name, subjects."""
    params: dict = {"year": year}
    where, expanding = kind_filter(kinds, "kind", params)
    result = frame(
        store,
        f"""SELECT kind, SUM(subjects) AS subjects FROM summary_subjects
            WHERE registered_year <= :year AND (deregistered_year = 0 OR deregistered_year > :year){where}
            GROUP BY kind""",
        params, expanding=expanding,
    )
    result["subjects"] = result["subjects"].astype("int64")
    result["kind_name"] = result["kind"].map(SUBJECT_KINDS).fillna(result["kind"])
    result["store_name"] = result["kind"].map(SUBJECT_STORES).fillna("其他")
    return result.sort_values("subjects", ascending=False).reset_index(drop=True)


@memoize()
def records_by_month(store: Store, year: int, kinds: tuple[str, ...] | None) -> pd.DataFrame:
    """Records decided per month of `year` and of the year before, by polarity: month, year, month_no, polarity,
    records. From summary_records_monthly."""
    params: dict = {"first": f"{year - 1}-01", "last": f"{year}-12"}
    where, expanding = kind_filter(kinds, "s.subject_kind", params)
    result = frame(
        store,
        f"""SELECT s.month, t.polarity, SUM(s.records) AS records
            FROM summary_records_monthly s JOIN record_types t ON t.code = s.record_type_code
            WHERE s.month >= :first AND s.month <= :last{where}
            GROUP BY s.month, t.polarity""",
        params, expanding=expanding,
    )
    result["records"] = result["records"].astype("int64")
    result["year"] = result["month"].str[:4].astype(int)
    result["month_no"] = result["month"].str[5:7].astype(int)
    return result.sort_values(["month", "polarity"]).reset_index(drop=True)


def records_year_on_year(monthly: pd.DataFrame, year: int) -> tuple[int, int | None]:
    """Records in `year` and, for the same months of the year before, the comparable count (None without data).

    Comparing like with like: a running year with data up to May is compared with January-May of last year.
    """
    this_year = monthly[monthly["year"] == year]
    total = int(this_year["records"].sum())
    last_year = monthly[monthly["year"] == year - 1]
    if this_year.empty or last_year.empty:
        return total, None
    latest_month = int(this_year["month_no"].max())
    return total, int(last_year.loc[last_year["month_no"] <= latest_month, "records"].sum())


@memoize()
def list_movement(store: Store, year: int, kinds: tuple[str, ...] | None, as_of: dt.date) -> pd.DataFrame:
    """Per list type: entries in force when the year began, listed during it, in force at its end (or `as_of`),
    net change and exits. Columns list_type_code, list_type, color, color_name, active_start, listed, active_end,
    exited, net_change; every list type of the catalogue appears, with zeros when it has no entries."""
    start, end = period_bounds(year, as_of)
    params: dict = {"start": start, "end": end}
    where, expanding = kind_filter(kinds, "s.kind", params)
    join = " JOIN subjects s ON s.id = l.subject_id" if kinds is not None else ""

    def in_force(day: str) -> str:
        return f"SUM(CASE WHEN {entry_public_sql('l', f':{day}')} THEN 1 ELSE 0 END)"

    per_type = frame(
        store,
        f"""SELECT l.list_type_code, {in_force("start")} AS active_start,
                   SUM(CASE WHEN l.listed_on > :start AND l.listed_on <= :end THEN 1 ELSE 0 END) AS listed,
                   {in_force("end")} AS active_end
            FROM list_entries l{join}
            WHERE l.listed_on <= :end{where}
            GROUP BY l.list_type_code""",
        params, expanding=expanding,
    ).set_index("list_type_code")
    catalogue = pd.DataFrame(
        {"list_type_code": [t.code for t in LIST_TYPES], "color": [t.color for t in LIST_TYPES]}
    )
    result = catalogue.join(per_type, on="list_type_code")
    for column in ("active_start", "listed", "active_end"):
        result[column] = whole_counts(result[column])
    result["net_change"] = result["active_end"] - result["active_start"]
    # Everything that was in force or came in, minus what is still in force, left during the year.
    result["exited"] = result["active_start"] + result["listed"] - result["active_end"]
    result["list_type"] = result["list_type_code"].map(LIST_TYPE_NAMES)
    result["color_name"] = result["color"].map(LIST_COLOR_NAMES)
    return result


@memoize()
def double_publicity_by_bureau(store: Store, year: int, kinds: tuple[str, ...] | None) -> pd.DataFrame:
    """Licences and penalties decided in `year` per bureau: records, published, published_late, on_time,
    unpublished, on_time_rate (published within 7 working days / published, as the bureau assessment counts it)."""
    params: dict = {"first": f"{year}-01", "last": f"{year}-12"}
    where, expanding = kind_filter(kinds, "s.subject_kind", params)
    result = frame(
        store,
        f"""SELECT s.bureau_code, SUM(s.records) AS records, SUM(s.published) AS published,
                   SUM(s.published_late) AS published_late
            FROM summary_records_monthly s JOIN record_types t ON t.code = s.record_type_code
            WHERE t.double_publicity AND s.month >= :first AND s.month <= :last{where}
            GROUP BY s.bureau_code""",
        params, expanding=expanding,
    )
    for column in ("records", "published", "published_late"):
        result[column] = whole_counts(result[column])
    result["bureau"] = result["bureau_code"].map(BUREAU_NAMES).fillna(result["bureau_code"])
    result["on_time"] = result["published"] - result["published_late"]
    result["unpublished"] = result["records"] - result["published"]
    result["on_time_rate"] = (result["on_time"] / result["published"]).where(result["published"] > 0)
    return result.sort_values("on_time_rate").reset_index(drop=True)


def double_publicity_on_time_rate(by_bureau: pd.DataFrame) -> float | None:
    """The district's rate: records published within 7 working days over all published licences and penalties."""
    published = int(by_bureau["published"].sum()) if not by_bureau.empty else 0
    return float(by_bureau["on_time"].sum()) / published if published else None


def bureaus_below_assessment_threshold(store: Store, year: int, as_of: dt.date) -> pd.DataFrame:
    """Bureaus whose reporting assessment score for `year` is below the district's pass threshold, lowest first:
    bureau_code, bureau, score, threshold. The assessment itself (measures, weights, threshold) is
    data/assessment.py's; the overview only counts and names the bureaus it flags."""
    measures = assessment_queries.bureau_measures(store, str(year), None, None, as_of)
    threshold = assessment_queries.settings(store).threshold
    below = measures[measures["below"].astype(bool)].sort_values("score").copy()
    below["threshold"] = threshold
    return below[["bureau_code", "bureau", "score", "threshold"]].reset_index(drop=True)


@memoize()
def scoring_model(store: Store) -> pd.DataFrame:
    """The model version whose scores the pages show (the one in service, else the newest): id, as_of,
    algorithm, in_service. Empty when no model has been trained."""
    return frame(
        store,
        """SELECT id, as_of, algorithm, in_service FROM model_versions
           ORDER BY CASE WHEN in_service THEN 0 ELSE 1 END, id DESC LIMIT 1""",
    )


@memoize()
def credit_grade_distribution(store: Store, kinds: tuple[str, ...] | None) -> pd.DataFrame:
    """Scored subjects per grade of the model version shown: grade, grade_group, subjects, share (of scored).

    Every one of the nine grades appears (zero when empty); an empty frame when no model has been trained.
    """
    model = scoring_model(store)
    if model.empty:
        return pd.DataFrame(columns=["grade", "grade_group", "subjects", "share"])
    params: dict = {"version": int(model["id"].iloc[0])}
    where, expanding = kind_filter(kinds, "s.kind", params)
    join = " JOIN subjects s ON s.id = sc.subject_id" if kinds is not None else ""
    per_grade = frame(
        store,
        f"""SELECT sc.grade, COUNT(*) AS subjects FROM scores sc{join}
            WHERE sc.model_version_id = :version{where} GROUP BY sc.grade""",
        params, expanding=expanding,
    ).set_index("grade")["subjects"]
    result = pd.DataFrame({"grade": list(CREDIT_GRADES)})
    result["grade_group"] = result["grade"].str[0].map(GRADE_GROUPS)
    result["subjects"] = whole_counts(result["grade"].map(per_grade))
    total = int(result["subjects"].sum())
    result["share"] = result["subjects"] / total if total else 0.0
    return result


@memoize()
def open_objections(store: Store, kinds: tuple[str, ...] | None, as_of: dt.date) -> pd.DataFrame:
    """Objections not yet resolved, per verifying bureau: bureau_code, bureau, open, oldest_filed_on, oldest_days."""
    params: dict = {}
    where, expanding = kind_filter(kinds, "s.kind", params)
    join = " JOIN subjects s ON s.id = o.subject_id" if kinds is not None else ""
    result = frame(
        store,
        f"""SELECT o.bureau_code, COUNT(*) AS open, MIN(o.filed_on) AS oldest_filed_on
            FROM objections o{join} WHERE o.resolved_on IS NULL{where}
            GROUP BY o.bureau_code""",
        params, expanding=expanding,
    )
    result["open"] = result["open"].astype("int64")
    result["oldest_filed_on"] = pd.to_datetime(result["oldest_filed_on"]).dt.date
    result["oldest_days"] = result["oldest_filed_on"].map(lambda day: (as_of - day).days).astype("int64")
    result["bureau"] = result["bureau_code"].map(BUREAU_NAMES).fillna(result["bureau_code"])
    return result.sort_values(["open", "oldest_days"], ascending=False).reset_index(drop=True)


_SUBJECT_COLUMNS = ["subject_id", "subject_name", "subject_kind", "town_code"]


def _label_subjects(rows: pd.DataFrame) -> pd.DataFrame:
    rows["kind_name"] = rows["subject_kind"].map(SUBJECT_KINDS).fillna(rows["subject_kind"])
    rows["town"] = rows["town_code"].map(TOWN_NAMES).fillna("未知")
    return rows


@memoize()
def recent_list_entries(store: Store, color: str, year: int, kinds: tuple[str, ...] | None, as_of: dt.date,
                        per_list: int = 5) -> pd.DataFrame:
    """The latest entries of each list of one colour listed in `year`, newest first: listed_on, list_type_code,
    list_type, bureau, reason, in_force, subject_id, subject_name, subject_kind, kind_name, town.

    Per list type, so that a yearly batch of one list (A级纳税人) does not crowd out the others.
    """
    start, end = period_bounds(year, as_of)
    params: dict = {"color": color, "start": start, "end": end, "per_list": per_list}
    where, expanding = kind_filter(kinds, "s.kind", params)
    # Without a subject-type filter the newest entries are picked from list_entries alone and only those few are
    # joined to their subjects: a yearly batch of thousands of A级纳税人 never touches the subjects table.
    join = " JOIN subjects s ON s.id = l.subject_id" if kinds is not None else ""
    rows = frame(
        store,
        f"""SELECT ranked.listed_on, ranked.list_type_code, ranked.bureau_code, ranked.reason, ranked.removed_on,
                   ranked.expires_on, s.id AS subject_id, s.name AS subject_name, s.kind AS subject_kind,
                   s.town_code
            FROM (
                SELECT l.listed_on, l.list_type_code, l.bureau_code, l.reason, l.removed_on, l.expires_on,
                       l.subject_id,
                       ROW_NUMBER() OVER (PARTITION BY l.list_type_code ORDER BY l.listed_on DESC, l.id DESC) AS n
                FROM list_entries l{join}
                WHERE l.color = :color AND l.listed_on > :start AND l.listed_on <= :end{where}
            ) ranked JOIN subjects s ON s.id = ranked.subject_id
            WHERE ranked.n <= :per_list""",
        params, expanding=expanding,
    )
    expires_on = pd.to_datetime(rows["expires_on"])
    removed_on = pd.to_datetime(rows["removed_on"])
    day = pd.Timestamp(as_of)
    rows["in_force"] = (removed_on.isna() | (removed_on > day)) & (expires_on.isna() | (expires_on >= day))
    rows["listed_on"] = pd.to_datetime(rows["listed_on"]).dt.date
    rows["list_type"] = rows["list_type_code"].map(LIST_TYPE_NAMES)
    rows["bureau"] = rows["bureau_code"].map(BUREAU_NAMES).fillna(rows["bureau_code"])
    rows = _label_subjects(rows)
    columns = ["listed_on", "list_type_code", "list_type", "bureau", "reason", "in_force", *_SUBJECT_COLUMNS,
               "kind_name", "town"]
    return rows.sort_values(["listed_on", "list_type_code"], ascending=[False, True])[columns].reset_index(drop=True)


@memoize()
def recent_serious_penalties(store: Store, year: int, kinds: tuple[str, ...] | None, as_of: dt.date,
                             limit: int = 10) -> pd.DataFrame:
    """The latest serious administrative penalties decided in `year` that are still valid (not revoked or
    repaired), newest first: decision_date, document_no, bureau, amount (万元), content, subject columns."""
    start, end = period_bounds(year, as_of)
    params: dict = {"start": start, "end": end, "limit": limit}
    where, expanding = kind_filter(kinds, "s.kind", params)
    rows = frame(
        store,
        f"""SELECT r.decision_date, r.document_no, r.bureau_code, r.amount, r.content,
                   s.id AS subject_id, s.name AS subject_name, s.kind AS subject_kind, s.town_code
            FROM credit_records r JOIN subjects s ON s.id = r.subject_id
            WHERE r.record_type_code = 'CF' AND r.severity = 'serious'
              AND r.decision_date > :start AND r.decision_date <= :end
              AND r.status NOT IN ('removed', 'repaired'){where}
            ORDER BY r.decision_date DESC, r.id DESC LIMIT :limit""",
        params, expanding=expanding,
    )
    rows["decision_date"] = pd.to_datetime(rows["decision_date"]).dt.date
    rows["bureau"] = rows["bureau_code"].map(BUREAU_NAMES).fillna(rows["bureau_code"])
    return _label_subjects(rows)

