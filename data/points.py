"""积分落户 (points-based household registration): the deduction for a natural person's adverse credit records.

The district plan's rule (DOMAIN.md §8) is the default; Beijing's municipal text may limit the deduction to
administrative detention within the last 5 years, which is offered as the alternative. The rule in force is the
district setting "points.rule" and the page names it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import BigInteger, String, cast, literal, null, or_, select, union_all
from sqlalchemy.orm import Session

from data import audit, publicity
from data.db import Store
from data.models import ChangeHistory, CreditRecord, ListEntry, RecordType, Setting, Subject
from data.reference import BUREAU_NAMES, LIST_TYPE_NAMES, RECORD_TYPE_NAMES

SETTING_KEY = "points.rule"


@dataclass(frozen=True)
class PointsRule:
    key: str
    name: str
    description: str
    points_per_record: int
    # The person's own records that count; None = every adverse (negative) record type.
    own_record_types: frozenset[str] | None
    # Records of enterprises / individual businesses the person represents or owns.
    business_record_types: frozenset[str]
    business_kinds: frozenset[str]
    # Listings that count as a record when no counted record stands behind them (abnormal operations register).
    business_list_types: frozenset[str]
    # Count only records decided within this many years before the day; None = no window.
    window_years: int | None
    # Count only records public on the day (expired or repaired records no longer count).
    public_only: bool


POINTS_RULES: dict[str, PointsRule] = {
    "plan": PointsRule(
        key="plan",
        name="区规划口径：每条不良信用记录扣 12 分",
        description="申请人本人的交通违法、违法行为、行政拘留及其他不良信用记录，以及申请人担任法定代表人或"
                    "负责人的企业、个体工商户的行政处罚、司法不良记录、产品（服务）质量抽检不合格、列入经营异常名录，"
                    "每条扣 12 分；只计公示期内的记录（已期满、已修复、已撤销的不计）。",
        points_per_record=12,
        own_record_types=None,
        business_record_types=frozenset({"CF", "SFZX", "ZLCC", "JYYC"}),
        business_kinds=frozenset({"enterprise", "individual_business"}),
        business_list_types=frozenset({"JYYC"}),
        window_years=None,
        public_only=True,
    ),
    "detention_5y": PointsRule(
        key="detention_5y",
        name="市级口径（待确认）：近 5 年行政拘留每次扣 12 分",
        description="只计申请人本人在查询日前 5 年内的行政拘留记录，每条扣 12 分（北京市积分落户政策原文尚未"
                    "确认，此口径为备选）；已撤销的记录不计。",
        points_per_record=12,
        own_record_types=frozenset({"XZJL"}),
        business_record_types=frozenset(),
        business_kinds=frozenset(),
        business_list_types=frozenset(),
        window_years=5,
        public_only=False,
    ),
}
DEFAULT_RULE = "plan"


class PointsError(ValueError):
    """A refused points lookup or rule change, with a Chinese message."""


def current_rule(session: Session) -> PointsRule:
    """The rule in force: the district setting, or the plan's rule when none (or an unknown one) is set."""
    value = session.scalar(select(Setting.value).where(Setting.key == SETTING_KEY))
    key = json.loads(value).get("rule") if value else DEFAULT_RULE
    return POINTS_RULES.get(key, POINTS_RULES[DEFAULT_RULE])


def set_rule(session: Session, key: str, *, username: str, user_id: int | None = None, role: str | None = None,
             ip: str | None = None) -> PointsRule:
    """Switch the rule in force (history and audit in the caller's transaction)."""
    if key not in POINTS_RULES:
        raise PointsError(f"积分落户扣分口径“{key}”不存在，可选：{'、'.join(POINTS_RULES)}")
    before = current_rule(session)
    now = dt.datetime.now()
    setting = session.get(Setting, SETTING_KEY)
    value = json.dumps({"rule": key})
    if setting is None:
        session.add(Setting(key=SETTING_KEY, value=value, updated_at=now))
    else:
        setting.value, setting.updated_at = value, now
    session.add(ChangeHistory(entity="setting", entity_id=0, action="points_rule_set", changed_at=now,
                              changed_by=username, before=json.dumps({"rule": before.key}), after=value))
    audit.record(session, "points_rule_set", user_id=user_id, username=username, role=role, target=SETTING_KEY,
                 detail={"before": before.key, "after": key}, ip=ip)
    return POINTS_RULES[key]


