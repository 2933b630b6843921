"""Reference data of Tongzhou's credit platform: towns, bureaus, record-type catalog, list types, industries.

Facts come from ../shared/DOMAIN.md; figures marked approximate are plausible values kept here in one place so
they can be corrected without touching code that uses them.
"""

from __future__ import annotations

from dataclasses import dataclass

DISTRICT_CODE = "110112"
DISTRICT_NAME = "北京市通州区"


@dataclass(frozen=True)
class Town:
    code: str
    name: str
    kind: str  # 街道 / 镇 / 民族乡
    population: int  # approximate resident population, 7th census order of magnitude (configurable)


# The 22 township-level units (NBS 2023 codes). Populations are approximate and only weight the demo generator
# and per-capita rates; they sum to about 1.845 million (end of 2023).
TOWNS: tuple[Town, ...] = (
    Town("110112001", "中仓街道", "街道", 60_000),
    Town("110112002", "新华街道", "街道", 45_000),
    Town("110112003", "北苑街道", "街道", 70_000),
    Town("110112004", "玉桥街道", "街道", 85_000),
    Town("110112007", "潞源街道", "街道", 40_000),
    Town("110112008", "通运街道", "街道", 55_000),
    Town("110112009", "文景街道", "街道", 50_000),
    Town("110112010", "九棵树街道", "街道", 75_000),
    Town("110112011", "临河里街道", "街道", 65_000),
    Town("110112012", "杨庄街道", "街道", 55_000),
    Town("110112013", "潞邑街道", "街道", 60_000),
    Town("110112104", "宋庄镇", "镇", 115_000),
    Town("110112105", "张家湾镇", "镇", 110_000),
    Town("110112106", "漷县镇", "镇", 75_000),
    Town("110112109", "马驹桥镇", "镇", 195_000),
    Town("110112110", "西集镇", "镇", 60_000),
    Town("110112114", "台湖镇", "镇", 130_000),
    Town("110112117", "永乐店镇", "镇", 55_000),
    Town("110112119", "潞城镇", "镇", 95_000),
    Town("110112120", "永顺镇", "镇", 135_000),
    Town("110112121", "梨园镇", "镇", 125_000),
    Town("110112209", "于家务回族乡", "民族乡", 34_000),
)
TOWN_NAMES: dict[str, str] = {t.code: t.name for t in TOWNS}
# Older data still carries the two retired area codes; they map onto today's towns of the same name.
RETIRED_TOWN_CODES: dict[str, str] = {"110112005": "110112120", "110112006": "110112121"}


@dataclass(frozen=True)
class Bureau:
    code: str
    name: str
    kind: str  # 司法 / 执法 / 经济 / 社会 / 综合 / 外部
    chronic_lateness: float = 0.0  # demo generator only: share of records published late
    error_rate: float = 0.01  # demo generator only: share of rows a submission gets rejected


BUREAUS: tuple[Bureau, ...] = (
    Bureau("FY", "区法院", "司法", 0.02, 0.005),
    Bureau("GA", "区公安分局", "执法", 0.01, 0.01),
    Bureau("MZ", "区民政局", "社会", 0.02, 0.01),
    Bureau("SW", "区税务局", "经济", 0.005, 0.004),
    Bureau("SCJG", "区市场监管局", "执法", 0.01, 0.01),
    Bureau("RS", "区人社局", "社会", 0.03, 0.02),
    Bureau("ZJ", "区住建委", "执法", 0.12, 0.04),
    Bureau("GHZR", "区规划自然资源分局", "执法", 0.04, 0.02),
    Bureau("YJ", "区应急管理局", "执法", 0.02, 0.01),
    Bureau("WJ", "区卫健委", "社会", 0.03, 0.015),
    Bureau("JW", "区教委", "社会", 0.05, 0.02),
    Bureau("KW", "区科委", "经济", 0.02, 0.01),
    Bureau("WL", "区文旅局", "社会", 0.08, 0.03),
    Bureau("TY", "区体育局", "社会", 0.04, 0.02),
    Bureau("SWJ", "区水务局", "执法", 0.06, 0.03),
    Bureau("JT", "区交通局", "执法", 0.02, 0.01),
    Bureau("STHJ", "区生态环境局", "执法", 0.015, 0.01),
    Bureau("SF", "区司法局", "司法", 0.02, 0.01),
    Bureau("BB", "区编办", "综合", 0.01, 0.005),
    Bureau("KX", "区科协", "社会", 0.05, 0.02),
    Bureau("JR", "区金融办", "经济", 0.03, 0.01),
    Bureau("GJJ", "公积金管理中心通州分中心", "经济", 0.02, 0.01),
    Bureau("FGW", "区发展改革委", "综合", 0.01, 0.005),
    Bureau("CCB", "区城创办", "综合", 0.03, 0.01),
    Bureau("JXW", "区经济和信息化委员会", "综合", 0.0, 0.0),
    Bureau("HG", "北京海关", "外部", 0.0, 0.005),
)
BUREAU_NAMES: dict[str, str] = {b.code: b.name for b in BUREAUS}

