"""Objections (异议), the source bureau's outcome, credit repair (信用修复) and early removal of list entries.

Each operation checks its transition, writes the change with change_history (who, when, before, after) and an
audit entry inside the caller's transaction, and raises ListsError with a Chinese message when refused, so nothing
is ever half-written. Ending publication early is written as an earlier publicity end or removal date (see
data.publicity), which takes the record out of public views from that day on.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from data import audit, publicity, summaries
from data.models import ChangeHistory, CreditRecord, CreditRepair, ListEntry, Objection
from data.reference import RECORD_STATUSES, SEVERITIES

OUTCOMES: dict[str, str] = {"corrected": "更正", "confirmed": "维持", "removed": "撤销"}
REPAIR_OUTCOMES: dict[str, str] = {"granted": "准予修复", "refused": "不予修复"}
# A published record can be disputed or repaired in these statuses; under objection it must be settled first.
OPEN_STATUSES = frozenset({"active", "corrected"})
REASON_LIMIT = 400
SHORT_TEXT_LIMIT = 200


class ListsError(ValueError):
    """A refused change: the message says which record, which field and why, in Chinese."""


class Actor(Protocol):
    """Who makes a change (security.access.Viewer satisfies it)."""

    user_id: int
    username: str
    role: str
    bureau_code: str | None


def _json(values: dict[str, Any] | None) -> str | None:
    return None if values is None else json.dumps(values, ensure_ascii=False, default=str, sort_keys=True)


def _record_state(record: CreditRecord) -> dict[str, Any]:
    return {"status": record.status, "severity": record.severity, "content": record.content,
            "amount": record.amount, "publicity_end": record.publicity_end}


def _entry_state(entry: ListEntry) -> dict[str, Any]:
    return {"removed_on": entry.removed_on, "removal_reason": entry.removal_reason, "expires_on": entry.expires_on}


def _history(session: Session, entity: str, entity_id: int, action: str, actor: Actor,
             before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    session.add(ChangeHistory(entity=entity, entity_id=entity_id, action=action, changed_at=dt.datetime.now(),
                              changed_by=actor.username, before=_json(before), after=_json(after)))


def _audit(session: Session, action: str, actor: Actor, target: str, detail: dict[str, Any], ip: str | None) -> None:
    audit.record(session, action, user_id=actor.user_id, username=actor.username, role=actor.role, target=target,
                 detail=json.loads(_json(detail) or "{}"), ip=ip)


def _text(value: str | None, field: str, subject: str, limit: int, *, required: bool = True) -> str | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise ListsError(f"{subject}：“{field}”不能为空")
        return None
    if len(value) > limit:
        raise ListsError(f"{subject}：“{field}”不能超过 {limit} 个字（现有 {len(value)} 个字）")
    return value


def _date(value: dt.date | None, field: str, subject: str) -> dt.date:
    if value is None:
        raise ListsError(f"{subject}：“{field}”不能为空")
    if value > dt.date.today():
        raise ListsError(f"{subject}：“{field}” {value:%Y-%m-%d} 晚于今天")
    return value


def _locked_record(session: Session, record_id: int) -> CreditRecord:
    record = session.get(CreditRecord, record_id, with_for_update=True)
    if record is None:
        raise ListsError(f"信用记录 {record_id} 不存在")
    return record


def _check_own_bureau(actor: Actor, bureau_code: str, what: str) -> None:
    """谁认定、谁修复: a bureau user acts only on what its own bureau decided."""
    if actor.role == "bureau" and actor.bureau_code != bureau_code:
        raise ListsError(f"{what}由其他单位认定，只能由认定单位处理（谁认定、谁修复）")


def _record_is_public(record: CreditRecord, day: dt.date) -> bool:
    return bool(publicity.is_public([record.decision_date], [record.publicity_end], day,
                                    [record.publication_date])[0])


def _special(record: CreditRecord) -> bool:
    return publicity.is_special_sector(record.bureau_code, record.record_type_code, record.content)


def _end_linked_entries(session: Session, record: CreditRecord, day: dt.date, reason: str, actor: Actor,
                        action: str) -> list[int]:
    """Take the record's list entries off their lists from `day` on (repair or removal stops their use too)."""
    entries = session.scalars(select(ListEntry).where(ListEntry.record_id == record.id,
                                                      publicity.entry_public_on(day)).with_for_update()).all()
    for entry in entries:
        before = _entry_state(entry)
        entry.removed_on = day
        entry.removal_reason = reason
        _history(session, "list_entry", entry.id, action, actor, before, _entry_state(entry))
    return [entry.id for entry in entries]


