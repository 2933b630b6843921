"""The modelling target: a serious adverse event (black listing or serious penalty) within 12 months after a date.

"Serious penalty" is read as any adverse record graded 严重 (serious): an administrative penalty, and equally a
serious court-enforcement, abnormal-operations, quality or safety record, as the generator's truth file does.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import Engine, text

HORIZON_MONTHS = 12


def horizon_end(as_of: dt.date, months: int = HORIZON_MONTHS) -> dt.date:
    return (pd.Timestamp(as_of) + pd.DateOffset(months=months)).date()


def serious_events(engine: Engine, as_of: dt.date, months: int = HORIZON_MONTHS) -> pd.Index:
    """Subjects with a black listing or a serious adverse record decided in (as_of, as_of + months]."""
    sql = """SELECT subject_id FROM list_entries
             WHERE color = 'black' AND listed_on > :start AND listed_on <= :stop
             UNION
             SELECT subject_id FROM credit_records
             WHERE severity = 'serious' AND decision_date > :start AND decision_date <= :stop"""
    with engine.connect() as connection:
        rows = connection.execute(text(sql), {"start": as_of, "stop": horizon_end(as_of, months)}).scalars().all()
    return pd.Index(sorted(rows), dtype="int64", name="subject_id")


def serious_event_target(engine: Engine, subject_ids: pd.Index, as_of: dt.date,
                         months: int = HORIZON_MONTHS) -> pd.Series:
    """1 where the subject had a serious adverse event within `months` after `as_of`, else 0 (aligned to ids)."""
    events = serious_events(engine, as_of, months)
    return pd.Series(np.isin(subject_ids, events).astype(np.int8), index=subject_ids, name="bad")