SEVERITIES: dict[str, str] = {"minor": "轻微", "ordinary": "一般", "serious": "严重"}
POLARITIES: dict[str, str] = {"positive": "守信", "negative": "失信", "neutral": "中性"}


@dataclass(frozen=True)
class RecordType:
    code: str
    name: str
    category: str  # machine name of the catalog family
    polarity: str  # positive / negative / neutral
    has_severity: bool
    double_publicity: bool  # published within 7 working days of the decision date
    frequency: str  # event (7 working days) / monthly / quarterly: how submissions fall due
    subject_scope: str  # legal / person / all


RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType("XK", "行政许可", "licence", "neutral", False, True, "event", "all"),
    RecordType("CF", "行政处罚", "penalty", "negative", True, True, "event", "all"),
    RecordType("SFZX", "法院执行信息", "judicial_enforcement", "negative", True, False, "monthly", "all"),
    RecordType("NSPJ", "纳税信用评价", "tax_rating", "neutral", False, False, "quarterly", "legal"),
    RecordType("JYYC", "经营异常名录信息", "abnormal_operations", "negative", True, False, "monthly", "legal"),
    RecordType("ZLCC", "产品质量抽检不合格", "quality_failure", "negative", True, False, "monthly", "legal"),
    RecordType("JTWF", "交通违法记录", "traffic_violation", "negative", True, False, "monthly", "person"),
    RecordType("XZJL", "行政拘留记录", "administrative_detention", "negative", True, False, "monthly", "person"),
    RecordType("SBQF", "社会保险欠缴", "social_insurance_arrears", "negative", True, False, "monthly", "legal"),
    RecordType("GJJQJ", "住房公积金欠缴", "housing_fund_arrears", "negative", True, False, "monthly", "legal"),
    RecordType("SFQF", "水费欠缴", "utility_arrears", "negative", True, False, "quarterly", "all"),
    RecordType("CNWY", "违背信用承诺", "broken_commitment", "negative", True, False, "monthly", "legal"),
    RecordType("HTLY", "合同履约信息", "contract_performance", "positive", False, False, "quarterly", "legal"),
    RecordType("AQSG", "生产安全事故", "safety_accident", "negative", True, False, "monthly", "legal"),
    RecordType("ZZRY", "资质与表彰荣誉", "honour", "positive", False, False, "quarterly", "all"),
    RecordType("ZYFW", "志愿服务与公益", "social_responsibility", "positive", False, False, "quarterly", "all"),
    RecordType("WMCJ", "文明创建记录", "civilisation_campaign", "positive", False, False, "quarterly", "all"),
)
RECORD_TYPE_NAMES: dict[str, str] = {r.code: r.name for r in RECORD_TYPES}
# Double publicity (双公示): licences and penalties are published within 7 working days of the decision date.
DOUBLE_PUBLICITY_TYPES: tuple[str, ...] = tuple(r.code for r in RECORD_TYPES if r.double_publicity)
DOUBLE_PUBLICITY_WORKING_DAYS = 7

# Which bureau reports which record type (the reporting catalog). Licences and penalties come from every bureau
# with licensing or enforcement powers.
_LICENSING = ("GA", "MZ", "SW", "SCJG", "RS", "ZJ", "GHZR", "YJ", "WJ", "JW", "WL", "TY", "SWJ", "JT", "STHJ", "SF")
CATALOG: tuple[tuple[str, str], ...] = (
    *((b, "XK") for b in _LICENSING),
    *((b, "CF") for b in _LICENSING),
    ("FY", "SFZX"),
    ("SW", "NSPJ"),
    ("SCJG", "JYYC"),
    ("SCJG", "ZLCC"),
    ("GA", "JTWF"),
    ("GA", "XZJL"),
    ("RS", "SBQF"),
    ("GJJ", "GJJQJ"),
    ("SWJ", "SFQF"),
    ("FGW", "CNWY"),
    ("FGW", "HTLY"),
    ("YJ", "AQSG"),
    ("KW", "ZZRY"),
    ("ZJ", "ZZRY"),
    ("KX", "ZYFW"),
    ("MZ", "ZYFW"),
    ("CCB", "WMCJ"),
    ("JR", "CNWY"),
)


