"""A hand-built district for the 红黑名单 tests: few enough subjects, records and list entries to work out every
publicity period, list count and 积分落户 deduction by hand (the expectations live in the tests)."""

from __future__ import annotations

import datetime as dt

from data import publicity
from data.db import Store
from data.models import CreditRecord, ListEntry, Subject

D = dt.date
AS_OF = D(2026, 6, 30)
ZHONGCANG, SONGZHUANG = "110112001", "110112104"

# key: (kind, code, name, town, industry, legal representative key)
SUBJECTS = {
    "p1": ("person", "110112198001010015", "张三丰", ZHONGCANG, None, None),
    "p2": ("person", "110112199002020026", "李四", SONGZHUANG, None, None),
    "e1": ("enterprise", "91110112MA00000011", "通州甲科技有限公司", SONGZHUANG, "C", "p1"),
    "i1": ("individual_business", "92110112MA00000044", "中仓丁便利店", ZHONGCANG, "F", "p1"),
    "e2": ("enterprise", "91110112MA00000022", "宋庄乙文化有限公司", SONGZHUANG, "R", "p2"),
}

# key: (subject, bureau, type, document number, decision date, severity, amount, content)
RECORDS = {
    "cf_e1": ("e1", "SCJG", "CF", "京通市监罚〔2025〕101号", D(2025, 6, 1), "serious", 5.0, "销售不合格产品"),
    "cf_e1_old": ("e1", "SCJG", "CF", "京通市监罚〔2023〕7号", D(2023, 1, 10), "ordinary", 0.5, "未按规定公示信息"),
    "xk_e1": ("e1", "SCJG", "XK", "京通市监许〔2025〕3号", D(2025, 2, 1), None, None, "食品经营许可"),
    "jyyc_i1": ("i1", "SCJG", "JYYC", "京通市监异〔2026〕5号", D(2026, 2, 1), "ordinary", None, "未按期报送年度报告"),
    "sfzx_e2": ("e2", "FY", "SFZX", "（2025）京0112执1234号", D(2025, 9, 1), "serious", 30.0, "拒不履行"),
    "cf_yj_e2": ("e2", "YJ", "CF", "京通应急罚〔2025〕9号", D(2025, 10, 1), "minor", 0.3, "未按规定开展安全培训"),
    "jtwf_p1": ("p1", "GA", "JTWF", "京公交决〔2026〕55号", D(2026, 5, 1), "ordinary", 0.02, "超速行驶"),
    "xzjl_p1": ("p1", "GA", "XZJL", "京公通拘〔2022〕8号", D(2022, 3, 1), "serious", None, "扰乱公共秩序"),
    "xzjl_p1_old": ("p1", "GA", "XZJL", "京公通拘〔2020〕3号", D(2020, 5, 1), "serious", None, "殴打他人"),
    "cf_p2": ("p2", "GA", "CF", "京公通罚〔2026〕21号", D(2026, 4, 10), "minor", 0.01, "违反治安管理"),
}

# key: (list type, colour, bureau, subject, record, reason, listed, expires, removed)
ENTRIES = {
    "yzwf_e1": ("YZWF", "black", "SCJG", "e1", "cf_e1", "严重违法失信", D(2025, 6, 10), D(2028, 6, 10), None),
    "sxbzx_e2": ("SXBZX", "black", "FY", "e2", "sfzx_e2", "有履行能力而拒不履行", D(2025, 9, 10), D(2027, 9, 10),
                 None),
    "zdss_e2": ("ZDSS", "black", "SW", "e2", None, "重大税收违法失信案件", D(2024, 7, 1), D(2026, 6, 30), None),
    "jyyc_i1": ("JYYC", "warning", "SCJG", "i1", "jyyc_i1", "未按期报送年度报告", D(2026, 2, 1), None, None),
    "jyyc_e1": ("JYYC", "warning", "SCJG", "e1", None, "通过登记的住所无法联系", D(2026, 3, 1), None, None),
    "ajnsr_e1": ("AJNSR", "red", "SW", "e1", None, "2024 年度纳税信用 A 级", D(2025, 7, 1), D(2026, 7, 1), None),
    "mfgr_p2": ("MFGR", "red", "CCB", "p2", None, "模范个人", D(2026, 1, 15), D(2028, 1, 15), None),
    "cxqy_e1": ("CXQY", "red", "CCB", "e1", None, "守合同重信用企业", D(2024, 1, 1), D(2026, 1, 1), D(2025, 1, 1)),
}


def build(store: Store) -> dict[str, int]:
    """Insert the district; return the database id of every subject, record and entry by its key."""
    ids: dict[str, int] = {}
    with store.session() as db:
        for key, (kind, code, name, town, industry, _rep) in SUBJECTS.items():
            subject = Subject(kind=kind, code=code, name=name, town_code=town, industry=industry)
            db.add(subject)
            db.flush()
            ids[key] = subject.id
        for key, (*_fields, rep) in SUBJECTS.items():
            if rep:
                db.get(Subject, ids[key]).legal_rep_id = ids[rep]
        for key, (subject, bureau, type_code, document, decided, severity, amount, content) in RECORDS.items():
            special = publicity.is_special_sector(bureau, type_code, content)
            record = CreditRecord(subject_id=ids[subject], bureau_code=bureau, record_type_code=type_code,
                                  document_no=document, decision_date=decided, publication_date=decided,
                                  severity=severity, amount=amount, content=content, status="active",
                                  publicity_end=publicity.publicity_end(decided, severity, special_sector=special))
            db.add(record)
            db.flush()
            ids[key] = record.id
        for key, (list_type, color, bureau, subject, record, reason, listed, expires, removed) in ENTRIES.items():
            entry = ListEntry(list_type_code=list_type, color=color, bureau_code=bureau, subject_id=ids[subject],
                              record_id=ids[record] if record else None, reason=reason, listed_on=listed,
                              expires_on=expires, removed_on=removed)
            db.add(entry)
            db.flush()
            ids[f"entry:{key}"] = entry.id
    return ids
