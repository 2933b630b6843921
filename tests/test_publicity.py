"""Publicity periods under both regimes at their boundaries, list expiry, and the one "public on day D" rule."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select, text

from data import publicity
from data.models import CreditRecord, ListEntry
from tests.lists_district import AS_OF, build

D = dt.date
ONE_DAY = dt.timedelta(days=1)


@pytest.mark.parametrize(("decided", "regime"), [
    (D(2026, 3, 31), publicity.OLD_REGIME),
    (D(2026, 4, 1), publicity.NEW_REGIME),
    (D(2023, 1, 1), publicity.OLD_REGIME),
    (D(2027, 1, 1), publicity.NEW_REGIME),
])
def test_publicity001_regime_is_chosen_by_decision_date(decided, regime):
    assert publicity.regime_for(decided) == regime


@pytest.mark.parametrize(("severity", "last_day"), [
    ("minor", D(2026, 6, 30)),  # 3 months from 31 March: June has no 31st, so its last day
    ("ordinary", D(2027, 3, 31)),
    ("serious", D(2029, 3, 31)),
])
def test_publicity002_last_day_of_the_old_regime(severity, last_day):
    assert publicity.publicity_end(D(2026, 3, 31), severity) == last_day


@pytest.mark.parametrize(("severity", "last_day"), [
    ("minor", D(2026, 3, 31)),  # not published: ends the day before the decision
    ("ordinary", D(2027, 4, 1)),
    ("serious", D(2029, 4, 1)),
])
def test_publicity003_first_day_of_the_new_regime(severity, last_day):
    assert publicity.publicity_end(D(2026, 4, 1), severity) == last_day


def test_publicity004_minor_penalty_under_new_regime_is_never_public():
    decided = D(2026, 4, 1)
    end = publicity.publicity_end(decided, "minor")
    for day in (decided, decided + ONE_DAY, D(2026, 7, 1)):
        assert not publicity.is_public([decided], [end], day)[0]


def test_publicity005_period_counts_from_the_day_after_the_decision():
    decided = D(2025, 1, 15)
    end = publicity.publicity_end(decided, "minor")
    assert end == D(2025, 4, 15)
    assert publicity.is_public([decided], [end], D(2025, 4, 15))[0]
    assert not publicity.is_public([decided], [end], D(2025, 4, 16))[0]


def test_publicity006_special_sectors_get_at_least_a_year_under_the_old_regime():
    assert publicity.is_special_sector("YJ", "CF")
    assert publicity.is_special_sector("SCJG", "CF", "电梯等特种设备未按规定检验")
    assert publicity.is_special_sector("ZJ", "CF", "消防通道堵塞")
    assert not publicity.is_special_sector("SCJG", "CF", "销售不合格产品")
    assert publicity.publicity_end(D(2025, 1, 15), "minor", special_sector=True) == D(2026, 1, 15)
    assert publicity.publicity_end(D(2025, 1, 15), "minor") == D(2025, 4, 15)
    # The 1-year floor belongs to the old regime only.
    assert publicity.publicity_end(D(2026, 4, 1), "minor", special_sector=True) == D(2026, 3, 31)


@pytest.mark.parametrize(("decided", "severity", "special", "earliest"), [
    (D(2025, 1, 15), "ordinary", False, D(2025, 4, 16)),  # old regime: at least 3 months
    (D(2025, 1, 15), "serious", False, D(2025, 4, 16)),
    (D(2025, 1, 15), "minor", True, D(2026, 1, 16)),  # special sector: at least a year
    (D(2026, 3, 31), "ordinary", False, D(2026, 7, 1)),
    (D(2026, 4, 1), "ordinary", False, D(2026, 7, 2)),  # new regime: 一般 at least 3 months
    (D(2026, 4, 1), "serious", False, D(2027, 4, 2)),  # 严重 at least a year
])
def test_publicity007_repair_possible_the_day_after_the_minimum_period(decided, severity, special, earliest):
    assert publicity.earliest_repair_date(decided, severity, special_sector=special) == earliest


def test_publicity008_configured_periods_lie_within_each_regimes_bounds():
    publicity.check_configuration()
    for regime, bounds in publicity.PUBLICITY_BOUNDS.items():
        for severity, (low, high) in bounds.items():
            assert low <= publicity.PUBLICITY_MONTHS[regime][severity] <= high
    wrong = {regime: dict(months) for regime, months in publicity.PUBLICITY_MONTHS.items()}
    wrong[publicity.NEW_REGIME]["ordinary"] = 18
    with pytest.raises(publicity.PublicityConfigError, match="18 个月"):
        publicity.check_configuration(wrong)


def test_publicity009_vectorised_ends_match_the_scalar_rule():
    rng = np.random.default_rng(5)
    days = pd.to_datetime(D(2025, 1, 1)) + pd.to_timedelta(rng.integers(0, 900, 400), unit="D")
    # Month ends and leap days around the regime change are where calendars disagree.
    days = days.append(pd.to_datetime(["2024-02-29", "2026-03-31", "2026-04-01", "2026-01-31", "2025-11-30"]))
    severities = pd.Series(rng.choice(["minor", "ordinary", "serious", None], len(days)))
    special = pd.Series(rng.random(len(days)) < 0.3)
    vectorised = publicity.publicity_end_dates(pd.Series(days), severities, special)
    for day, severity, is_special, end in zip(days, severities, special, vectorised, strict=True):
        expected = publicity.publicity_end(day.date(), severity, special_sector=bool(is_special))
        assert (pd.isna(end) and expected is None) or end.date() == expected, (day, severity, is_special)


def test_publicity010_list_expiry():
    assert publicity.list_entry_expiry("SXBZX", D(2024, 2, 29)) == D(2026, 2, 28)
    assert publicity.list_entry_expiry("SXBZX", D(2024, 5, 10), extra_years=1) == D(2027, 5, 10)
    assert publicity.list_entry_expiry("AJNSR", D(2025, 7, 1)) == D(2026, 7, 1)
    assert publicity.list_entry_expiry("JYYC", D(2025, 7, 1)) is None
    codes = pd.Series(["SXBZX", "JYYC", "WMDW"])
    listed = pd.Series(pd.to_datetime(["2024-02-29", "2025-01-01", "2025-03-31"]))
    expected = [publicity.list_entry_expiry(c, d.date()) for c, d in zip(codes, listed, strict=True)]
    got = publicity.list_entry_expiry_dates(codes, listed)
    assert [None if pd.isna(v) else v.date() for v in got] == expected


def test_publicity011_not_public_before_publication():
    decided, published, end = D(2025, 3, 3), D(2025, 3, 14), D(2026, 3, 3)
    assert not publicity.is_public([decided], [end], D(2025, 3, 13), [published])[0]
    assert publicity.is_public([decided], [end], D(2025, 3, 14), [published])[0]
    assert publicity.is_public([decided], [end], D(2025, 3, 13))[0]  # no publication date: the decision date


def _public_ids(store, model, condition) -> set[int]:
    with store.read() as db:
        return set(db.scalars(select(model.id).where(condition)))


def _public_ids_sql(store, table: str, alias: str, condition: str, day: dt.date) -> set[int]:
    with store.engine.connect() as connection:
        return {row[0] for row in connection.execute(text(f"SELECT {alias}.id FROM {table} {alias} WHERE {condition}"),
                                                     {"day": day})}


def test_publicity012_records_leave_every_public_query_the_day_after_their_last_day(empty_store):
    ids = build(empty_store)
    with empty_store.read() as db:
        frame = pd.DataFrame(db.execute(select(CreditRecord.id, CreditRecord.decision_date,
                                               CreditRecord.publication_date, CreditRecord.publicity_end)).all())
    last_day = publicity.publicity_end(D(2025, 10, 1), "minor", special_sector=True)
    assert last_day == D(2026, 10, 1)
    for day, expected_in in ((last_day, True), (last_day + ONE_DAY, False)):
        by_orm = _public_ids(empty_store, CreditRecord, publicity.record_public_on(day))
        by_sql = _public_ids_sql(empty_store, "credit_records", "r", publicity.record_public_sql("r"), day)
        by_frame = set(frame.loc[publicity.records_public_mask(frame, day), "id"])
        assert by_orm == by_sql == by_frame
        assert (ids["cf_yj_e2"] in by_orm) is expected_in
        assert ids["xk_e1"] in by_orm  # no severity: no limit
        assert ids["cf_p2"] not in by_orm  # minor, new regime: never published


def test_publicity013_entries_leave_on_the_day_after_expiry_and_on_the_removal_day(empty_store):
    ids = build(empty_store)
    with empty_store.read() as db:
        frame = pd.DataFrame(db.execute(select(ListEntry.id, ListEntry.listed_on, ListEntry.expires_on,
                                               ListEntry.removed_on)).all())
    cases = [
        ("entry:zdss_e2", AS_OF, True), ("entry:zdss_e2", AS_OF + ONE_DAY, False),  # expires 2026-06-30
        ("entry:cxqy_e1", D(2024, 12, 31), True), ("entry:cxqy_e1", D(2025, 1, 1), False),  # removed 2025-01-01
        ("entry:jyyc_e1", D(2026, 2, 28), False), ("entry:jyyc_e1", D(2026, 3, 1), True),  # listed 2026-03-01
    ]
    for key, day, expected_in in cases:
        by_orm = _public_ids(empty_store, ListEntry, publicity.entry_public_on(day))
        by_sql = _public_ids_sql(empty_store, "list_entries", "l", publicity.entry_public_sql("l"), day)
        by_frame = set(frame.loc[publicity.entries_public_mask(frame, day), "id"])
        assert by_orm == by_sql == by_frame
        assert (ids[key] in by_orm) is expected_in, (key, day)
