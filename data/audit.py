"""The one place that writes and verifies the append-only, hash-chained audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from data.models import AuditEntry

GENESIS = "0" * 64


def _digest(prev_hash: str, at: dt.datetime, user_id: int | None, username: str | None, role: str | None,
            action: str, target: str | None, detail: str | None, ip: str | None) -> str:
    payload = json.dumps(
        [prev_hash, at.isoformat(timespec="microseconds"), user_id, username, role, action, target, detail, ip],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(session: Session, action: str, *, user_id: int | None = None, username: str | None = None,
           role: str | None = None, target: str | None = None, detail: dict | str | None = None,
           ip: str | None = None) -> AuditEntry:
    """Append one entry chained to the previous one, inside the caller's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        # Serialise writers so that two entries never chain to the same predecessor.
        session.execute(text("SELECT pg_advisory_xact_lock(727001)"))
    prev = session.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).scalar()
    detail_text = detail if isinstance(detail, str) or detail is None else json.dumps(detail, ensure_ascii=False)
    at = dt.datetime.now()
    prev_hash = prev or GENESIS
    entry = AuditEntry(
        at=at, user_id=user_id, username=username, role=role, action=action, target=target,
        detail=detail_text, ip=ip, prev_hash=prev_hash,
        hash=_digest(prev_hash, at, user_id, username, role, action, target, detail_text, ip),
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass
class Verification:
    ok: bool
    entries: int
    first_bad_id: int | None = None
    reason: str | None = None


def verify(session: Session) -> Verification:
    """Recompute the chain; report the first entry whose hash or link does not match."""
    prev_hash = GENESIS
    count = 0
    rows = session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars()
    for entry in rows:
        count += 1
        if entry.prev_hash != prev_hash:
            return Verification(False, count, entry.id, "与前一条记录的链接不一致（记录被删除或插入）")
        expected = _digest(entry.prev_hash, entry.at, entry.user_id, entry.username, entry.role, entry.action,
                           entry.target, entry.detail, entry.ip)
        if expected != entry.hash:
            return Verification(False, count, entry.id, "记录内容与哈希不一致（记录被篡改）")
        prev_hash = entry.hash
    return Verification(True, count)