@dataclass(frozen=True)
class PointsResult:
    rule: PointsRule
    person_id: int
    as_of: dt.date
    deduction: int
    records: pd.DataFrame  # one row per counted record or listing, with the points it costs


def _record_conditions(rule: PointsRule, as_of: dt.date) -> list:
    conditions = [CreditRecord.decision_date <= as_of, CreditRecord.status != "removed"]
    if rule.public_only:
        conditions.append(publicity.record_public_on(as_of))
    if rule.window_years is not None:
        conditions.append(CreditRecord.decision_date > publicity.add_months(as_of, -12 * rule.window_years))
    return conditions


def points_deduction(store: Store, person_id: int, as_of: dt.date, rule: PointsRule | None = None) -> PointsResult:
    """The deduction for one natural person on `as_of` under `rule` (default: the rule in force)."""
    with store.read() as db:
        person = db.get(Subject, person_id)
        if person is None or person.kind != "person":
            raise PointsError(f"主体 {person_id} 不是自然人，积分落户扣分只适用于自然人")
        rule = rule or current_rule(db)
        own_types = (
            select(RecordType.code).where(RecordType.polarity == "negative")
            if rule.own_record_types is None else list(rule.own_record_types)
        )
        record_columns = [
            CreditRecord.id.label("record_id"), cast(null(), BigInteger).label("entry_id"),
            Subject.id.label("subject_id"), Subject.name.label("subject_name"), Subject.kind.label("subject_kind"),
            CreditRecord.record_type_code.label("item_code"), CreditRecord.bureau_code,
            CreditRecord.document_no, CreditRecord.decision_date.label("item_date"),
            CreditRecord.severity, CreditRecord.content,
        ]
        conditions = _record_conditions(rule, as_of)
        own = (select(*record_columns, literal("own").label("relation"))
               .join(Subject, Subject.id == CreditRecord.subject_id)
               .where(CreditRecord.subject_id == person_id, CreditRecord.record_type_code.in_(own_types),
                      *conditions))
        parts = [own]
        if rule.business_record_types:
            parts.append(
                select(*record_columns, literal("business").label("relation"))
                .join(Subject, Subject.id == CreditRecord.subject_id)
                .where(Subject.legal_rep_id == person_id, Subject.kind.in_(rule.business_kinds),
                       CreditRecord.record_type_code.in_(rule.business_record_types), *conditions)
            )
        if rule.business_list_types:
            # A listing counts on its own only when no counted record stands behind it (no double deduction).
            counted = select(CreditRecord.id).where(CreditRecord.subject_id == ListEntry.subject_id,
                                                    CreditRecord.record_type_code.in_(rule.business_record_types),
                                                    *conditions)
            parts.append(
                select(cast(null(), BigInteger).label("record_id"), ListEntry.id.label("entry_id"),
                       Subject.id.label("subject_id"), Subject.name.label("subject_name"),
                       Subject.kind.label("subject_kind"), ListEntry.list_type_code.label("item_code"),
                       ListEntry.bureau_code, cast(null(), String).label("document_no"),
                       ListEntry.listed_on.label("item_date"), cast(null(), String).label("severity"),
                       ListEntry.reason.label("content"), literal("business_list").label("relation"))
                .join(Subject, Subject.id == ListEntry.subject_id)
                .where(Subject.legal_rep_id == person_id, Subject.kind.in_(rule.business_kinds),
                       ListEntry.list_type_code.in_(rule.business_list_types), publicity.entry_public_on(as_of),
                       or_(ListEntry.record_id.is_(None), ListEntry.record_id.not_in(counted)))
            )
        result = db.execute(union_all(*parts))
        frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    if frame.empty:
        frame = pd.DataFrame(columns=[*result.keys(), "item", "bureau", "points"])
    else:
        listing = frame["entry_id"].notna()
        frame["item"] = frame["item_code"].map(RECORD_TYPE_NAMES).where(~listing,
                                                                        frame["item_code"].map(LIST_TYPE_NAMES))
        frame["bureau"] = frame["bureau_code"].map(BUREAU_NAMES)
        frame["points"] = rule.points_per_record
        frame["item_date"] = pd.to_datetime(frame["item_date"]).dt.date
        frame = frame.sort_values(["item_date", "record_id"], ascending=[False, True]).reset_index(drop=True)
    return PointsResult(rule=rule, person_id=person_id, as_of=as_of,
                        deduction=int(rule.points_per_record * len(frame)), records=frame)
