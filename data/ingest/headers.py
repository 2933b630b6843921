"""Bureau file headers: the templates of every catalog, header normalisation and recognition of the kind of file.

Double publicity files come in two generations (DOMAIN.md §4): the current 信用中国 field codes (XK_*, CF_*) with
their Chinese names, and the 2015 templates (行政许可决定书文号, 行政相对人代码_1 ...). The district's other
catalogs have no national standard; their templates below are the district's and accept the usual synonyms.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from data.reference import RECORD_TYPES

# Field keys and the Chinese label used in error reports.
LABELS: dict[str, str] = {
    "subject_name": "行政相对人名称",
    "subject_category": "行政相对人类别",
    "uscc": "统一社会信用代码",
    "legal_rep": "法定代表人",
    "id_type": "证件类型",
    "id_number": "证件号码",
    "address": "住所",
    "town": "所属街乡",
    "division": "行政区划代码",
    "document_no": "决定文书号",
    "decision_date": "决定日期",
    "valid_from": "有效期自",
    "valid_to": "有效期至",
    "authority": "决定机关",
    "authority_code": "决定机关代码",
    "source_unit": "数据来源单位",
    "source_unit_code": "数据来源单位代码",
    "content": "内容",
    "project": "项目名称",
    "doc_name": "决定文书名称",
    "licence_category": "许可类别",
    "cert_name": "许可证书名称",
    "licence_no": "许可编号",
    "status": "当前状态",
    "violation_type": "违法行为类型",
    "facts": "违法事实",
    "basis": "处罚依据",
    "penalty_category": "处罚类别",
    "penalty_category_2": "处罚类别2",
    "fine": "罚款金额（万元）",
    "confiscated": "没收违法所得、没收非法财物的金额（万元）",
    "licence_action": "暂扣或吊销证照名称及编号",
    "publicity_end": "公示截止期",
    "severity": "严重程度",
    "amount": "金额（万元）",
    "grade": "信用等级",
    "record_type": "信息类别",
    "remark": "备注",
}

# The subject block shared by every template (both generations).
_SUBJECT: dict[str, tuple[str, ...]] = {
    "subject_name": ("行政相对人名称", "相对人名称", "主体名称", "当事人名称", "当事人", "企业名称", "单位名称",
                     "市场主体名称", "名称", "被执行人姓名/名称", "被执行人名称", "被执行人", "纳税人名称",
                     "姓名"),
    "subject_category": ("行政相对人类别", "相对人类别", "主体类别", "主体类型", "当事人类别", "当事人类型"),
    "uscc": ("统一社会信用代码", "行政相对人代码_1", "社会信用代码", "信用代码", "行政相对人统一社会信用代码"),
    "legal_rep": ("法定代表人", "法定代表人姓名", "法定代表人(负责人)", "负责人", "经营者姓名"),
    "id_type": ("证件类型", "行政相对人证件类型"),
    "id_number": ("证件号码", "行政相对人代码_5", "居民身份证号", "居民身份证号码", "身份证号码", "身份证号",
                  "行政相对人证件号码"),
    "address": ("住所", "地址", "注册地址", "经营场所", "住址", "经营地址", "所在地址"),
    "town": ("所属街乡", "街道乡镇", "街乡", "所属街道", "所属乡镇", "乡镇街道", "街道(乡镇)"),
    "division": ("行政区划代码", "区划代码", "所属区划"),
    "source_unit": ("数据来源单位",),
    "source_unit_code": ("数据来源单位统一社会信用代码", "数据来源单位代码"),
    "severity": ("严重程度", "处罚严重程度", "失信严重程度", "失信程度", "严重等级"),
    "record_type": ("信息类别", "信息类别代码", "目录类别"),
    "remark": ("备注", "BZ"),
}

# Field codes of the current generation: XK_ / CF_ prefixed subject block.
_SUBJECT_CODES = {
    "subject_name": "XDR_MC",
    "subject_category": "XDR_LB",
    "uscc": "XDR_SHXYM",
    "legal_rep": "FRDB",
    "id_type": "XDR_ZJLX",
    "id_number": "XDR_ZJHM",
}


_STRIP = re.compile(r"[\s_\-*＊:：·•.,，、/\\|'\"“”‘’`~]+")
_BRACKETS = re.compile(r"[(\[{【〔（][^)\]}】〕）]*[)\]}】〕）]")
_YUAN_UNIT = re.compile(r"[(\[{【〔（]\s*元\s*[)\]}】〕）]")


def normalise(text: str) -> str:
    """One comparable key per header: NFKC (full-width to half-width), no spaces or punctuation, upper case."""
    return _STRIP.sub("", unicodedata.normalize("NFKC", str(text))).upper()


def header_keys(text: str) -> list[str]:
    """Keys to try for one header, most specific first: whole text, without brackets, each bracketed part.

    `行政相对人代码_1(统一社会信用代码)` matches 行政相对人代码_1 or 统一社会信用代码; `罚款金额（万元）`
    matches 罚款金额; `处罚决定日期(必填)` matches 处罚决定日期.
    """
    nfkc = unicodedata.normalize("NFKC", str(text)).strip().lstrip("*＊")
    keys = [normalise(nfkc), normalise(_BRACKETS.sub("", nfkc))]
    keys += [normalise(part) for part in re.findall(r"[(\[{【〔（]([^)\]}】〕）]*)[)\]}】〕）]", nfkc)]
    return [k for i, k in enumerate(keys) if k and k not in keys[:i]]


def in_yuan(text: str) -> bool:
    """An amount header in 元 rather than the standard's 万元 (the values are divided by 10,000)."""
    return bool(_YUAN_UNIT.search(unicodedata.normalize("NFKC", str(text))))


