"""Summary tables at chart grain, kept current after every submission so that pages never scan credit_records.

Two ways to keep them current:
- a delta (`add_records`, `add_subjects`): the aggregate of just the rows that changed is added to (or, with
  sign -1, taken from) the summary rows, by an upsert keyed on the summary's primary key. A submission costs the
  aggregate of its own rows, whatever the size of the store (a 10,000-row file: milliseconds at district scale);
- a rebuild (`refresh_record_summary`, `refresh_subject_summary`): recompute months or towns from the base
  tables; used after the generator's bulk load and by the tests as the reference the deltas must equal.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Connection, text

# Late = published more than DOUBLE_PUBLICITY_WORKING_DAYS working days after the decision.
from data.reference import DOUBLE_PUBLICITY_WORKING_DAYS

_RECORD_KEYS = "month, bureau_code, record_type_code, town_code, subject_kind, severity"
_RECORD_MEASURES = ("records", "amount", "published", "published_late")


def _month_expr(dialect: str, column: str) -> str:
    return f"to_char({column}, 'YYYY-MM')" if dialect == "postgresql" else f"strftime('%Y-%m', {column})"


def refresh_record_summary(connection: Connection, months: list[str] | None = None) -> None:
    """Rebuild summary_records_monthly for the given decision months (all months when None).

    Incremental by month: a submission touches a few months, so only those are recomputed.
    """
    dialect = connection.dialect.name
    month = _month_expr(dialect, "r.decision_date")
    where = ""
    params: dict[str, object] = {"late": DOUBLE_PUBLICITY_WORKING_DAYS}
    if months is not None:
        if not months:
            return
        placeholders = ", ".join(f":m{i}" for i in range(len(months)))
        params.update({f"m{i}": m for i, m in enumerate(months)})
        connection.execute(text(f"DELETE FROM summary_records_monthly WHERE month IN ({placeholders})"), params)
        # Restrict by date range so the index on decision_date is used, then by exact month.
        first, last = min(months), max(months)
        params["start"] = f"{first}-01"
        params["stop"] = _next_month(last) + "-01"
        where = f"WHERE r.decision_date >= :start AND r.decision_date < :stop AND {month} IN ({placeholders})"
        if dialect == "postgresql":
            where = where.replace(":start", "CAST(:start AS date)").replace(":stop", "CAST(:stop AS date)")
    else:
        connection.execute(text("DELETE FROM summary_records_monthly"))
    connection.execute(text(_records_aggregate(dialect, where)), params)


def _records_aggregate(dialect: str, where: str, sign: str = "", conflict: str = "") -> str:
    """INSERT INTO summary_records_monthly of the aggregate of the records `where` selects (one statement for the
    rebuild and the delta: `sign` multiplies every measure, `conflict` is the delta's upsert clause)."""
    month = _month_expr(dialect, "r.decision_date")
    return f"""
        INSERT INTO summary_records_monthly ({_RECORD_KEYS}, {', '.join(_RECORD_MEASURES)})
        SELECT {month}, r.bureau_code, r.record_type_code, COALESCE(s.town_code, ''), s.kind,
               COALESCE(r.severity, ''), {sign}COUNT(*), {sign}COALESCE(SUM(r.amount), 0),
               {sign}COUNT(r.publication_date),
               {sign}SUM(CASE WHEN r.publish_delay_wd > :late THEN 1 ELSE 0 END)
        FROM credit_records r JOIN subjects s ON s.id = r.subject_id
        {where}
        GROUP BY {month}, r.bureau_code, r.record_type_code, COALESCE(s.town_code, ''), s.kind,
                 COALESCE(r.severity, '')
        {conflict}
        """


def _next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + 1}-01" if mon == 12 else f"{year}-{mon + 1:02d}"


def _year_expr(dialect: str, column: str) -> str:
    if dialect == "postgresql":
        return f"COALESCE(CAST(EXTRACT(YEAR FROM {column}) AS INTEGER), 0)"
    return f"COALESCE(CAST(strftime('%Y', {column}) AS INTEGER), 0)"


