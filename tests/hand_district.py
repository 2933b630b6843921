"""A hand-built fixture district small enough to compute every overview and campaign figure by hand.

Three towns carry everything: 中仓街道 (110112001, 60,000 residents), 宋庄镇 (110112104, 115,000) and 马驹桥镇
(110112109, 195,000); the other 19 towns are empty. The expected figures are worked out in the tests themselves.
"""

from __future__ import annotations

import datetime as dt

from data.db import Store
from data.models import CampaignRecord, CreditRecord, ListEntry, ModelVersion, Objection, Score, Subject
from data.summaries import refresh_all

ZHONGCANG, SONGZHUANG, MAJUQIAO = "110112001", "110112104", "110112109"
AS_OF = dt.date(2025, 12, 31)
D = dt.date

# name: (kind, code, display name, town, registered_on, deregistered_on)
SUBJECTS = {
    "e1": ("enterprise", "91110112MA00000011", "通州甲科技有限公司", ZHONGCANG, D(2020, 5, 1), None),
    "e2": ("enterprise", "91110112MA00000022", "宋庄乙文化有限公司", SONGZHUANG, D(2025, 3, 1), None),
    "e3": ("enterprise", "91110112MA00000033", "宋庄丙建材有限公司", SONGZHUANG, D(2018, 1, 1), D(2024, 6, 30)),
    "i1": ("individual_business", "92110112MA00000044", "中仓丁便利店", ZHONGCANG, D(2022, 8, 8), None),
    "g1": ("public_institution", "12110112MB00000055", "马驹桥卫生院", MAJUQIAO, D(2010, 1, 1), None),
    "p1": ("person", "110112198001010015", "张三丰", ZHONGCANG, D(1980, 1, 1), None),
    "p2": ("person", "110112199002020026", "李四", SONGZHUANG, D(1990, 2, 2), None),
    "p3": ("person", "110112200003030037", "王五", None, D(2000, 3, 3), None),
}

# (subject, bureau, record type, decision date, working days to publication or None, severity, amount, status)
RECORDS = [
    ("e1", "SCJG", "CF", D(2025, 3, 10), 3, "serious", 5.0, "active"),
    ("e2", "SCJG", "CF", D(2025, 4, 1), 9, "ordinary", 1.0, "active"),
    ("e1", "SCJG", "XK", D(2025, 4, 2), 2, None, None, "active"),
    ("e2", "SCJG", "CF", D(2025, 9, 1), 2, "serious", 2.0, "repaired"),
    ("i1", "ZJ", "XK", D(2025, 5, 5), None, None, None, "active"),
    ("p1", "ZJ", "CF", D(2025, 5, 6), 10, "serious", 0.2, "active"),
    ("g1", "ZJ", "XK", D(2025, 6, 1), 1, None, None, "active"),
    ("p2", "GA", "XK", D(2025, 8, 1), 0, None, None, "active"),
    ("p1", "GA", "JTWF", D(2025, 2, 1), None, "minor", 0.02, "active"),
    ("e1", "FGW", "HTLY", D(2025, 7, 1), None, None, None, "active"),
    ("p2", "GA", "JTWF", D(2024, 2, 1), None, "minor", 0.02, "active"),
    ("e1", "SCJG", "CF", D(2024, 3, 15), 1, "ordinary", 0.5, "active"),
]

# (subject, list type, colour, bureau, listed_on, expires_on, removed_on)
LIST_ENTRIES = [
    ("p1", "SXBZX", "black", "FY", D(2024, 6, 1), D(2026, 6, 1), None),
    ("p2", "SXBZX", "black", "FY", D(2023, 1, 1), D(2025, 1, 1), None),
    ("e2", "YZWF", "black", "SCJG", D(2025, 5, 1), None, None),
    ("e3", "YZWF", "black", "SCJG", D(2025, 2, 1), None, D(2025, 10, 1)),
    ("e1", "AJNSR", "red", "SW", D(2025, 4, 1), D(2026, 3, 31), None),
    ("e1", "AJNSR", "red", "SW", D(2024, 4, 1), D(2025, 3, 31), None),
    ("i1", "CXQY", "red", "CCB", D(2025, 6, 1), D(2027, 5, 31), None),
    ("e2", "JYYC", "warning", "SCJG", D(2025, 1, 10), None, None),
]

