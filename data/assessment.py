"""The bureau reporting assessment (委办局报送考核): measures, the weighted score, rank, threshold and periods.

Each measure is a rate in [0, 1] where 1 is best; a bureau's score is the weighted mean of the measures that apply
to it, times 100. A measure does not apply when the bureau had nothing to measure in the period (no double
publicity records, no periodic catalog, no objections): its weight is then shared among the others, so bureaus
are not rewarded or punished for what they do not do. Weights, the pass threshold and the objection deadline are
the district's to decide; they live in the settings table (keys below) with the defaults here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from data import audit
from data.models import Setting

# measure key -> (Chinese name, how it is computed) in display order
MEASURES: dict[str, tuple[str, str]] = {
    "on_time": ("双公示按时率", "决定之日起 7 个工作日内公示的行政许可、行政处罚记录占比"),
    "timeliness": ("定期报送及时率", "定期目录（月报、季报）在截止日前报送的批次占比"),
    "completeness": ("必填项完整率", "报送文件中必填项已填写的占比"),
    "accuracy": ("数据准确率", "1 − 错误率（被拒绝行 ÷ 报送行）"),
    "uniqueness": ("数据唯一率", "1 − 重复率（重复行 ÷ 报送行）"),
    "objections": ("异议按期办结率", "在规定工作日内办结的异议占比"),
    "coverage": ("目录覆盖率", "期间内有报送的目录事项 ÷ 本单位负责的目录事项"),
}
DEFAULT_WEIGHTS: dict[str, float] = {"on_time": 30, "timeliness": 15, "completeness": 15, "accuracy": 15,
                                     "uniqueness": 5, "objections": 10, "coverage": 10}
DEFAULT_THRESHOLD = 80.0
# Working days a source bureau has to verify an objection (unconfirmed locally: configurable).
DEFAULT_OBJECTION_DAYS = 10
KEY_WEIGHTS, KEY_THRESHOLD, KEY_OBJECTION_DAYS = "assessment.weights", "assessment.threshold", \
    "assessment.objection_days"


@dataclass(frozen=True)
class Settings:
    weights: dict[str, float]
    threshold: float
    objection_days: int

    def shares(self) -> dict[str, float]:
        """Weights as shares of their total (what the page shows beside the scores)."""
        total = sum(self.weights.values())
        return {k: (w / total if total else 0.0) for k, w in self.weights.items()}


class SettingsError(ValueError):
    """Invalid assessment settings (message in Chinese)."""


def _checked(weights: dict, threshold: float, objection_days: int) -> Settings:
    unknown = set(weights) - set(MEASURES)
    if unknown:
        raise SettingsError(f"未知的考核指标：{', '.join(sorted(unknown))}")
    clean = {k: float(weights.get(k, 0)) for k in MEASURES}
    if any(w < 0 or not np.isfinite(w) for w in clean.values()) or sum(clean.values()) <= 0:
        raise SettingsError("权重须为非负数，且合计大于 0")
    if not 0 <= float(threshold) <= 100:
        raise SettingsError("达标线须在 0 到 100 分之间")
    if not 1 <= int(objection_days) <= 60:
        raise SettingsError("异议办结时限须在 1 到 60 个工作日之间")
    return Settings(clean, float(threshold), int(objection_days))


def load_settings(session: Session) -> Settings:
    """The district's settings; defaults for whatever is not stored (or stored unreadably)."""
    stored = dict(session.execute(select(Setting.key, Setting.value).where(
        Setting.key.in_([KEY_WEIGHTS, KEY_THRESHOLD, KEY_OBJECTION_DAYS]))).all())
    try:
        weights = json.loads(stored[KEY_WEIGHTS]) if KEY_WEIGHTS in stored else DEFAULT_WEIGHTS
        threshold = json.loads(stored.get(KEY_THRESHOLD, json.dumps(DEFAULT_THRESHOLD)))
        days = json.loads(stored.get(KEY_OBJECTION_DAYS, json.dumps(DEFAULT_OBJECTION_DAYS)))
        return _checked(weights, threshold, days)
    except (ValueError, TypeError, SettingsError):
        return Settings(dict(DEFAULT_WEIGHTS), DEFAULT_THRESHOLD, DEFAULT_OBJECTION_DAYS)


