"""Synthetic Tongzhou district for demos, tests and benchmarks: subjects, credit records, submissions, red/black
lists, civilisation-campaign records, objections and complaints, bulk-loaded into a migrated, empty store.

Every subject carries a hidden integrity propensity z ~ N(0, 1) that drives its records before and after the end of
history, so a credit model trained on the store learns something real; generate() can write the exact probability of
a serious adverse event in the following 12 months as a truth file. Design and calibration: docs/generator.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import zlib
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, inspect, select, text

from data import models, reference
from data.bulk import insert_frame, reset_sequence
from data.db import vacuum_analyze
from data.identifiers import USCC_CHARSET, id_check_char, org_code_check_char, uscc_check_char
from data.publicity import (
    NEW_REGIME_START,
    add_months,
    add_months_vector,
    list_entry_expiry_dates,
    minimum_months,
    publicity_end_dates,
    special_sectors,
)
from data.summaries import refresh_all
from data.workdays import working_days_between

Progress = Callable[[str, int, int], None]

DEFAULT_END_DATE = dt.date(2026, 10, 31)

KINDS: tuple[str, ...] = (
    "person",
    "individual_business",
    "enterprise",
    "cooperative",
    "government_agency",
    "public_institution",
    "social_organisation",
)
PERSON, INDIVIDUAL, ENTERPRISE, COOPERATIVE, AGENCY, INSTITUTION, SOCIAL = range(len(KINDS))
# Legal persons by kind: individual businesses about two thirds of market entities (DOMAIN §10).
LEGAL_KIND_SHARES: dict[int, float] = {
    INDIVIDUAL: 0.64, ENTERPRISE: 0.31, COOPERATIVE: 0.012, AGENCY: 0.004, INSTITUTION: 0.012, SOCIAL: 0.022,
}
# Correlation of a legal person's propensity with its legal representative's: an individual business is its owner.
REP_CORRELATION: dict[int, float] = {
    INDIVIDUAL: 0.75, ENTERPRISE: 0.5, COOPERATIVE: 0.5, AGENCY: 0.1, INSTITUTION: 0.1, SOCIAL: 0.3,
}
# Yearly deregistration hazard by kind; about 26-45 % of new registrations exit each year nationally (DOMAIN §10).
DEREGISTRATION_RATE: dict[int, float] = {
    INDIVIDUAL: 0.08, ENTERPRISE: 0.05, COOPERATIVE: 0.05, AGENCY: 0.003, INSTITUTION: 0.003, SOCIAL: 0.02,
}
NEW_REGISTRATION_RATE = 0.12  # market entities registered per year as a share of the stock (20,000+ a year)

# GB/T 4754 sections by kind (approximate shares for the district, configurable here).
INDUSTRY_SHARES: dict[int, dict[str, float]] = {
    ENTERPRISE: {"F": 24, "L": 15, "M": 12, "I": 8, "E": 7, "C": 6, "G": 5, "K": 4, "R": 4, "H": 3, "O": 3,
                 "P": 2, "J": 2, "N": 2, "A": 1, "Q": 1, "D": 0.5, "B": 0.2},
    INDIVIDUAL: {"F": 46, "H": 20, "O": 17, "G": 5, "R": 3, "L": 3, "C": 3, "A": 2, "M": 1},
    COOPERATIVE: {"A": 1},
    AGENCY: {"S": 1},
    INSTITUTION: {"P": 40, "Q": 25, "R": 10, "M": 10, "N": 10, "S": 5},
    SOCIAL: {"S": 35, "P": 25, "R": 15, "Q": 10, "O": 10, "M": 5},
}
INDUSTRY_CODES: tuple[str, ...] = tuple(reference.INDUSTRIES)
# Observable log-hazard shift of adverse records by industry (construction, catering, transport riskier).
INDUSTRY_RISK: dict[str, float] = {
    "B": 0.4, "E": 0.35, "H": 0.25, "G": 0.2, "K": 0.2, "C": 0.15, "F": 0.1, "L": 0.05, "O": 0.05,
    "D": -0.1, "N": -0.1, "J": -0.1, "M": -0.2, "Q": -0.2, "I": -0.25, "P": -0.3, "S": -0.6,
}
# Legal persons cluster where the industrial parks are (马驹桥 borders the Yizhuang development zone).
TOWN_BUSINESS_WEIGHT: dict[str, float] = {"110112109": 1.6, "110112114": 1.3, "110112104": 1.2, "110112121": 1.1}
YOUTH_DAYS = 730  # adverse hazards of a legal person are higher during its first two years ...
YOUTH_EXTRA = 0.5  # ... by this share


@dataclass(frozen=True)
class Hazard:
    """A Poisson process of one record type: events per subject-year for an average subject of each kind (in KINDS
    order), scaled by exp(loading * z - loading**2 / 2) so the rate stays the kind's mean, and by the subject's
    observable effects for adverse types."""

    record_type: str
    rates: tuple[float, float, float, float, float, float, float]
    loading: float
    minor_share: float | None = None  # share of 'minor' among the non-serious severities
    serious: bool = False  # every event is 'serious': these processes define the truth file's target
    pattern: str = "office"
    industries: Mapping[str, float] | None = None  # hazard multipliers by industry, '*' for the others
    episode_months: float = 0.0  # > 0: an event opens an arrears episode recorded once a month while it lasts
    # A case may later turn serious (被执行人 -> 失信被执行人, repeated violations -> a heavy penalty, abnormal
    # operations left unresolved -> the serious list): with probability `escalation`, 1 + floor(Exp(mean
    # escalation_days)) days later, while the subject is registered.
    escalation: float = 0.0
    escalation_days: float = 540.0


# Calibration (docs/generator.md): most serious events follow an observable case (an enforcement case, a penalty,
# an abnormal-operations listing) by months, so a model on the history gets within about 0.02 AUC of the oracle;
# serious penalties out of the blue (loading 0.2) keep the oracle's AUC near 0.8 rather than 0.9.
HAZARDS: tuple[Hazard, ...] = (
    Hazard("XK", (0.8, 3.0, 10.0, 1.5, 0.5, 1.5, 0.8), -0.1),
    Hazard("CF", (0.03, 0.02, 0.035, 0.01, 0.002, 0.005, 0.01), 1.4, minor_share=0.45,
           escalation=0.02, escalation_days=540.0),
    Hazard("CF", (0.0015, 0.0015, 0.002, 0.001, 0.0003, 0.0005, 0.001), 0.2, serious=True),
    Hazard("SFZX", (0.02, 0.02, 0.03, 0.01, 0.0005, 0.001, 0.005), 1.5, minor_share=0.3,
           escalation=0.15, escalation_days=540.0),
    Hazard("SFZX", (0.0003, 0.0003, 0.0004, 0.0002, 0.0, 0.0001, 0.0001), 1.0, serious=True),
    Hazard("JYYC", (0.0, 0.04, 0.035, 0.05, 0.0, 0.0, 0.02), 1.6, minor_share=0.7, pattern="annual_report",
           escalation=0.02, escalation_days=540.0),
    Hazard("ZLCC", (0.0, 0.004, 0.006, 0.004, 0.0, 0.0, 0.0), 1.2, minor_share=0.5,
           industries={"C": 3.0, "F": 2.0, "H": 2.0, "A": 1.5, "*": 0.3}),
    Hazard("ZLCC", (0.0, 0.0001, 0.0002, 0.0001, 0.0, 0.0, 0.0), 1.2, serious=True,
           industries={"C": 3.0, "F": 2.0, "H": 2.0, "A": 1.5, "*": 0.3}),
    Hazard("JTWF", (0.6, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0), 1.8, minor_share=0.85, pattern="daily"),
    Hazard("XZJL", (0.004, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0), 1.8, minor_share=0.0, pattern="daily"),
    Hazard("SBQF", (0.0, 0.002, 0.015, 0.005, 0.0, 0.002, 0.005), 1.7, minor_share=0.6, episode_months=3.0),
    Hazard("GJJQJ", (0.0, 0.001, 0.01, 0.002, 0.0, 0.001, 0.003), 1.7, minor_share=0.6, episode_months=3.0),
    Hazard("SFQF", (0.015, 0.02, 0.015, 0.01, 0.001, 0.002, 0.005), 1.4, minor_share=0.7),
    Hazard("CNWY", (0.0, 0.003, 0.006, 0.003, 0.0, 0.001, 0.002), 1.6, minor_share=0.4),
    Hazard("AQSG", (0.0, 0.0005, 0.003, 0.001, 0.0, 0.0005, 0.0), 1.1, minor_share=0.3,
           industries={"B": 3.0, "C": 3.0, "E": 3.0, "G": 2.0, "*": 0.5}),
    Hazard("AQSG", (0.0, 0.00002, 0.0001, 0.00003, 0.0, 0.00002, 0.0), 1.1, serious=True,
           industries={"B": 3.0, "C": 3.0, "E": 3.0, "G": 2.0, "*": 0.5}),
    Hazard("ZZRY", (0.0, 0.03, 0.25, 0.1, 0.1, 0.2, 0.1), -0.8),
    Hazard("ZYFW", (0.0, 0.02, 0.25, 0.05, 0.2, 0.3, 0.3), -0.6),
    Hazard("WMCJ", (0.003, 0.01, 0.03, 0.02, 0.08, 0.08, 0.05), -1.0),
)

# Periodic records. Tax credit ratings: quarterly for enterprises, cooperatives and social organisations, yearly
# (April) for individual businesses; a rating is 'M' in the first year, 'D' for two years after a serious tax case,
# otherwise the latent score -z + noise cut at these shares (national A 8.3 %, C+D 9.1 % in 2021, DOMAIN §10).
TAX_GRADE_SHARES: dict[str, float] = {"A": 0.09, "B": 0.71, "C": 0.13, "D": 0.07}
TAX_GRADE_NOISE = 0.5
CONTRACT_PARTICIPATION: tuple[float, ...] = (0.0, 0.05, 0.6, 0.3, 0.3, 0.3, 0.1)  # 合同履约 reporters by kind
CONTRACT_QUARTER_SHARE = 0.85
VOLUNTEER_SHARE = 0.25  # natural persons with quarterly volunteer-service records (志愿北京)
VOLUNTEER_QUARTER_SHARE = 0.9

OBJECTION_SHARE = 0.005  # of published adverse records; serious ones five times as often
REPAIR_SHARE = {"ordinary": 0.08, "serious": 0.05}  # repaired once the minimum period has passed

# Legal-person group for the choice of bureau: natural person, individual business, enterprise, social legal person.
_GROUP_OF_KIND = np.array([0, 1, 2, 2, 3, 3, 3], dtype=np.int8)
_BUREAU_WEIGHTS: dict[str, tuple[dict[str, float], ...]] = {
    "XK": (
        {"GA": 4, "JT": 2.5, "RS": 1.5, "WJ": 0.4, "JW": 0.5, "SF": 0.2, "TY": 0.2, "WL": 0.2, "MZ": 0.3, "ZJ": 0.3,
         "GHZR": 0.1},
        {"SCJG": 4, "WJ": 0.8, "GA": 0.3, "WL": 0.3, "JT": 0.3, "SW": 0.5, "STHJ": 0.1, "YJ": 0.1, "SWJ": 0.1,
         "ZJ": 0.05, "RS": 0.05, "TY": 0.05},
        {"SCJG": 3, "ZJ": 1, "GHZR": 0.5, "YJ": 0.5, "WJ": 0.5, "JW": 0.3, "WL": 0.5, "TY": 0.2, "SWJ": 0.4,
         "JT": 0.6, "STHJ": 0.8, "GA": 0.4, "RS": 0.6, "SW": 0.5, "MZ": 0.1, "SF": 0.1},
        {"MZ": 3, "JW": 1, "WJ": 1, "WL": 0.5, "TY": 0.5, "RS": 0.5, "SF": 0.3, "SW": 0.3, "GA": 0.2, "SCJG": 0.3,
         "ZJ": 0.2, "GHZR": 0.2, "STHJ": 0.1, "SWJ": 0.1, "YJ": 0.1, "JT": 0.1},
    ),
    "CF": (
        {"GA": 5, "JT": 2, "SCJG": 0.3, "GHZR": 0.3, "ZJ": 0.2, "WJ": 0.1, "SWJ": 0.1, "STHJ": 0.1, "SW": 0.1,
         "RS": 0.05, "WL": 0.05, "YJ": 0.05, "TY": 0.05, "SF": 0.05, "JW": 0.02, "MZ": 0.02},
        {"SCJG": 4, "WJ": 0.6, "GA": 0.5, "STHJ": 0.3, "WL": 0.3, "JT": 0.4, "SW": 0.4, "ZJ": 0.1, "YJ": 0.2,
         "GHZR": 0.1, "SWJ": 0.1, "RS": 0.1, "TY": 0.05},
        {"SCJG": 4, "STHJ": 1.2, "YJ": 1, "ZJ": 1, "GHZR": 0.5, "WJ": 0.6, "SW": 0.8, "RS": 0.4, "GA": 0.6,
         "JT": 0.6, "WL": 0.3, "SWJ": 0.4, "JW": 0.1, "TY": 0.1, "MZ": 0.1, "SF": 0.05},
        {"MZ": 2, "JW": 0.6, "WJ": 0.6, "SCJG": 0.5, "WL": 0.3, "TY": 0.3, "RS": 0.3, "SW": 0.3, "STHJ": 0.2,
         "GA": 0.2, "SF": 0.1, "YJ": 0.2},
    ),
    "CF_serious": (
        {"GA": 5, "JT": 1, "SW": 0.3, "GHZR": 0.3, "SCJG": 0.2},
        {"SCJG": 4, "SW": 1.5, "WJ": 0.5, "STHJ": 0.5, "GA": 0.3, "YJ": 0.3},
        {"SCJG": 4, "SW": 1.5, "STHJ": 1.2, "YJ": 1, "ZJ": 1, "GHZR": 0.5, "WJ": 0.5, "GA": 0.3},
        {"MZ": 2, "SCJG": 1, "SW": 1, "WJ": 0.5, "JW": 0.5},
    ),
}
_INDUSTRY_BUREAU: dict[str, dict[str, float]] = {
    "E": {"ZJ": 5, "GHZR": 3, "YJ": 2}, "K": {"ZJ": 4, "GHZR": 4}, "C": {"STHJ": 3, "YJ": 3, "SCJG": 1.5},
    "H": {"SCJG": 2, "WJ": 2, "GA": 2, "WL": 1.5}, "G": {"JT": 6, "YJ": 1.5}, "Q": {"WJ": 8}, "P": {"JW": 10},
    "R": {"WL": 5, "TY": 4}, "B": {"STHJ": 3, "YJ": 4, "GHZR": 3}, "D": {"STHJ": 3, "YJ": 3},
    "N": {"SWJ": 4, "STHJ": 2}, "A": {"SWJ": 2, "GHZR": 1.5},
}
# Fixed reporting bureau of the other record types: (default, {industry or kind: bureau}).
_FIXED_BUREAU: dict[str, tuple[str, dict[str, str]]] = {
    "SFZX": ("FY", {}), "NSPJ": ("SW", {}), "JYYC": ("SCJG", {}), "ZLCC": ("SCJG", {}), "JTWF": ("GA", {}),
    "XZJL": ("GA", {}), "SBQF": ("RS", {}), "GJJQJ": ("GJJ", {}), "SFQF": ("SWJ", {}),
    "CNWY": ("FGW", {"J": "JR", "L": "JR"}), "HTLY": ("FGW", {}), "AQSG": ("YJ", {}),
    "ZZRY": ("KW", {"E": "ZJ", "K": "ZJ"}), "ZYFW": ("KX", {"social_organisation": "MZ", "government_agency": "MZ"}),
    "WMCJ": ("CCB", {}),
}
# Fines in 万元: lognormal (median, sigma) by bureau for legal persons; individual businesses pay half, serious
# cases ten times as much, so that market regulation's mean over all its cases is about 0.75 万元 (7,500 元,
# DOMAIN §10).
_FINE_LEGAL: dict[str, tuple[float, float]] = {
    "SCJG": (0.45, 1.35), "SW": (1.0, 1.5), "STHJ": (2.0, 1.2), "ZJ": (1.0, 1.3), "YJ": (1.0, 1.2),
}
_FINE_LEGAL_DEFAULT = (0.6, 1.3)
_FINE_PERSON: dict[str, tuple[float, float]] = {"GA": (0.03, 0.6), "JT": (0.02, 0.5)}
_FINE_PERSON_DEFAULT = (0.05, 0.8)
_WARNING_SHARE = 0.15  # penalties without a fine (警告/通报批评)
_TRAFFIC_FINES = (0.005, 0.01, 0.015, 0.02)  # 50-200 元

# Record contents (short, the 'content' column). XK and CF by bureau, the others by type; serious variants apart.
_LICENCE_CONTENT: dict[str, tuple[str, ...]] = {
    "GA": ("旅馆业特种行业许可证", "公章刻制业特种行业许可", "出入境证件签发", "居住证签注"),
    "MZ": ("社会团体成立登记", "民办非企业单位登记", "养老机构备案"),
    "SW": ("增值税专用发票最高开票限额审批", "税务登记变更"),
    "SCJG": ("食品经营许可证", "营业执照变更登记", "特种设备使用登记", "药品经营许可证"),
    "RS": ("劳务派遣经营许可", "职业资格证书核发", "人力资源服务许可"),
    "ZJ": ("建筑工程施工许可证", "商品房预售许可证", "建筑业企业资质", "注册建造师执业注册"),
    "GHZR": ("建设工程规划许可证", "建设用地规划许可证", "乡村建设规划许可证"),
    "YJ": ("危险化学品经营许可证", "安全生产许可证"),
    "WJ": ("医疗机构执业许可证", "公共场所卫生许可证", "医师执业注册"),
    "JW": ("民办学校办学许可证", "教师资格认定"),
    "WL": ("娱乐场所经营许可证", "网络文化经营许可证", "旅行社业务经营许可证"),
    "TY": ("高危险性体育项目经营许可", "体育类民办非企业单位登记审查"),
    "SWJ": ("取水许可", "排水许可证", "河道管理范围内建设项目审批"),
    "JT": ("道路运输经营许可证", "道路运输从业资格证", "超限运输车辆行驶公路许可"),
    "STHJ": ("排污许可证", "建设项目环境影响评价文件审批"),
    "SF": ("律师执业许可", "基层法律服务工作者执业核准"),
}
_PENALTY_CONTENT: dict[str, tuple[str, ...]] = {
    "GA": ("违反治安管理行为", "违反消防安全管理规定", "未按规定登记住宿旅客信息"),
    "MZ": ("社会组织未按规定参加年度检查",),
    "SW": ("未按规定期限办理纳税申报", "未按规定开具发票", "偷税（逃避缴纳税款）"),
    "SCJG": ("经营不符合食品安全标准的食品", "虚假宣传", "价格违法行为", "无照经营", "销售不合格产品"),
    "RS": ("未按规定支付劳动报酬", "违反工作时间和休息休假规定"),
    "ZJ": ("未取得施工许可证擅自施工", "违反建筑施工安全规定", "违规销售商品房"),
    "GHZR": ("未取得建设工程规划许可证进行建设", "违法占用土地"),
    "YJ": ("未按规定开展安全生产教育培训", "安全生产事故隐患排查治理不到位"),
    "WJ": ("未取得医疗机构执业许可证擅自执业", "公共场所卫生不合格"),
    "JW": ("违规举办校外培训",),
    "WL": ("未经许可经营网络文化", "娱乐场所违规经营"),
    "TY": ("未经许可经营高危险性体育项目",),
    "SWJ": ("未经批准取水", "违法排放污水"),
    "JT": ("未取得道路运输经营许可擅自经营", "超限运输"),
    "STHJ": ("超标排放大气污染物", "未批先建", "危险废物处置不当"),
    "SF": ("律师违规执业",),
}
_TYPE_CONTENT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # record type: (routine contents, serious contents)
    "SFZX": (("被执行人未按执行通知履行义务", "限制高消费"), ("有履行能力而拒不履行生效法律文书确定义务",)),
    "JYYC": (("未按规定报送年度报告", "通过登记的住所或经营场所无法联系", "未按规定公示即时信息"),
             ("列入经营异常名录后仍未履行相关义务，列入严重违法失信名单",)),
    "ZLCC": (("产品质量监督抽查不合格", "食品安全抽检不合格"), ("抽检不合格且拒不整改",)),
    "JTWF": (("机动车违反禁止标线指示", "驾驶机动车违反道路交通信号灯通行", "机动车违反规定停放",
              "驾驶机动车超过规定时速未达50%", "驾驶机动车不按规定使用安全带"), ()),
    "XZJL": (("酒后驾驶机动车被行政拘留", "殴打他人被行政拘留", "扰乱公共秩序被行政拘留"), ()),
    "SBQF": (("欠缴社会保险费",), ()),
    "GJJQJ": (("欠缴住房公积金",), ()),
    "SFQF": (("欠缴水费",), ()),
    "CNWY": (("未履行信用承诺", "告知承诺审批事项核查不符"), ()),
    "HTLY": (("政府采购合同按约履行", "合同按期履约"), ()),
    "AQSG": (("一般生产安全事故",), ("较大生产安全事故",)),
    "ZZRY": (("高新技术企业认定", "专精特新中小企业", "守合同重信用企业"), ()),
    "ZYFW": (("参加社区志愿服务", "参加文明交通志愿服务", "参加大运河文化志愿服务", "无偿献血", "公益捐赠"), ()),
}
_CONSTRUCTION_QUALIFICATION = "建筑业企业资质"
_CONTRACT_HONOUR = "守合同重信用企业"
# Civilisation-campaign contents of WMCJ records by subject group and the district list each honour leads to.
_CAMPAIGN_ITEMS: tuple[tuple[str, str | None, tuple[float, float, float, float]], ...] = (
    # item, list type, shares for (person, individual business, enterprise, social legal person)
    ("模范个人", "MFGR", (0.4, 0.0, 0.0, 0.0)),
    ("通州榜样", "TZBY", (0.3, 0.1, 0.1, 0.05)),
    ("诚信企业", "CXQY", (0.0, 0.5, 0.4, 0.0)),
    ("文明单位", "WMDW", (0.0, 0.0, 0.2, 0.55)),
    ("诚信主题实践活动", None, (0.3, 0.4, 0.3, 0.4)),
)
_DOCUMENT_WORDS: dict[str, str] = {
    "XK": "许", "CF": "罚", "NSPJ": "税评", "JYYC": "异", "ZLCC": "检", "JTWF": "交违", "XZJL": "拘",
    "SBQF": "社欠", "GJJQJ": "金欠", "SFQF": "水欠", "CNWY": "诺", "HTLY": "约", "AQSG": "安", "ZZRY": "誉",
    "ZYFW": "志", "WMCJ": "文明",
}
_BUREAU_SHORT: dict[str, str] = {
    "FY": "法", "GA": "公", "MZ": "民", "SW": "税", "SCJG": "市监", "RS": "人社", "ZJ": "住建", "GHZR": "规自",
    "YJ": "应急", "WJ": "卫健", "JW": "教", "KW": "科", "WL": "文旅", "TY": "体", "SWJ": "水", "JT": "交",
    "STHJ": "环", "SF": "司", "BB": "编", "KX": "科协", "JR": "金融", "GJJ": "公积金", "FGW": "发改", "CCB": "城创",
    "JXW": "经信", "HG": "海关",
}
# Mandatory cells per row of a catalog file, for the completeness figures of submissions.
_MANDATORY_FIELDS: dict[str, int] = {"XK": 14, "CF": 16}
_MANDATORY_FIELDS_DEFAULT = 8

# Lunar New Year's day: the weeks around it see few decisions (the holiday itself is non-working anyway).
LUNAR_NEW_YEAR: dict[int, str] = {
    2014: "01-31", 2015: "02-19", 2016: "02-08", 2017: "01-28", 2018: "02-16", 2019: "02-05", 2020: "01-25",
    2021: "02-12", 2022: "02-01", 2023: "01-22", 2024: "02-10", 2025: "01-29", 2026: "02-17", 2027: "02-06",
    2028: "01-26", 2029: "02-13", 2030: "02-03",
}

# Name material.
_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟"
    "汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
_SURNAME_WEIGHTS = np.array(
    [7.1, 7.0, 6.9, 5.4, 4.5, 3.1, 2.3, 2.2, 2.1, 2.0, 1.7, 1.5, 1.3, 1.3, 1.2, 1.2, 1.2, 1.1, 1.1, 0.9, 0.9, 0.8,
     0.8, 0.7, 0.7, 0.6, 0.6, 0.6, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    + [0.4] * 10 + [0.3] * 10 + [0.2] * (len(_SURNAMES) - 55)
)
_GIVEN_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林洋峰建国志文海东亮成晨博然轩睿泽昊天"
_GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪慧琳颖倩洁晶欣怡佳悦萱涵梦雨璐丹蕾秀英兰红梅琴云莉萍思诗可彤淑珍凤"
_GIVEN_FIRST = "子佳雨思晓春海志国建文永德金玉秀立红小家宏振一嘉天宇明俊雅淑"
_BRAND = "华鑫盛恒泰通达源丰瑞祥宏信诚润博康安隆兴和嘉德运河京新远航创智联汇科益锦辰宇星晟鼎昌顺金银中北东方正元天"
_INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    "A": ("农业科技", "种植", "养殖", "园林绿化"),
    "B": ("矿业",),
    "C": ("机械制造", "食品", "印刷", "家具", "服装", "电子科技", "新材料", "建材"),
    "D": ("能源", "热力", "供水"),
    "E": ("建筑工程", "建设工程", "装饰工程", "市政工程"),
    "F": ("商贸", "贸易", "商业", "医药销售", "建材销售"),
    "G": ("物流", "运输", "仓储", "快递"),
    "H": ("餐饮管理", "酒店管理", "餐饮"),
    "I": ("科技", "信息技术", "网络科技", "软件"),
    "J": ("投资管理", "资产管理"),
    "K": ("房地产开发", "物业管理", "房地产经纪"),
    "L": ("商务服务", "企业管理", "咨询", "文化传媒", "人力资源"),
    "M": ("科技发展", "工程技术", "检测技术", "设计"),
    "N": ("环境工程", "环保科技"),
    "O": ("家政服务", "汽车维修", "洗衣服务"),
    "P": ("教育科技", "培训"),
    "Q": ("医疗管理", "健康管理", "养老服务"),
    "R": ("文化发展", "文化艺术", "体育发展", "影视"),
    "S": ("公共服务",),
    "T": ("国际合作",),
}
_SHOP_WORDS: dict[str, tuple[str, ...]] = {
    "F": ("便利店", "超市", "商店", "日杂店", "水果店", "五金店"), "H": ("小吃店", "餐馆", "面馆", "烧烤店", "快餐店"),
    "O": ("理发店", "洗衣店", "修理部", "美容美发店", "家政服务部"), "G": ("货运部", "快递服务部"),
    "R": ("棋牌室", "文化用品店"), "C": ("加工厂", "豆腐坊"), "A": ("养殖场", "种植园"), "L": ("信息咨询服务部",),
    "M": ("技术服务部",),
}
_COOPERATIVE_WORDS = ("蔬菜种植", "果品", "养殖", "农机", "花卉", "食用菌")
_AGENCY_WORDS = ("综合行政执法队", "社区服务中心", "财政所", "司法所", "市场监管所", "城市管理办公室", "退役军人服务站",
                 "社会保障事务所", "农业农村办公室", "平安建设办公室", "党群服务中心", "应急管理办公室")
_INSTITUTION_WORDS: dict[str, tuple[str, ...]] = {
    "P": ("小学", "中学", "幼儿园", "职业学校"),
    "Q": ("社区卫生服务中心", "医院", "卫生院"),
    "R": ("文化中心", "图书馆分馆"),
    "M": ("技术推广站", "检测中心"),
    "N": ("园林管理所", "水务所"),
    "S": ("便民服务中心",),
}
# Social organisations by USCC prefix: 51 social groups, 52 private non-enterprise units, 53 foundations.
SOCIAL_PREFIX_SHARES: dict[str, float] = {"51": 0.4, "52": 0.55, "53": 0.05}
_SOCIAL_WORDS: dict[str, tuple[str, ...]] = {
    "51": ("个体劳动者协会", "餐饮行业协会", "物流行业协会", "书画协会", "摄影家协会", "老年人体育协会",
           "青年企业家商会", "建筑业协会"),
    "52": ("培训学校", "养老照料中心", "社会工作事务所", "康复中心", "幼儿园"),
    "53": ("公益基金会", "慈善基金会"),
}
_PLACE_CHARS = "东西南北中前后上下新旧大小高马杨李张王刘赵陈黄周林郭何胡桥庄营屯堡店园坊台湾河沟口头湖山寺家里关"
_ID_OTHER_BEIJING = ("110101", "110102", "110105", "110106", "110107", "110108", "110109", "110111", "110113",
                     "110114", "110115", "110116", "110117", "110118", "110119")
_ID_OTHER_PROVINCES = ("131002", "131082", "131022", "130102", "120101", "120116", "370102", "410102", "140105",
                       "210102", "230102", "340102", "420102", "430102", "510104", "610102", "150102", "220102",
                       "320102", "330102")
_COMPLAINTS: tuple[tuple[str, str], ...] = (
    ("SCJG", "销售过期食品"), ("SCJG", "虚假宣传、价格欺诈"), ("ZJ", "装修扰民、违规施工"), ("STHJ", "夜间排放异味"),
    ("RS", "拖欠员工工资"), ("WJ", "无证行医"), ("GA", "群租房安全隐患"), ("JT", "黑车非法营运"),
)
_OBJECTION_REASONS = ("主体信息有误", "处罚决定已被撤销", "金额记录错误", "已履行完毕申请更正", "非本单位行为")


# --------------------------------------------------------------------------------------------------------------
# Calendar
# --------------------------------------------------------------------------------------------------------------


class _Calendar:
    """Days as indices from the first day of history (0); working days; seasonal weights; months and quarters."""

    def __init__(self, start: dt.date, end: dt.date, horizon: dt.date) -> None:
        self.start, self.end, self.horizon = start, end, horizon
        self.n_history = (end - start).days + 1  # days [0, n_history) are stored history
        self.n_total = (horizon - start).days + 1  # days [n_history, n_total) are the simulated, unstored future
        # room after the horizon for publication delays and submission due dates
        self.days = np.arange(np.datetime64(start), np.datetime64(horizon) + np.timedelta64(400, "D"))
        self.is_work = working_days_between(self.days - np.timedelta64(1, "D"), self.days) == 1
        self.work_ordinal = np.cumsum(self.is_work)
        stamps = pd.DatetimeIndex(self.days)
        self.year = stamps.year.to_numpy()
        self.month = stamps.month.to_numpy()
        self.month_index = (self.year - start.year) * 12 + self.month - start.month
        self.quarter_index = (self.year - start.year) * 4 + (self.month - 1) // 3 - (start.month - 1) // 3
        self.cum = {name: np.concatenate([[0.0], np.cumsum(w[: self.n_total])]) for name, w in self._weights().items()}

    def _weights(self) -> dict[str, np.ndarray]:
        """Relative intensity of decisions per day, normalised so that one year of weights sums to about 1."""
        season = np.ones(len(self.days))
        for year, month_day in LUNAR_NEW_YEAR.items():
            offset = (np.datetime64(f"{year}-{month_day}") - self.days[0]).astype(int)
            lo, hi = max(offset - 7, 0), min(offset + 15, len(self.days))
            if lo < hi:
                season[lo:hi] *= 0.5
        office = np.where(self.is_work, 1.0, 0.05) * season * np.where(self.month == 12, 1.35, 1.0)
        daily = np.sqrt(season)
        # Annual reports are due on 30 June: listings for missing ones come in July.
        annual_report = office * np.where(self.month == 7, 6.0, 1.0)
        weights = {"office": office, "daily": daily, "annual_report": annual_report}
        return {name: w / (w[: self.n_total].mean() * 365.25) for name, w in weights.items()}

    def index(self, day: dt.date) -> int:
        return (day - self.start).days

    def add_working_days(self, day: np.ndarray, n: np.ndarray | int) -> np.ndarray:
        """The day n working days after `day` (n = 0: the day itself), so working_days_between(day, result) = n."""
        found = np.searchsorted(self.work_ordinal, self.work_ordinal[day] + n, side="left")
        return np.maximum(found, day)

    def next_working_day(self, day: np.ndarray) -> np.ndarray:
        return self.add_working_days(day, (~self.is_work[day]).astype(np.int64))

    def months(self) -> tuple[np.ndarray, np.ndarray]:
        """First and last day of every month index from the start to the horizon."""
        return _period_bounds(self.month_index)

    def quarters(self) -> tuple[np.ndarray, np.ndarray]:
        return _period_bounds(self.quarter_index)

    def month_label(self, index: np.ndarray) -> np.ndarray:
        first, _ = self.months()
        day = first[index]
        return np.array([f"{y}-{m:02d}" for y, m in zip(self.year[day], self.month[day], strict=True)])

    def quarter_label(self, index: np.ndarray) -> np.ndarray:
        first, _ = self.quarters()
        day = first[index]
        return np.array([f"{y}Q{(m - 1) // 3 + 1}" for y, m in zip(self.year[day], self.month[day], strict=True)])


def _period_bounds(period_index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last day index of each period, from a non-decreasing period index per day that starts at 0."""
    change = np.flatnonzero(np.diff(period_index)) + 1
    first = np.concatenate([[0], change])
    last = np.concatenate([change - 1, [len(period_index) - 1]])
    return first, last


