"""What the standards fix for bureau files: enumerations, and the district's rule for deriving a penalty's severity.

Severity (轻微 / 一般 / 严重, NDRC order No. 36) is taken from the file when the bureau gives it. Otherwise it is
derived, as documented here and shown to bureaus in the error report:

- 严重 when a category restricts the subject's activity or liberty (吊销许可证件, 降低资质等级, 责令停产停业,
  责令关闭, 限制开展生产经营活动, 限制从业, 行政拘留), or when fine plus confiscation reach SERIOUS_AMOUNT_WAN;
- 轻微 when the only categories are 警告 / 通报批评 and no money is involved;
- 一般 otherwise.

Records of the other negative catalogs without a severity in the file take DEFAULT_SEVERITY of their catalog.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

# 行政处罚法 (2021) art. 9 categories, in the law's order.
PENALTY_CATEGORIES: tuple[str, ...] = (
    "警告", "通报批评", "罚款", "没收违法所得", "没收非法财物", "暂扣许可证件", "降低资质等级", "吊销许可证件",
    "限制开展生产经营活动", "责令停产停业", "责令关闭", "限制从业", "行政拘留", "其他",
)
# Names bureaus (and the 2015 templates) use for the same categories.
_PENALTY_SYNONYMS: dict[str, str] = {
    "暂扣或者吊销许可证": "暂扣许可证件",
    "暂扣或者吊销执照": "暂扣许可证件",
    "暂扣许可证": "暂扣许可证件",
    "暂扣执照": "暂扣许可证件",
    "吊销许可证": "吊销许可证件",
    "吊销执照": "吊销许可证件",
    "吊销营业执照": "吊销许可证件",
    "责令停产停业整顿": "责令停产停业",
    "拘留": "行政拘留",
}
SERIOUS_CATEGORIES = frozenset({"吊销许可证件", "降低资质等级", "责令停产停业", "责令关闭", "限制开展生产经营活动",
                                "限制从业", "行政拘留"})
MINOR_CATEGORIES = frozenset({"警告", "通报批评"})
# 10 万元: the amount from which fines count as 较大数额 in most Beijing enforcement rules (configurable here).
SERIOUS_AMOUNT_WAN = 10.0

DEFAULT_SEVERITY: dict[str, str] = {
    "SFZX": "serious", "JYYC": "ordinary", "ZLCC": "ordinary", "JTWF": "minor", "XZJL": "serious",
    "SBQF": "ordinary", "GJJQJ": "ordinary", "SFQF": "minor", "CNWY": "ordinary", "AQSG": "serious",
}

SEVERITY_VALUES: dict[str, str] = {
    "轻微": "minor", "一般": "ordinary", "严重": "serious", "较轻": "minor", "较重": "serious",
    "MINOR": "minor", "ORDINARY": "ordinary", "SERIOUS": "serious",
}
SUBJECT_CATEGORIES: dict[str, str] = {
    "法人及非法人组织": "legal", "法人及其他组织": "legal", "法人和非法人组织": "legal", "法人": "legal",
    "非法人组织": "legal", "法人或其他组织": "legal", "自然人": "person", "个人": "person",
    "个体工商户": "individual",
}
CATEGORY_NAMES = {"legal": "法人及非法人组织", "person": "自然人", "individual": "个体工商户"}
ID_TYPES = frozenset({"身份证", "居民身份证", "中华人民共和国居民身份证", "护照", "护照号", "港澳居民来往内地通行证",
                      "台湾居民来往大陆通行证", "外国人永久居留身份证", "港澳台居民居住证", "其他"})
RESIDENT_ID_TYPES = frozenset({"", "身份证", "居民身份证", "中华人民共和国居民身份证"})
LICENCE_CATEGORIES = ("普通", "特许", "认可", "核准", "登记", "其他")
TAX_GRADES = ("A", "B", "M", "C", "D")

_SPLIT = re.compile(r"[、,，;；/|\s]+")


def penalty_parts(text: str) -> tuple[tuple[str, ...], list[str]]:
    """Canonical categories named in one cell, and the parts that are not categories of the law."""
    parts, unknown = [], []
    for raw in _SPLIT.split(text.strip()):
        if not raw:
            continue
        part = _PENALTY_SYNONYMS.get(raw, raw)
        if part in PENALTY_CATEGORIES:
            parts.append(part)
        elif part.startswith("其他"):
            parts.append("其他")
        else:
            unknown.append(raw)
    return tuple(dict.fromkeys(parts)), unknown


def licence_category_ok(text: str) -> bool:
    """普通 / 特许 / 认可 / 核准 / 登记 / 其他, also written with 许可 (普通许可) or 其他 with a note (其他-备案)."""
    value = text.strip()
    return value.removesuffix("许可") in LICENCE_CATEGORIES or value.startswith("其他")


def derive_penalty_severity(categories: pd.Series, amount: pd.Series) -> np.ndarray:
    """Vectorised severity by the rule in the module docstring; `categories` holds tuples of canonical names."""
    codes, uniques = pd.factorize(categories)
    serious_u = np.array([bool(set(u) & SERIOUS_CATEGORIES) for u in uniques], dtype=bool)
    minor_u = np.array([bool(u) and set(u) <= MINOR_CATEGORIES for u in uniques], dtype=bool)
    money = amount.fillna(0.0).to_numpy(dtype=float)
    serious = serious_u[codes] | (money >= SERIOUS_AMOUNT_WAN)
    minor = minor_u[codes] & (money <= 0)
    return np.where(serious, "serious", np.where(minor, "minor", "ordinary")).astype(object)