def save_settings(session: Session, weights: dict[str, float], threshold: float, objection_days: int, *,
                  username: str | None = None) -> Settings:
    """Validate and store the settings in the caller's transaction, audited (callers invalidate the cache)."""
    settings = _checked(weights, threshold, objection_days)
    now = dt.datetime.now()
    for key, value in ((KEY_WEIGHTS, settings.weights), (KEY_THRESHOLD, settings.threshold),
                       (KEY_OBJECTION_DAYS, settings.objection_days)):
        session.merge(Setting(key=key, value=json.dumps(value, ensure_ascii=False), updated_at=now))
    audit.record(session, "settings", username=username, target="assessment",
                 detail={"weights": settings.weights, "threshold": settings.threshold,
                         "objection_days": settings.objection_days})
    return settings


def scores(measures: pd.DataFrame, weights: dict[str, float]) -> pd.Series:
    """Weighted mean (0-100) of the measure columns present per row; NaN measures give their weight to the rest."""
    keys = [k for k in MEASURES if k in measures and weights.get(k, 0) > 0]
    if not keys:
        return pd.Series(np.nan, index=measures.index)
    values = measures[keys].to_numpy(dtype=float)
    w = np.array([weights[k] for k in keys], dtype=float)
    present = ~np.isnan(values)
    weight_sum = (present * w).sum(axis=1)
    total = (np.nan_to_num(values) * w).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        result = np.where(weight_sum > 0, 100 * total / weight_sum, np.nan)
    return pd.Series(result, index=measures.index)


def rank(score: pd.Series) -> pd.Series:
    """1 for the best score; equal scores share a rank; bureaus without a score are not ranked."""
    return score.round(2).rank(ascending=False, method="min").astype("Int64")


# --- periods: "2025-03" (month), "2025Q1" (quarter), "2025" (year) --------------------------------------------

_MONTH, _QUARTER, _YEAR = re.compile(r"\d{4}-(0[1-9]|1[0-2])"), re.compile(r"\d{4}Q[1-4]"), re.compile(r"\d{4}")


def granularity(period: str) -> str:
    if _MONTH.fullmatch(period):
        return "month"
    if _QUARTER.fullmatch(period):
        return "quarter"
    if _YEAR.fullmatch(period):
        return "year"
    raise ValueError(f"考核期间格式错误：{period}")


def months_of(period: str) -> list[str]:
    kind = granularity(period)
    year = int(period[:4])
    if kind == "month":
        return [period]
    first, last = ((int(period[-1]) - 1) * 3 + 1, int(period[-1]) * 3) if kind == "quarter" else (1, 12)
    return [f"{year}-{m:02d}" for m in range(first, last + 1)]


def submission_periods(period: str) -> list[str]:
    """Submission period labels that fall in an assessment period (a quarter's report counts in its last month)."""
    months = months_of(period)
    quarters = sorted({f"{m[:4]}Q{(int(m[5:]) - 1) // 3 + 1}" for m in months if int(m[5:]) % 3 == 0})
    return months + quarters


def bounds(period: str) -> tuple[dt.date, dt.date]:
    """First day and the day after the last day of the period."""
    months = months_of(period)
    first = dt.date.fromisoformat(months[0] + "-01")
    year, month = int(months[-1][:4]), int(months[-1][5:])
    after = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, after


def label(period: str) -> str:
    """2025 年 3 月 / 2025 年第 1 季度 / 2025 年度."""
    kind = granularity(period)
    if kind == "month":
        return f"{period[:4]} 年 {int(period[5:])} 月"
    if kind == "quarter":
        return f"{period[:4]} 年第 {period[-1]} 季度"
    return f"{period} 年度"


def periods_from_months(months: list[str], kind: str) -> list[str]:
    """The periods of a granularity that contain any of `months`, newest first."""
    if kind == "month":
        found = set(months)
    elif kind == "quarter":
        found = {f"{m[:4]}Q{(int(m[5:]) - 1) // 3 + 1}" for m in months}
    else:
        found = {m[:4] for m in months}
    return sorted(found, reverse=True)