def file_objection(session: Session, record_id: int, *, reason: str | None, filed_on: dt.date | None,
                   actor: Actor, ip: str | None = None) -> Objection:
    """Record a subject's objection to a published record: the record is marked 异议处理中 while it is verified."""
    record = _locked_record(session, record_id)
    subject = f"信用记录 {record_id}（{record.document_no}）"
    reason = _text(reason, "异议理由", subject, REASON_LIMIT)
    filed_on = _date(filed_on, "异议日期", subject)
    if filed_on < record.decision_date:
        raise ListsError(f"{subject}：“异议日期” {filed_on:%Y-%m-%d} 早于决定日期 {record.decision_date:%Y-%m-%d}")
    if record.status not in OPEN_STATUSES:
        raise ListsError(f"{subject}：当前状态为“{RECORD_STATUSES.get(record.status, record.status)}”，不能提出异议")
    if not _record_is_public(record, filed_on):
        raise ListsError(f"{subject}：{filed_on:%Y-%m-%d} 不在公示期内，只能对公示中的记录提出异议")
    before = _record_state(record)
    record.status = "objection"
    objection = Objection(record_id=record.id, subject_id=record.subject_id, bureau_code=record.bureau_code,
                          filed_on=filed_on, reason=reason)
    session.add(objection)
    session.flush()
    _history(session, "objection", objection.id, "objection_filed", actor, None,
             {"record_id": record.id, "filed_on": filed_on, "reason": reason})
    _history(session, "record", record.id, "objection_filed", actor, before, _record_state(record))
    _audit(session, "objection_filed", actor, f"record:{record.id}",
           {"objection_id": objection.id, "filed_on": filed_on}, ip)
    return objection


def _status_before_objection(session: Session, record_id: int) -> str:
    """The status the record had when its open objection was filed (active, or corrected by an earlier one)."""
    before = session.scalar(
        select(ChangeHistory.before)
        .where(ChangeHistory.entity == "record", ChangeHistory.entity_id == record_id,
               ChangeHistory.action == "objection_filed")
        .order_by(ChangeHistory.id.desc())
        .limit(1)
    )
    status = json.loads(before).get("status") if before else None
    return status if status in OPEN_STATUSES else "active"


