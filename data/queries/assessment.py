"""Questions the 委办局报送考核 page asks: the assessment table per bureau and period, on-time rates by month,
trends, the late and rejected rows behind a bureau's score, its submissions and their error reports.

Every function takes the viewer's scope ("district" or "bureau:<code>"). Ranks are always computed among all
bureaus of the filter and only then cut to the scope, so a bureau user sees its own row and rank, nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Select, and_, case, func, select, text

from data import assessment as A
from data.cache import memoize
from data.db import Store
from data.ingest.pipeline import report_frame
from data.models import CreditRecord, Subject, Submission, SubmissionRejection
from data.queries import grid
from data.reference import (
    BUREAU_NAMES,
    BUREAUS,
    DOUBLE_PUBLICITY_TYPES,
    DOUBLE_PUBLICITY_WORKING_DAYS,
    RECORD_TYPE_NAMES,
    RECORD_TYPES,
    SEVERITIES,
    SUBJECT_KINDS,
)
from data.workdays import working_days_between

_FREQUENCY = {rt.code: rt.frequency for rt in RECORD_TYPES}
_COUNTS = ["rows_total", "rows_rejected", "rows_duplicate", "fields_expected", "fields_filled"]
_BUREAU_KIND = {b.code: b.kind for b in BUREAUS}
TREND_MONTHS = 12


def scope_bureau(scope: str) -> str | None:
    """The bureau a scope is limited to, or None for the whole district."""
    return scope.split(":", 1)[1] if scope.startswith("bureau:") else None


def _frame(store: Store, sql: str, params: dict | None = None) -> pd.DataFrame:
    with store.engine.connect() as connection:
        return pd.read_sql_query(text(sql), connection, params=params or {})


def _in(name: str, values: Sequence[str]) -> tuple[str, dict]:
    """An IN list of bound parameters."""
    keys = {f"{name}{i}": v for i, v in enumerate(values)}
    return "(" + ", ".join(f":{k}" for k in keys) + ")" if keys else "(NULL)", keys


@memoize()
def settings(store: Store) -> A.Settings:
    with store.read() as db:
        return A.load_settings(db)


@memoize()
def available_months(store: Store) -> list[str]:
    """Months with records or submissions, oldest first."""
    summary = _frame(store, "SELECT DISTINCT month FROM summary_records_monthly")["month"].tolist()
    labels = _frame(store, "SELECT DISTINCT period FROM submissions")["period"].tolist()
    months = set(summary)
    for label in labels:
        try:
            months.update(A.months_of(label)[-1:] if "Q" in label else A.months_of(label))
        except ValueError:
            continue
    return sorted(months)


def periods(store: Store, kind: str) -> list[str]:
    """Assessment periods of one granularity (month / quarter / year) with data, newest first."""
    return A.periods_from_months(available_months(store), kind)


@memoize()
def catalog(store: Store) -> pd.DataFrame:
    """The reporting catalog: bureau_code, record_type_code, due_day, frequency, bureau, bureau_kind."""
    frame = _frame(store, "SELECT bureau_code, record_type_code, due_day FROM catalog_items")
    frame["frequency"] = frame["record_type_code"].map(_FREQUENCY)
    frame["bureau"] = frame["bureau_code"].map(BUREAU_NAMES)
    frame["bureau_kind"] = frame["bureau_code"].map(_BUREAU_KIND)
    return frame.sort_values(["bureau_code", "record_type_code"], ignore_index=True)


def catalog_in_scope(store: Store, scope: str) -> pd.DataFrame:
    frame = catalog(store)
    own = scope_bureau(scope)
    return frame[frame["bureau_code"] == own] if own else frame


def _assessed_catalog(store: Store, bureau_kind: str | None, record_type: str | None) -> pd.DataFrame:
    frame = catalog(store)
    if bureau_kind:
        frame = frame[frame["bureau_kind"] == bureau_kind]
    if record_type:
        frame = frame[frame["record_type_code"] == record_type]
    return frame


def _working_days(start: pd.Series, end: pd.Series) -> np.ndarray:
    return working_days_between(pd.to_datetime(start).to_numpy(dtype="datetime64[D]"),
                                pd.to_datetime(end).to_numpy(dtype="datetime64[D]"))


@memoize()
def bureau_measures(store: Store, period: str, bureau_kind: str | None, record_type: str | None,
                    as_of: dt.date) -> pd.DataFrame:
    """Every measure of every assessed bureau in the period (district-wide; callers cut to the viewer's scope)."""
    config = settings(store)
    items = _assessed_catalog(store, bureau_kind, record_type)
    bureaus = items.drop_duplicates("bureau_code")[["bureau_code", "bureau", "bureau_kind"]].set_index("bureau_code")
    if bureaus.empty:
        return pd.DataFrame(columns=["bureau_code", "bureau", "bureau_kind", *A.MEASURES, "score", "rank", "below"])
    months = A.months_of(period)
    labels = A.submission_periods(period)
    start, after = A.bounds(period)
    codes = list(bureaus.index)
    month_in, month_params = _in("m", months)
    bureau_in, bureau_params = _in("b", codes)
    types = [t for t in DOUBLE_PUBLICITY_TYPES if not record_type or t == record_type]
    type_in, type_params = _in("t", types)

    publicity = _frame(store, f"""
        SELECT bureau_code, SUM(records) AS records, SUM(published) AS published, SUM(published_late) AS late
        FROM summary_records_monthly
        WHERE month IN {month_in} AND bureau_code IN {bureau_in} AND record_type_code IN {type_in}
        GROUP BY bureau_code""", month_params | bureau_params | type_params).set_index("bureau_code")
    label_in, label_params = _in("p", labels)
    type_clause = "AND record_type_code = :rt" if record_type else ""
    submissions = _frame(store, f"""
        SELECT bureau_code, record_type_code, received_at, due_at, rows_total, rows_rejected, rows_duplicate,
               fields_expected, fields_filled
        FROM submissions WHERE period IN {label_in} AND bureau_code IN {bureau_in} {type_clause}""",
                         label_params | bureau_params | ({"rt": record_type} if record_type else {}))
    submissions[_COUNTS] = submissions[_COUNTS].astype("int64")  # object dtype when no rows came back
    objection_type = "AND r.record_type_code = :rt" if record_type else ""
    objections = _frame(store, f"""
        SELECT o.bureau_code, o.filed_on, o.resolved_on FROM objections o
        LEFT JOIN credit_records r ON r.id = o.record_id
        WHERE o.filed_on >= :start AND o.filed_on < :after AND o.bureau_code IN {bureau_in} {objection_type}""",
                        {"start": start, "after": after} | bureau_params | ({"rt": record_type} if record_type else {}))

    # PostgreSQL sums are NUMERIC (Decimal objects): make them numbers before aligning them with the bureaus.
    publicity = publicity.astype(float)
    result = bureaus.copy()
    published = publicity["published"].reindex(codes).fillna(0).astype(float)
    late = publicity["late"].reindex(codes).fillna(0).astype(float)
    result["records"] = publicity["records"].reindex(codes).fillna(0).astype("int64")
    result["published"] = published.astype("int64")
    result["late"] = late.astype("int64")
    result["on_time"] = ((published - late) / published).where(published > 0)

    periodic = submissions[submissions["record_type_code"].map(_FREQUENCY) != "event"].copy()
    received = pd.to_datetime(periodic["received_at"])
    due = pd.to_datetime(periodic["due_at"])
    periodic["late"] = (due.notna() & (received > due)).to_numpy()
    periodic["days_late"] = np.where(periodic["late"], _working_days(due.fillna(received), received), 0)
    by_bureau = periodic.groupby("bureau_code")
    result["periodic_submissions"] = by_bureau.size().reindex(codes).fillna(0).astype("int64")
    result["late_submissions"] = by_bureau["late"].sum().reindex(codes).fillna(0).astype("int64")
    late_only = periodic[periodic["late"]].groupby("bureau_code")["days_late"].mean()
    result["days_late"] = late_only.reindex(codes)
    result["timeliness"] = (1 - result["late_submissions"] / result["periodic_submissions"]).where(
        result["periodic_submissions"] > 0)

    sums = submissions.groupby("bureau_code")[_COUNTS].sum().reindex(codes).fillna(0)
    result["submissions"] = submissions.groupby("bureau_code").size().reindex(codes).fillna(0).astype("int64")
    for column in sums.columns:
        result[column] = sums[column].astype("int64")
    rows = sums["rows_total"].where(sums["rows_total"] > 0)
    result["error_rate"] = sums["rows_rejected"] / rows
    result["duplicate_rate"] = sums["rows_duplicate"] / rows
    result["completeness"] = (sums["fields_filled"] / sums["fields_expected"]).where(sums["fields_expected"] > 0)
    result["accuracy"] = 1 - result["error_rate"]
    result["uniqueness"] = 1 - result["duplicate_rate"]

    limit = config.objection_days
    if not objections.empty:
        filed = pd.to_datetime(objections["filed_on"])
        resolved = pd.to_datetime(objections["resolved_on"])
        end = resolved.fillna(pd.Timestamp(as_of))
        days = _working_days(filed, end)
        objections["resolved"] = resolved.notna().to_numpy()
        objections["days"] = np.where(objections["resolved"], days, np.nan)
        objections["in_time"] = objections["resolved"] & (days <= limit)
        # Open and still within the deadline: not yet judged either way.
        objections["judged"] = objections["resolved"] | (days > limit)
    else:
        objections = objections.assign(resolved=False, days=np.nan, in_time=False, judged=False)
    by_bureau = objections.groupby("bureau_code")
    result["objections_filed"] = by_bureau.size().reindex(codes).fillna(0).astype("int64")
    judged = by_bureau["judged"].sum().reindex(codes).fillna(0)
    result["objections_in_time"] = by_bureau["in_time"].sum().reindex(codes).fillna(0).astype("int64")
    result["turnaround_days"] = by_bureau["days"].mean().reindex(codes)
    result["objections"] = (result["objections_in_time"] / judged).where(judged > 0)

    quarter_end = any("Q" in label for label in labels)
    expected = items[(items["frequency"] != "quarterly") | quarter_end]
    submitted = submissions[["bureau_code", "record_type_code"]].drop_duplicates()
    covered = expected.merge(submitted, on=["bureau_code", "record_type_code"], how="inner")
    result["items_expected"] = expected.groupby("bureau_code").size().reindex(codes).fillna(0).astype("int64")
    result["items_submitted"] = covered.groupby("bureau_code").size().reindex(codes).fillna(0).astype("int64")
    result["coverage"] = (result["items_submitted"] / result["items_expected"]).where(result["items_expected"] > 0)

    result["score"] = A.scores(result, config.weights)
    result["rank"] = A.rank(result["score"])
    result["below"] = result["score"] < config.threshold
    return result.reset_index().sort_values(["rank", "bureau_code"], na_position="last", ignore_index=True)


def bureau_assessment(store: Store, scope: str, period: str, bureau_kind: str | None, record_type: str | None,
                      as_of: dt.date) -> pd.DataFrame:
    """The assessment table cut to the viewer's scope (ranks stay those among all bureaus of the filter)."""
    frame = bureau_measures(store, period, bureau_kind, record_type, as_of)
    own = scope_bureau(scope)
    return frame[frame["bureau_code"] == own].reset_index(drop=True) if own else frame


def trend_months(period: str) -> list[str]:
    """The twelve months ending with the period's last month."""
    last = pd.Period(A.months_of(period)[-1], freq="M")
    return [str(last - i) for i in range(TREND_MONTHS - 1, -1, -1)]


@memoize()
def on_time_by_month(store: Store, scope: str, months: tuple[str, ...], bureau_kind: str | None,
                     record_type: str | None) -> pd.DataFrame:
    """Double publicity per bureau and month: bureau_code, bureau, month, published, late, on_time (rate)."""
    items = _assessed_catalog(store, bureau_kind, record_type)
    codes = sorted(set(items["bureau_code"]))
    own = scope_bureau(scope)
    if own:
        codes = [c for c in codes if c == own]
    types = [t for t in DOUBLE_PUBLICITY_TYPES if not record_type or t == record_type]
    if not codes or not types:
        return pd.DataFrame(columns=["bureau_code", "bureau", "month", "published", "late", "on_time"])
    month_in, month_params = _in("m", months)
    bureau_in, bureau_params = _in("b", codes)
    type_in, type_params = _in("t", types)
    frame = _frame(store, f"""
        SELECT bureau_code, month, SUM(published) AS published, SUM(published_late) AS late
        FROM summary_records_monthly
        WHERE month IN {month_in} AND bureau_code IN {bureau_in} AND record_type_code IN {type_in}
        GROUP BY bureau_code, month""", month_params | bureau_params | type_params)
    frame["published"] = frame["published"].astype("int64")
    frame["late"] = frame["late"].astype("int64")
    frame["on_time"] = ((frame["published"] - frame["late"]) / frame["published"]).where(frame["published"] > 0)
    frame["bureau"] = frame["bureau_code"].map(BUREAU_NAMES)
    return frame.sort_values(["bureau_code", "month"], ignore_index=True)


@memoize()
def monthly_trend(store: Store, scope: str, months: tuple[str, ...], bureau_kind: str | None,
                  record_type: str | None) -> pd.DataFrame:
    """Per month for the scope: on_time, error_rate, duplicate_rate, completeness, timeliness (rates)."""
    publicity = on_time_by_month(store, scope, months, bureau_kind, record_type)
    result = pd.DataFrame({"month": list(months)}).set_index("month")
    by_month = publicity.groupby("month")[["published", "late"]].sum().reindex(result.index).fillna(0)
    result["on_time"] = ((by_month["published"] - by_month["late"]) / by_month["published"]).where(
        by_month["published"] > 0)
    codes = sorted(set(_assessed_catalog(store, bureau_kind, record_type)["bureau_code"]))
    own = scope_bureau(scope)
    if own:
        codes = [c for c in codes if c == own]
    labels = sorted({label for month in months for label in A.submission_periods(month)})
    label_in, label_params = _in("p", labels)
    bureau_in, bureau_params = _in("b", codes)
    type_clause = "AND record_type_code = :rt" if record_type else ""
    submissions = _frame(store, f"""
        SELECT period, record_type_code, received_at, due_at, rows_total, rows_rejected, rows_duplicate,
               fields_expected, fields_filled
        FROM submissions WHERE period IN {label_in} AND bureau_code IN {bureau_in} {type_clause}""",
                         label_params | bureau_params | ({"rt": record_type} if record_type else {}))
    submissions[_COUNTS] = submissions[_COUNTS].astype("int64")
    # A quarterly report counts in the quarter's last month.
    submissions["month"] = submissions["period"].map(lambda p: A.months_of(p)[-1])
    sums = submissions.groupby("month")[_COUNTS].sum().reindex(result.index)
    rows = sums["rows_total"].where(sums["rows_total"] > 0)
    result["error_rate"] = sums["rows_rejected"] / rows
    result["duplicate_rate"] = sums["rows_duplicate"] / rows
    result["completeness"] = sums["fields_filled"] / sums["fields_expected"].where(sums["fields_expected"] > 0)
    periodic = submissions[submissions["record_type_code"].map(_FREQUENCY) != "event"]
    late = pd.to_datetime(periodic["received_at"]) > pd.to_datetime(periodic["due_at"])
    share = late.groupby(periodic["month"]).mean()
    result["timeliness"] = (1 - share).reindex(result.index)
    return result.reset_index()


# --- drill-down: one bureau's late records and rejected rows, paged on the server -------------------------------

LATE_COLUMNS = {
    "subject_id": Subject.id,
    "document_no": CreditRecord.document_no,
    "record_type_code": CreditRecord.record_type_code,
    "subject_name": Subject.name,
    "subject_code": Subject.code,
    "subject_kind": Subject.kind,
    "decision_date": CreditRecord.decision_date,
    "publication_date": CreditRecord.publication_date,
    "publish_delay_wd": CreditRecord.publish_delay_wd,
    "severity": CreditRecord.severity,
}
REJECTED_COLUMNS = {
    "submission_id": Submission.id,
    "received_at": Submission.received_at,
    "file_name": Submission.file_name,
    "period": Submission.period,
    "record_type_code": Submission.record_type_code,
    "row_number": SubmissionRejection.row_number,
    "field": SubmissionRejection.field,
    "reason": SubmissionRejection.reason,
}


def _late_conditions(bureau: str, period: str, record_type: str | None) -> list:
    start, after = A.bounds(period)
    types = [t for t in DOUBLE_PUBLICITY_TYPES if not record_type or t == record_type]
    # These match the partial index ix_records_late (double publicity, more than 7 working days).
    return [CreditRecord.bureau_code == bureau, CreditRecord.record_type_code.in_(types),
            CreditRecord.decision_date >= start, CreditRecord.decision_date < after,
            CreditRecord.publish_delay_wd > DOUBLE_PUBLICITY_WORKING_DAYS]


def _late_statement(bureau: str, period: str, record_type: str | None) -> Select:
    return (select(*[column.label(name) for name, column in LATE_COLUMNS.items()])
            .join(Subject, Subject.id == CreditRecord.subject_id)
            .where(*_late_conditions(bureau, period, record_type)))


def late_records(store: Store, bureau: str, period: str, record_type: str | None, request: dict | None,
                 max_rows: int = grid.MAX_BLOCK) -> tuple[pd.DataFrame, int]:
    """One page of the bureau's records published after 7 working days (names not yet masked)."""
    with store.engine.connect() as connection:
        def records_count() -> int:
            # Without grid filters the join cannot change the count (every record has its subject): count the
            # records alone, from the partial index.
            return connection.execute(select(func.count()).select_from(CreditRecord).where(
                *_late_conditions(bureau, period, record_type))).scalar_one()

        frame, total = grid.page(connection, _late_statement(bureau, period, record_type), LATE_COLUMNS, request,
                                 default_order=[CreditRecord.publish_delay_wd.desc(), CreditRecord.id],
                                 max_rows=max_rows, unfiltered_count=records_count)
    if not frame.empty:
        frame["record_type"] = frame["record_type_code"].map(RECORD_TYPE_NAMES)
        frame["kind_name"] = frame["subject_kind"].map(SUBJECT_KINDS)
        frame["severity_name"] = frame["severity"].map(SEVERITIES)
        for column in ("decision_date", "publication_date"):
            frame[column] = pd.to_datetime(frame[column]).dt.strftime("%Y-%m-%d")
    return frame, total


def rejected_rows(store: Store, bureau: str, period: str, record_type: str | None, request: dict | None,
                  max_rows: int = grid.MAX_BLOCK) -> tuple[pd.DataFrame, int]:
    """One page of the rows rejected from the bureau's submissions for the period."""
    statement = (select(*[column.label(name) for name, column in REJECTED_COLUMNS.items()])
                 .join(Submission, Submission.id == SubmissionRejection.submission_id)
                 .where(Submission.bureau_code == bureau, Submission.period.in_(A.submission_periods(period))))
    if record_type:
        statement = statement.where(Submission.record_type_code == record_type)
    with store.engine.connect() as connection:
        frame, total = grid.page(connection, statement, REJECTED_COLUMNS, request,
                                 default_order=[Submission.id.desc(), SubmissionRejection.row_number],
                                 max_rows=max_rows)
    if not frame.empty:
        frame["record_type"] = frame["record_type_code"].map(RECORD_TYPE_NAMES)
        frame["received_at"] = pd.to_datetime(frame["received_at"]).dt.strftime("%Y-%m-%d %H:%M")
    return frame, total


@memoize()
def submissions_of(store: Store, bureau: str, limit: int = 200) -> pd.DataFrame:
    """The bureau's latest submissions with their counts and whether they arrived on time."""
    statement = (select(Submission.id, Submission.received_at, Submission.record_type_code, Submission.period,
                        Submission.file_name, Submission.rows_total, Submission.rows_accepted,
                        Submission.rows_rejected, Submission.rows_duplicate, Submission.due_at, Submission.source,
                        case((and_(Submission.due_at.is_not(None), Submission.received_at > Submission.due_at), 1),
                             else_=0).label("late"))
                 .where(Submission.bureau_code == bureau).order_by(Submission.id.desc()).limit(limit))
    with store.engine.connect() as connection:
        frame = pd.read_sql_query(statement, connection)
    frame["record_type"] = frame["record_type_code"].map(RECORD_TYPE_NAMES)
    for column, fmt in (("received_at", "%Y-%m-%d %H:%M"), ("due_at", "%Y-%m-%d")):
        frame[column] = pd.to_datetime(frame[column]).dt.strftime(fmt)
    return frame


def error_report(store: Store, scope: str, submission_id: int) -> tuple[pd.DataFrame, dict] | None:
    """The error report of one submission (original columns, row number, field, reason) and the submission's
    facts; None when it does not exist or lies outside the viewer's scope."""
    own = scope_bureau(scope)
    with store.read() as db:
        submission = db.get(Submission, submission_id)
        if submission is None or (own and submission.bureau_code != own):
            return None
        rows = db.execute(select(SubmissionRejection.row_number, SubmissionRejection.field,
                                 SubmissionRejection.reason, SubmissionRejection.original)
                          .where(SubmissionRejection.submission_id == submission_id)
                          .order_by(SubmissionRejection.row_number, SubmissionRejection.id)).all()
        facts = {"id": submission.id, "bureau": submission.bureau_code, "record_type": submission.record_type_code,
                 "period": submission.period, "file_name": submission.file_name, "total": submission.rows_total,
                 "accepted": submission.rows_accepted, "rejected": submission.rows_rejected,
                 "duplicates": submission.rows_duplicate, "received_at": submission.received_at}
    frame = report_frame(None, [r.original for r in rows], [r.row_number for r in rows], [r.field for r in rows],
                         [r.reason for r in rows])
    return frame, facts