@dataclass(frozen=True)
class Template:
    """The headers a catalog's files may carry: field -> accepted header texts, and which columns are mandatory."""

    record_type: str
    aliases: dict[str, tuple[str, ...]]
    # Columns that must be present (each tuple: any one of these fields).
    required: tuple[tuple[str, ...], ...]
    # Fields whose headers identify this catalog when the kind is not given.
    signature: tuple[str, ...]
    # Headers of the downloadable template, in order: current generation and (double publicity only) 2015.
    current: tuple[str, ...] = ()
    legacy: tuple[str, ...] = ()
    amount_fields: tuple[str, ...] = ()
    date_fields: tuple[str, ...] = ("decision_date",)


def _prefixed(prefix: str) -> dict[str, tuple[str, ...]]:
    return {f: (f"{prefix}_{code}",) for f, code in _SUBJECT_CODES.items()}


def _merge(*tables: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    merged: dict[str, tuple[str, ...]] = {}
    for table in tables:
        for key, names in table.items():
            merged[key] = merged.get(key, ()) + tuple(names)
    return merged


_REQUIRED = (("subject_name",), ("uscc", "id_number"), ("document_no",), ("decision_date",), ("authority",))

LICENCE = Template(
    "XK",
    _merge(_SUBJECT, _prefixed("XK"), {
        "doc_name": ("XK_XKWS", "行政许可决定文书名称", "决定文书名称"),
        "document_no": ("XK_WSH", "行政许可决定文书号", "行政许可决定书文号", "许可决定书文号", "决定文书号",
                        "许可文书号"),
        "licence_category": ("XK_XKLB", "许可类别", "审批类别"),
        "cert_name": ("XK_XKZS", "许可证书名称"),
        "licence_no": ("XK_XKBH", "许可编号", "许可证编号"),
        "content": ("XK_NR", "许可内容"),
        "project": ("项目名称",),
        "decision_date": ("XK_JDRQ", "许可决定日期", "决定日期", "审批日期"),
        "valid_from": ("XK_YXQZ", "有效期自", "许可生效期"),
        "valid_to": ("XK_YXQZI", "有效期至", "许可截止期", "许可有效期至"),
        "authority": ("XK_XKJG", "许可机关", "许可机关名称", "审批机关"),
        "authority_code": ("XK_XKJGDM", "许可机关统一社会信用代码", "许可机关代码"),
        "status": ("XK_ZT", "当前状态"),
        "source_unit": ("XK_LYDW",),
        "source_unit_code": ("XK_LYDWDM",),
    }),
    _REQUIRED,
    signature=("doc_name", "licence_category", "cert_name", "licence_no", "valid_from", "project"),
    current=("XK_XDR_MC", "XK_XDR_LB", "XK_XDR_SHXYM", "XK_FRDB", "XK_XDR_ZJLX", "XK_XDR_ZJHM", "XK_XKWS",
             "XK_WSH", "XK_XKLB", "XK_XKZS", "XK_XKBH", "XK_NR", "XK_JDRQ", "XK_YXQZ", "XK_YXQZI", "XK_XKJG",
             "XK_XKJGDM", "XK_ZT", "XK_LYDW", "XK_LYDWDM", "BZ"),
    legacy=("行政许可决定书文号", "项目名称", "审批类别", "许可内容", "行政相对人名称",
            "行政相对人代码_1(统一社会信用代码)", "行政相对人代码_2(组织机构代码)",
            "行政相对人代码_3(工商登记码)", "行政相对人代码_4(税务登记号)",
            "行政相对人代码_5(居民身份证号)", "法定代表人姓名", "许可决定日期", "许可截止期",
            "许可机关", "当前状态", "地方编码", "数据更新时间戳", "备注"),
    date_fields=("decision_date", "valid_from", "valid_to"),
)

PENALTY = Template(
    "CF",
    _merge(_SUBJECT, _prefixed("CF"), {
        "document_no": ("CF_WSH", "行政处罚决定书文号", "决定书文号", "处罚决定书文号", "行政处罚决定文书号",
                        "决定文书号"),
        "violation_type": ("CF_WFXW", "违法行为类型"),
        "facts": ("CF_SY", "违法事实", "处罚事由", "主要违法事实"),
        "basis": ("CF_YJ", "处罚依据"),
        "penalty_category": ("CF_CFLB", "处罚类别", "处罚类别1", "处罚种类"),
        "penalty_category_2": ("处罚类别2",),
        "content": ("CF_NR", "处罚内容", "处罚结果", "处罚名称", "案件名称"),
        "fine": ("CF_NR_FK", "罚款金额"),
        "confiscated": ("CF_NR_WFFF", "没收违法所得、没收非法财物的金额", "没收违法所得没收非法财物的金额",
                        "没收金额"),
        "licence_action": ("CF_NR_ZKDX", "暂扣或吊销证照名称及编号"),
        "decision_date": ("CF_JDRQ", "处罚决定日期", "决定日期"),
        "valid_to": ("CF_YXQ", "处罚有效期", "有效期", "处罚截止期"),
        "publicity_end": ("CF_GSJZQ", "公示截止期"),
        "authority": ("CF_CFJG", "处罚机关", "处罚机关名称", "执法机关"),
        "authority_code": ("CF_CFJGDM", "处罚机关统一社会信用代码", "处罚机关代码"),
        "source_unit": ("CF_SJLY",),
        "source_unit_code": ("CF_SJLYDM",),
    }),
    _REQUIRED,
    signature=("violation_type", "facts", "basis", "penalty_category", "fine", "confiscated", "licence_action"),
    current=("CF_XDR_MC", "CF_XDR_LB", "CF_XDR_SHXYM", "CF_FRDB", "CF_XDR_ZJLX", "CF_XDR_ZJHM", "CF_WSH",
             "CF_WFXW", "CF_SY", "CF_YJ", "CF_CFLB", "CF_NR", "CF_NR_FK", "CF_NR_WFFF", "CF_NR_ZKDX", "CF_JDRQ",
             "CF_YXQ", "CF_GSJZQ", "CF_CFJG", "CF_CFJGDM", "CF_SJLY", "CF_SJLYDM", "BZ"),
    legacy=("行政处罚决定书文号", "处罚名称", "处罚类别1", "处罚类别2", "处罚事由", "处罚依据", "行政相对人名称",
            "行政相对人代码_1(统一社会信用代码)", "行政相对人代码_2(组织机构代码)", "行政相对人代码_3(工商登记码)",
            "行政相对人代码_4(税务登记号)", "行政相对人代码_5(居民身份证号)", "法定代表人姓名", "处罚结果",
            "罚款金额(万元)", "处罚决定日期", "处罚机关", "当前状态", "地方编码", "数据更新时间戳", "备注"),
    amount_fields=("fine", "confiscated"),
    date_fields=("decision_date", "valid_to", "publicity_end"),
)

# The district's template for every other catalog: the subject block, a document number, a date, the deciding
# body, an amount, content, and a few headers that only that catalog's files carry (its signature).
_GENERIC: dict[str, tuple[str, ...]] = {
    "document_no": ("文书号", "决定文书号", "决定书文号", "认定文书号", "信息编号", "记录编号", "编号", "案号"),
    "decision_date": ("认定日期", "决定日期", "列入日期", "立案日期", "评价日期", "发生日期", "违法日期",
                      "拘留日期", "欠缴起始日期", "获得日期", "授予日期", "服务日期", "创建日期", "签订日期"),
    "authority": ("认定机关", "认定单位", "决定机关", "执行法院", "评价机关", "授予单位", "主管部门", "执法机关"),
    "authority_code": ("认定机关统一社会信用代码", "认定机关代码"),
    "amount": ("金额", "欠缴金额", "执行标的", "执行标的金额", "涉案金额", "罚款金额"),
    "content": ("内容", "事由", "认定事由", "具体情形", "情况说明"),
    "grade": ("信用等级", "纳税信用级别", "纳税信用等级", "评价等级"),
}
_SIGNATURES: dict[str, dict[str, tuple[str, ...]]] = {
    "SFZX": {"sig_sfzx": ("执行法院", "执行依据文号", "被执行人履行情况", "执行标的")},
    "NSPJ": {"sig_nspj": ("纳税信用级别", "纳税信用等级", "评价年度")},
    "JYYC": {"sig_jyyc": ("列入经营异常名录原因", "列入原因", "列入决定机关")},
    "ZLCC": {"sig_zlcc": ("抽检产品名称", "不合格项目", "抽检批次")},
    "JTWF": {"sig_jtwf": ("交通违法行为", "违法地点", "记分", "号牌号码")},
    "XZJL": {"sig_xzjl": ("拘留天数", "拘留起止日期", "拘留所")},
    "SBQF": {"sig_sbqf": ("欠缴险种", "欠缴社会保险费", "欠缴社会保险费金额")},
    "GJJQJ": {"sig_gjjqj": ("欠缴住房公积金", "欠缴月数", "公积金账号")},
    "SFQF": {"sig_sfqf": ("欠缴水费", "用水户号", "欠费期间")},
    "CNWY": {"sig_cnwy": ("承诺事项", "违诺情形", "承诺日期")},
    "HTLY": {"sig_htly": ("合同名称", "履约情况", "合同金额")},
    "AQSG": {"sig_aqsg": ("事故等级", "事故名称", "死亡人数")},
    "ZZRY": {"sig_zzry": ("荣誉名称", "资质名称", "荣誉级别")},
    "ZYFW": {"sig_zyfw": ("服务时长", "服务项目", "志愿服务时长")},
    "WMCJ": {"sig_wmcj": ("创建称号", "创建类别", "文明创建称号")},
}


def _generic(code: str) -> Template:
    signature = _SIGNATURES[code]
    shared = {normalise(name) for names in (_SUBJECT | _GENERIC).values() for name in names}
    own = [h for h in next(iter(signature.values())) if normalise(h) not in shared]
    return Template(
        code,
        _merge(_SUBJECT, _GENERIC, signature),
        _REQUIRED,
        signature=tuple(signature),
        current=("主体名称", "主体类别", "统一社会信用代码", "证件类型", "证件号码", "文书号", "认定日期", "认定机关",
                 "金额(万元)", "内容", *own[:2], *(("纳税信用级别",) if code == "NSPJ" else ()),
                 "严重程度", "所属街乡", "备注"),
        amount_fields=("amount",),
    )


TEMPLATES: dict[str, Template] = {"XK": LICENCE, "CF": PENALTY} | {code: _generic(code) for code in _SIGNATURES}
assert set(TEMPLATES) == {rt.code for rt in RECORD_TYPES}, "every record type needs a template"

# --kind takes the catalog's machine name (licence, penalty, ...) or its code (XK, CF, ...).
KIND_BY_NAME: dict[str, str] = {rt.category: rt.code for rt in RECORD_TYPES} | {rt.code.lower(): rt.code
                                                                                 for rt in RECORD_TYPES}

def _keys(names: tuple[str, ...]) -> set[str]:
    return {normalise(name) for name in names}


# normalised header -> field, per catalog (the first field listing a header wins)
_LOOKUP: dict[str, dict[str, str]] = {}
for _code, _template in TEMPLATES.items():
    _table: dict[str, str] = {}
    for _key, _names in _template.aliases.items():
        for _name in _names:
            _table.setdefault(normalise(_name), _key)
    _LOOKUP[_code] = _table
_ALL_KEYS = frozenset(k for table in _LOOKUP.values() for k in table)
_SIGNATURE_KEYS: dict[str, set[str]] = {
    code: set().union(*(_keys(t.aliases[key]) for key in t.signature)) for code, t in TEMPLATES.items()
}
_CODE_KEYS: dict[str, set[str]] = {"XK": _keys(LICENCE.current) - {"BZ"}, "CF": _keys(PENALTY.current) - {"BZ"}}


@dataclass
class HeaderMap:
    """Which file columns (by position) carry which field; amount columns given in 元."""

    template: Template
    columns: dict[str, list[int]]
    yuan: set[int]

    def has(self, key: str) -> bool:
        return key in self.columns


def map_headers(headers: list[str], template: Template) -> HeaderMap:
    lookup = _LOOKUP[template.record_type]
    columns: dict[str, list[int]] = {}
    yuan: set[int] = set()
    for position, header in enumerate(headers):
        for key in header_keys(header):
            target = lookup.get(key)
            if target is not None:
                columns.setdefault(target, []).append(position)
                if target in template.amount_fields and in_yuan(header):
                    yuan.add(position)
                break
    return HeaderMap(template, columns, yuan)


def missing_required(mapping: HeaderMap) -> list[str]:
    """Labels of the mandatory columns the file lacks (any one field of each group suffices)."""
    missing = []
    for group in mapping.template.required:
        if not any(mapping.has(key) for key in group):
            missing.append(" 或 ".join(LABELS[key] for key in group))
    return missing


def header_score(cells: list[str]) -> int:
    """How many cells of a row look like known headers of any catalog (finds the header row under a title)."""
    return sum(any(k in _ALL_KEYS for k in header_keys(c)) for c in cells if c and str(c).strip())


def generation(headers: list[str]) -> str:
    """'current' for the XK_*/CF_* field codes, otherwise 'chinese' (Chinese names, current or 2015 templates)."""
    keys = {normalise(h) for h in headers}
    return "current" if any(keys & codes for codes in _CODE_KEYS.values()) else "chinese"


def recognise(headers: list[str]) -> tuple[str | None, list[str]]:
    """The catalog (record type code) the headers identify; None and the tied candidates when ambiguous."""
    keys = [set(header_keys(h)) for h in headers]
    for code, codes in _CODE_KEYS.items():
        if sum(bool(k & codes) for k in keys) >= 2:
            return code, [code]
    scores = {code: sum(bool(k & sig) for k in keys) for code, sig in _SIGNATURE_KEYS.items()}
    best = max(scores.values())
    if best == 0:
        return None, []
    leaders = [code for code, score in scores.items() if score == best]
    return (leaders[0], leaders) if len(leaders) == 1 else (None, leaders)