@dataclass(frozen=True)
class ListType:
    code: str
    name: str
    color: str  # red / black / warning
    issuer: str  # bureau code
    period_years: int | None  # default listing period; None = until removed


LIST_TYPES: tuple[ListType, ...] = (
    ListType("SXBZX", "失信被执行人", "black", "FY", 2),
    ListType("ZDSS", "重大税收违法失信主体", "black", "SW", 3),
    ListType("YZWF", "严重违法失信名单", "black", "SCJG", 3),
    ListType("JYYC", "经营异常名录", "warning", "SCJG", None),
    ListType("AJNSR", "A级纳税人", "red", "SW", 1),
    ListType("HGGJ", "海关高级认证企业", "red", "HG", 3),
    ListType("CXQY", "诚信企业", "red", "CCB", 2),
    ListType("MFGR", "模范个人", "red", "CCB", 2),
    ListType("TZBY", "通州榜样", "red", "CCB", 2),
    ListType("WMDW", "文明单位", "red", "CCB", 3),
)
LIST_TYPE_NAMES: dict[str, str] = {t.code: t.name for t in LIST_TYPES}
LIST_COLOR_NAMES: dict[str, str] = {"red": "红名单", "black": "黑名单", "warning": "警示名单"}

SUBJECT_KINDS: dict[str, str] = {
    "enterprise": "企业",
    "individual_business": "个体工商户",
    "cooperative": "农民专业合作社",
    "person": "自然人",
    "government_agency": "机关",
    "public_institution": "事业单位",
    "social_organisation": "社会组织",
}
# Registration authority and type (USCC positions 1-2) for each legal-person kind.
USCC_PREFIX: dict[str, tuple[str, ...]] = {
    "enterprise": ("91",),
    "individual_business": ("92",),
    "cooperative": ("93",),
    "government_agency": ("11",),
    "public_institution": ("12",),
    "social_organisation": ("51", "52", "53"),
}
# The four stores of the district plan (法人, 自然人, 社会法人, 通州特色) and the subject kinds in each.
SUBJECT_STORES: dict[str, str] = {
    "enterprise": "法人库",
    "individual_business": "法人库",
    "cooperative": "法人库",
    "person": "自然人库",
    "government_agency": "社会法人库",
    "public_institution": "社会法人库",
    "social_organisation": "社会法人库",
}

# GB/T 4754-2017 sections.
INDUSTRIES: dict[str, str] = {
    "A": "农、林、牧、渔业",
    "B": "采矿业",
    "C": "制造业",
    "D": "电力、热力、燃气及水生产和供应业",
    "E": "建筑业",
    "F": "批发和零售业",
    "G": "交通运输、仓储和邮政业",
    "H": "住宿和餐饮业",
    "I": "信息传输、软件和信息技术服务业",
    "J": "金融业",
    "K": "房地产业",
    "L": "租赁和商务服务业",
    "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业",
    "O": "居民服务、修理和其他服务业",
    "P": "教育",
    "Q": "卫生和社会工作",
    "R": "文化、体育和娱乐业",
    "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}

RECORD_STATUSES: dict[str, str] = {
    "active": "公示中",
    "expired": "公示期满",
    "repaired": "已信用修复",
    "objection": "异议处理中",
    "corrected": "已更正",
    "removed": "已撤销",
}

CAMPAIGN_UNIT_TYPES: dict[str, str] = {
    "community": "社区",
    "village": "村",
    "enterprise": "企业",
    "school": "学校",
    "public_institution": "事业单位",
}
CAMPAIGN_HONOURS: tuple[str, ...] = ("文明社区", "文明村镇", "文明单位", "通州榜样", "诚信企业")
CAMPAIGN_ACTIVITIES: tuple[str, ...] = ("诚信宣传活动", "信用知识进社区", "守信激励宣讲", "诚信主题实践活动")

ROLES: dict[str, str] = {
    "leader": "领导",
    "itc": "经信委考核人员",
    "evaluator": "信用评价人员",
    "bureau": "委办局报送人员",
    "admin": "系统管理员",
}
