"""Publicity periods of adverse records and list entries, and the one rule for "public on day D".

Regimes (DOMAIN.md §6), chosen by the decision date:
- decisions until 2026-03-31, NDRC order No. 58 (2023): a penalty is public for at least 3 months and at most
  3 years; at least 1 year for special equipment, work safety and fire safety;
- decisions from 2026-04-01, NDRC order No. 36 (信用修复管理办法): 轻微 not published or at most 3 months,
  一般 3 months to 1 year, 严重 1 to 3 years.
Within those bounds the district's chosen period for each grade is PUBLICITY_MONTHS (checked against the bounds).

Periods are counted as the Civil Code counts them (民法典 arts. 201-203): the decision day itself is not counted,
the period ends on the corresponding day of the last month, or on that month's last day when it has no such day.
So a 3-month penalty decided on 2025-01-15 is public up to and including 2025-04-15 and not on 2025-04-16.

"Public on day D" is decided by dates alone: a record is public from its publication (or, failing that, its
decision) date up to and including its publicity end; a list entry from its listing date up to and including its
expiry, unless it was removed on or before D. Every early end of publication (repair, removal after objection)
is written as an earlier publicity end / removal date by data.lists, so statistics for past days stay true and
nothing needs a nightly status update. Queries use `record_public_on` / `entry_public_on` (SQLAlchemy) or their
text forms; frames (model features, the generator) use `records_public_mask` / `entries_public_mask`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, and_, func, or_

from data.models import CreditRecord, ListEntry
from data.reference import LIST_TYPES

NEW_REGIME_START = dt.date(2026, 4, 1)
OLD_REGIME = "order58_2023"
NEW_REGIME = "order36_2026"
REGIME_NAMES: dict[str, str] = {
    OLD_REGIME: "国家发展改革委令2023年第58号（2026年3月31日前作出的决定）",
    NEW_REGIME: "国家发展改革委令第36号《信用修复管理办法》（2026年4月1日起作出的决定）",
}
SEVERITIES = ("minor", "ordinary", "serious")

# (minimum, maximum) months of publicity allowed by each regime; a minimum of 0 means "may be left unpublished".
PUBLICITY_BOUNDS: dict[str, dict[str, tuple[int, int]]] = {
    OLD_REGIME: {"minor": (3, 36), "ordinary": (3, 36), "serious": (3, 36)},
    NEW_REGIME: {"minor": (0, 3), "ordinary": (3, 12), "serious": (12, 36)},
}
# Special equipment, work safety and fire safety penalties: at least 1 year under the old regime.
SPECIAL_SECTOR_MINIMUM_MONTHS: dict[str, int] = {OLD_REGIME: 12}

# The district's period for each regime and grade (months; 0 = not published). Must lie within the bounds.
PUBLICITY_MONTHS: dict[str, dict[str, int]] = {
    OLD_REGIME: {"minor": 3, "ordinary": 12, "serious": 36},
    NEW_REGIME: {"minor": 0, "ordinary": 12, "serious": 36},
}

# How a record is recognised as special equipment / work safety / fire safety: the emergency management bureau's
# decisions, production-safety accident records, or a decision text naming the sector.
SPECIAL_SECTOR_BUREAUS = frozenset({"YJ"})
SPECIAL_SECTOR_RECORD_TYPES = frozenset({"AQSG"})
SPECIAL_SECTOR_KEYWORDS = ("特种设备", "安全生产", "消防")

LIST_PERIOD_YEARS: dict[str, int | None] = {t.code: t.period_years for t in LIST_TYPES}


class PublicityConfigError(ValueError):
    """The district's configured periods break the bounds of a regime."""


def check_configuration(months: dict[str, dict[str, int]] | None = None) -> None:
    """Raise if a configured period lies outside its regime's bounds (also run at import)."""
    months = months or PUBLICITY_MONTHS
    for regime, bounds in PUBLICITY_BOUNDS.items():
        for severity, (low, high) in bounds.items():
            value = months[regime][severity]
            if not low <= value <= high:
                raise PublicityConfigError(
                    f"公示期配置错误：{REGIME_NAMES[regime]} 下“{severity}”的公示期 {value} 个月"
                    f"不在 {low}–{high} 个月的范围内"
                )


check_configuration()


def regime_for(decision_date: dt.date) -> str:
    return NEW_REGIME if decision_date >= NEW_REGIME_START else OLD_REGIME


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding day `months` later, or the last day of that month when it has none (民法典 art. 202)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def is_special_sector(bureau_code: str | None, record_type_code: str | None, content: str | None = None) -> bool:
    """Whether a decision concerns special equipment, work safety or fire safety."""
    if bureau_code in SPECIAL_SECTOR_BUREAUS or record_type_code in SPECIAL_SECTOR_RECORD_TYPES:
        return True
    return bool(content) and any(keyword in content for keyword in SPECIAL_SECTOR_KEYWORDS)


