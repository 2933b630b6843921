"""The one place that masks personal data for roles not entitled to see it."""

from __future__ import annotations

import pandas as pd


def mask_id_number(number: str | None) -> str:
    """110112********123X: keep the address code and the last four characters."""
    if not number:
        return ""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_person_name(name: str | None) -> str:
    """张*三 / 李*: keep the surname and, for three or more characters, the last character."""
    if not name:
        return ""
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_subjects(frame: pd.DataFrame, *, unmask: bool, kind_col: str = "kind", code_col: str = "code",
                  name_col: str | None = "name") -> pd.DataFrame:
    """Mask identity numbers (and names) of natural persons in a frame unless the viewer may unmask.

    Legal persons' codes and names are public information and stay as they are.
    """
    if unmask or frame.empty:
        return frame
    frame = frame.copy()
    persons = frame[kind_col] == "person"
    if code_col in frame:
        frame.loc[persons, code_col] = frame.loc[persons, code_col].map(mask_id_number)
    if name_col and name_col in frame:
        frame.loc[persons, name_col] = frame.loc[persons, name_col].map(mask_person_name)
    return frame
