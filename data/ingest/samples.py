"""Bureau files made to order: empty templates for download, realistic sample files for tests and the benchmark.

Rows are built as template fields and laid out under the headers of either generation, so one builder serves
every catalog; `defects` turns a share of rows bad in the ways bureaus get them wrong.
"""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd

from data.identifiers import USCC_CHARSET
from data.ingest.headers import TEMPLATES, map_headers
from data.reference import BUREAU_NAMES, RECORD_TYPES, TOWNS

_RT = {rt.code: rt for rt in RECORD_TYPES}
DEFECTS = ("empty_name", "bad_uscc", "bad_date", "future_date", "negative_amount", "bad_category",
           "misfiled_individual", "duplicate", "empty_authority", "bad_id")


def headers(record_type: str, generation: str = "current") -> list[str]:
    template = TEMPLATES[record_type]
    return list(template.legacy if generation == "2015" and template.legacy else template.current)


def template_frame(record_type: str, generation: str = "current") -> pd.DataFrame:
    """An empty table with the template's headers (the download bureaus fill in)."""
    return pd.DataFrame(columns=headers(record_type, generation))


def _chars(values: np.ndarray, width: int) -> np.ndarray:
    return np.array(values.tolist(), dtype=f"<U{width}").view(np.uint32).reshape(-1, width).astype(np.int64)


def make_usccs(rng: np.random.Generator, n: int, prefixes: np.ndarray | str = "91") -> np.ndarray:
    """Valid unified social credit codes registered in Tongzhou (110112), with valid organisation codes."""
    prefix = np.broadcast_to(np.asarray(prefixes, dtype="<U2"), (n,))
    digits = rng.integers(0, 10, size=(n, 8))
    org_sum = (digits * np.array([3, 7, 9, 10, 5, 8, 4, 2])).sum(axis=1)
    org_check = 11 - org_sum % 11
    org_char = np.where(org_check == 10, "X", np.where(org_check == 11, "0", org_check.astype(str)))
    body = np.char.add(np.char.add(np.char.add(prefix, "110112"), ["".join(map(str, row)) for row in digits]),
                       org_char)
    points = _chars(body, 17)
    lookup = np.full(128, 0, dtype=np.int64)
    for i, ch in enumerate(USCC_CHARSET):
        lookup[ord(ch)] = i
    total = (lookup[points] * np.array([pow(3, i, 31) for i in range(17)])).sum(axis=1)
    check = np.array(list(USCC_CHARSET))[(31 - total % 31) % 31]
    return np.char.add(body, check).astype(object)


def make_id_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """Valid resident identity numbers with Tongzhou address codes and birth dates 1950-2005."""
    births = pd.Timestamp("1950-01-01") + pd.to_timedelta(rng.integers(0, 20_000, n), unit="D")
    sequence = rng.integers(0, 1000, n)
    body = np.char.add(np.char.add("110112", births.strftime("%Y%m%d").to_numpy().astype("<U8")),
                       np.char.zfill(sequence.astype(str), 3))
    digits = _chars(body, 17) - ord("0")
    total = (digits * np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])).sum(axis=1)
    return np.char.add(body, np.array(list("10X98765432"))[total % 11]).astype(object)


def authority_code(bureau_code: str) -> str:
    """A stable, valid USCC of a government agency (prefix 11) for a bureau."""
    seed = int.from_bytes(bureau_code.encode(), "big") % (2**32)
    return str(make_usccs(np.random.default_rng(seed), 1, "11")[0])


