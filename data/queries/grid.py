"""Server-side paging for dash-ag-grid's infinite row model: AG Grid filter and sort models -> SQL, safely.

Only columns named in the caller's whitelist can be filtered or sorted; values are always bound parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Select, and_, func, not_, or_, select

MAX_BLOCK = 500


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    return dt.date.fromisoformat(str(value)[:10])


def _condition(column: ColumnElement, spec: Mapping[str, Any]) -> ColumnElement | None:
    kind = spec.get("filterType", "text")
    op = spec.get("type", "contains")
    if op == "blank":
        return column.is_(None)
    if op == "notBlank":
        return column.is_not(None)
    if kind == "date":
        first, second = _date(spec.get("dateFrom")), _date(spec.get("dateTo"))
        value = first
        if value is None:
            return None
    elif kind == "number":
        value, second = spec.get("filter"), spec.get("filterTo")
        if value is None:
            return None
        value = float(value)
        second = float(second) if second is not None else None
    else:
        value = str(spec.get("filter") or "")[:200]
        if value == "":
            return None
        escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        text_ops = {
            "contains": lambda: column.like(f"%{escaped}%", escape="\\"),
            "notContains": lambda: not_(column.like(f"%{escaped}%", escape="\\")),
            "startsWith": lambda: column.like(f"{escaped}%", escape="\\"),
            "endsWith": lambda: column.like(f"%{escaped}", escape="\\"),
            "equals": lambda: column == value,
            "notEqual": lambda: column != value,
        }
        return text_ops[op]() if op in text_ops else None
    return _compare(op, column, value, second)


def _compare(op: str, column: Any, first: Any, second: Any) -> Any:
    """A number or date comparison of AG Grid's filters over a SQL column or a pandas Series (both overload the
    comparison operators and `&`); None for an unknown operator."""
    ops = {
        "equals": lambda: column == first,
        "notEqual": lambda: column != first,
        "lessThan": lambda: column < first,
        "lessThanOrEqual": lambda: column <= first,
        "greaterThan": lambda: column > first,
        "greaterThanOrEqual": lambda: column >= first,
        "inRange": lambda: (column >= first) & (column <= second) if second is not None else column >= first,
    }
    return ops[op]() if op in ops else None


def filter_clauses(columns: Mapping[str, ColumnElement], filter_model: Mapping[str, Any] | None) -> list:
    """SQL conditions for an AG Grid filterModel; unknown columns and malformed entries are ignored."""
    clauses = []
    for field, spec in (filter_model or {}).items():
        column = columns.get(field)
        if column is None or not isinstance(spec, Mapping):
            continue
        try:
            if "conditions" in spec:
                parts = [c for c in (_condition(column, s) for s in spec["conditions"] if isinstance(s, Mapping))
                         if c is not None]
                if parts:
                    clauses.append(or_(*parts) if spec.get("operator") == "OR" else and_(*parts))
            else:
                clause = _condition(column, spec)
                if clause is not None:
                    clauses.append(clause)
        except (ValueError, TypeError):
            continue  # a half-typed number or date filters nothing rather than failing the page
    return clauses


def page(connection, statement: Select, columns: Mapping[str, ColumnElement], request: Mapping[str, Any] | None,
         *, default_order: list | None = None, max_rows: int = MAX_BLOCK,
         unfiltered_count: Callable[[], int] | None = None) -> tuple[pd.DataFrame, int]:
    """Rows startRow..endRow of `statement` filtered and sorted by the grid's request, and the filtered count.

    `unfiltered_count` answers the count when the grid's filters select nothing (e.g. from a summary table, or
    without a join that cannot change it); otherwise the filtered statement is counted."""
    request = request or {}
    clauses = filter_clauses(columns, request.get("filterModel"))
    filtered = statement.where(*clauses) if clauses else statement
    if unfiltered_count is not None and not clauses:
        count = unfiltered_count()
    else:
        count = connection.execute(select(func.count()).select_from(filtered.order_by(None).subquery())
                                   ).scalar_one()
    order = []
    for item in request.get("sortModel") or []:
        column = columns.get(item.get("colId"))
        if column is not None:
            order.append(column.desc() if item.get("sort") == "desc" else column.asc())
    order.extend(default_order or [])
    start = max(int(request.get("startRow") or 0), 0)
    end = int(request.get("endRow") or start + 100)
    size = min(max(end - start, 1), max_rows)
    result = connection.execute(filtered.order_by(*order).offset(start).limit(size))
    return pd.DataFrame(result.fetchall(), columns=list(result.keys())), int(count)


# ---- the same request over a frame already in the read-model cache --------------------------------------------------

def _frame_condition(values: pd.Series, spec: Mapping[str, Any]) -> pd.Series | None:
    """One AG Grid filter condition over a column of a frame (text, number or ISO-date text), as _condition."""
    kind = spec.get("filterType", "text")
    op = spec.get("type", "contains")
    missing = values.isna() | (values.astype(str) == "")
    if op == "blank":
        return missing
    if op == "notBlank":
        return ~missing
    if kind in ("date", "number"):
        if kind == "date":
            first, second = _date(spec.get("dateFrom")), _date(spec.get("dateTo"))
            column = pd.to_datetime(values, errors="coerce").dt.date
        else:
            raw_first, raw_second = spec.get("filter"), spec.get("filterTo")
            first = float(raw_first) if raw_first is not None else None
            second = float(raw_second) if raw_second is not None else None
            column = pd.to_numeric(values, errors="coerce")
        if first is None:
            return None
        compared = _compare(op, column, first, second)
        return None if compared is None else column.notna() & compared
    value = str(spec.get("filter") or "")[:200]
    if value == "":
        return None
    text = values.astype(str).where(~values.isna(), "")
    # Case-sensitive, as LIKE is on PostgreSQL (the grids' text is Chinese names and codes).
    # Blank cells match no text condition, the negative ones included (as NULL does in SQL).
    text_ops = {
        "contains": lambda: text.str.contains(value, regex=False),
        "notContains": lambda: ~missing & ~text.str.contains(value, regex=False),
        "startsWith": lambda: text.str.startswith(value),
        "endsWith": lambda: text.str.endswith(value),
        "equals": lambda: text == value,
        "notEqual": lambda: ~missing & (text != value),
    }
    return text_ops[op]() if op in text_ops else None


def frame_page(frame: pd.DataFrame, columns: Mapping[str, str], request: Mapping[str, Any] | None, *,
               max_rows: int = MAX_BLOCK) -> tuple[pd.DataFrame, int]:
    """Rows startRow..endRow of a (cached) frame filtered and sorted by the grid's request, and the filtered count.

    For grids over a few thousand to tens of thousands of rows that a page already holds in the read-model cache:
    the browser gets one block at a time instead of the whole table. `columns` whitelists the filterable and
    sortable columns (field -> 'text' / 'number' / 'date'); other fields in the request are ignored.
    """
    request = request or {}
    mask = pd.Series(True, index=frame.index)
    for field, spec in (request.get("filterModel") or {}).items():
        if field not in columns or field not in frame.columns or not isinstance(spec, Mapping):
            continue
        try:
            if "conditions" in spec:
                parts = [c for c in (_frame_condition(frame[field], s) for s in spec["conditions"]
                                     if isinstance(s, Mapping)) if c is not None]
                if parts:
                    combined = parts[0]
                    for part in parts[1:]:
                        combined = (combined | part) if spec.get("operator") == "OR" else (combined & part)
                    mask &= combined
            else:
                condition = _frame_condition(frame[field], spec)
                if condition is not None:
                    mask &= condition
        except (ValueError, TypeError):
            continue  # a half-typed number or date filters nothing rather than failing the page
    selected = frame[mask.to_numpy()]
    sort = [(item.get("colId"), item.get("sort") != "desc") for item in request.get("sortModel") or []
            if item.get("colId") in columns and item.get("colId") in frame.columns]
    if sort:
        selected = selected.sort_values([c for c, _ in sort], ascending=[a for _, a in sort], kind="stable")
    start = max(int(request.get("startRow") or 0), 0)
    end = int(request.get("endRow") or start + 100)
    size = min(max(end - start, 1), max_rows)
    return selected.iloc[start:start + size], len(selected)