def resolve_objection(session: Session, objection_id: int, *, outcome: str, resolved_on: dt.date | None,
                      actor: Actor, note: str | None = None, severity: str | None = None,
                      content: str | None = None, amount: float | None = None, ip: str | None = None) -> Objection:
    """The source bureau's outcome: corrected (with the corrected values), confirmed, or removed (withdrawn)."""
    objection = session.get(Objection, objection_id, with_for_update=True)
    if objection is None:
        raise ListsError(f"异议 {objection_id} 不存在")
    subject = f"异议 {objection_id}"
    if objection.resolved_on is not None:
        raise ListsError(f"{subject}：已于 {objection.resolved_on:%Y-%m-%d} 办结"
                         f"（{OUTCOMES.get(objection.outcome or '', objection.outcome)}），不能重复办结")
    if outcome not in OUTCOMES:
        raise ListsError(f"{subject}：“核查结果”须为 {'、'.join(OUTCOMES.values())} 之一")
    _check_own_bureau(actor, objection.bureau_code, subject)
    resolved_on = _date(resolved_on, "办结日期", subject)
    if resolved_on < objection.filed_on:
        raise ListsError(f"{subject}：“办结日期” {resolved_on:%Y-%m-%d} 早于异议日期 {objection.filed_on:%Y-%m-%d}")
    note = _text(note, "核查说明", subject, SHORT_TEXT_LIMIT, required=outcome != "confirmed")
    if objection.record_id is None:
        raise ListsError(f"{subject}：未关联信用记录，无法办结")
    record = _locked_record(session, objection.record_id)
    if record.status != "objection":
        raise ListsError(f"{subject}：信用记录 {record.id} 当前状态为“{RECORD_STATUSES.get(record.status)}”，"
                         "不在异议处理中")
    before = _record_state(record)
    ended_entries: list[int] = []
    if outcome == "corrected":
        # The summary counts records by severity and sums their amounts: take the record out, correct, put back.
        summaries.add_records(session.connection(), record_ids=[record.id], sign=-1)
        _apply_correction(record, subject, severity=severity, content=content, amount=amount)
        session.flush()
        summaries.add_records(session.connection(), record_ids=[record.id], sign=1)
        record.status = "corrected"
    elif outcome == "confirmed":
        record.status = _status_before_objection(session, record.id)
    else:
        record.status = "removed"
        last_day = resolved_on - dt.timedelta(days=1)
        if record.publicity_end is None or record.publicity_end > last_day:
            record.publicity_end = last_day
        ended_entries = _end_linked_entries(session, record, resolved_on, "异议核查后撤销", actor, "objection_removed")
    objection_before = {"outcome": None, "resolved_on": None}
    objection.outcome = outcome
    objection.resolved_on = resolved_on
    objection.handled_by = actor.user_id
    _history(session, "objection", objection.id, f"objection_{outcome}", actor, objection_before,
             {"outcome": outcome, "resolved_on": resolved_on, "note": note})
    _history(session, "record", record.id, f"objection_{outcome}", actor, before, _record_state(record))
    _audit(session, "objection_resolved", actor, f"record:{record.id}",
           {"objection_id": objection.id, "outcome": outcome, "list_entries_removed": ended_entries}, ip)
    return objection


def _apply_correction(record: CreditRecord, subject: str, *, severity: str | None, content: str | None,
                      amount: float | None) -> None:
    changed = False
    if severity:
        if severity not in SEVERITIES:
            raise ListsError(f"{subject}：“更正后严重程度”须为 {'、'.join(SEVERITIES.values())} 之一")
        if record.severity is None:
            raise ListsError(f"{subject}：该类信息不分严重程度，不能更正“严重程度”")
        if severity != record.severity:
            record.severity = severity
            # A different grade means a different period under the regime of the (unchanged) decision date.
            record.publicity_end = publicity.publicity_end(record.decision_date, severity,
                                                           special_sector=_special(record))
            changed = True
    content = _text(content, "更正后内容", subject, SHORT_TEXT_LIMIT, required=False)
    if content and content != record.content:
        record.content = content
        changed = True
    if amount is not None:
        if amount < 0:
            raise ListsError(f"{subject}：“更正后金额（万元）”不能为负数")
        if amount != record.amount:
            record.amount = float(amount)
            changed = True
    if not changed:
        raise ListsError(f"{subject}：结果为“更正”时须至少更正一项（严重程度、内容或金额）")


def repair_conditions(record: CreditRecord, *, decided_on: dt.date, conduct_corrected: bool,
                      obligations_met: bool, commitment_signed: bool) -> list[str]:
    """The unmet conditions of repair (empty when repair may be granted)."""
    unmet = []
    if record.severity is not None:
        earliest = publicity.earliest_repair_date(record.decision_date, record.severity,
                                                  special_sector=_special(record))
        if decided_on < earliest:
            unmet.append(f"最短公示期未满（{earliest:%Y-%m-%d} 起方可修复）")
    if not conduct_corrected:
        unmet.append("失信行为尚未纠正")
    if not obligations_met:
        unmet.append("法定责任和义务尚未履行")
    if not commitment_signed:
        unmet.append("尚未签署信用承诺书")
    return unmet