def special_sectors(bureau_codes: pd.Series, record_type_codes: pd.Series,
                    contents: pd.Series | None = None) -> pd.Series:
    """Vectorised is_special_sector."""
    special = bureau_codes.isin(SPECIAL_SECTOR_BUREAUS) | record_type_codes.isin(SPECIAL_SECTOR_RECORD_TYPES)
    if contents is not None:
        pattern = "|".join(SPECIAL_SECTOR_KEYWORDS)
        special |= contents.fillna("").astype(str).str.contains(pattern, regex=True)
    return special.astype(bool)


def publicity_months(decision_date: dt.date, severity: str, special_sector: bool = False) -> int:
    """Months of publicity for a decision: the district's period, raised to a special sector's minimum."""
    regime = regime_for(decision_date)
    months = PUBLICITY_MONTHS[regime][severity]
    if special_sector:
        months = max(months, SPECIAL_SECTOR_MINIMUM_MONTHS.get(regime, 0))
    return months


def minimum_months(decision_date: dt.date, severity: str, special_sector: bool = False) -> int:
    """The shortest publicity the regime allows: repair can end publication only after it."""
    regime = regime_for(decision_date)
    months = PUBLICITY_BOUNDS[regime][severity][0]
    if special_sector:
        months = max(months, SPECIAL_SECTOR_MINIMUM_MONTHS.get(regime, 0))
    return months


def publicity_end(decision_date: dt.date, severity: str | None, *, special_sector: bool = False) -> dt.date | None:
    """Last day a record is public; None for records without a severity (no publicity limit).

    A period of 0 months means "not published": the end falls on the day before the decision.
    """
    if severity is None:
        return None
    months = publicity_months(decision_date, severity, special_sector)
    if months == 0:
        return decision_date - dt.timedelta(days=1)
    return add_months(decision_date, months)


def earliest_repair_date(decision_date: dt.date, severity: str, *, special_sector: bool = False) -> dt.date:
    """First day on which repair may end publication: the day after the minimum period."""
    return add_months(decision_date, minimum_months(decision_date, severity, special_sector)) + dt.timedelta(days=1)


def add_months_vector(days: np.ndarray, months: np.ndarray) -> np.ndarray:
    """add_months for arrays (datetime64[D] days, integer months per day), in numpy alone: fast on millions."""
    month_start = days.astype("datetime64[M]")
    day_of_month = (days - month_start.astype("datetime64[D]")).astype(np.int64)
    target = month_start + months.astype("timedelta64[M]")
    month_length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    return target.astype("datetime64[D]") + np.minimum(day_of_month, month_length - 1).astype("timedelta64[D]")


_SEVERITY_CODES = {severity: i for i, severity in enumerate(SEVERITIES)}
# months[regime index (0 old, 1 new), severity code]
_MONTHS_TABLE = np.array([[PUBLICITY_MONTHS[regime][s] for s in SEVERITIES] for regime in (OLD_REGIME, NEW_REGIME)])
_SPECIAL_FLOOR = np.array([SPECIAL_SECTOR_MINIMUM_MONTHS.get(regime, 0) for regime in (OLD_REGIME, NEW_REGIME)])


def publicity_end_dates(decision_dates: pd.Series, severities: pd.Series,
                        special_sector: pd.Series | None = None) -> pd.Series:
    """Vectorised publicity_end for a column of decision dates (datetime64) and severities (None allowed)."""
    decided = pd.to_datetime(decision_dates).to_numpy(dtype="datetime64[D]")
    code = pd.Series(severities).map(_SEVERITY_CODES).fillna(-1).to_numpy(dtype=np.int64)
    new = (decided >= np.datetime64(NEW_REGIME_START)).astype(np.int64)
    months = np.where(code >= 0, _MONTHS_TABLE[new, np.maximum(code, 0)], -1)
    if special_sector is not None:
        special = pd.Series(special_sector).fillna(False).to_numpy(dtype=bool)
        months = np.where(special & (months >= 0), np.maximum(months, _SPECIAL_FLOOR[new]), months)
    end = add_months_vector(decided, np.maximum(months, 0))
    # 0 months = not published: the day before the decision; no severity = no end.
    end = np.where(months == 0, decided - np.timedelta64(1, "D"), end)
    end = np.where(months < 0, np.datetime64("NaT"), end)
    return pd.Series(end.astype("datetime64[ns]"), index=decision_dates.index)


def list_entry_expiry(list_type_code: str, listed_on: dt.date, extra_years: int = 0) -> dt.date | None:
    """Last day on the list: listing date plus the list's period (plus an extension, e.g. +1-3 years for
    aggravating conduct of a dishonest judgment debtor); None for lists kept until removal."""
    years = LIST_PERIOD_YEARS.get(list_type_code)
    if years is None:
        return None
    return add_months(listed_on, 12 * (years + extra_years))


