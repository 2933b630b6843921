"""Questions the audit-log page asks: one page of entries under the grid's filters and sort."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from data.db import Store
from data.models import AuditEntry
from data.queries import grid

COLUMNS = {
    "id": AuditEntry.id,
    "at": AuditEntry.at,
    "username": AuditEntry.username,
    "role": AuditEntry.role,
    "action": AuditEntry.action,
    "target": AuditEntry.target,
    "detail": AuditEntry.detail,
    "ip": AuditEntry.ip,
}


def audit_entries(store: Store, request: dict | None, max_rows: int = grid.MAX_BLOCK) -> tuple[pd.DataFrame, int]:
    """Entries newest first, filtered and sorted as the grid asks, and how many match."""
    statement = select(*[column.label(name) for name, column in COLUMNS.items()])
    with store.engine.connect() as connection:
        frame, total = grid.page(connection, statement, COLUMNS, request, default_order=[AuditEntry.id.desc()],
                                  max_rows=max_rows)
    if not frame.empty:
        frame["at"] = pd.to_datetime(frame["at"]).dt.strftime("%Y-%m-%d %H:%M:%S")
    return frame, total