def repair_record(session: Session, record_id: int, *, applied_on: dt.date | None, decided_on: dt.date | None,
                  conduct_corrected: bool, obligations_met: bool, commitment_signed: bool, grant: bool,
                  reason: str | None, actor: Actor, ip: str | None = None) -> CreditRepair:
    """Record a repair application and the deciding bureau's decision; a granted repair ends publication (and the
    record's list entries) from the decision day on."""
    record = _locked_record(session, record_id)
    subject = f"信用记录 {record_id}（{record.document_no}）"
    _check_own_bureau(actor, record.bureau_code, subject)
    if record.severity is None:
        raise ListsError(f"{subject}：该类信息没有公示期，无需信用修复")
    if record.status not in OPEN_STATUSES:
        raise ListsError(f"{subject}：当前状态为“{RECORD_STATUSES.get(record.status, record.status)}”，"
                         "不能办理信用修复" + ("（请先办结异议）" if record.status == "objection" else ""))
    applied_on = _date(applied_on, "申请日期", subject)
    decided_on = _date(decided_on, "决定日期", subject)
    if applied_on < record.decision_date:
        raise ListsError(f"{subject}：“申请日期” {applied_on:%Y-%m-%d} 早于决定日期 {record.decision_date:%Y-%m-%d}")
    if decided_on < applied_on:
        raise ListsError(f"{subject}：“决定日期” {decided_on:%Y-%m-%d} 早于申请日期 {applied_on:%Y-%m-%d}")
    if not _record_is_public(record, decided_on):
        raise ListsError(f"{subject}：{decided_on:%Y-%m-%d} 已不在公示期内，无需修复")
    reason = _text(reason, "决定理由", subject, SHORT_TEXT_LIMIT, required=not grant)
    conditions = {"conduct_corrected": bool(conduct_corrected), "obligations_met": bool(obligations_met),
                  "commitment_signed": bool(commitment_signed)}
    if grant:
        unmet = repair_conditions(record, decided_on=decided_on, **conditions)
        if unmet:
            raise ListsError(f"{subject}：不符合信用修复条件：{'；'.join(unmet)}")
    repair = CreditRepair(record_id=record.id, applied_on=applied_on, decided_on=decided_on,
                          outcome="granted" if grant else "refused", reason=reason, decided_by=actor.username,
                          **conditions)
    session.add(repair)
    session.flush()
    _history(session, "repair", repair.id, f"repair_{repair.outcome}", actor, None,
             {"record_id": record.id, "applied_on": applied_on, "decided_on": decided_on,
              "outcome": repair.outcome, "reason": reason, **conditions})
    ended_entries: list[int] = []
    if grant:
        before = _record_state(record)
        record.status = "repaired"
        record.publicity_end = decided_on - dt.timedelta(days=1)
        ended_entries = _end_linked_entries(session, record, decided_on, "信用修复", actor, "repair_granted")
        _history(session, "record", record.id, "repair_granted", actor, before, _record_state(record))
    _audit(session, "repair_decided", actor, f"record:{record.id}",
           {"repair_id": repair.id, "outcome": repair.outcome, "list_entries_removed": ended_entries}, ip)
    return repair


def remove_list_entry(session: Session, entry_id: int, *, removed_on: dt.date | None, reason: str | None,
                      actor: Actor, ip: str | None = None) -> ListEntry:
    """Early removal of a list entry (obligation fulfilled, repair, or the issuer's decision)."""
    entry = session.get(ListEntry, entry_id, with_for_update=True)
    if entry is None:
        raise ListsError(f"名单条目 {entry_id} 不存在")
    subject = f"名单条目 {entry_id}"
    _check_own_bureau(actor, entry.bureau_code, subject)
    reason = _text(reason, "移出原因", subject, SHORT_TEXT_LIMIT)
    removed_on = _date(removed_on, "移出日期", subject)
    if removed_on < entry.listed_on:
        raise ListsError(f"{subject}：“移出日期” {removed_on:%Y-%m-%d} 早于列入日期 {entry.listed_on:%Y-%m-%d}")
    if entry.removed_on is not None:
        raise ListsError(f"{subject}：已于 {entry.removed_on:%Y-%m-%d} 移出")
    if entry.expires_on is not None and entry.expires_on < removed_on:
        raise ListsError(f"{subject}：已于 {entry.expires_on:%Y-%m-%d} 期满，无需提前移出")
    before = _entry_state(entry)
    entry.removed_on = removed_on
    entry.removal_reason = reason
    _history(session, "list_entry", entry.id, "entry_removed", actor, before, _entry_state(entry))
    _audit(session, "list_entry_removed", actor, f"list_entry:{entry.id}",
           {"removed_on": removed_on, "reason": reason}, ip)
    return entry