def list_entry_expiry_dates(list_type_codes: pd.Series, listed_on: pd.Series) -> pd.Series:
    """Vectorised list_entry_expiry without extensions."""
    listed = pd.to_datetime(listed_on).to_numpy(dtype="datetime64[D]")
    years = pd.Series(list_type_codes).map(LIST_PERIOD_YEARS).to_numpy(dtype=float)
    kept = ~np.isnan(years)
    end = add_months_vector(listed, np.where(kept, years * 12, 0).astype(np.int64))
    return pd.Series(np.where(kept, end, np.datetime64("NaT")).astype("datetime64[ns]"), index=listed_on.index)


# ---- "public on day D": the one rule, in the three forms the code base needs ------------------------------------


def record_public_on(day: dt.date | ColumnElement, table: Any = CreditRecord) -> ColumnElement:
    """SQLAlchemy condition: the record (model or aliased table) is public on `day`.

    decision_date <= day is implied by the publication test but kept so the decision-date index is used.
    """
    return and_(
        table.decision_date <= day,
        func.coalesce(table.publication_date, table.decision_date) <= day,
        or_(table.publicity_end.is_(None), table.publicity_end >= day),
    )


def entry_public_on(day: dt.date | ColumnElement, table: Any = ListEntry) -> ColumnElement:
    """SQLAlchemy condition: the list entry is on its list (and public) on `day`."""
    return and_(
        table.listed_on <= day,
        or_(table.expires_on.is_(None), table.expires_on >= day),
        or_(table.removed_on.is_(None), table.removed_on > day),
    )


def record_public_sql(alias: str = "r", day: str = ":day") -> str:
    """record_public_on for hand-written SQL: `alias` is the credit_records alias, `day` a bound parameter."""
    return (f"({alias}.decision_date <= {day} AND COALESCE({alias}.publication_date, {alias}.decision_date) <= {day}"
            f" AND ({alias}.publicity_end IS NULL OR {alias}.publicity_end >= {day}))")


def entry_public_sql(alias: str = "l", day: str = ":day") -> str:
    """entry_public_on for hand-written SQL: `alias` is the list_entries alias, `day` a bound parameter."""
    return (f"({alias}.listed_on <= {day} AND ({alias}.expires_on IS NULL OR {alias}.expires_on >= {day})"
            f" AND ({alias}.removed_on IS NULL OR {alias}.removed_on > {day}))")


def _days(values: Iterable | np.ndarray | pd.Series) -> np.ndarray:
    if isinstance(values, pd.Series):
        # pd.to_datetime on a column that already holds datetimes still walks it to decide on caching (10 ms per
        # 145,000 list entries, paid 72 times by a 24-month trend).
        dates = values if pd.api.types.is_datetime64_any_dtype(values) else pd.to_datetime(values)
        return dates.to_numpy(dtype="datetime64[D]")
    return np.asarray(values, dtype="datetime64[D]")


def is_public(decision: np.ndarray, end: np.ndarray, as_of: dt.date,
              published: np.ndarray | None = None) -> np.ndarray:
    """Whether records were public on `as_of`: decided (and published, when a publication date is given) by then
    and not yet past their publicity end. Missing ends mean no limit; missing publication dates mean the decision
    date."""
    day = np.datetime64(as_of, "D")
    decided = _days(decision)
    start = decided
    if published is not None:
        published_days = _days(published)
        start = np.where(np.isnat(published_days), decided, published_days)
    end_days = _days(end)
    return (decided <= day) & (start <= day) & (np.isnat(end_days) | (end_days >= day))


def records_public_mask(frame: pd.DataFrame, as_of: dt.date) -> np.ndarray:
    """is_public for a frame with decision_date, publicity_end and (optionally) publication_date columns."""
    published = frame.get("publication_date")
    return is_public(frame["decision_date"], frame["publicity_end"], as_of, published)


def entries_public_mask(frame: pd.DataFrame, as_of: dt.date) -> np.ndarray:
    """entry_public_on for a frame with listed_on, expires_on and removed_on columns."""
    return next(entries_public_masks(frame, [as_of]))


def entries_public_masks(frame: pd.DataFrame, days: Iterable[dt.date]) -> Iterator[np.ndarray]:
    """entries_public_mask for each of `days` in turn, the frame's dates converted once."""
    listed, expires, removed = _days(frame["listed_on"]), _days(frame["expires_on"]), _days(frame["removed_on"])
    for as_of in days:
        day = np.datetime64(as_of, "D")
        yield (listed <= day) & (np.isnat(expires) | (expires >= day)) & (np.isnat(removed) | (removed > day))
