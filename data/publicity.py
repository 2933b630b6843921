"""Publicity periods of adverse records: how long a record stays public, by severity and decision date.

Regimes (DOMAIN.md §6): decisions until 2026-03-31 follow NDRC order No. 58 (2023): at least 3 months, at most
3 years; decisions from 2026-04-01 follow NDRC order No. 36 (信用修复管理办法): 轻微 not published (or at most
3 months), 一般 3 months to 1 year, 严重 1 to 3 years. Within those bounds the district uses the maximum period
for each grade, as configured in PUBLICITY_MONTHS.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

NEW_REGIME_START = dt.date(2026, 4, 1)

# months of publicity by regime and severity; 0 = not published at all
PUBLICITY_MONTHS: dict[str, dict[str, int]] = {
    "order58_2023": {"minor": 3, "ordinary": 12, "serious": 36},
    "order36_2026": {"minor": 0, "ordinary": 12, "serious": 36},
}


def regime_for(decision_date: dt.date) -> str:
    return "order36_2026" if decision_date >= NEW_REGIME_START else "order58_2023"


def publicity_end(decision_date: dt.date, severity: str | None) -> dt.date | None:
    """Last day a record is public; None for records without a severity (no publicity limit)."""
    if severity is None:
        return None
    months = PUBLICITY_MONTHS[regime_for(decision_date)][severity]
    # A period of 0 months means "not published": the record ends its publicity before it starts.
    return (pd.Timestamp(decision_date) + pd.DateOffset(months=months) - pd.Timedelta(days=1)).date()


def publicity_end_dates(decision_dates: pd.Series, severities: pd.Series) -> pd.Series:
    """Vectorised publicity_end for a column of decision dates (datetime64) and severities (None allowed)."""
    decision = pd.to_datetime(decision_dates)
    new = decision >= pd.Timestamp(NEW_REGIME_START)
    result = pd.Series(pd.NaT, index=decision.index, dtype="datetime64[ns]")
    for regime, mask_regime in (("order36_2026", new), ("order58_2023", ~new)):
        for severity, months in PUBLICITY_MONTHS[regime].items():
            mask = mask_regime & (severities == severity)
            if not mask.any():
                continue
            result[mask] = decision[mask] + pd.DateOffset(months=months) - pd.Timedelta(days=1)
    return result


def is_public(decision: np.ndarray, end: np.ndarray, as_of: dt.date) -> np.ndarray:
    """Whether records were public on `as_of`: decided by then and not yet past their publicity end."""
    day = np.datetime64(as_of)
    end = np.asarray(end, dtype="datetime64[D]")
    return (np.asarray(decision, dtype="datetime64[D]") <= day) & (np.isnat(end) | (end >= day))