def refresh_subject_summary(connection: Connection, towns: list[str] | None = None) -> None:
    """Rebuild summary_subjects (town x kind x registration year x deregistration year) for the given town codes
    ('' for subjects without a town), or entirely when None.

    A submission that created subjects passes their towns: only those towns' subjects are counted again.
    """
    dialect = connection.dialect.name
    registered, deregistered = _year_expr(dialect, "registered_on"), _year_expr(dialect, "deregistered_on")
    params: dict[str, object] = {}
    where = ""
    if towns is not None:
        if not towns:
            return
        placeholders = ", ".join(f":t{i}" for i in range(len(towns)))
        params.update({f"t{i}": town for i, town in enumerate(towns)})
        connection.execute(text(f"DELETE FROM summary_subjects WHERE town_code IN ({placeholders})"), params)
        # town_code IN (...) / IS NULL rather than COALESCE(...) IN (...), so that the index on town_code is used.
        named = [f":t{i}" for i, town in enumerate(towns) if town]
        conditions = ([f"town_code IN ({', '.join(named)})"] if named else []) + (
            ["town_code IS NULL"] if "" in towns else [])
        where = f"WHERE {' OR '.join(conditions)}"
    else:
        connection.execute(text("DELETE FROM summary_subjects"))
    connection.execute(
        text(
            f"""
            INSERT INTO summary_subjects (town_code, kind, registered_year, deregistered_year, subjects)
            SELECT COALESCE(town_code, ''), kind, {registered}, {deregistered}, COUNT(*)
            FROM subjects
            {where}
            GROUP BY COALESCE(town_code, ''), kind, {registered}, {deregistered}
            """
        ),
        params,
    )


def add_records(connection: Connection, *, submission_id: int | None = None,
                record_ids: Sequence[int] | None = None, sign: int = 1) -> None:
    """Add (sign 1) or take away (sign -1) the given records' aggregate to summary_records_monthly.

    Records are named by their submission or by id. Call with sign -1 before changing a record's summarised
    columns (amount, severity, dates) and with sign 1 after, in the same transaction.
    """
    if sign not in (1, -1):
        raise ValueError("sign must be 1 or -1")
    if (submission_id is None) == (record_ids is None):
        raise ValueError("name the records by submission_id or by record_ids")
    params: dict[str, object] = {"late": DOUBLE_PUBLICITY_WORKING_DAYS, "sign": sign}
    if submission_id is not None:
        where = "r.submission_id = :submission"
        params["submission"] = submission_id
    else:
        if not record_ids:
            return
        where = f"r.id IN ({', '.join(f':r{i}' for i in range(len(record_ids)))})"
        params.update({f"r{i}": int(record_id) for i, record_id in enumerate(record_ids)})
    updates = ", ".join(f"{m} = summary_records_monthly.{m} + excluded.{m}" for m in _RECORD_MEASURES)
    connection.execute(text(_records_aggregate(connection.dialect.name, f"WHERE {where}", ":sign * ",
                                               f"ON CONFLICT ({_RECORD_KEYS}) DO UPDATE SET {updates}")), params)
    if sign < 0:
        connection.execute(text("DELETE FROM summary_records_monthly WHERE records = 0"))


def add_subjects(connection: Connection, subjects: pd.DataFrame) -> None:
    """Count newly stored subjects into summary_subjects.

    `subjects` has the new subjects' kind, town_code (None when unknown) and registered_on (date, None when
    unknown); new subjects are still registered (deregistered year 0).
    """
    if subjects.empty:
        return
    registered = pd.to_datetime(subjects["registered_on"], errors="coerce").dt.year
    counts = (pd.DataFrame({"town_code": subjects["town_code"].astype(object).where(subjects["town_code"].notna(), ""),
                            "kind": subjects["kind"].astype(str),
                            "registered_year": registered.fillna(0).astype(int)})
              .groupby(["town_code", "kind", "registered_year"], observed=True).size().reset_index(name="n"))
    connection.execute(
        text(
            """
            INSERT INTO summary_subjects (town_code, kind, registered_year, deregistered_year, subjects)
            VALUES (:town_code, :kind, :registered_year, 0, :n)
            ON CONFLICT (town_code, kind, registered_year, deregistered_year)
            DO UPDATE SET subjects = summary_subjects.subjects + excluded.subjects
            """
        ),
        [{"town_code": str(t), "kind": k, "registered_year": int(y), "n": int(n)}
         for t, k, y, n in counts.itertuples(index=False, name=None)],
    )


def refresh_all(connection: Connection) -> None:
    """Full rebuild of every summary table (after the generator's bulk load)."""
    refresh_record_summary(connection)
    refresh_subject_summary(connection)


def refresh_score_summary(connection: Connection, version_id: int) -> None:
    """A version's scores at chart grain, rewritten whenever its scores are (in the same transaction)."""
    connection.execute(text("DELETE FROM summary_scores WHERE model_version_id = :v"), {"v": version_id})
    connection.execute(text(
        "INSERT INTO summary_scores (model_version_id, grade, kind, town_code, industry, subjects, score_sum,"
        " probability_sum, as_of)"
        " SELECT sc.model_version_id, sc.grade, s.kind, COALESCE(s.town_code, ''), COALESCE(s.industry, ''),"
        " COUNT(*), SUM(sc.score), SUM(sc.probability), MAX(sc.as_of)"
        " FROM scores sc JOIN subjects s ON s.id = sc.subject_id WHERE sc.model_version_id = :v"
        " GROUP BY sc.model_version_id, sc.grade, s.kind, COALESCE(s.town_code, ''), COALESCE(s.industry, '')"),
        {"v": version_id})