# (town, unit type, unit name, kind, item, event date)
CAMPAIGN = [
    (ZHONGCANG, "community", "新华西社区", "honour", "文明社区", D(2025, 3, 1)),
    (ZHONGCANG, "community", "中仓东社区", "honour", "文明社区", D(2025, 9, 1)),
    (ZHONGCANG, "community", "新华西社区", "activity", "诚信宣传活动", D(2025, 2, 1)),
    (ZHONGCANG, "community", "中仓东社区", "activity", "诚信宣传活动", D(2025, 5, 1)),
    (ZHONGCANG, "school", "中仓小学", "activity", "守信激励宣讲", D(2025, 11, 1)),
    (SONGZHUANG, "village", "小堡村", "honour", "文明村镇", D(2025, 4, 1)),
    (SONGZHUANG, "enterprise", "宋庄乙文化有限公司", "honour", "诚信企业", D(2025, 6, 1)),
    (SONGZHUANG, "village", "小堡村", "activity", "信用知识进社区", D(2025, 7, 1)),
    (ZHONGCANG, "community", "新华西社区", "honour", "文明社区", D(2024, 3, 1)),
]

# (subject, bureau, filed_on, resolved_on)
OBJECTIONS = [
    ("e2", "SCJG", D(2025, 11, 1), None),
    ("p1", "SCJG", D(2025, 12, 1), None),
    ("e1", "ZJ", D(2025, 10, 1), D(2025, 10, 20)),
]


def build(store: Store) -> dict[str, int]:
    """Insert the district into an empty store, refresh the summaries; returns subject ids by short name."""
    ids: dict[str, int] = {}
    with store.session() as db:
        for name, (kind, code, display, town, registered, deregistered) in SUBJECTS.items():
            subject = Subject(kind=kind, code=code, name=display, town_code=town, registered_on=registered,
                              deregistered_on=deregistered)
            db.add(subject)
            db.flush()
            ids[name] = subject.id
        for n, (who, bureau, kind, decided, delay, severity, amount, status) in enumerate(RECORDS, start=1):
            db.add(CreditRecord(
                subject_id=ids[who], bureau_code=bureau, record_type_code=kind, document_no=f"通{kind}〔{n:04d}〕",
                decision_date=decided, publication_date=decided + dt.timedelta(days=delay) if delay is not None
                else None, publish_delay_wd=delay, severity=severity, amount=amount, status=status,
                content="违法事实" if kind == "CF" else None,
            ))
        for who, list_type, color, bureau, listed, expires, removed in LIST_ENTRIES:
            db.add(ListEntry(list_type_code=list_type, color=color, bureau_code=bureau, subject_id=ids[who],
                             listed_on=listed, expires_on=expires, removed_on=removed, reason="认定"))
        for town, unit_type, unit, kind, item, day in CAMPAIGN:
            db.add(CampaignRecord(town_code=town, unit_type=unit_type, unit_name=unit, kind=kind, item=item,
                                  event_date=day))
        for who, bureau, filed, resolved in OBJECTIONS:
            db.add(Objection(subject_id=ids[who], bureau_code=bureau, filed_on=filed, resolved_on=resolved,
                             reason="信息有误"))
        db.flush()
        refresh_all(db.connection())
    return ids


def add_scores(store: Store, ids: dict[str, int]) -> None:
    """The model in service (e1 A, e2 B+, i1 B+, p1 C-) and a newer draft not in service (every subject D)."""
    with store.session() as db:
        current = ModelVersion(created_at=dt.datetime(2025, 11, 1), as_of=D(2025, 10, 31), algorithm="scorecard",
                               in_service=True)
        db.add(current)
        db.flush()
        draft = ModelVersion(created_at=dt.datetime(2025, 12, 1), as_of=D(2025, 11, 30), algorithm="scorecard",
                             in_service=False)
        db.add(draft)
        db.flush()
        for name, grade in (("e1", "A"), ("e2", "B+"), ("i1", "B+"), ("p1", "C-")):
            db.add(Score(model_version_id=current.id, subject_id=ids[name], as_of=current.as_of, probability=0.1,
                         score=700, grade=grade))
        for name in ("e1", "e2", "i1", "p1", "g1"):
            db.add(Score(model_version_id=draft.id, subject_id=ids[name], as_of=draft.as_of, probability=0.5,
                         score=300, grade="D"))