def sample_rows(record_type: str, n: int, *, bureau: str = "SCJG", seed: int = 0, generation: str = "current",
                start: dt.date = dt.date(2024, 1, 1), end: dt.date | None = None, defects: float = 0.0,
                subjects: int | None = None, person_share: float = 0.2, prefix: str = "") -> pd.DataFrame:
    """`n` rows of a catalog's file laid out under its template headers; a `defects` share of rows made invalid.

    The invalid rows carry a column-free marker in `frame.attrs["defects"]` (row position -> defect name).
    """
    rng = np.random.default_rng(seed)
    end = end or dt.date.today() - dt.timedelta(days=1)
    rt = _RT[record_type]
    pool = subjects or max(1, n // 4)
    kind_draw = rng.random(pool)
    person = kind_draw < person_share if rt.subject_scope != "legal" else np.zeros(pool, dtype=bool)
    individual = ~person & (kind_draw < person_share + 0.15)
    usccs = make_usccs(rng, pool, np.where(individual, "92", "91"))
    ids = make_id_numbers(rng, pool)
    surnames = np.array(list("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"))
    given = np.array(list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"))
    person_names = np.char.add(np.char.add(surnames[rng.integers(0, 20, pool)], given[rng.integers(0, 20, pool)]),
                               given[rng.integers(0, 20, pool)])
    words = np.array(["通达", "运河", "华创", "宏远", "京东方", "新城", "潞河", "漷县", "宋庄", "张湾", "恒信", "博瑞"])
    trades = np.array(["商贸有限公司", "建筑工程有限公司", "餐饮店", "科技有限公司", "物流有限公司", "便利店"])
    legal_names = np.char.add(np.char.add(np.char.add("北京", words[rng.integers(0, len(words), pool)]),
                                          np.arange(pool).astype(str)), trades[rng.integers(0, len(trades), pool)])
    who = rng.integers(0, pool, n)
    is_person, is_individual = person[who], individual[who]
    days = (end - start).days + 1
    decision = pd.Timestamp(start) + pd.to_timedelta(rng.integers(0, max(days, 1), n), unit="D")
    towns = np.array([t.name for t in TOWNS])[rng.integers(0, len(TOWNS), n)]
    authority = "北京市通州" + BUREAU_NAMES[bureau]
    fine = np.maximum(np.round(rng.gamma(1.1, 0.6, n), 4), 0.01)  # a fine is never 0 (that is a defect)
    fields: dict[str, object] = {
        "subject_name": np.where(is_person, person_names[who], legal_names[who]),
        "subject_category": np.where(is_person, "自然人", np.where(is_individual, "个体工商户", "法人及非法人组织")),
        "uscc": np.where(is_person, "", usccs[who]),
        "legal_rep": np.where(is_person, "", person_names[(who + 7) % pool]),
        "id_type": np.where(is_person, "身份证", ""),
        "id_number": np.where(is_person, ids[who], ""),
        "document_no": np.char.add(np.char.add(f"京通{bureau}{prefix}〔", decision.year.astype(str).to_numpy()),
                                   np.char.add("〕", np.char.add(np.arange(1, n + 1).astype(str), "号"))),
        "decision_date": decision.strftime("%Y/%m/%d").to_numpy(),
        "authority": authority,
        "authority_code": authority_code(bureau),
        "source_unit": authority,
        "source_unit_code": authority_code(bureau),
        "town": towns,
        "remark": "",
    }
    if record_type == "CF":
        fields |= {
            "violation_type": "未按规定公示年度报告", "facts": "经查，当事人未按规定履行法定义务。",
            "basis": "《中华人民共和国行政处罚法》第九条", "penalty_category": "罚款",
            "content": np.char.add(np.char.add("罚款人民币", np.round(fine * 10_000).astype(int).astype(str)), "元"),
            "fine": fine.astype(str), "confiscated": "0", "licence_action": "", "valid_to": "2099/12/31",
            "publicity_end": "", "penalty_category_2": "",
        }
    elif record_type == "XK":
        fields |= {
            "doc_name": "准予行政许可决定书", "licence_category": "普通", "cert_name": "食品经营许可证",
            "licence_no": np.char.add("JY1110112", np.arange(n).astype(str)), "content": "准予食品经营许可",
            "project": "食品经营许可", "valid_from": decision.strftime("%Y-%m-%d").to_numpy(),
            "valid_to": "2099-12-31", "status": "有效",
        }
    else:
        fields |= {"amount": np.round(fine, 2).astype(str), "content": rt.name, "grade": "A"}
        fields |= {key: "是" for key in TEMPLATES[record_type].signature}
    frame = _lay_out(record_type, generation, fields, n)
    if defects:
        frame.attrs["defects"] = _spoil(frame, record_type, generation, rng, defects)
    return frame


def _lay_out(record_type: str, generation: str, fields: dict[str, object], n: int) -> pd.DataFrame:
    names = headers(record_type, generation)
    mapping = map_headers(names, TEMPLATES[record_type])
    by_position = {p: key for key, positions in mapping.columns.items() for p in positions}
    data = {}
    for position, name in enumerate(names):
        key = by_position.get(position)
        value = fields.get(key, "") if key else ""
        data[name] = np.broadcast_to(np.asarray(value, dtype=object), (n,)).copy()
    return pd.DataFrame(data)


def _spoil(frame: pd.DataFrame, record_type: str, generation: str, rng: np.random.Generator,
           share: float) -> dict[int, str]:
    """Make a share of rows invalid, one defect each; returns position -> defect."""
    names = headers(record_type, generation)
    mapping = map_headers(names, TEMPLATES[record_type])

    def column(key: str) -> str | None:
        positions = mapping.columns.get(key)
        return names[positions[0]] if positions else None

    n = len(frame)
    chosen = np.flatnonzero(rng.random(n) < share)
    chosen = chosen[chosen > 0]  # row 0 stays valid: duplicates copy it
    available = [d for d in DEFECTS if _applicable(d, record_type, column)]
    kinds = rng.choice(available, size=len(chosen))
    spoiled = {}
    for position, defect in zip(chosen, kinds, strict=True):
        row = int(position)
        if defect == "empty_name":
            frame.at[row, column("subject_name")] = ""
        elif defect == "bad_uscc" or defect == "bad_id":
            key = "uscc" if frame.at[row, column("uscc")] else "id_number"
            code = frame.at[row, column(key)]
            if not code:
                continue
            frame.at[row, column(key)] = code[:-1] + ("0" if code[-1] != "0" else "1")
        elif defect == "bad_date":
            frame.at[row, column("decision_date")] = "2024-13-45"
        elif defect == "future_date":
            frame.at[row, column("decision_date")] = (dt.date.today() + dt.timedelta(days=30)).isoformat()
        elif defect == "negative_amount":
            frame.at[row, column("fine") or column("amount")] = "-1"
        elif defect == "bad_category":
            frame.at[row, column("penalty_category")] = "罚没款"
        elif defect == "misfiled_individual":
            if not str(frame.at[row, column("uscc")]).startswith("92"):
                continue
            frame.at[row, column("subject_category")] = "法人及非法人组织"
        elif defect == "duplicate":
            frame.at[row, column("document_no")] = frame.at[0, column("document_no")]
        elif defect == "empty_authority":
            frame.at[row, column("authority")] = ""
        spoiled[row] = str(defect)
    return spoiled


def _applicable(defect: str, record_type: str, column) -> bool:
    needs = {"bad_category": "penalty_category", "negative_amount": "fine" if record_type == "CF" else "amount",
             "misfiled_individual": "subject_category"}
    return column(needs.get(defect, "subject_name")) is not None


def csv_bytes(frame: pd.DataFrame, encoding: str = "utf-8") -> bytes:
    """The frame as a CSV file in `encoding` (utf-8, utf-8-sig, gbk, gb18030)."""
    return frame.to_csv(index=False).encode(encoding)


def xlsx_bytes(frame: pd.DataFrame, title: str | None = None) -> bytes:
    """The frame as an XLSX workbook; an optional title row above the headers as templates often have."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False, name=None):
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
