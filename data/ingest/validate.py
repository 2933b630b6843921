"""Row validation of a bureau file, vectorised with pandas/numpy: every rule yields (row, field, reason in Chinese).

Checks that need Python (dates in many formats, codes, enumerations) run once per distinct value, not per row,
so a million-row file with a few hundred thousand subjects validates in seconds.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data.identifiers import USCC_CHARSET, subject_kind_from_uscc
from data.ingest import rules
from data.ingest.headers import LABELS, HeaderMap
from data.ingest.readers import RawTable
from data.reference import RETIRED_TOWN_CODES, TOWN_NAMES, RecordType

INDEFINITE = pd.Timestamp("2099-12-31")  # 长期有效 in the templates
EARLIEST = pd.Timestamp("1949-10-01")
MAX_NAME, MAX_DOCUMENT, MAX_CODE, MAX_CONTENT = 100, 80, 18, 200
LARGE_AMOUNT_WAN = 100_000.0  # 10 亿元: larger amounts are almost always 元 typed into a 万元 column

_USCC_VALUE = np.full(128, -1, dtype=np.int64)
for _i, _ch in enumerate(USCC_CHARSET):
    _USCC_VALUE[ord(_ch)] = _i
_USCC_WEIGHTS = np.array([pow(3, i, 31) for i in range(17)], dtype=np.int64)
_ORG_VALUE = np.full(128, -1, dtype=np.int64)
for _i, _ch in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"):
    _ORG_VALUE[ord(_ch)] = _i
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHECK = np.array([ord(c) for c in "10X98765432"], dtype=np.int64)
_TOWN_BY_NAME = {name: code for code, name in TOWN_NAMES.items()}
_TOWN_SHORT = {re.sub(r"(街道|地区|镇|回族乡|乡)$", "", name): code for code, name in TOWN_NAMES.items()}


@dataclass
class Validated:
    """The outcome of validating one file: typed values per row, which rows pass, and every error."""

    values: pd.DataFrame  # one row per data row (same order as the file), canonical typed columns
    valid: np.ndarray  # bool per row: no error
    duplicate: np.ndarray  # bool per row: valid but repeats an earlier row's document number
    errors: pd.DataFrame  # position, field, reason (one line per problem; a row may have several)
    warnings: pd.DataFrame  # position, field, reason (reported, not rejected)
    fields_expected: int
    fields_filled: int
    notes: list[str] = field(default_factory=list)


class _Problems:
    """Collects (positions, field, reason) triples; reasons are one text or one text per position."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(self, mask: np.ndarray | pd.Series, field_key: str, reason: str | pd.Series) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        positions = np.flatnonzero(mask)
        if isinstance(reason, pd.Series):
            reasons = reason.to_numpy(dtype=object)[positions]
        else:
            reasons = np.full(len(positions), reason, dtype=object)
        label = LABELS.get(field_key, field_key)
        self.parts.append(pd.DataFrame({"position": positions, "field": label, "reason": reasons}))

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({"position": pd.Series(dtype="int64"), "field": pd.Series(dtype=object),
                                 "reason": pd.Series(dtype=object)})
        return pd.concat(self.parts, ignore_index=True).sort_values("position", kind="stable", ignore_index=True)


# Distinct values of the columns being validated, by series identity: a column is checked by several rules. Kept
# per thread: gunicorn's threads validate several uploads at once, and each clears only its own when it ends.
_LOCAL = threading.local()


def _factors() -> dict[int, tuple[pd.Series, np.ndarray, np.ndarray]]:
    if not hasattr(_LOCAL, "factors"):
        _LOCAL.factors = {}
    return _LOCAL.factors


