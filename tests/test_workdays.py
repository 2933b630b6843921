"""Working days on the statutory calendar: Spring Festival and adjusted working weekends."""

import datetime as dt

import numpy as np

from data.workdays import add_working_days, is_workday, working_days_between, working_days_late


def test_workdays001_adjusted_working_sunday_counts():
    # 2025-01-26 was a Sunday worked in exchange for the Spring Festival holiday.
    assert is_workday(dt.date(2025, 1, 26))
    assert not is_workday(dt.date(2025, 1, 29))  # Spring Festival


def test_workdays002_seven_working_days_across_spring_festival():
    # Decision on 2025-01-27; holiday 01-28..02-04; 02-08 (Saturday) was worked.
    assert add_working_days(dt.date(2025, 1, 27), 7) == dt.date(2025, 2, 12)


def test_workdays003_vectorised_matches_scalar():
    starts = np.array(["2025-01-27", "2024-09-27", "2025-06-30"], dtype="datetime64[D]")
    ends = np.array(["2025-02-12", "2024-10-12", "2025-07-09"], dtype="datetime64[D]")
    expected = []
    for s, e in zip(starts.astype(dt.date), ends.astype(dt.date), strict=True):
        n, day = 0, s
        while day < e:
            day += dt.timedelta(days=1)
            n += is_workday(day)
        expected.append(n)
    assert working_days_between(starts, ends).tolist() == expected
    # 2024-10-12 (Saturday) was an adjusted working day after the National Day holiday.
    assert is_workday(dt.date(2024, 10, 12))


def test_workdays004_days_late():
    assert working_days_late(dt.date(2025, 3, 10), dt.date(2025, 3, 10)) == 0
    assert working_days_late(dt.date(2025, 3, 7), dt.date(2025, 3, 10)) == 1  # Friday -> Monday
