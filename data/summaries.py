"""Summary tables at chart grain, refreshed after every submission so that pages never scan credit_records."""

from __future__ import annotations

from sqlalchemy import Connection, text

# Late = published more than 7 working days after the decision (double publicity rule).
DOUBLE_PUBLICITY_WORKING_DAYS = 7


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
    connection.execute(
        text(
            f"""
            INSERT INTO summary_records_monthly
                (month, bureau_code, record_type_code, town_code, subject_kind, severity,
                 records, amount, published, published_late)
            SELECT {month}, r.bureau_code, r.record_type_code, COALESCE(s.town_code, ''), s.kind,
                   COALESCE(r.severity, ''), COUNT(*), COALESCE(SUM(r.amount), 0),
                   COUNT(r.publication_date),
                   SUM(CASE WHEN r.publish_delay_wd > :late THEN 1 ELSE 0 END)
            FROM credit_records r JOIN subjects s ON s.id = r.subject_id
            {where}
            GROUP BY {month}, r.bureau_code, r.record_type_code, COALESCE(s.town_code, ''), s.kind,
                     COALESCE(r.severity, '')
            """
        ),
        params,
    )


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


def refresh_all(connection: Connection) -> None:
    """Full rebuild of every summary table (after the generator's bulk load)."""
    refresh_record_summary(connection)
    refresh_subject_summary(connection)