def _sample_days(rng: np.random.Generator, cum: np.ndarray, start: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """One day in [start, stop) per row, with probability proportional to the day weights behind `cum`."""
    lo, hi = cum[start], cum[stop]
    day = np.searchsorted(cum, lo + rng.random(len(start)) * (hi - lo), side="right") - 1
    return np.clip(day, start, np.maximum(stop - 1, start))


def _poisson_events(
    rng: np.random.Generator, cum: np.ndarray, rate: np.ndarray, start: np.ndarray, stop: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Events of independent Poisson processes, one per row: intensity rate * weight(day) on [start, stop).

    Returns the row of each event and its day."""
    stop = np.maximum(stop, start)
    counts = rng.poisson(rate * (cum[stop] - cum[start]))
    rows = np.repeat(np.arange(len(rate)), counts)
    return rows, _sample_days(rng, cum, start[rows], stop[rows])


def _stream(seed: int, stage: str) -> np.random.Generator:
    """An independent random stream per stage, so that changing one stage leaves the others' draws alone."""
    return np.random.default_rng([seed, zlib.crc32(stage.encode())])


def _choice(rng: np.random.Generator, weights: Mapping[object, float] | np.ndarray, n: int) -> np.ndarray:
    p = np.asarray(list(weights.values()) if isinstance(weights, Mapping) else weights, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def _pick(rng: np.random.Generator, options: str | tuple[str, ...], n: int) -> np.ndarray:
    return np.array(list(options))[rng.integers(0, len(options), n)]


def _concat(*parts: np.ndarray | str) -> np.ndarray:
    result = np.asarray(parts[0])
    for part in parts[1:]:
        result = np.char.add(result, part)
    return result


# --------------------------------------------------------------------------------------------------------------
# Subjects
# --------------------------------------------------------------------------------------------------------------


@dataclass
class _Subjects:
    """All subjects as arrays indexed by id - 1 (natural persons first, then legal persons)."""

    kind: np.ndarray  # int8 index into KINDS
    z: np.ndarray  # hidden propensity
    town: np.ndarray  # index into reference.TOWNS
    industry: np.ndarray  # index into INDUSTRY_CODES, -1 for natural persons
    born: np.ndarray  # datetime64[D]: birth date or registration date
    deregistered: np.ndarray  # datetime64[D], NaT when still registered at the horizon
    rep: np.ndarray  # index of the legal representative, -1 for natural persons
    size: np.ndarray  # scale of routine activity (licences, contracts)
    shift: np.ndarray  # observable log-hazard shift of adverse records
    active_start: np.ndarray  # first day index with hazards (registration, 18th birthday, or 0)
    active_stop: np.ndarray  # day index after the last active day (deregistration or beyond the horizon)
    code: np.ndarray
    name: np.ndarray

    @property
    def n(self) -> int:
        return len(self.kind)

    @property
    def group(self) -> np.ndarray:
        return _GROUP_OF_KIND[self.kind]


def _make_subjects(seed: int, persons: int, legal: int, cal: _Calendar) -> _Subjects:
    rng = _stream(seed, "subjects")
    towns = reference.TOWNS
    population = np.array([t.population for t in towns], dtype=float)
    end = np.datetime64(cal.end)

    # Natural persons: adults 18-80 at the end of history, fewer of the oldest.
    ages = np.arange(18, 81)
    age_weight = np.where(ages < 60, 1.0, 1.0 - 0.65 * (ages - 59) / 21)
    age = ages[_choice(rng, age_weight, persons)]
    birth = end - (np.floor(age * 365.25).astype(np.int64) + 1 + rng.integers(0, 364, persons)).astype("timedelta64[D]")
    male = rng.random(persons) < 0.51
    person_town = _choice(rng, population, persons)
    z_person = rng.standard_normal(persons)
    person_shift = 0.25 * male + np.select([age < 30, age < 45, age > 60], [0.3, 0.1, -0.4], 0.0)

    # Legal persons.
    kinds = np.array(list(LEGAL_KIND_SHARES))
    legal_kind = kinds[_choice(rng, LEGAL_KIND_SHARES, legal)].astype(np.int8)
    town_weight = population * np.array([TOWN_BUSINESS_WEIGHT.get(t.code, 1.0) for t in towns])
    legal_town = _choice(rng, town_weight, legal)
    industry = np.empty(legal, dtype=np.int8)
    for kind, shares in INDUSTRY_SHARES.items():
        mask = legal_kind == kind
        codes = np.array([INDUSTRY_CODES.index(c) for c in shares], dtype=np.int8)
        industry[mask] = codes[_choice(rng, shares, int(mask.sum()))]
    registered, deregistered = _registration_dates(rng, legal_kind, cal)
    size = rng.lognormal(-0.4, 0.9, legal) * np.where(legal_kind == INDIVIDUAL, 0.5, 1.0)
    rep = _legal_representatives(rng, legal_kind, legal_town, person_town, birth, end)
    rho = np.array([REP_CORRELATION.get(k, 0.0) for k in range(len(KINDS))])[legal_kind]
    z_legal = rho * z_person[rep] + np.sqrt(1 - rho**2) * rng.standard_normal(legal)
    legal_shift = np.array([INDUSTRY_RISK.get(c, 0.0) for c in INDUSTRY_CODES])[industry]

    person_start = np.clip((birth + np.timedelta64(6575, "D") - np.datetime64(cal.start)).astype(np.int64), 0, None)
    legal_start = np.clip((registered - np.datetime64(cal.start)).astype(np.int64), 0, None)
    # The deregistration date is the subject's last day.
    dereg_index = np.where(
        np.isnat(deregistered), cal.n_total, (deregistered - np.datetime64(cal.start)).astype(np.int64) + 1
    )
    subjects = _Subjects(
        kind=np.concatenate([np.full(persons, PERSON, dtype=np.int8), legal_kind]),
        z=np.concatenate([z_person, z_legal]),
        town=np.concatenate([person_town, legal_town]).astype(np.int8),
        industry=np.concatenate([np.full(persons, -1, dtype=np.int8), industry]),
        born=np.concatenate([birth, registered]),
        deregistered=np.concatenate([np.full(persons, np.datetime64("NaT"), dtype="datetime64[D]"), deregistered]),
        rep=np.concatenate([np.full(persons, -1), rep]).astype(np.int64),
        size=np.concatenate([np.ones(persons), size]),
        shift=np.concatenate([person_shift, legal_shift]),
        active_start=np.concatenate([person_start, legal_start]),
        active_stop=np.concatenate([np.full(persons, cal.n_total), dereg_index]),
        code=np.empty(0),
        name=np.empty(0),
    )
    prefix = _uscc_prefixes(rng, legal_kind)
    subjects.code = np.concatenate(
        [_identity_numbers(rng, birth, male), _social_credit_codes(rng, prefix, registered)]
    )
    person_names = _person_names(rng, male)
    subjects.name = np.concatenate(
        [person_names, _legal_names(rng, legal_kind, prefix, industry, legal_town, person_names[rep])]
    ).astype(object)
    return subjects


def _registration_dates(
    rng: np.random.Generator, kind: np.ndarray, cal: _Calendar
) -> tuple[np.ndarray, np.ndarray]:
    """Registration before or during history (new entities), and deregistration by a constant yearly hazard."""
    n = len(kind)
    start = np.datetime64(cal.start)
    years = cal.n_history / 365.25
    market = (kind == INDIVIDUAL) | (kind == ENTERPRISE) | (kind == COOPERATIVE) | (kind == SOCIAL)
    new = market & (rng.random(n) < 1 - np.exp(-NEW_REGISTRATION_RATE * years))
    age_days = np.minimum(rng.exponential(7 * 365.25, n), 35 * 365.25).astype(np.int64) + 1
    registered = start - age_days.astype("timedelta64[D]")
    new_day = _sample_days(rng, cal.cum["office"], np.zeros(n, dtype=np.int64), np.full(n, cal.n_history))
    registered[new] = start + new_day[new].astype("timedelta64[D]")
    rate = np.array([DEREGISTRATION_RATE.get(k, 0.0) for k in range(len(KINDS))])[kind]
    first_day = np.maximum((registered - start).astype(np.int64), 0)
    exit_day = first_day + 1 + (rng.exponential(1.0, n) * 365.25 / rate).astype(np.int64)
    deregistered = np.where(
        exit_day < cal.n_total, start + exit_day.astype("timedelta64[D]"), np.datetime64("NaT")
    ).astype("datetime64[D]")
    return registered.astype("datetime64[D]"), deregistered


def _legal_representatives(
    rng: np.random.Generator,
    kind: np.ndarray,
    town: np.ndarray,
    person_town: np.ndarray,
    birth: np.ndarray,
    end: np.datetime64,
) -> np.ndarray:
    """Individual businesses are run by a resident of their town; other legal persons draw their representative from
    a pool of entrepreneurs, so that some persons represent several (and a few serial founders many)."""
    eligible = np.flatnonzero(birth <= end - np.timedelta64(22 * 365 + 6, "D"))
    if len(eligible) == 0:
        eligible = np.arange(len(birth))
    rep = np.empty(len(kind), dtype=np.int64)
    individual = kind == INDIVIDUAL
    by_town = eligible[np.argsort(person_town[eligible], kind="stable")]
    counts = np.bincount(person_town[by_town], minlength=len(reference.TOWNS))
    firsts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    own_town = town[individual]
    has_residents = counts[own_town] > 0
    pick = firsts[own_town] + (rng.random(len(own_town)) * counts[own_town]).astype(np.int64)
    fallback = eligible[rng.integers(0, len(eligible), len(own_town))]
    rep[individual] = np.where(has_residents, by_town[np.minimum(pick, len(by_town) - 1)], fallback)
    others = np.flatnonzero(~individual)
    pool = rng.choice(eligible, size=max(1, int(0.8 * len(others))), replace=len(others) > len(eligible))
    serial = pool[: max(1, len(pool) // 500)]
    from_pool = pool[rng.integers(0, len(pool), len(others))]
    rep[others] = np.where(rng.random(len(others)) < 0.03, serial[rng.integers(0, len(serial), len(others))],
                           from_pool)
    return rep


def _identity_numbers(rng: np.random.Generator, birth: np.ndarray, male: np.ndarray) -> np.ndarray:
    """GB 11643 numbers: Tongzhou address code mostly, unique sequence per address, birth date and sex."""
    n = len(birth)
    origin = _choice(rng, [0.78, 0.10, 0.12], n)
    address = np.where(
        origin == 0,
        reference.DISTRICT_CODE,
        np.where(origin == 1, _pick(rng, _ID_OTHER_BEIJING, n), _pick(rng, _ID_OTHER_PROVINCES, n)),
    )
    day = birth.astype("datetime64[D]")
    month = day.astype("datetime64[M]")
    yyyymmdd = ((month.astype("datetime64[Y]").astype(np.int64) + 1970) * 10_000
                + (month.astype(np.int64) % 12 + 1) * 100 + (day - month).astype(np.int64) + 1)
    birth_text = yyyymmdd.astype(str)
    # Sequence: odd for men, even for women, unique within (address, birth date, sex).
    _, address_index = np.unique(address, return_inverse=True)
    group, rank = _groups_and_ranks((address_index * 100_000_000 + yyyymmdd) * 2 + male)
    if rank.max(initial=0) >= 500:
        raise ValueError("too many persons share an address code and birth date for unique identity numbers")
    # A random start per group spreads the sequences while keeping them distinct within the group.
    start = rng.integers(0, 500, group.max(initial=0) + 1)[group]
    sequence = 2 * ((start + rank) % 500) + male.astype(int)
    first17 = _concat(address, birth_text, np.char.zfill(sequence.astype(str), 3))
    return _concat(first17, np.array([id_check_char(s) for s in first17.tolist()]))


def _groups_and_ranks(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each element: the index of its distinct key (in sorted order) and its rank among equal keys (in order
    of appearance)."""
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    new_run = np.concatenate([[True], sorted_key[1:] != sorted_key[:-1]])
    run_start = np.flatnonzero(new_run)
    group = np.empty(len(key), dtype=np.int64)
    group[order] = np.cumsum(new_run) - 1
    rank = np.empty(len(key), dtype=np.int64)
    rank[order] = np.arange(len(key)) - np.repeat(run_start, np.diff(np.concatenate([run_start, [len(key)]])))
    return group, rank


def _uscc_prefixes(rng: np.random.Generator, kind: np.ndarray) -> np.ndarray:
    """Registration authority and type (USCC positions 1-2) of each legal person, from reference.USCC_PREFIX."""
    prefix = np.empty(len(kind), dtype="<U2")
    for k, options in reference.USCC_PREFIX.items():
        mask = kind == KINDS.index(k)
        weights = [SOCIAL_PREFIX_SHARES[o] for o in options] if len(options) > 1 else [1.0]
        prefix[mask] = np.array(options)[_choice(rng, weights, int(mask.sum()))]
    return prefix


def _social_credit_codes(rng: np.random.Generator, prefix: np.ndarray, registered: np.ndarray) -> np.ndarray:
    """GB 32100 codes: the given prefix, division 110112, a unique GB 11714 organisation code, check character.

    Organisation codes of entities registered since the 2015 reform read MA + 6 characters; older ones 8 digits."""
    n = len(prefix)
    if n == 0:  # numpy's string functions cannot size an empty result
        return np.empty(0, dtype="<U18")
    new = registered >= np.datetime64("2015-10-01")
    body = np.empty(n, dtype="<U8")
    n_new, n_old = int(new.sum()), int((~new).sum())
    charset = np.array(list(USCC_CHARSET))
    values = rng.choice(31**6, size=n_new, replace=False)
    digits = np.stack([(values // 31**p) % 31 for p in range(5, -1, -1)], axis=1)
    body[new] = _concat("MA", np.ascontiguousarray(charset[digits]).view("<U6").ravel())
    body[~new] = np.char.zfill(rng.choice(10**8, size=n_old, replace=False).astype(str), 8)
    organisation = _concat(body, np.array([org_code_check_char(b) for b in body.tolist()]))
    first17 = _concat(prefix, reference.DISTRICT_CODE, organisation)
    return _concat(first17, np.array([uscc_check_char(s) for s in first17.tolist()]))


def _person_names(rng: np.random.Generator, male: np.ndarray) -> np.ndarray:
    n = len(male)
    surname = np.array(list(_SURNAMES))[_choice(rng, _SURNAME_WEIGHTS, n)]
    last = np.where(male, _pick(rng, _GIVEN_MALE, n), _pick(rng, _GIVEN_FEMALE, n))
    first = np.where(male, _pick(rng, _GIVEN_FIRST + _GIVEN_MALE, n), _pick(rng, _GIVEN_FIRST + _GIVEN_FEMALE, n))
    return np.where(rng.random(n) < 0.3, _concat(surname, last), _concat(surname, first, last))


def _legal_names(
    rng: np.random.Generator,
    kind: np.ndarray,
    prefix: np.ndarray,
    industry: np.ndarray,
    town: np.ndarray,
    rep_name: np.ndarray,
) -> np.ndarray:
    """Names by kind (北京华信商贸有限公司, 北京市通州区张记小吃店, ...), made unique by lengthening the brand."""
    n = len(kind)
    if n == 0:  # numpy's string functions cannot size an empty result
        return np.empty(0, dtype=object)
    town_names = np.array([t.name for t in reference.TOWNS])[town]
    town_short = np.char.replace(np.char.replace(np.char.replace(town_names, "街道", ""), "回族乡", ""), "镇", "")
    industry_code = np.array(INDUSTRY_CODES)[industry]
    brand = _concat(_pick(rng, _BRAND, n), _pick(rng, _BRAND, n))
    head = np.full(n, "", dtype=object)
    tail = np.full(n, "", dtype=object)

    def words_for(table: Mapping[str, tuple[str, ...]], default: tuple[str, ...]) -> np.ndarray:
        u = rng.random(n)
        out = np.empty(n, dtype=object)
        for code in INDUSTRY_CODES:
            options = table.get(code, default)
            mask = industry_code == code
            out[mask] = np.array(options, dtype=object)[(u[mask] * len(options)).astype(int)]
        return out

    enterprise = kind == ENTERPRISE
    suffix = np.array(["有限公司", "有限责任公司", "股份有限公司"], dtype=object)[_choice(rng, [0.88, 0.08, 0.04], n)]
    region = np.where(rng.random(n) < 0.9, "北京", "北京通州")
    head[enterprise] = region[enterprise]
    tail[enterprise] = (words_for(_INDUSTRY_WORDS, ("商务服务",)) + suffix)[enterprise]

    individual = kind == INDIVIDUAL
    head[individual] = np.where(rng.random(n) < 0.5, "北京市通州区", "通州区")[individual]
    family_shop = rng.random(n) < 0.25
    brand = np.where(individual & family_shop, _concat(np.array([s[:1] for s in rep_name]), "记"), brand)
    tail[individual] = words_for(_SHOP_WORDS, ("商店",))[individual]

    cooperative = kind == COOPERATIVE
    head[cooperative] = _concat("北京", town_short)[cooperative]
    tail[cooperative] = _concat(_pick(rng, _COOPERATIVE_WORDS, n), "专业合作社")[cooperative]

    agency = kind == AGENCY
    head[agency] = _concat("北京市通州区", town_names)[agency]
    brand = np.where(agency, "", brand)
    tail[agency] = _pick(rng, _AGENCY_WORDS, n)[agency]

    institution = kind == INSTITUTION
    head[institution] = _concat("北京市通州区", town_short)[institution]
    tail[institution] = words_for(_INSTITUTION_WORDS, ("服务中心",))[institution]

    for code, words in _SOCIAL_WORDS.items():
        social = (kind == SOCIAL) & (prefix == code)
        head[social] = "北京" if code == "53" else "北京市通州区"
        tail[social] = _pick(rng, words, n)[social]

    core = brand.astype(object)
    names = head + core + tail
    for _ in range(8):
        duplicate = pd.Series(names).duplicated().to_numpy()
        if not duplicate.any():
            break
        core[duplicate] = core[duplicate] + _pick(rng, _BRAND, int(duplicate.sum())).astype(object)
        names = head + core + tail
    return names


# --------------------------------------------------------------------------------------------------------------
# Events
# --------------------------------------------------------------------------------------------------------------

_TYPE_CODES: tuple[str, ...] = tuple(rt.code for rt in reference.RECORD_TYPES)
_TYPE_INDEX = {code: i for i, code in enumerate(_TYPE_CODES)}
_BUREAU_CODES: tuple[str, ...] = tuple(b.code for b in reference.BUREAUS)
_BUREAU_INDEX = {code: i for i, code in enumerate(_BUREAU_CODES)}
_SEVERITIES: tuple[str, ...] = ("minor", "ordinary", "serious")
SERIOUS = 2
_GRADES: tuple[str, ...] = ("A", "B", "M", "C", "D")


class _Content:
    """The vocabulary of the records' content column; records hold indices into it."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self._index: dict[str, int] = {}

    def codes(self, texts: tuple[str, ...] | list[str]) -> np.ndarray:
        for t in texts:
            if t not in self._index:
                self._index[t] = len(self.texts)
                self.texts.append(t)
        return np.array([self._index[t] for t in texts], dtype=np.int32)

    def pick(self, rng: np.random.Generator, texts: tuple[str, ...], n: int) -> np.ndarray:
        return self.codes(texts)[rng.integers(0, len(texts), n)]


@dataclass
class _Events:
    """Records (or future serious events) as parallel arrays."""

    subject: np.ndarray
    day: np.ndarray
    type: np.ndarray
    bureau: np.ndarray
    severity: np.ndarray  # -1 none, else index into _SEVERITIES
    grade: np.ndarray  # -1 none, else index into _GRADES
    amount: np.ndarray  # 万元, NaN when none
    content: np.ndarray

    @staticmethod
    def concat(parts: list[_Events]) -> _Events:
        return _Events(**{f: np.concatenate([getattr(p, f) for p in parts]) for f in _Events.__dataclass_fields__})

    def take(self, index: np.ndarray) -> _Events:
        return _Events(**{f: getattr(self, f)[index] for f in _Events.__dataclass_fields__})

    def __len__(self) -> int:
        return len(self.subject)


def _events(subject: np.ndarray, day: np.ndarray, type_code: str, bureau: np.ndarray | int, severity: np.ndarray | int,
            amount: np.ndarray | None, content: np.ndarray, grade: np.ndarray | None = None) -> _Events:
    n = len(subject)
    return _Events(
        subject=subject.astype(np.int32),
        day=day.astype(np.int32),
        type=np.full(n, _TYPE_INDEX[type_code], dtype=np.int8),
        bureau=np.broadcast_to(np.asarray(bureau, dtype=np.int8), (n,)).copy(),
        severity=np.broadcast_to(np.asarray(severity, dtype=np.int8), (n,)).copy(),
        grade=np.full(n, -1, dtype=np.int8) if grade is None else grade.astype(np.int8),
        amount=np.full(n, np.nan) if amount is None else amount.astype(float),
        content=content.astype(np.int32),
    )


def _hazard_rates(hazard: Hazard, subjects: _Subjects) -> np.ndarray:
    """Each subject's yearly rate of `hazard` (before seasonal weights and the youth extra)."""
    rate = np.asarray(hazard.rates)[subjects.kind] * np.exp(hazard.loading * subjects.z - hazard.loading**2 / 2)
    if reference.RECORD_TYPES[_TYPE_INDEX[hazard.record_type]].polarity == "negative":
        rate = rate * np.exp(subjects.shift)
    if hazard.industries is not None:
        multiplier = np.array([hazard.industries.get(c, hazard.industries.get("*", 1.0)) for c in INDUSTRY_CODES])
        rate = rate * np.where(subjects.industry >= 0, multiplier[subjects.industry], 1.0)
    if hazard.record_type == "XK":
        rate = rate * subjects.size
    return rate


def _segments(hazard: Hazard, subjects: _Subjects, cal: _Calendar) -> list[tuple[np.ndarray, np.ndarray,
                                                                                 np.ndarray, np.ndarray]]:
    """(subjects, yearly rate, first day, day after last) of the hazard's constant-rate pieces: the active lifetime,
    plus the youth extra of legal persons' adverse hazards during their first two years."""
    rate = _hazard_rates(hazard, subjects)
    # Serious processes and the cases that may escalate run into the future, for the truth's realised rates.
    horizon = cal.n_total if hazard.serious or hazard.escalation else cal.n_history
    who = np.flatnonzero(rate > 0)
    start = subjects.active_start[who]
    stop = np.minimum(subjects.active_stop[who], horizon)
    pieces = [(who, rate[who], start, stop)]
    negative = reference.RECORD_TYPES[_TYPE_INDEX[hazard.record_type]].polarity == "negative"
    if negative:
        legal = subjects.kind[who] != PERSON
        registered = (subjects.born[who] - np.datetime64(cal.start)).astype(np.int64)
        young_start = np.maximum(start, registered)
        young_stop = np.minimum(stop, registered + YOUTH_DAYS)
        young = legal & (young_stop > young_start)
        pieces.append((who[young], rate[who][young] * YOUTH_EXTRA, young_start[young], young_stop[young]))
    return pieces


@dataclass
class _Cases:
    """Cases of an escalating hazard, kept (future ones too) because open ones weigh on the truth."""

    hazard: Hazard
    subject: np.ndarray
    day: np.ndarray
    escalated: np.ndarray  # day of the serious event, -1 when the case never escalates before the horizon


def _simulate_hazard(rng: np.random.Generator, hazard: Hazard, subjects: _Subjects, cal: _Calendar,
                     content: _Content) -> tuple[_Events, _Cases | None]:
    cum = cal.cum[hazard.pattern]
    found_subject, found_day = [], []
    for who, rate, start, stop in _segments(hazard, subjects, cal):
        rows, days = _poisson_events(rng, cum, rate, start, stop)
        found_subject.append(who[rows])
        found_day.append(days)
    subject = np.concatenate(found_subject)
    day = np.concatenate(found_day)
    if hazard.episode_months:
        subject, day = _arrears_episodes(rng, subject, day, hazard.episode_months, subjects, cal)
    n = len(subject)
    if hazard.serious:
        severity = np.full(n, SERIOUS, dtype=np.int8)
    elif hazard.minor_share is None:
        severity = np.full(n, -1, dtype=np.int8)
    else:
        severity = (rng.random(n) >= hazard.minor_share).astype(np.int8)
    code = hazard.record_type
    group = subjects.group[subject]
    industry = subjects.industry[subject]
    if code in ("XK", "CF"):
        bureau = _choose_bureaus(rng, "CF_serious" if hazard.serious else code, group, industry)
    else:
        bureau = _fixed_bureaus(code, subjects.kind[subject], industry)
    amount = _amounts(rng, code, bureau, group, severity, subjects.size[subject])
    events = _events(subject, day, code, bureau, severity, amount,
                     _contents(rng, content, code, bureau, severity, industry, group))
    if not hazard.escalation:
        return events, None
    later = day + 1 + np.floor(rng.exponential(hazard.escalation_days, n)).astype(np.int64)
    escalates = (rng.random(n) < hazard.escalation) & (
        later < np.minimum(subjects.active_stop[subject], cal.n_total))
    e = np.flatnonzero(escalates)
    serious = np.full(len(e), SERIOUS, dtype=np.int8)
    escalated = _events(subject[e], later[e], code, bureau[e], serious,
                        _amounts(rng, code, bureau[e], group[e], serious, subjects.size[subject[e]]),
                        _contents(rng, content, code, bureau[e], serious, industry[e], group[e]))
    cases = _Cases(hazard, subject, day, np.where(escalates, later, -1))
    return _Events.concat([events, escalated]), cases


def _arrears_episodes(rng: np.random.Generator, subject: np.ndarray, day: np.ndarray, mean_months: float,
                      subjects: _Subjects, cal: _Calendar) -> tuple[np.ndarray, np.ndarray]:
    """Each episode start becomes one record a month (on a working day) until the arrears are paid."""
    length = rng.geometric(1 / mean_months, len(subject))
    rows = np.repeat(np.arange(len(subject)), length)
    step = np.arange(len(rows)) - np.repeat(np.cumsum(length) - length, length)
    month_day = cal.next_working_day(np.minimum(day[rows] + 30 * step, len(cal.days) - 1))
    keep = (month_day < cal.n_history) & (month_day < subjects.active_stop[subject[rows]])
    return subject[rows][keep], month_day[keep]


def _choose_bureaus(rng: np.random.Generator, table: str, group: np.ndarray, industry: np.ndarray) -> np.ndarray:
    """Bureau of licences and penalties by subject group, with industry-specific regulators weighted up."""
    n_industry = len(INDUSTRY_CODES) + 1  # last: natural persons without an industry
    weights = np.zeros((4, n_industry, len(_BUREAU_CODES)))
    for g, base in enumerate(_BUREAU_WEIGHTS[table]):
        for i in range(n_industry):
            boost = _INDUSTRY_BUREAU.get(INDUSTRY_CODES[i], {}) if i < len(INDUSTRY_CODES) else {}
            for code, w in base.items():
                weights[g, i, _BUREAU_INDEX[code]] = w * boost.get(code, 1.0)
    cum = np.cumsum(weights, axis=2)
    cum = cum / cum[:, :, -1:]
    cum[:, :, -1] = 1.0
    combo = group.astype(np.int64) * n_industry + np.where(industry >= 0, industry, n_industry - 1)
    flat = (np.arange(4 * n_industry)[:, None] + cum.reshape(4 * n_industry, -1)).ravel()
    found = np.searchsorted(flat, combo + rng.random(len(combo)), side="right")
    return (found - combo * len(_BUREAU_CODES)).astype(np.int8)


def _fixed_bureaus(code: str, kind: np.ndarray, industry: np.ndarray) -> np.ndarray:
    default, special = _FIXED_BUREAU[code]
    bureau = np.full(len(kind), _BUREAU_INDEX[default], dtype=np.int8)
    for key, other in special.items():
        mask = (kind == KINDS.index(key)) if key in KINDS else (industry == INDUSTRY_CODES.index(key))
        bureau[mask] = _BUREAU_INDEX[other]
    return bureau


def _amounts(rng: np.random.Generator, code: str, bureau: np.ndarray, group: np.ndarray, severity: np.ndarray,
             size: np.ndarray) -> np.ndarray | None:
    """Amounts in 万元, rounded to the yuan: fines, arrears, enforcement sums and contract values."""
    n = len(bureau)
    if code == "CF":
        median = np.empty(n)
        sigma = np.empty(n)
        for b, code_b in enumerate(_BUREAU_CODES):
            mask_b = bureau == b
            if not mask_b.any():
                continue
            legal_m, legal_s = _FINE_LEGAL.get(code_b, _FINE_LEGAL_DEFAULT)
            person_m, person_s = _FINE_PERSON.get(code_b, _FINE_PERSON_DEFAULT)
            person = group == 0
            median[mask_b] = np.where(person, person_m, legal_m * np.where(group == 1, 0.5, 1.0))[mask_b]
            sigma[mask_b] = np.where(person, person_s, legal_s)[mask_b]
        amount = rng.lognormal(np.log(median), sigma) * np.where(severity == SERIOUS, 10.0, 1.0)
        amount[(rng.random(n) < _WARNING_SHARE) & (severity != SERIOUS)] = np.nan
    elif code == "JTWF":
        amount = np.array(_TRAFFIC_FINES)[_choice(rng, [0.2, 0.5, 0.1, 0.2], n)]
    elif code == "SFZX":
        amount = rng.lognormal(np.log(np.where(group == 0, 3.0, 10.0)), 1.3) * np.where(severity == SERIOUS, 2.0, 1.0)
    elif code in ("SBQF", "GJJQJ"):
        amount = rng.lognormal(np.log(0.8), 1.0, n) * size
    elif code == "SFQF":
        amount = rng.lognormal(np.log(np.where(group == 0, 0.05, 0.5)), 0.9)
    elif code == "HTLY":
        amount = rng.lognormal(np.log(30.0), 1.2, n) * size
    else:
        return None
    return np.round(amount, 4)


def _contents(rng: np.random.Generator, content: _Content, code: str, bureau: np.ndarray, severity: np.ndarray,
              industry: np.ndarray, group: np.ndarray) -> np.ndarray:
    n = len(bureau)
    result = np.zeros(n, dtype=np.int32)
    if code in ("XK", "CF"):
        table = _LICENCE_CONTENT if code == "XK" else _PENALTY_CONTENT
        for b in np.unique(bureau):
            mask = bureau == b
            result[mask] = content.pick(rng, table[_BUREAU_CODES[b]], int(mask.sum()))
        return result
    if code == "WMCJ":
        items = [item for item, _, _ in _CAMPAIGN_ITEMS]
        for g in range(4):
            mask = group == g
            shares = np.array([shares[g] for _, _, shares in _CAMPAIGN_ITEMS])
            result[mask] = content.codes(items)[_choice(rng, shares, int(mask.sum()))]
        return result
    routine, serious = _TYPE_CONTENT[code]
    result[:] = content.pick(rng, routine, n)
    if serious:
        mask = severity == SERIOUS
        result[mask] = content.pick(rng, serious, int(mask.sum()))
    if code == "ZZRY":
        construction = np.isin(industry, [INDUSTRY_CODES.index("E"), INDUSTRY_CODES.index("K")])
        result[construction] = content.codes([_CONSTRUCTION_QUALIFICATION])[0]
    return result


def _tax_ratings(rng: np.random.Generator, subjects: _Subjects, cal: _Calendar, content: _Content,
                 tax_cases: _Events) -> _Events:
    """Quarterly ratings (20th of the quarter's last month) and yearly ones for individual businesses (20 April)."""
    first, last = cal.quarters()
    quarterly_kinds = np.isin(subjects.kind, [ENTERPRISE, COOPERATIVE, SOCIAL])
    parts = [(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int32))]

    def rated(kinds: np.ndarray, day: int, label: str) -> None:
        if day < cal.n_history:
            who = np.flatnonzero(kinds & (subjects.active_start <= day) & (subjects.active_stop > day))
            parts.append((who, np.full(len(who), day), np.full(len(who), content.codes([label])[0])))

    for q in range(len(first)):
        year, month = cal.year[last[q]], cal.month[last[q]]
        rated(quarterly_kinds, int(cal.next_working_day(np.array([last[q] - 10]))[0]),
              f"{year}年第{(month - 1) // 3 + 1}季度纳税信用评价")
        april = first[q] + 19
        if cal.month[first[q]] == 4 and april <= last[q]:
            rated(subjects.kind == INDIVIDUAL, int(cal.next_working_day(np.array([april]))[0]),
                  f"{year - 1}年度纳税信用评价")
    who, day, text = (np.concatenate([p[i] for p in parts]) for i in range(3))
    grade = _tax_grades(rng, subjects, cal, who, day, tax_cases)
    return _events(who, day, "NSPJ", _BUREAU_INDEX["SW"], -1, None, text, grade=grade)


def _tax_grades(rng: np.random.Generator, subjects: _Subjects, cal: _Calendar, who: np.ndarray, day: np.ndarray,
                tax_cases: _Events) -> np.ndarray:
    total = np.sqrt(1 + TAX_GRADE_NOISE**2)
    score = (-subjects.z[who] + TAX_GRADE_NOISE * rng.standard_normal(len(who))) / total
    # Cut points of the standard normal score at the cumulative shares D, C, B (ascending score = better).
    shares = TAX_GRADE_SHARES
    cuts = [NormalDist().inv_cdf(p) for p in np.cumsum([shares["D"], shares["C"], shares["B"]])]
    grade = np.select([score < cuts[0], score < cuts[1], score < cuts[2]],
                      [_GRADES.index("D"), _GRADES.index("C"), _GRADES.index("B")], _GRADES.index("A"))
    registered = (subjects.born[who] - np.datetime64(cal.start)).astype(np.int64)
    grade = np.where(day - registered < 365, _GRADES.index("M"), grade)
    # A serious tax case in the two years before the rating means grade D.
    if len(tax_cases):
        key_case = np.sort(tax_cases.subject.astype(np.int64) * 100_000 + tax_cases.day)
        key_rating = who * 100_000 + day
        position = np.searchsorted(key_case, key_rating, side="right") - 1
        previous = key_case[np.maximum(position, 0)]
        recent = (position >= 0) & (previous // 100_000 == who) & (key_rating - previous <= 730)
        grade = np.where(recent, _GRADES.index("D"), grade)
    return grade


def _quarterly_participation(rng: np.random.Generator, subjects: _Subjects, cal: _Calendar, who: np.ndarray,
                             share_per_quarter: float) -> tuple[np.ndarray, np.ndarray]:
    """A record in each quarter of activity with the given probability, on a working day of that quarter."""
    first, last = cal.quarters()
    subject_parts, day_parts = [], []
    for q in range(len(first)):
        if first[q] >= cal.n_history:
            break
        start = np.maximum(subjects.active_start[who], first[q])
        stop = np.minimum(np.minimum(subjects.active_stop[who], last[q] + 1), cal.n_history)
        chosen = (stop > start) & (rng.random(len(who)) < share_per_quarter)
        subject_parts.append(who[chosen])
        day_parts.append(_sample_days(rng, cal.cum["office"], start[chosen], stop[chosen]))
    return np.concatenate(subject_parts), np.concatenate(day_parts)


def _contract_records(rng: np.random.Generator, subjects: _Subjects, cal: _Calendar, content: _Content) -> _Events:
    base = np.asarray(CONTRACT_PARTICIPATION)[subjects.kind]
    logit = np.log(base / (1 - base + 1e-12) + 1e-12) - 0.8 * subjects.z + 0.4 * np.log(subjects.size)
    who = np.flatnonzero((base > 0) & (rng.random(subjects.n) < 1 / (1 + np.exp(-logit))))
    subject, day = _quarterly_participation(rng, subjects, cal, who, CONTRACT_QUARTER_SHARE)
    group = subjects.group[subject]
    amount = _amounts(rng, "HTLY", np.zeros(len(subject), dtype=np.int8), group, np.full(len(subject), -1),
                      subjects.size[subject])
    text = _contents(rng, content, "HTLY", np.zeros(len(subject), dtype=np.int8), np.full(len(subject), -1),
                     subjects.industry[subject], group)
    return _events(subject, day, "HTLY", _BUREAU_INDEX["FGW"], -1, amount, text)


def _volunteer_records(rng: np.random.Generator, subjects: _Subjects, cal: _Calendar, content: _Content) -> _Events:
    logit = np.log(VOLUNTEER_SHARE / (1 - VOLUNTEER_SHARE)) - 0.6 * subjects.z
    who = np.flatnonzero((subjects.kind == PERSON) & (rng.random(subjects.n) < 1 / (1 + np.exp(-logit))))
    subject, day = _quarterly_participation(rng, subjects, cal, who, VOLUNTEER_QUARTER_SHARE)
    bureau = np.where(rng.random(len(subject)) < 0.6, _BUREAU_INDEX["KX"], _BUREAU_INDEX["MZ"])
    text = content.pick(rng, _TYPE_CONTENT["ZYFW"][0], len(subject))
    return _events(subject, day, "ZYFW", bureau, -1, None, text)


@dataclass
class _Simulation:
    records: _Events  # every record to be stored, in order of decision (then type, subject): id = position + 1
    serious: _Events  # serious events in history and the future (the truth file's target)
    cases: list[_Cases]  # cases of escalating hazards, history and future
    content: _Content


def _simulate(seed: int, subjects: _Subjects, cal: _Calendar, progress: Progress | None) -> _Simulation:
    content = _Content()
    parts: list[_Events] = []
    cases: list[_Cases] = []
    for i, hazard in enumerate(HAZARDS):
        rng = _stream(seed, f"hazard:{i}:{hazard.record_type}")
        events, hazard_cases = _simulate_hazard(rng, hazard, subjects, cal, content)
        parts.append(events)
        if hazard_cases is not None:
            cases.append(hazard_cases)
        if progress:
            progress("simulate", i + 1, len(HAZARDS) + 3)
    everything = _Events.concat(parts)
    del parts
    serious = everything.take(np.flatnonzero(everything.severity == SERIOUS))
    history = everything.take(np.flatnonzero(everything.day < cal.n_history))
    del everything
    tax_cases = serious.take(np.flatnonzero((serious.type == _TYPE_INDEX["CF"])
                                            & (serious.bureau == _BUREAU_INDEX["SW"])))
    periodic = [
        _tax_ratings(_stream(seed, "tax"), subjects, cal, content, tax_cases),
        _contract_records(_stream(seed, "contracts"), subjects, cal, content),
        _volunteer_records(_stream(seed, "volunteers"), subjects, cal, content),
    ]
    if progress:
        progress("simulate", len(HAZARDS) + 3, len(HAZARDS) + 3)
    records = _Events.concat([history, *periodic])
    del history, periodic
    # Quarterly catalogs report after the quarter: records of the quarter still running at the end are not in yet.
    _, quarter_last = cal.quarters()
    complete = quarter_last[cal.quarter_index[records.day]] < cal.n_history
    quarterly = np.array([rt.frequency == "quarterly" for rt in reference.RECORD_TYPES])[records.type]
    stored = np.flatnonzero(complete | ~quarterly)
    records = records.take(stored[np.lexsort((records.subject[stored], records.type[stored], records.day[stored]))])
    return _Simulation(records=records, serious=serious, cases=cases, content=content)


# --------------------------------------------------------------------------------------------------------------
# Records, submissions and what follows from them
# --------------------------------------------------------------------------------------------------------------

_FREQUENCY = np.array([rt.frequency for rt in reference.RECORD_TYPES])
_POLARITY = np.array([rt.polarity for rt in reference.RECORD_TYPES])
_CATALOG_INDEX = np.full((len(_BUREAU_CODES), len(_TYPE_CODES)), -1, dtype=np.int64)
for _i, (_bureau, _type) in enumerate(reference.CATALOG):
    _CATALOG_INDEX[_BUREAU_INDEX[_bureau], _TYPE_INDEX[_type]] = _i
_LATENESS = np.array([b.chronic_lateness for b in reference.BUREAUS])
_ERROR_RATE = np.array([b.error_rate for b in reference.BUREAUS])
# Licences are published late more often than penalties (3.6 % vs 0.08 % in Qinghai, DOMAIN §10).
_LATE_FACTOR = {"XK": 1.6, "CF": 0.4}
_ON_TIME_DELAYS = np.array([0.05, 0.25, 0.22, 0.16, 0.12, 0.09, 0.06, 0.05])  # 0..7 working days


@dataclass
class _Store:
    """Everything to be loaded, as arrays and small frames."""

    records: _Events  # sorted; id = position + 1
    publication: np.ndarray
    delay: np.ndarray
    submission: np.ndarray  # submission id
    status: np.ndarray  # index into reference.RECORD_STATUSES
    publicity_end: np.ndarray  # datetime64[D]
    sequence: np.ndarray  # document number within (bureau, type, year)
    submissions: pd.DataFrame
    objections: pd.DataFrame
    repairs: pd.DataFrame
    list_entries: pd.DataFrame
    campaign: pd.DataFrame
    complaints: pd.DataFrame


def _assemble(seed: int, subjects: _Subjects, cal: _Calendar, sim: _Simulation) -> _Store:
    rng = _stream(seed, "assemble")
    records = sim.records
    item = _CATALOG_INDEX[records.bureau, records.type]
    if (item < 0).any():
        raise AssertionError("a generated record has no catalog item")
    frequency = _FREQUENCY[records.type]
    quarterly = frequency == "quarterly"
    period = np.where(quarterly, cal.quarter_index[records.day], cal.month_index[records.day])
    event = frequency == "event"

    # Double publicity: a delay in working days, late (> 7) at the bureau's chronic rate, licences more often.
    factor = np.array([_LATE_FACTOR.get(code, 1.0) for code in _TYPE_CODES])[records.type]
    late = rng.random(len(records)) < np.minimum(_LATENESS[records.bureau] * factor, 0.9)
    delay = np.where(late, 8 + np.minimum(rng.geometric(0.15, len(records)) - 1, 50),
                     _choice(rng, _ON_TIME_DELAYS, len(records)))
    publication = np.where(event, cal.add_working_days(records.day, delay), 0)

    submissions, submission_of_record, received_day = _submissions(seed, cal, records, item, period, quarterly,
                                                                   event, publication)
    periodic = ~event
    processed = cal.add_working_days(received_day[submission_of_record[periodic]],
                                     rng.integers(0, 3, int(periodic.sum())))
    publication[periodic] = processed
    delay = np.where(event, delay, cal.work_ordinal[publication] - cal.work_ordinal[records.day])

    publicity = _publicity(rng, cal, records, publication, sim.content)

    # Document numbers run per bureau, record type and year in order of decision.
    _, sequence = _groups_and_ranks(
        (records.bureau.astype(np.int64) * len(_TYPE_CODES) + records.type) * 10_000 + cal.year[records.day])
    sequence += 1

    return _Store(
        records=records,
        publication=publication,
        delay=delay,
        submission=submission_of_record + 1,
        status=publicity.status,
        publicity_end=publicity.end,
        sequence=sequence,
        submissions=submissions,
        objections=publicity.objections,
        repairs=publicity.repairs,
        list_entries=_list_entries(_stream(seed, "lists"), subjects, cal, records, sim.content, publicity),
        campaign=_campaign_records(_stream(seed, "campaign"), subjects, cal, records, sim.content),
        complaints=_complaints(_stream(seed, "complaints"), subjects, cal),
    )


def _submissions(seed: int, cal: _Calendar, records: _Events, item: np.ndarray, period: np.ndarray,
                 quarterly: np.ndarray, event: np.ndarray, publication: np.ndarray
                 ) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """One submission per catalog item and period: every period of periodic catalogs (nil reports included), and
    every month with records of event-driven ones (double publicity). Returns the frame, each record's submission
    index and each submission's received day."""
    rng = _stream(seed, "submissions")
    month_first, month_last = cal.months()
    quarter_first, quarter_last = cal.quarters()
    n_periods = len(month_first)
    cell = item * n_periods + period
    item_type = np.array([_TYPE_INDEX[t] for _, t in reference.CATALOG])
    item_bureau = np.array([_BUREAU_INDEX[b] for b, _ in reference.CATALOG])
    item_frequency = _FREQUENCY[item_type]
    cells = [np.unique(cell)]
    for i, frequency in enumerate(item_frequency):
        if frequency == "monthly":
            periods = np.flatnonzero(month_first < cal.n_history)
        elif frequency == "quarterly":
            periods = np.flatnonzero(quarter_last < cal.n_history)
        else:
            continue
        cells.append(i * n_periods + periods)
    cells = np.unique(np.concatenate(cells))
    sub_item, sub_period = cells // n_periods, cells % n_periods
    is_quarterly = item_frequency[sub_item] == "quarterly"
    first = np.where(is_quarterly, quarter_first[np.minimum(sub_period, len(quarter_first) - 1)],
                     month_first[sub_period])
    last = np.where(is_quarterly, quarter_last[np.minimum(sub_period, len(quarter_last) - 1)],
                    month_last[sub_period])
    # Ids follow the periods, then the catalog; records find their cell in the sorted cells, then its new place.
    order = np.lexsort((sub_item, first))
    place = np.empty(len(order), dtype=np.int64)
    place[order] = np.arange(len(order))
    of_record = place[np.searchsorted(cells, cell)]
    cells, sub_item, sub_period, first, last, is_quarterly = (
        a[order] for a in (cells, sub_item, sub_period, first, last, is_quarterly))
    bureau = item_bureau[sub_item]
    is_event = item_frequency[sub_item] == "event"

    # Due: 7 working days after the month for double publicity, the 10th of the next month for periodic catalogs.
    due = np.where(is_event, cal.add_working_days(last, reference.DOUBLE_PUBLICITY_WORKING_DAYS), last + 10)
    accepted = np.bincount(of_record, minlength=len(cells))
    last_published = np.zeros(len(cells), dtype=np.int64)
    np.maximum.at(last_published, of_record[event], publication[event])
    late = rng.random(len(cells)) < np.minimum(3 * _LATENESS[bureau] + 0.01, 0.6)
    periodic_received = np.where(late, due + np.minimum(rng.geometric(1 / 8, len(cells)), 60),
                                 np.maximum(due - rng.integers(0, 7, len(cells)), last + 1))
    received = np.where(is_event, last_published, cal.next_working_day(periodic_received))

    error = _ERROR_RATE[bureau]
    rejected = rng.binomial(accepted, error / (1 - error))
    duplicate = rng.binomial(accepted, 0.002 + error / 4)
    total = accepted + rejected + duplicate
    per_row = np.array([_MANDATORY_FIELDS.get(code, _MANDATORY_FIELDS_DEFAULT) for code in _TYPE_CODES])
    expected = total * per_row[item_type[sub_item]]
    filled = expected - rng.binomial(expected, error * 0.5)
    label = np.where(is_quarterly, cal.quarter_label(np.minimum(sub_period, len(quarter_first) - 1)),
                     cal.month_label(sub_period))
    bureau_code = np.array(_BUREAU_CODES)[bureau]
    type_code = np.array(_TYPE_CODES)[item_type[sub_item]]
    seconds = rng.integers(8 * 3600 + 1800, 18 * 3600, len(cells)).astype("timedelta64[s]")
    fingerprint = [
        hashlib.sha256(f"generator:{seed}:{b}:{t}:{p}:{n}".encode()).hexdigest()
        for b, t, p, n in zip(bureau_code, type_code, label, total, strict=True)
    ]
    frame = pd.DataFrame({
        "id": np.arange(1, len(cells) + 1),
        "bureau_code": bureau_code,
        "record_type_code": type_code,
        "period": label,
        "received_at": cal.days[received].astype("datetime64[s]") + seconds,
        "due_at": cal.days[due].astype("datetime64[s]") + np.timedelta64(86399, "s"),
        "rows_total": total,
        "rows_accepted": accepted,
        "rows_rejected": rejected,
        "rows_duplicate": duplicate,
        "fields_expected": expected,
        "fields_filled": filled,
        "fingerprint": fingerprint,
        "file_name": [f"{b}_{t}_{p}.xlsx" for b, t, p in zip(bureau_code, type_code, label, strict=True)],
        "source": "generator",
    })
    return frame, of_record, received


_STATUS_CODES: tuple[str, ...] = tuple(reference.RECORD_STATUSES)
_OBJECTION_OUTCOMES: tuple[str, ...] = ("corrected", "confirmed", "removed")
_REPAIR_REFUSAL = "未满最短公示期"


@dataclass
class _Publicity:
    """Publicity ends and statuses of the records, and the objections and repairs that changed them.

    As data.lists writes them, an early end of publication is an earlier publicity end: a granted repair decided
    on day D, or an objection resolved on D with the record removed, end publication on D - 1 and take the
    record's list entries off on D (`ended_on`, `ended_by`)."""

    end: np.ndarray  # datetime64[D]
    status: np.ndarray  # index into _STATUS_CODES
    ended_on: np.ndarray  # day index of an early end, -1 when none
    ended_by: np.ndarray  # reason of the early end (list removal reason), None when none
    objections: pd.DataFrame
    repairs: pd.DataFrame


def _publicity(rng: np.random.Generator, cal: _Calendar, records: _Events, publication: np.ndarray,
               content: _Content) -> _Publicity:
    n = len(records)
    adverse = np.flatnonzero(records.severity >= 0)  # every adverse type has a severity
    decided = cal.days[records.day[adverse]]
    severity = np.array(_SEVERITIES, dtype=object)[records.severity[adverse]]
    special = _special_sectors(records.bureau[adverse], records.type[adverse], records.content[adverse], content)
    statutory = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    statutory[adverse] = publicity_end_dates(pd.Series(decided), pd.Series(severity), pd.Series(special)
                                             ).to_numpy().astype("datetime64[D]")
    end_day = np.datetime64(cal.end)
    status = np.full(n, _STATUS_CODES.index("active"), dtype=np.int8)
    status[~np.isnat(statutory) & (statutory < end_day)] = _STATUS_CODES.index("expired")
    ended_on = np.full(n, -1, dtype=np.int64)
    ended_by = np.full(n, None, dtype=object)
    statutory_index = np.where(np.isnat(statutory), -1, (statutory - np.datetime64(cal.start)).astype(np.int64))

    # Objections: to records still public when filed, verified by the source bureau in 3-30 working days.
    share = OBJECTION_SHARE * np.where(records.severity[adverse] == SERIOUS, 5.0, 1.0)
    filed = publication[adverse] + rng.integers(3, 120, len(adverse))
    chosen_at = np.flatnonzero((rng.random(len(adverse)) < share) & (filed < cal.n_history)
                               & (filed <= statutory_index[adverse]))
    chosen, filed = adverse[chosen_at], filed[chosen_at]
    resolved = cal.add_working_days(filed, rng.integers(3, 31, len(chosen)))
    open_ = (resolved >= cal.n_history) | (rng.random(len(chosen)) < 0.05)
    outcome = np.array(_OBJECTION_OUTCOMES, dtype=object)[_choice(rng, [0.25, 0.6, 0.15], len(chosen))]
    outcome[open_] = None
    status[chosen[open_]] = _STATUS_CODES.index("objection")
    status[chosen[outcome == "corrected"]] = _STATUS_CODES.index("corrected")
    removed = chosen[outcome == "removed"]
    status[removed] = _STATUS_CODES.index("removed")
    ended_on[removed] = resolved[outcome == "removed"]
    ended_by[removed] = "异议核查后撤销"
    order = np.argsort(filed, kind="stable")
    objections = pd.DataFrame({
        "id": np.arange(1, len(chosen) + 1),
        "record_id": chosen[order] + 1,
        "subject_id": records.subject[chosen][order] + 1,
        "bureau_code": np.array(_BUREAU_CODES)[records.bureau[chosen][order]],
        "filed_on": cal.days[filed[order]],
        "reason": np.array(_OBJECTION_REASONS, dtype=object)[rng.integers(0, len(_OBJECTION_REASONS), len(chosen))],
        "resolved_on": np.where(open_, np.datetime64("NaT"), cal.days[np.minimum(resolved, len(cal.days) - 1)]
                                )[order],
        "outcome": outcome[order],
    })

    # Repairs of ordinary and serious records: granted some time after the minimum period while still public.
    undisputed = np.ones(n, dtype=bool)
    undisputed[chosen] = False
    earliest = np.full(n, np.iinfo(np.int64).max)
    earliest[adverse] = (_earliest_repair_dates(decided, severity, special) - np.datetime64(cal.start)
                         ).astype(np.int64)
    decided_on = earliest + rng.geometric(1 / 60, n)
    share = np.array([REPAIR_SHARE.get(s, 0.0) for s in _SEVERITIES])[np.maximum(records.severity, 0)]
    eligible = undisputed & (records.severity >= 0) & (earliest < cal.n_history)
    granted = np.flatnonzero(eligible & (rng.random(n) < share) & (decided_on < cal.n_history)
                             & (decided_on <= statutory_index))
    status[granted] = _STATUS_CODES.index("repaired")
    ended_on[granted] = decided_on[granted]
    ended_by[granted] = "信用修复"
    # A few applications come before the minimum period has passed and are refused.
    refused = np.flatnonzero(eligible & (status == _STATUS_CODES.index("active"))
                             & (rng.random(n) < 0.01) & (publication < earliest - 30))
    refused_on = np.minimum(earliest[refused] - 1 - rng.integers(0, 30, len(refused)), cal.n_history - 1)
    applied = np.concatenate([decided_on[granted], refused_on]) - rng.integers(3, 21, len(granted) + len(refused))
    repaired = np.concatenate([granted, refused])
    is_granted = np.arange(len(repaired)) < len(granted)
    order = np.argsort(applied, kind="stable")
    repairs = pd.DataFrame({
        "id": np.arange(1, len(repaired) + 1),
        "record_id": repaired[order] + 1,
        "applied_on": cal.days[np.maximum(applied, 0)][order],
        "conduct_corrected": True,
        "obligations_met": True,
        "commitment_signed": True,
        "decided_on": cal.days[np.concatenate([decided_on[granted], refused_on])][order],
        "outcome": np.where(is_granted, "granted", "refused")[order],
        "reason": np.where(is_granted, None, _REPAIR_REFUSAL)[order],
        "decided_by": np.array(_BUREAU_CODES)[records.bureau[repaired]][order],
    })

    early = ended_on >= 0
    end = statutory.copy()
    end[early] = np.minimum(end[early], cal.days[ended_on[early]] - np.timedelta64(1, "D"))
    return _Publicity(end=end, status=status, ended_on=ended_on, ended_by=ended_by, objections=objections,
                      repairs=repairs)


def _special_sectors(bureau: np.ndarray, record_type: np.ndarray, content_code: np.ndarray,
                     content: _Content) -> np.ndarray:
    """data.publicity.special_sectors, evaluated once per distinct (bureau, type, content)."""
    key = (bureau.astype(np.int64) * len(_TYPE_CODES) + record_type) * (len(content.texts) + 1) + content_code
    distinct, inverse = np.unique(key, return_inverse=True)
    combo_content = distinct % (len(content.texts) + 1)
    combo_type = (distinct // (len(content.texts) + 1)) % len(_TYPE_CODES)
    combo_bureau = distinct // (len(content.texts) + 1) // len(_TYPE_CODES)
    special = special_sectors(pd.Series(np.array(_BUREAU_CODES)[combo_bureau]),
                              pd.Series(np.array(_TYPE_CODES)[combo_type]),
                              pd.Series(np.array(content.texts, dtype=object)[combo_content]))
    return special.to_numpy()[inverse]


def _earliest_repair_dates(decided: np.ndarray, severity: np.ndarray, special: np.ndarray) -> np.ndarray:
    """data.publicity.earliest_repair_date for arrays (the minimum period depends on regime, severity, sector)."""
    new = decided >= np.datetime64(NEW_REGIME_START)
    months = np.zeros(len(decided), dtype=np.int64)
    for regime_day in (NEW_REGIME_START - dt.timedelta(days=1), NEW_REGIME_START):
        in_regime = new == (regime_day >= NEW_REGIME_START)
        for grade in _SEVERITIES:
            for sector in (False, True):
                mask = in_regime & (severity == grade) & (special == sector)
                months[mask] = minimum_months(regime_day, grade, sector)
    return add_months_vector(decided, months) + np.timedelta64(1, "D")


# Early removal from lists: (share, (min, max) days after listing, reason).
_REMOVALS: dict[str, tuple[float, tuple[int, int], str]] = {
    "SXBZX": (0.4, (30, 600), "已履行生效法律文书确定的义务"),
    "ZDSS": (0.1, (90, 700), "已缴清税款、滞纳金和罚款，提前停止公布"),
    "YZWF": (0.08, (365, 1000), "信用修复，移出严重违法失信名单"),
    "JYYC": (0.55, (20, 300), "已补报年度报告并公示，申请移出"),
}
_RED_REMOVAL = (0.02, (60, 500), "因失信行为撤销荣誉")
_LIST_REASONS: dict[str, str] = {
    "SXBZX": "有履行能力而拒不履行生效法律文书确定义务",
    "ZDSS": "重大税收违法失信案件",
    "HGGJ": "海关高级认证企业",
}


def _list_entries(rng: np.random.Generator, subjects: _Subjects, cal: _Calendar, records: _Events,
                  content: _Content, publicity: _Publicity) -> pd.DataFrame:
    """Red, black and warning list entries that follow from the records (and customs' AEO list, which has none).

    Some are removed early (obligation fulfilled, repair, the issuer's decision); entries of a record whose
    publicity ended early (repair, removal after objection) come off the list that day."""
    is_type = {code: records.type == _TYPE_INDEX[code] for code in _TYPE_CODES}
    serious = records.severity == SERIOUS
    text = np.array(content.texts, dtype=object)[records.content] if len(content.texts) else np.empty(0)
    annual_rating = is_type["NSPJ"] & (records.grade == _GRADES.index("A")) & np.isin(cal.month[records.day], [4, 6])
    selections: dict[str, np.ndarray] = {
        "SXBZX": is_type["SFZX"] & serious,
        "ZDSS": is_type["CF"] & serious & (records.bureau == _BUREAU_INDEX["SW"]),
        "YZWF": (is_type["CF"] & serious & (records.bureau == _BUREAU_INDEX["SCJG"])) | (is_type["JYYC"] & serious),
        "JYYC": is_type["JYYC"] & ~serious,
        "AJNSR": annual_rating,
        "CXQY": (is_type["WMCJ"] & (text == "诚信企业")) | (is_type["ZZRY"] & (text == _CONTRACT_HONOUR)),
        "MFGR": is_type["WMCJ"] & (text == "模范个人"),
        "TZBY": is_type["WMCJ"] & (text == "通州榜样"),
        "WMDW": is_type["WMCJ"] & (text == "文明单位"),
    }
    list_types = {lt.code: lt for lt in reference.LIST_TYPES}
    frames = []
    for code, mask in selections.items():
        chosen = np.flatnonzero(mask)
        reason = _LIST_REASONS.get(code)
        frames.append(pd.DataFrame({
            "list_type_code": code,
            "subject_id": records.subject[chosen] + 1,
            "record_id": chosen + 1,
            "reason": text[chosen] if reason is None else reason,
            "listed_on": records.day[chosen],
        }))
    # Customs' advanced certification: a few well-behaved trading and manufacturing enterprises, no record behind it.
    trading = np.flatnonzero((subjects.kind == ENTERPRISE)
                             & np.isin(subjects.industry, [INDUSTRY_CODES.index(c) for c in "CFG"])
                             & (subjects.z < -0.5) & (subjects.active_start < cal.n_history))
    certified = trading[rng.random(len(trading)) < 0.01]
    certified_day = _sample_days(rng, cal.cum["office"], subjects.active_start[certified],
                                 np.minimum(subjects.active_stop[certified], cal.n_history))
    frames.append(pd.DataFrame({"list_type_code": "HGGJ", "subject_id": certified + 1, "record_id": None,
                                "reason": _LIST_REASONS["HGGJ"], "listed_on": certified_day}))
    entries = pd.concat(frames, ignore_index=True)
    entries = entries.sort_values(["listed_on", "list_type_code", "subject_id"], kind="stable", ignore_index=True)
    listed = cal.days[entries["listed_on"].to_numpy()]
    lt = entries["list_type_code"]
    expires_day = list_entry_expiry_dates(lt, pd.Series(listed)).to_numpy().astype("datetime64[D]")
    n = len(entries)
    share = np.array([_REMOVALS.get(c, _RED_REMOVAL)[0] for c in lt])
    low = np.array([_REMOVALS.get(c, _RED_REMOVAL)[1][0] for c in lt])
    high = np.array([_REMOVALS.get(c, _RED_REMOVAL)[1][1] for c in lt])
    removed = listed + (low + rng.random(n) * (high - low)).astype("timedelta64[D]")
    removing = rng.random(n) < share
    reasons = np.array([_REMOVALS.get(c, _RED_REMOVAL)[2] for c in lt], dtype=object)
    record = pd.to_numeric(entries["record_id"]).fillna(0).to_numpy(dtype=np.int64) - 1
    ended_on = np.where(record >= 0, publicity.ended_on[np.maximum(record, 0)], -1)
    ended = (ended_on >= 0) & (~removing | (cal.days[np.maximum(ended_on, 0)] < removed))
    removed = np.where(ended, cal.days[np.maximum(ended_on, 0)], removed)
    reasons = np.where(ended, publicity.ended_by[np.maximum(record, 0)], reasons)
    removing = (removing | ended) & (removed <= np.datetime64(cal.end)) & (np.isnat(expires_day)
                                                                          | (removed <= expires_day))
    return pd.DataFrame({
        "id": np.arange(1, n + 1),
        "list_type_code": lt.to_numpy(),
        "color": lt.map({c: t.color for c, t in list_types.items()}).to_numpy(),
        "bureau_code": lt.map({c: t.issuer for c, t in list_types.items()}).to_numpy(),
        "subject_id": entries["subject_id"].to_numpy(),
        "record_id": pd.array(entries["record_id"].to_numpy(dtype=float), dtype="Int64"),
        "reason": entries["reason"].to_numpy(),
        "listed_on": listed,
        "expires_on": expires_day,
        "removed_on": np.where(removing, removed, np.datetime64("NaT")),
        "removal_reason": np.where(removing, reasons, None),
    })


def _campaign_units(rng: np.random.Generator) -> pd.DataFrame:
    """Communities and villages of each town: streets are all communities, towns mostly villages."""
    rows = []
    for t, town in enumerate(reference.TOWNS):
        street = town.kind == "街道"
        n_community = max(3, round(town.population / (3500 if street else 15000)))
        n_village = 0 if street else 20 + round(town.population / 4000)
        for unit_type, count, suffix in (("community", n_community, "社区"), ("village", n_village, "村")):
            names: set[str] = set()
            while len(names) < count:
                names.add("".join(rng.choice(list(_PLACE_CHARS), 2)) + suffix)
            rows.extend((t, unit_type, name) for name in sorted(names))
    return pd.DataFrame(rows, columns=["town", "unit_type", "unit_name"])


def _campaign_records(rng: np.random.Generator, subjects: _Subjects, cal: _Calendar, records: _Events,
                      content: _Content) -> pd.DataFrame:
    """Civilisation-campaign honours and activities by town: the WMCJ records of subjects, plus every community's
    and village's own honours (文明社区, 文明村镇, announced in December) and integrity activities. Each town has its
    own level of activity so that rankings mean something."""
    units = _campaign_units(rng)
    level = rng.lognormal(0.0, 0.45, len(reference.TOWNS)) * np.array(
        [1.25 if t.kind == "街道" else 1.0 for t in reference.TOWNS])
    unit_level = level[units["town"].to_numpy()]
    years = cal.n_history / 365.25
    n_unit = len(units)
    office = cal.cum["office"]

    activity_count = rng.poisson(2.5 * unit_level * years)
    unit_row = np.repeat(np.arange(n_unit), activity_count)
    activity_day = _sample_days(rng, office, np.zeros(len(unit_row), dtype=np.int64),
                                np.full(len(unit_row), cal.n_history))
    frames = [pd.DataFrame({
        "town": units["town"].to_numpy()[unit_row], "unit_type": units["unit_type"].to_numpy()[unit_row],
        "unit_name": units["unit_name"].to_numpy()[unit_row], "kind": "activity",
        "item": _pick(rng, reference.CAMPAIGN_ACTIVITIES, len(unit_row)), "day": activity_day, "subject": -1,
    })]
    december = np.flatnonzero((cal.month[: cal.n_history] == 12) & cal.is_work[: cal.n_history])
    for year in np.unique(cal.year[december]):
        days = december[cal.year[december] == year]
        honoured = rng.random(n_unit) < np.minimum(0.12 * unit_level, 0.8)
        frames.append(pd.DataFrame({
            "town": units["town"].to_numpy()[honoured], "unit_type": units["unit_type"].to_numpy()[honoured],
            "unit_name": units["unit_name"].to_numpy()[honoured], "kind": "honour",
            "item": np.where(units["unit_type"].to_numpy()[honoured] == "community", "文明社区", "文明村镇"),
            "day": days[rng.integers(0, len(days), int(honoured.sum()))], "subject": -1,
        }))

    # Subjects' own campaign records; persons are credited to a community or village of their town.
    mine = np.flatnonzero(records.type == _TYPE_INDEX["WMCJ"])
    item = np.array(content.texts, dtype=object)[records.content[mine]] if len(mine) else np.empty(0, dtype=object)
    subject = records.subject[mine]
    keep = item != "模范个人"  # a personal honour, not a campaign unit's
    mine, item, subject = mine[keep], item[keep], subject[keep]
    kind = subjects.kind[subject]
    town = subjects.town[subject]
    unit_type = np.select(
        [kind == PERSON, np.isin(kind, [INDIVIDUAL, ENTERPRISE, COOPERATIVE]),
         (kind == INSTITUTION) & (subjects.industry[subject] == INDUSTRY_CODES.index("P"))],
        ["community", "enterprise", "school"], "public_institution").astype(object)
    unit_name = subjects.name[subject].copy()
    if (kind == PERSON).any():
        units_by_town = units.groupby("town")["unit_name"].apply(list).to_dict()
        people = np.flatnonzero(kind == PERSON)
        unit_name[people] = [units_by_town[t][i % len(units_by_town[t])] for t, i in
                             zip(town[people], rng.integers(0, 1000, len(people)), strict=True)]
        unit_type[people] = np.where(np.char.endswith(unit_name[people].astype(str), "村"), "village", "community")
    frames.append(pd.DataFrame({
        "town": town, "unit_type": unit_type, "unit_name": unit_name,
        "kind": np.where(np.isin(item, reference.CAMPAIGN_HONOURS), "honour", "activity"), "item": item,
        "day": records.day[mine], "subject": subject,
    }))
    campaign = pd.concat(frames, ignore_index=True).sort_values(["day", "town", "unit_name"], kind="stable",
                                                                 ignore_index=True)
    return pd.DataFrame({
        "id": np.arange(1, len(campaign) + 1),
        "town_code": np.array([t.code for t in reference.TOWNS])[campaign["town"].to_numpy(dtype=np.int64)],
        "unit_type": campaign["unit_type"].to_numpy(),
        "unit_name": campaign["unit_name"].to_numpy(),
        "kind": campaign["kind"].to_numpy(),
        "item": campaign["item"].to_numpy(),
        "event_date": cal.days[campaign["day"].to_numpy(dtype=np.int64)],
        "subject_id": pd.array(np.where(campaign["subject"] >= 0, campaign["subject"] + 1, np.nan), dtype="Int64"),
    })


def _complaints(rng: np.random.Generator, subjects: _Subjects, cal: _Calendar) -> pd.DataFrame:
    """Public reports of bad conduct, mostly about legal persons with a high propensity, forwarded to a bureau."""
    years = cal.n_history / 365.25
    legal = subjects.kind != PERSON
    weight = np.exp(1.2 * subjects.z) * np.where(legal, 0.006, 0.0003)
    weight = weight * (subjects.active_start < cal.n_history)
    count = rng.poisson(weight.sum() * years)
    who = rng.choice(subjects.n, size=count, p=weight / weight.sum()) if count else np.empty(0, dtype=np.int64)
    start = subjects.active_start[who]
    stop = np.minimum(subjects.active_stop[who], cal.n_history)
    filed = _sample_days(rng, cal.cum["office"], start, np.maximum(stop, start + 1))
    topic = rng.integers(0, len(_COMPLAINTS), count)
    resolved = filed + rng.integers(5, 41, count)
    is_resolved = (rng.random(count) < 0.8) & (resolved < cal.n_history)
    anonymous = rng.random(count) < 0.1  # the public names a business the platform cannot match
    order = np.argsort(filed, kind="stable")
    frame = pd.DataFrame({
        "subject_id": pd.array(np.where(anonymous, np.nan, who + 1), dtype="Int64"),
        "subject_name": np.where(anonymous, "某" + np.array([s[-4:] for s in subjects.name[who]], dtype=object),
                                 subjects.name[who]),
        "content": np.array([c for _, c in _COMPLAINTS], dtype=object)[topic],
        "filed_on": cal.days[filed],
        "forwarded_to": np.array([b for b, _ in _COMPLAINTS], dtype=object)[topic],
        "resolved_on": np.where(is_resolved, cal.days[np.minimum(resolved, len(cal.days) - 1)], np.datetime64("NaT")),
        "outcome": np.where(is_resolved, np.where(rng.random(count) < 0.6, "查实并处理", "经核查不属实"), None),
    }).iloc[order].reset_index(drop=True)
    frame.insert(0, "id", np.arange(1, count + 1))
    return frame


# --------------------------------------------------------------------------------------------------------------
# Truth
# --------------------------------------------------------------------------------------------------------------


def observation_dates(end_date: dt.date, years: int) -> list[dt.date]:
    """Where the truth file states probabilities: 24 months before the end (when history allows), 12, and the end."""
    months = [24, 12, 0] if years >= 3 else [12, 0]
    return [add_months(end_date, -m) for m in months]


def _serious_exposure(subjects: _Subjects, cal: _Calendar, cases: list[_Cases], first: int, stop: int
                      ) -> np.ndarray:
    """-log P(no serious event on days [first, stop) | z, lifetime, cases open on `first`): Lambda of the truth file.

    Three independent parts: serious hazards; escalations of cases that arise inside the window (a thinned, delayed
    Poisson process is Poisson); and each case already open when the window starts."""
    total = np.zeros(subjects.n)
    for hazard in HAZARDS:
        cum = cal.cum[hazard.pattern]
        if hazard.serious:
            for who, rate, start, end in _segments(hazard, subjects, cal):
                lo = np.clip(start, first, stop)
                hi = np.clip(end, first, stop)
                np.add.at(total, who, rate * (cum[np.maximum(hi, lo)] - cum[lo]))
        if hazard.escalation:
            # A case on day u escalates inside the window with probability q * (1 - exp(-(last - u - 1) / mean))
            # where `last` is the window's end or the subject's deregistration; the window's weights are summed
            # with and without the exponential factor.
            weights = np.diff(cum)[first:stop]
            decay = np.exp((np.arange(first, stop) - first) / hazard.escalation_days)
            plain = np.concatenate([[0.0], np.cumsum(weights)])
            tilted = np.concatenate([[0.0], np.cumsum(weights * decay)])
            for who, rate, start, end in _segments(hazard, subjects, cal):
                last = np.clip(subjects.active_stop[who], first, stop)  # escalations need a registered subject
                lo = np.clip(start, first, stop) - first
                hi = np.maximum(np.minimum(np.clip(end, first, stop), last) - first, lo)
                expected = (plain[hi] - plain[lo]) - np.exp(-(last - 1 - first) / hazard.escalation_days) * (
                    tilted[hi] - tilted[lo])
                np.add.at(total, who, rate * hazard.escalation * expected)
    for c in cases:
        open_ = (c.day < first) & ((c.escalated < 0) | (c.escalated >= first))
        who, day = c.subject[open_], c.day[open_]
        q = c.hazard.escalation
        last = np.minimum(subjects.active_stop[who], stop)
        survive_start = np.exp(-(first - day - 1) / c.hazard.escalation_days)
        survive_end = np.exp(-np.maximum(last - day - 1, first - day - 1) / c.hazard.escalation_days)
        within = q * (survive_start - survive_end) / (1 - q + q * survive_start)
        np.add.at(total, who, -np.log1p(-within))
    return total


def _truth(subjects: _Subjects, cal: _Calendar, sim: _Simulation, years: int) -> tuple[pd.DataFrame, list[dict]]:
    frames, realised = [], []
    for observed in observation_dates(cal.end, years):
        t = cal.index(observed)
        first, stop = t + 1, cal.index(add_months(observed, 12)) + 1
        # registered by T and still registered after it: at least one day of the window
        alive = np.flatnonzero((subjects.active_start <= t) & (subjects.active_stop > first))
        probability = -np.expm1(-_serious_exposure(subjects, cal, sim.cases, first, stop)[alive])
        in_window = (sim.serious.day >= first) & (sim.serious.day < stop)
        had_event = np.isin(alive, np.unique(sim.serious.subject[in_window]))
        frames.append(pd.DataFrame({
            "subject_id": alive + 1,
            "code": subjects.code[alive],
            "kind": np.array(KINDS)[subjects.kind[alive]],
            "observation_date": observed.isoformat(),
            "true_probability": probability,
        }))
        realised.append({
            "observation_date": observed.isoformat(),
            "window": [cal.days[first].astype(str), cal.days[stop - 1].astype(str)],
            "subjects": len(alive),
            "events": int(had_event.sum()),
            "realised_rate": float(had_event.mean()) if len(alive) else 0.0,
            "mean_true_probability": float(probability.mean()) if len(alive) else 0.0,
            "stored": bool(stop <= cal.n_history),
        })
    return pd.concat(frames, ignore_index=True), realised


def _write_truth(path: Path, truth: pd.DataFrame, realised: list[dict], seed: int, cal: _Calendar,
                 persons: int, enterprises: int, years: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    truth.to_csv(path, index=False, float_format="%.8g")
    meta = {
        "seed": seed,
        "persons": persons,
        "enterprises": enterprises,
        "years": years,
        "start_date": cal.start.isoformat(),
        "end_date": cal.end.isoformat(),
        "observation_dates": [r["observation_date"] for r in realised],
        "event": "a black-list entry or a credit record with severity 'serious' decided in (T, T + 12 months]; "
                 "every black-list entry follows from a serious record of the same day",
        "true_probability": "1 - exp(-Lambda), Lambda = the subject's integrated serious-event hazard over the "
                            "window given its hidden propensity and lifetime (registration, deregistration, 18th "
                            "birthday)",
        "latent": {"distribution": "z ~ N(0, 1)", "legal_rep_correlation": {KINDS[k]: v for k, v in
                                                                            REP_CORRELATION.items()}},
        "hazards": [
            {"record_type": h.record_type, "serious": h.serious, "loading": h.loading, "pattern": h.pattern,
             "rates_per_year": dict(zip(KINDS, h.rates, strict=True)),
             "industries": dict(h.industries) if h.industries else None}
            for h in HAZARDS
        ],
        "youth": {"days": YOUTH_DAYS, "extra": YOUTH_EXTRA},
        "realised": realised,
    }
    path.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")


# --------------------------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------------------------

_RECORD_CHUNK = 1_000_000


def _date_text(days: np.ndarray) -> pd.Categorical:
    """Dates as categorical ISO text: COPY reads text anyway, and formatting the few thousand distinct dates once
    is far cheaper than formatting millions of values."""
    values = np.asarray(days, dtype="datetime64[D]")
    codes, uniques = pd.factorize(values.view(np.int64))
    codes[np.isnat(values)] = -1
    return pd.Categorical.from_codes(codes, np.datetime_as_string(uniques.view("datetime64[D]"), unit="D"))


def _subject_frame(subjects: _Subjects, cal: _Calendar) -> pd.DataFrame:
    end = np.datetime64(cal.end)
    deregistered = np.where(subjects.deregistered <= end, subjects.deregistered, np.datetime64("NaT"))
    return pd.DataFrame({
        "id": np.arange(1, subjects.n + 1),
        "kind": pd.Categorical.from_codes(subjects.kind, KINDS),
        "code": subjects.code,
        "name": subjects.name,
        "town_code": pd.Categorical.from_codes(subjects.town, [t.code for t in reference.TOWNS]),
        "industry": pd.Categorical.from_codes(subjects.industry, INDUSTRY_CODES),
        "registered_on": _date_text(subjects.born),
        "deregistered_on": _date_text(deregistered),
        "legal_rep_id": pd.array(np.where(subjects.rep >= 0, subjects.rep + 1, np.nan), dtype="Int64"),
    })


def _document_templates() -> tuple[np.ndarray, np.ndarray]:
    """Text before and after the year in document numbers, by bureau x record type."""
    before = np.empty((len(_BUREAU_CODES), len(_TYPE_CODES)), dtype=object)
    after = np.empty_like(before)
    for b, bureau in enumerate(_BUREAU_CODES):
        for t, record_type in enumerate(_TYPE_CODES):
            if bureau == "FY":  # court case numbers: （2025）京0112执1234号
                before[b, t], after[b, t] = "（", "）京0112执"
            else:
                before[b, t] = f"京通{_BUREAU_SHORT[bureau]}{_DOCUMENT_WORDS.get(record_type, '')}〔"
                after[b, t] = "〕"
    return before, after


def _record_frame(store: _Store, cal: _Calendar, content: _Content, lo: int, hi: int) -> pd.DataFrame:
    r = store.records
    part = slice(lo, hi)
    bureau, record_type, day = r.bureau[part], r.type[part], r.day[part]
    before, after = _document_templates()
    years = cal.year[day]
    document = [f"{a}{y}{b}{s}号" for a, y, b, s in zip(before[bureau, record_type].tolist(), years.tolist(),
                                                         after[bureau, record_type].tolist(),
                                                         store.sequence[part].tolist(), strict=True)]
    return pd.DataFrame({
        "id": np.arange(lo + 1, hi + 1),
        "subject_id": r.subject[part] + 1,
        "bureau_code": pd.Categorical.from_codes(bureau, _BUREAU_CODES),
        "record_type_code": pd.Categorical.from_codes(record_type, _TYPE_CODES),
        "document_no": document,
        "decision_date": _date_text(cal.days[day]),
        "publication_date": _date_text(cal.days[store.publication[part]]),
        "publish_delay_wd": store.delay[part],
        "amount": r.amount[part],
        "severity": pd.Categorical.from_codes(r.severity[part], _SEVERITIES),
        "grade": pd.Categorical.from_codes(r.grade[part], _GRADES),
        "publicity_end": _date_text(store.publicity_end[part]),
        "status": pd.Categorical.from_codes(store.status[part], _STATUS_CODES),
        "submission_id": store.submission[part],
        "content": pd.Categorical.from_codes(r.content[part], content.texts),
    })


def _insert(connection: Connection, table: str, frame: pd.DataFrame) -> int:
    """insert_frame, with the frame shaped for the dialect: COPY formats typed columns fastest, while SQLite binds
    Python values row by row, so whole columns are converted at once there (numpy turns datetime64[D] into
    datetime.date in C), several times faster than converting value by value."""
    if connection.dialect.name != "postgresql":
        frame = pd.DataFrame({name: _python_values(column) for name, column in frame.items()})
    return insert_frame(connection, table, frame)


def _python_values(column: pd.Series) -> np.ndarray:
    """The column as an object array of date, datetime, int, float, str or missing values."""
    if not pd.api.types.is_datetime64_any_dtype(column.dtype):
        return column.to_numpy(dtype=object)
    values = column.to_numpy()
    days = values.astype("datetime64[D]")
    if np.all(np.isnat(values) | (values == days)):
        return days.astype(object)
    return values.astype("datetime64[us]").astype(object)


class _BulkLoadConstraints:
    """On PostgreSQL, drop a table's secondary indexes and its foreign-key and unique constraints for a bulk COPY
    and recreate them afterwards in the same transaction: checking 20 million rows one by one is several times
    slower than building the indexes and validating the keys once."""

    def __init__(self, connection: Connection, table: str) -> None:
        self.connection, self.table = connection, table
        self.constraints: list[tuple[str, str]] = []
        self.indexes: list[tuple[str, str]] = []

    def __enter__(self) -> _BulkLoadConstraints:
        if self.connection.dialect.name != "postgresql":
            return self
        c, table = self.connection, self.table
        self.constraints = [tuple(row) for row in c.execute(text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = CAST(:t AS regclass) AND contype IN ('f', 'u') ORDER BY contype DESC, conname"),
            {"t": table})]
        self.indexes = [tuple(row) for row in c.execute(text(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = CAST(:t AS regclass) AND NOT x.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) ORDER BY i.relname"),
            {"t": table})]
        for name, _ in self.constraints:
            c.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
        for name, _ in self.indexes:
            c.execute(text(f'DROP INDEX "{name}"'))
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is not None or self.connection.dialect.name != "postgresql":
            return
        c = self.connection
        c.execute(text("SET LOCAL maintenance_work_mem = '1GB'"))
        for _, definition in self.indexes:
            c.execute(text(definition))
        for name, definition in reversed(self.constraints):  # unique constraints first, then foreign keys
            c.execute(text(f'ALTER TABLE {self.table} ADD CONSTRAINT "{name}" {definition}'))
        c.execute(text(f"ANALYZE {self.table}"))


def _load(connection: Connection, subjects: _Subjects, cal: _Calendar, store: _Store, content: _Content,
          progress: Progress | None) -> dict[str, int]:
    def report(stage: str, done: int, total: int) -> None:
        if progress:
            progress(stage, done, total)

    counts: dict[str, int] = {}
    with _BulkLoadConstraints(connection, "subjects"):
        counts["subjects"] = _insert(connection, "subjects", _subject_frame(subjects, cal))
    report("load subjects", subjects.n, subjects.n)
    counts["submissions"] = _insert(connection, "submissions", store.submissions)
    total = len(store.records)
    chunks = [(lo, min(lo + _RECORD_CHUNK, total)) for lo in range(0, total, _RECORD_CHUNK)]
    with _BulkLoadConstraints(connection, "credit_records"):
        if connection.dialect.name == "postgresql":
            # A worker thread formats and COPYs a chunk while this one builds the next: the server ingests while
            # Python works (psycopg2 releases the GIL while it waits on the server). The connection is only used
            # by the worker until the last chunk is in.
            with ThreadPoolExecutor(max_workers=1) as worker:
                pending = None
                for lo, hi in chunks:
                    frame = _record_frame(store, cal, content, lo, hi)
                    if pending is not None:
                        pending.result()
                        report("load credit_records", lo, total)
                    pending = worker.submit(_insert, connection, "credit_records", frame)
                if pending is not None:
                    pending.result()
        else:
            for lo, hi in chunks:
                _insert(connection, "credit_records", _record_frame(store, cal, content, lo, hi))
                report("load credit_records", hi, total)
        report("load credit_records", total, total)
    counts["credit_records"] = total
    for table, frame in (("list_entries", store.list_entries), ("campaign_records", store.campaign),
                         ("objections", store.objections), ("credit_repairs", store.repairs),
                         ("complaints", store.complaints)):
        counts[table] = _insert(connection, table, frame)
    for table in counts:
        reset_sequence(connection, table)
    report("summaries", 0, 1)
    if connection.dialect.name == "postgresql":
        # The planner cannot estimate how many (month, bureau, type, town, kind, severity) groups the full refresh
        # makes, guesses one per record and sorts them all: three times slower at 20 million records than hashing
        # the some 10^5 groups there are. Local to this transaction, which ends right after.
        connection.execute(text("SET LOCAL enable_sort = off"))
    refresh_all(connection)
    report("summaries", 1, 1)
    return counts


# --------------------------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------------------------


def generate(
    engine: Engine,
    *,
    persons: int,
    enterprises: int,
    years: int,
    seed: int,
    end_date: dt.date | None = None,
    truth_path: Path | None = None,
    progress: Progress | None = None,
) -> dict:
    """Fill a migrated, empty store with a synthetic district and return a summary of what was made.

    `enterprises` counts legal persons of every kind, `persons` natural persons; history covers `years` years up to
    `end_date` (default 2026-10-31, fixed so that runs are reproducible). The same seed gives the same store and
    truth file. With `truth_path`, writes the truth CSV there and its description next to it (.json).
    """
    started = time.perf_counter()
    if persons < 1 or enterprises < 0 or years < 1 or seed < 0:
        raise ValueError("persons must be >= 1, enterprises >= 0, years >= 1 and seed >= 0")
    end = end_date or DEFAULT_END_DATE
    with engine.connect() as connection:
        if not inspect(connection).has_table("subjects"):
            raise ValueError("the store is not migrated: run data.db.migrate(engine) first")
        if connection.execute(select(models.Subject.id).limit(1)).first() is not None:
            raise ValueError("the store already has subjects: generate() only fills an empty store")
    start = add_months(end, -12 * years) + dt.timedelta(days=1)
    cal = _Calendar(start, end, add_months(end, 12))
    subjects = _make_subjects(seed, persons, enterprises, cal)
    if progress:
        progress("subjects", subjects.n, subjects.n)
    sim = _simulate(seed, subjects, cal, progress)
    store = _assemble(seed, subjects, cal, sim)
    if progress:
        progress("assemble", len(store.records), len(store.records))
    with engine.begin() as connection:
        counts = _load(connection, subjects, cal, store, sim.content, progress)
    if progress:
        progress("vacuum", 0, 1)
    vacuum_analyze(engine, *counts)
    if progress:
        progress("vacuum", 1, 1)
    dates = observation_dates(end, years)
    if truth_path is not None:
        truth, realised = _truth(subjects, cal, sim, years)
        _write_truth(Path(truth_path), truth, realised, seed, cal, persons, enterprises, years)
        if progress:
            progress("truth", len(truth), len(truth))
    return {
        "counts": counts,
        "start_date": start,
        "end_date": end,
        "observation_dates": dates,
        "seed": seed,
        "seconds": round(time.perf_counter() - started, 3),
    }
