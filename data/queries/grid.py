"""Server-side paging for dash-ag-grid's infinite row model: AG Grid filter and sort models -> SQL, safely.

Only columns named in the caller's whitelist can be filtered or sorted; values are always bound parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
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
    ops = {
        "equals": lambda: column == value,
        "notEqual": lambda: column != value,
        "lessThan": lambda: column < value,
        "lessThanOrEqual": lambda: column <= value,
        "greaterThan": lambda: column > value,
        "greaterThanOrEqual": lambda: column >= value,
        "inRange": lambda: and_(column >= value, column <= second) if second is not None else column >= value,
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
         *, default_order: list | None = None, max_rows: int = MAX_BLOCK, count: int | None = None
         ) -> tuple[pd.DataFrame, int]:
    """Rows startRow..endRow of `statement` filtered and sorted by the grid's request, and the filtered count
    (counted here unless the caller knows it, e.g. from a summary table)."""
    request = request or {}
    clauses = filter_clauses(columns, request.get("filterModel"))
    filtered = statement.where(*clauses) if clauses else statement
    if count is None:
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