def _factorize(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    factors = _factors()
    entry = factors.get(id(series))
    if entry is None or entry[0] is not series:
        codes, uniques = pd.factorize(series, use_na_sentinel=False)
        # The series is kept in the entry, so its id cannot be reused by another object while cached.
        entry = factors[id(series)] = (series, codes, np.asarray(uniques, dtype=object))
    return entry[1], entry[2]


def _per_value(series: pd.Series, func, dtype: object = object) -> np.ndarray:
    """func applied to each distinct value once, spread back over the rows."""
    codes, uniques = _factorize(series)
    results = np.empty(max(len(uniques), 1), dtype=dtype)
    for i, value in enumerate(uniques):
        # Element by element: np.array over a list of tuples would build a 2-D array instead of tuples.
        results[i] = func(value)
    return results[codes]


def _column(table: RawTable, mapping: HeaderMap, key: str) -> pd.Series:
    """The field's text per row, stripped; several columns of one field fill each other's blanks, left first."""
    cache = table.__dict__.setdefault("_columns", {})
    if key not in cache:
        cache[key] = _column_text(table, mapping, key)
    return cache[key]


def _column_text(table: RawTable, mapping: HeaderMap, key: str) -> pd.Series:
    positions = mapping.columns.get(key)
    if not positions:
        return pd.Series("", index=table.frame.index, dtype=object)
    result = _strip(table.frame[positions[0]])
    for position in positions[1:]:
        other = _strip(table.frame[position])
        result = result.where(result != "", other)
    return result


def _strip(series: pd.Series) -> pd.Series:
    """str.strip, once per distinct value when values repeat (most columns: categories, authorities, dates)."""
    codes, uniques = _factorize(series)
    if len(uniques) > len(series) // 2:
        return series.str.strip()
    stripped = np.array([u.strip() for u in uniques] or [""], dtype=object)
    return pd.Series(stripped[codes], index=series.index, dtype=object)


def _nfkc_upper(series: pd.Series) -> pd.Series:
    """Full-width letters and digits to ASCII, upper case, no inner spaces (codes typed in Chinese input mode)."""

    def clean(value: str) -> str:
        if value.isascii():
            return value.replace(" ", "").upper()
        return re.sub(r"\s+", "", _nfkc(value)).upper()

    return pd.Series(_per_value(series, clean), index=series.index, dtype=object)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def uscc_checks(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per code: 18 characters; only the GB 32100 set; correct check character; GB 11714 part correct."""
    n = len(codes)
    lengths = np.fromiter((len(c) for c in codes), dtype=np.int64, count=n)
    length_ok = lengths == 18
    chars_ok = np.zeros(n, dtype=bool)
    check_ok = np.zeros(n, dtype=bool)
    org_ok = np.zeros(n, dtype=bool)
    if length_ok.any():
        points = np.array(codes[length_ok].tolist(), dtype="<U18").view(np.uint32).reshape(-1, 18).astype(np.int64)
        ascii_points = np.where(points < 128, points, 0)
        values = np.where(points < 128, _USCC_VALUE[ascii_points], -1)
        chars = (values >= 0).all(axis=1)
        total = (np.clip(values[:, :17], 0, None) * _USCC_WEIGHTS).sum(axis=1)
        check = chars & (values[:, 17] == (31 - total % 31) % 31)
        org_values = np.where(points < 128, _ORG_VALUE[ascii_points], -1)[:, 8:16]
        org_sum = (np.clip(org_values, 0, None) * _ORG_WEIGHTS).sum(axis=1)
        expected = 11 - org_sum % 11
        expected_char = np.where(expected == 10, ord("X"), np.where(expected == 11, ord("0"), ord("0") + expected))
        org = (org_values >= 0).all(axis=1) & (points[:, 16] == expected_char)
        chars_ok[length_ok], check_ok[length_ok], org_ok[length_ok] = chars, check, org
    return length_ok, chars_ok, check_ok, org_ok


def id_checks(numbers: np.ndarray, today: dt.date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per identity number (GB 11643): 17 digits + digit/X; a real birth date not in the future; check character."""
    n = len(numbers)
    form_ok = np.zeros(n, dtype=bool)
    birth_ok = np.zeros(n, dtype=bool)
    check_ok = np.zeros(n, dtype=bool)
    candidate = np.fromiter((len(x) == 18 for x in numbers), dtype=bool, count=n)
    if candidate.any():
        points = np.array(numbers[candidate].tolist(), dtype="<U18").view(np.uint32).reshape(-1, 18).astype(np.int64)
        digits = points - ord("0")
        form = ((digits[:, :17] >= 0) & (digits[:, :17] <= 9)).all(axis=1) & (
            ((digits[:, 17] >= 0) & (digits[:, 17] <= 9)) | (points[:, 17] == ord("X")))
        check = form & (_ID_CHECK[(np.clip(digits[:, :17], 0, 9) * _ID_WEIGHTS).sum(axis=1) % 11] == points[:, 17])
        births = pd.to_datetime(pd.Series(numbers[candidate]).str[6:14], format="%Y%m%d", errors="coerce")
        birth = form & births.notna().to_numpy() & (births <= pd.Timestamp(today)).to_numpy() & (
            births >= pd.Timestamp("1850-01-01")).to_numpy()
        form_ok[candidate], birth_ok[candidate], check_ok[candidate] = form, birth, check
    return form_ok, birth_ok, check_ok


_DATE_NOISE = re.compile(r"[年月/.\\]")


def _parse_one_date(text: str) -> pd.Timestamp | None:
    value = _nfkc(text).strip()
    if not value:
        return None
    value = value.split()[0].split("T")[0] if re.match(r"^\d{4}", value) else value
    if re.fullmatch(r"\d{8}", value):
        value = f"{value[:4]}-{value[4:6]}-{value[6:]}"
    elif re.fullmatch(r"\d{5}(\.0+)?", value) and 20_000 <= float(value) <= 80_000:
        # An Excel serial day number (a date cell exported as a number).
        return pd.Timestamp("1899-12-30") + pd.Timedelta(days=int(float(value)))
    else:
        value = _DATE_NOISE.sub("-", value.replace("日", "")).strip("-")
    try:
        # datetime.strptime: the same format as pd.to_datetime(format="%Y-%m-%d") (one or two digit month and
        # day), at a fiftieth of its cost per value.
        parsed = dt.datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        return None
    # Outside pandas' nanosecond range (years 1678-2261) pd.to_datetime gave no date: the same here.
    return pd.Timestamp(parsed) if pd.Timestamp.min <= pd.Timestamp(parsed) <= pd.Timestamp.max else None


def parse_dates(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Dates in the common formats (2025-03-05, 2025/3/5, 2025.03.05, 20250305, 2025年3月5日, with or without a
    time, Excel serial numbers); returns the dates (NaT when empty or unreadable) and the unreadable mask."""
    parsed = pd.Series(_per_value(series, _parse_one_date), index=series.index, dtype=object)
    dates = pd.to_datetime(parsed, errors="coerce")
    bad = ((series != "") & dates.isna()).to_numpy()
    return dates, bad


def _amounts(table: RawTable, mapping: HeaderMap, key: str, problems: _Problems) -> pd.Series:
    text = _column(table, mapping, key)
    cleaned = pd.Series(_per_value(text, lambda v: re.sub(r"[,，\s]|万元$", "", _nfkc(v))), index=text.index,
                        dtype=object)
    numbers = pd.to_numeric(cleaned.where(cleaned != ""), errors="coerce")
    given = (text != "").to_numpy()
    problems.add(given & numbers.isna().to_numpy(), key, "金额不是数字（应填写以万元为单位的数字，如 0.5）")
    negative = (numbers < 0).to_numpy()
    problems.add(negative, key, "金额不能为负数")
    positions = mapping.columns.get(key, [])
    if positions and positions[0] in mapping.yuan:
        numbers = numbers / 10_000  # the header says 元: convert to the standard's 万元
    return numbers.where(~negative)


def _town_codes(table: RawTable, mapping: HeaderMap) -> tuple[pd.Series, np.ndarray]:
    """Town (街乡) code per row from a town column (name or code), a 9-digit division code or the address."""
    town_text = _column(table, mapping, "town")

    def town_of(value: str) -> str | None:
        value = _nfkc(value).strip()
        if not value:
            return None
        value = RETIRED_TOWN_CODES.get(value, value)
        if value in TOWN_NAMES:
            return value
        return _TOWN_BY_NAME.get(value) or _TOWN_SHORT.get(re.sub(r"(街道|地区|镇|回族乡|乡)$", "", value))

    towns = pd.Series(_per_value(town_text, town_of), index=town_text.index, dtype=object)
    unknown = ((town_text != "") & towns.isna()).to_numpy()
    division = _column(table, mapping, "division")
    if mapping.has("division"):
        by_division = pd.Series(_per_value(division, lambda v: town_of(v) if re.fullmatch(r"\d{9}", v) else None),
                                index=division.index, dtype=object)
        towns = towns.where(towns.notna(), by_division)
    if mapping.has("address"):
        address = _column(table, mapping, "address")

        def town_in(text: str) -> str | None:
            for name, code in _TOWN_BY_NAME.items():
                if name in text:
                    return code
            return None

        towns = towns.where(towns.notna(), pd.Series(_per_value(address, town_in), index=address.index,
                                                     dtype=object))
    return towns, unknown


def validate(table: RawTable, mapping: HeaderMap, record_type: RecordType, today: dt.date) -> Validated:
    """Apply every row rule of the catalog's template; nothing here touches the store."""
    try:
        return _validate(table, mapping, record_type, today)
    finally:
        _factors().clear()


def _validate(table: RawTable, mapping: HeaderMap, record_type: RecordType, today: dt.date) -> Validated:
    problems, warnings = _Problems(), _Problems()
    n = len(table.frame)
    code = record_type.code
    if table.overflow is not None:
        problems.add(table.overflow, "整行", "该行的列数多于表头（可能含未加引号的逗号），无法确定各列的值")

    name = _column(table, mapping, "subject_name")
    problems.add((name == "").to_numpy(), "subject_name", "必填项为空")
    problems.add((name.str.len() > MAX_NAME).to_numpy(), "subject_name", f"名称超过 {MAX_NAME} 个字符")

    # Subject category, codes and their consistency.
    category_text = _column(table, mapping, "subject_category")
    category_key = pd.Series(_per_value(category_text, lambda v: rules.SUBJECT_CATEGORIES.get(
        re.sub(r"\s+", "", _nfkc(v)), "" if not v else "?")), index=name.index)
    problems.add((category_key == "?").to_numpy(), "subject_category",
                 "应为 法人及非法人组织、自然人 或 个体工商户")
    uscc = _nfkc_upper(_column(table, mapping, "uscc"))
    id_number = _nfkc_upper(_column(table, mapping, "id_number"))
    id_type = _column(table, mapping, "id_type")
    id_type_ok = pd.Series(_per_value(id_type, lambda v: v == "" or re.sub(r"\s+", "", v) in rules.ID_TYPES),
                           index=name.index).astype(bool)
    problems.add(~id_type_ok.to_numpy(), "id_type",
                 "证件类型不在标准取值内（如 身份证、护照号、港澳居民来往内地通行证）")
    resident_id = pd.Series(_per_value(id_type, lambda v: re.sub(r"\s+", "", v) in rules.RESIDENT_ID_TYPES),
                            index=name.index).astype(bool).to_numpy()

    has_uscc = (uscc != "").to_numpy()
    has_id = (id_number != "").to_numpy()
    length_ok, chars_ok, check_ok, org_ok = _by_unique(uscc, uscc_checks)
    uscc_valid = has_uscc & check_ok
    form_ok, birth_ok, id_check_ok = _by_unique(id_number, lambda v: id_checks(v, today))
    foreign_id = has_id & ~resident_id
    foreign_ok = foreign_id & id_number.str.fullmatch(r"[0-9A-Z()\-]{5,18}").to_numpy()
    id_valid = has_id & ((resident_id & id_check_ok & birth_ok) | foreign_ok)
    prefix = uscc.str[:2].to_numpy()
    category = category_key.to_numpy()
    derived = np.where(uscc_valid, np.where(prefix == "92", "individual", "legal"),
                       np.where(id_valid, "person", ""))
    effective = np.where((category == "") | (category == "?"), derived, category)

    uscc_reason = pd.Series(np.select(
        [~length_ok, ~chars_ok, ~check_ok],
        [uscc.str.len().astype(str).radd("应为 18 位（实际 ").add(" 位）").to_numpy(),
         "含有不允许的字符（统一社会信用代码不使用 I、O、Z、S、V）", "校验位错误"], ""), index=name.index)
    looks_like_id = has_uscc & ~uscc_valid & _by_unique(uscc, lambda v: id_checks(v, today))[2]
    uscc_reason = uscc_reason.where(~looks_like_id, "校验未通过：该号码是身份证号码，应填入证件号码列")
    problems.add(has_uscc & ~uscc_valid & (effective != "person"), "uscc", uscc_reason)
    warnings.add(uscc_valid & ~org_ok, "uscc", "第 9-17 位组织机构代码校验未通过（仅提示）")
    id_reason = np.where(~form_ok, "格式错误（应为 17 位数字加 1 位数字或 X）",
                         np.where(~birth_ok, "出生日期无效或在未来", "校验位错误"))
    id_problem = has_id & ~id_valid & (effective != "legal")
    problems.add(id_problem & resident_id, "id_number", pd.Series(np.char.add("身份证号码", id_reason.astype(str)),
                                                                  index=name.index))
    problems.add(id_problem & ~resident_id, "id_number", "证件号码格式错误（应为 5-18 位字母或数字）")

    legal = effective == "legal"
    individual = effective == "individual"
    person = effective == "person"
    problems.add(legal & ~has_uscc, "uscc", "法人及非法人组织必须填写统一社会信用代码")
    problems.add(legal & uscc_valid & (prefix == "92"), "subject_category",
                 "统一社会信用代码以 92 开头，应为个体工商户，不是法人及非法人组织")
    problems.add(individual & uscc_valid & (prefix != "92"), "subject_category",
                 "个体工商户的统一社会信用代码应以 92 开头")
    problems.add(individual & ~has_uscc & ~has_id, "uscc", "个体工商户须填写统一社会信用代码或经营者证件号码")
    problems.add(person & ~has_id, "id_number", "自然人必须填写证件号码")
    problems.add(person & uscc_valid, "subject_category", "填写的是统一社会信用代码，行政相对人类别不应为自然人")
    problems.add(effective == "", "uscc", "缺少有效的统一社会信用代码或证件号码，无法确定信用主体")

    subject_code = np.where(legal | (individual & uscc_valid), uscc.to_numpy(), id_number.to_numpy())
    problems.add(np.fromiter((len(c) > MAX_CODE for c in subject_code), dtype=bool, count=n), "id_number",
                 f"代码超过 {MAX_CODE} 个字符")
    kind_of_prefix = pd.Series(_per_value(uscc, subject_kind_from_uscc), index=name.index)
    kind = np.where(person | (individual & ~uscc_valid), "person",
                    np.where(individual, "individual_business",
                             kind_of_prefix.fillna("enterprise").to_numpy()))

    # The document, the date, the deciding body.
    document = _column(table, mapping, "document_no")
    problems.add((document == "").to_numpy(), "document_no", "必填项为空")
    problems.add((document.str.len() > MAX_DOCUMENT).to_numpy(), "document_no", f"文书号超过 {MAX_DOCUMENT} 个字符")
    decision, bad = parse_dates(_column(table, mapping, "decision_date"))
    empty_date = (_column(table, mapping, "decision_date") == "").to_numpy()
    problems.add(empty_date, "decision_date", "必填项为空")
    problems.add(bad, "decision_date", "日期无法识别（可用 2025-03-05、2025/3/5、20250305、2025年3月5日）")
    problems.add((decision > pd.Timestamp(today)).to_numpy(), "decision_date", "决定日期晚于报送日期（不能是未来日期）")
    problems.add((decision < EARLIEST).to_numpy(), "decision_date", "决定日期早于 1949-10-01，请核对")
    authority = _column(table, mapping, "authority")
    problems.add((authority == "").to_numpy(), "authority", "必填项为空")
    authority_code = _nfkc_upper(_column(table, mapping, "authority_code"))
    problems.add(((authority_code != "") & ~_by_unique(authority_code, uscc_checks)[2]).to_numpy(), "authority_code",
                 "决定机关的统一社会信用代码校验未通过")

    # Validity ranges (2099-12-31 = indefinite) and the declared end of publicity.
    ends: dict[str, pd.Series] = {}
    for key in ("valid_from", "valid_to", "publicity_end"):
        if key in mapping.template.date_fields and mapping.has(key):
            dates, unreadable = parse_dates(_column(table, mapping, key))
            problems.add(unreadable, key, "日期无法识别（长期有效请填 2099/12/31）")
            problems.add((dates > INDEFINITE).to_numpy(), key, "日期超出范围（长期有效请填 2099/12/31）")
            ends[key] = dates
    if "valid_from" in ends and "valid_to" in ends:
        problems.add((ends["valid_from"] > ends["valid_to"]).to_numpy(), "valid_to", "有效期至早于有效期自")
    for key in ("valid_to", "publicity_end"):
        if key in ends:
            problems.add((ends[key] < decision).to_numpy(), key, f"{LABELS[key]}早于决定日期")

    # Amounts in 万元.
    amount = pd.Series(np.nan, index=name.index)
    parts: dict[str, pd.Series] = {}
    for key in mapping.template.amount_fields:
        if mapping.has(key):
            parts[key] = part = _amounts(table, mapping, key, problems)
            amount = amount.where(part.isna(), amount.fillna(0) + part.fillna(0))
    warnings.add((amount >= LARGE_AMOUNT_WAN).to_numpy(), "amount", "金额超过 10 亿元，请核实单位是否为万元")

    # Enumerations the standards fix.
    categories = pd.Series([()] * n, index=name.index, dtype=object)
    if code == "CF" and mapping.has("penalty_category"):
        text = _column(table, mapping, "penalty_category")
        if mapping.has("penalty_category_2"):
            second = _column(table, mapping, "penalty_category_2")
            text = text.where(second == "", text + "、" + second)
        parsed = _per_value(text, rules.penalty_parts)
        categories = pd.Series([p[0] for p in parsed], index=name.index, dtype=object)
        unknown = pd.Series(["、".join(p[1]) for p in parsed], index=name.index)
        problems.add((text == "").to_numpy(), "penalty_category", "必填项为空")
        problems.add((unknown != "").to_numpy(), "penalty_category",
                     "不是《行政处罚法》第九条规定的处罚种类：" + unknown)
        fined = pd.Series(_per_value(categories, lambda c: "罚款" in c), index=name.index).astype(bool).to_numpy()
        fine = parts.get("fine", pd.Series(np.nan, index=name.index))
        # Unreadable or negative fines are reported by the amount check already.
        no_fine = (_column(table, mapping, "fine") == "").to_numpy() | (fine == 0).to_numpy()
        problems.add(fined & no_fine, "fine", "处罚类别含罚款，但罚款金额为空或为 0")
    if code == "XK" and mapping.has("licence_category"):
        text = _column(table, mapping, "licence_category")
        ok = pd.Series(_per_value(text, lambda v: v == "" or rules.licence_category_ok(v)), index=name.index)
        problems.add(~ok.astype(bool).to_numpy(), "licence_category", "应为 普通、特许、认可、核准、登记 或 其他")
    severity = pd.Series(None, index=name.index, dtype=object)
    if record_type.has_severity:
        text = _column(table, mapping, "severity")
        given = pd.Series(_per_value(text, lambda v: rules.SEVERITY_VALUES.get(_nfkc(v).strip().upper())),
                          index=name.index, dtype=object)
        problems.add(((text != "") & given.isna()).to_numpy(), "severity", "应为 轻微、一般 或 严重")
        if code == "CF":
            fallback = rules.derive_penalty_severity(categories, amount)
        else:
            fallback = np.full(n, rules.DEFAULT_SEVERITY.get(code, "ordinary"), dtype=object)
        severity = given.where(given.notna(), pd.Series(fallback, index=name.index))
    grade = pd.Series(None, index=name.index, dtype=object)
    if code == "NSPJ":
        text = _nfkc_upper(_column(table, mapping, "grade"))
        problems.add((text == "").to_numpy(), "grade", "纳税信用评价须填写信用等级")
        problems.add(((text != "") & ~text.isin(rules.TAX_GRADES)).to_numpy(), "grade", "应为 A、B、M、C 或 D")
        grade = text.where(text.isin(rules.TAX_GRADES))
    if mapping.has("record_type"):
        declared = _column(table, mapping, "record_type")
        matches = declared.isin(["", code, record_type.name, record_type.category])
        problems.add(~matches.to_numpy(), "record_type", f"与报送的信息类别（{record_type.name}）不一致")

    towns, unknown_town = _town_codes(table, mapping)
    warnings.add(unknown_town, "town", "不是通州区的街道乡镇，主体所属街乡留空")

    content = _column(table, mapping, "content")
    for fallback_key in ("facts", "project", "cert_name"):
        if mapping.has(fallback_key):
            content = content.where(content != "", _column(table, mapping, fallback_key))
    content = content.str.slice(0, MAX_CONTENT)

    errors = problems.frame()
    valid = np.ones(n, dtype=bool)
    valid[errors["position"].to_numpy()] = False
    values = pd.DataFrame({
        "subject_name": name, "subject_code": subject_code, "subject_kind": kind, "town_code": towns,
        "document_no": document, "decision_date": decision, "amount": amount, "severity": severity,
        "grade": grade, "content": content.where(content != "", None),
    })
    # Within the file: a later valid row with the same document number is a duplicate of the first.
    duplicate = np.zeros(n, dtype=bool)
    valid_docs = document[valid]
    repeated = valid_docs.duplicated(keep="first")
    if repeated.any():
        duplicate[repeated[repeated].index.to_numpy()] = True
        first_rows = pd.Series(table.row_numbers[valid_docs[~repeated].index.to_numpy()],
                               index=valid_docs[~repeated].to_numpy())
        positions = np.flatnonzero(duplicate)
        first = first_rows.reindex(document.to_numpy()[positions]).to_numpy()
        reasons = pd.Series([f"重复：与第 {int(r)} 行的文书号相同" for r in first], index=positions)
        dup_frame = pd.DataFrame({"position": positions, "field": LABELS["document_no"], "reason": reasons.values})
        errors = pd.concat([errors, dup_frame], ignore_index=True).sort_values("position", kind="stable",
                                                                               ignore_index=True)
    code_filled = np.where(legal, has_uscc, has_uscc | has_id)
    filled = ((name != "").to_numpy().astype(np.int64) + code_filled + (document != "").to_numpy() + ~empty_date
              + (authority != "").to_numpy())
    return Validated(values, valid & ~duplicate, duplicate, errors, warnings.frame(), 5 * n, int(filled.sum()))


def _by_unique(series: pd.Series, check) -> tuple[np.ndarray, ...]:
    """Run an array check over the distinct values and spread the result arrays back over the rows."""
    codes, uniques = _factorize(series)
    results = check(np.asarray(uniques, dtype=object))
    return tuple(np.asarray(r)[codes] for r in results)
