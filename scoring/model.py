"""The credit model in service: probability, score, nine-level grade and reasons in plain Chinese.

Score scale (both algorithms): ``score = offset - factor * ln(p / (1 - p))`` with 600 points at good:bad odds of
50:1 and 20 points to double the odds, the same PDO scaling as the scorecard, so a scorecard's score is exactly its
sum of points and a score means the same risk whichever algorithm produced it.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from scoring.features import CATEGORY_LABELS, FEATURE_LABELS, FEATURES, segment_of
from scoring.scorecard import MISSING_LABEL, UNSEEN_LABEL, Scorecard

BASE_POINTS = 600.0
BASE_ODDS = 50.0
PDO = 20.0
FACTOR = PDO / math.log(2)
OFFSET = BASE_POINTS - FACTOR * math.log(BASE_ODDS)

GRADES: tuple[str, ...] = ("A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D")
GRADE_CLASS = {"A": "优", "B": "良", "C": "中", "D": "差"}
SETTING_GRADE_CUTOFFS = "model.grade_cutoffs"
# Lowest score of each grade above D (D is everything below C-), in steps of 15 points (C- 20) on the odds scale.
# As 12-month serious-event probabilities: A below about 0.25 %, A- 0.42 %, B+ 0.7 %, B 1.2 %, B- 2 %, C+ 3.4 %,
# C 5.6 %, C- 10.6 %; D above that. With a district event rate of about 0.4 % most subjects are A or A-. The
# district can change them (setting "model.grade_cutoffs"); grade_bands() states the probabilities.
DEFAULT_GRADE_CUTOFFS: dict[str, float] = {
    "A": 660.0, "A-": 645.0, "B+": 630.0, "B": 615.0, "B-": 600.0, "C+": 585.0, "C": 570.0, "C-": 550.0,
}


class GradeCutoffError(ValueError):
    """Invalid grade cut-offs (message in Chinese)."""


def probability_to_score(probability: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(probability, dtype=np.float64), 1e-9, 1 - 1e-9)
    return OFFSET - FACTOR * np.log(p / (1 - p))


def score_to_probability(score: np.ndarray | float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp((np.asarray(score, dtype=np.float64) - OFFSET) / FACTOR))


def check_grade_cutoffs(cutoffs: Mapping[str, Any]) -> dict[str, float]:
    """The eight lowest scores of A ... C-, strictly decreasing; raises GradeCutoffError naming the problem."""
    if not isinstance(cutoffs, Mapping):
        raise GradeCutoffError("等级分数线应为对象，例如 {\"A\": 680, \"A-\": 660, …}")
    expected = GRADES[:-1]
    missing = [g for g in expected if g not in cutoffs]
    if missing:
        raise GradeCutoffError(f"等级分数线缺少等级：{'、'.join(missing)}")
    unknown = [g for g in cutoffs if g not in expected]
    if unknown:
        raise GradeCutoffError(
            f"等级分数线含未知等级：{'、'.join(map(str, unknown))}（D 级为最低分数线以下，无需设置）")
    values: dict[str, float] = {}
    for grade in expected:
        try:
            values[grade] = float(cutoffs[grade])
        except (TypeError, ValueError) as error:
            raise GradeCutoffError(f"等级 {grade} 的分数线不是数字：{cutoffs[grade]!r}") from error
        if not math.isfinite(values[grade]):
            raise GradeCutoffError(f"等级 {grade} 的分数线不是有限数字")
    for higher, lower in itertools.pairwise(expected):
        if values[higher] <= values[lower]:
            raise GradeCutoffError(
                f"等级分数线须逐级递减：{higher}（{values[higher]:g}）应高于 {lower}（{values[lower]:g}）")
    return values


def grades_for(scores: np.ndarray, cutoffs: Mapping[str, float]) -> np.ndarray:
    """Nine-level grade of each score: the highest grade whose lowest score it reaches, else D."""
    ordered = [(g, cutoffs[g]) for g in GRADES[:-1]]
    thresholds = np.array([c for _, c in ordered][::-1])  # ascending: C- ... A
    labels = np.array(["D", *[g for g, _ in ordered][::-1]], dtype=object)
    return labels[np.searchsorted(thresholds, np.asarray(scores, dtype=np.float64), side="right")]


def grade_bands(cutoffs: Mapping[str, float]) -> pd.DataFrame:
    """Per grade: score range and the probability range it stands for (for the page and the report)."""
    rows = []
    upper = math.inf
    for grade in GRADES:
        lower = cutoffs.get(grade, -math.inf)
        rows.append({
            "grade": grade,
            "class": GRADE_CLASS[grade[0]],
            "min_score": None if lower == -math.inf else lower,
            "max_score": None if upper == math.inf else upper,
            "max_probability": float(score_to_probability(lower)) if lower != -math.inf else 1.0,
            "min_probability": float(score_to_probability(upper)) if upper != math.inf else 0.0,
        })
        upper = lower
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------------ reasons in Chinese

_FEATURE_BY_NAME = {f.name: f for f in FEATURES}
_INTERVAL = re.compile(r"^\[(?P<lo>[^,]+), (?P<hi>[^)]+)\)$")


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def bin_text(feature: str, label: str) -> str:
    """A scorecard bin label ("[1, 3)", "Missing", "x, y") as plain Chinese for this feature."""
    spec = _FEATURE_BY_NAME.get(feature)
    unit = spec.unit if spec else ""
    if label == MISSING_LABEL:
        return spec.missing if spec else "无数据"
    if label == UNSEEN_LABEL:
        return "新出现的类别"
    match = _INTERVAL.match(label)
    if match and spec is not None and not spec.categorical:
        lo, hi = float(match["lo"]), float(match["hi"])
        if spec.integer:
            # Whole-number features (counts, months, all >= 0): [lo, hi) holds ceil(lo) ... ceil(hi) - 1.
            first = max(math.ceil(lo), 0) if math.isfinite(lo) else 0
            if not math.isfinite(hi):
                return f"{_number(first)}{unit}及以上"
            last = math.ceil(hi) - 1
            return f"{_number(first)}{unit}" if last <= first else f"{_number(first)}～{_number(last)}{unit}"
        if not math.isfinite(lo):
            return f"低于 {_number(hi)}{unit}"
        if not math.isfinite(hi):
            return f"{_number(lo)}{unit}及以上"
        return f"{_number(lo)}～{_number(hi)}{unit}（不含 {_number(hi)}）"
    names = CATEGORY_LABELS.get(feature, {})
    other = re.match(r"^(?P<head>.*?)(?:, )?Other \((?P<rare>.*)\)$", label)
    if other:
        head = [names.get(v, v) for v in other["head"].split(", ") if v]
        rare = [names.get(v, v) for v in other["rare"].split(", ") if v]
        return "、".join([*head, f"其他（{'、'.join(rare)}）"])
    return "、".join(names.get(v, v) for v in label.split(", "))


def drop_reason_text(reason: str | None) -> str | None:
    """Why the scorecard left a variable out (its English note in drop_reasons_), in Chinese."""
    if not reason:
        return None
    if match := re.match(r"^IV ([\d.]+) < ([\d.]+)$", reason):
        return f"信息值 {float(match[1]):.3f} 低于入模阈值 {float(match[2]):g}"
    if match := re.match(r"^\|corr\| > ([\d.]+) with (.+) \(higher IV\)$", reason):
        return f"与“{FEATURE_LABELS.get(match[2], match[2])}”高度相关（|r| > {match[1]}），保留信息值更高者"
    if reason.startswith("non-positive coefficient"):
        return "回归系数非正（与其他变量共线），已剔除"
    if match := re.match(r"^beyond max_features=(\d+)$", reason):
        return f"超出入模变量数上限 {match[1]}"
    return reason


def value_text(feature: str, value: Any) -> str:
    """A subject's own value of a feature in plain Chinese ("3条", "批发和零售业", "无失信记录")."""
    spec = _FEATURE_BY_NAME.get(feature)
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return spec.missing if spec else "无数据"
    if spec is None:
        return str(value)
    if spec.categorical:
        return CATEGORY_LABELS.get(feature, {}).get(str(value), str(value))
    number = float(value)
    if spec.integer:
        return f"{number:,.0f}{spec.unit}"
    return f"{number:,.2f}".rstrip("0").rstrip(".") + spec.unit


def reason_text(feature: str, value: Any) -> str:
    """'<feature label>：<the subject's value>', e.g. '公示中的失信记录：3条'."""
    return f"{FEATURE_LABELS.get(feature, feature)}：{value_text(feature, value)}"


# ------------------------------------------------------------------------------------------------ the model


@dataclass
class CreditModel:
    """What a model version's artifact holds: the champion's algorithm, one scorecard per segment (natural persons,
    legal persons) and the calibrated challenger.

    Reasons always come from the scorecards: they are fitted in every training run and their points say what each
    attribute cost; the challenger has no per-attribute points.
    """

    algorithm: str  # "scorecard" or "hist_gradient_boosting"
    scorecards: dict[str, Scorecard]  # segment -> scorecard
    challenger: Any | None = None  # calibrated classifier with predict_proba over `feature_names`
    feature_names: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)

    def _segments(self, X: pd.DataFrame) -> list[tuple[Scorecard, np.ndarray]]:
        segment = segment_of(X["kind"].astype(object).to_numpy())
        return [(card, np.flatnonzero(segment == name)) for name, card in self.scorecards.items()]

    def scorecard_proba(self, X: pd.DataFrame) -> np.ndarray:
        probability = np.empty(len(X))
        for card, rows in self._segments(X):
            if len(rows):
                probability[rows] = card.predict_proba(X.iloc[rows])[:, 1]
        return probability

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Probability of a serious adverse event within 12 months, per row."""
        if self.algorithm == "scorecard" or self.challenger is None:
            return self.scorecard_proba(X)
        return self.challenger.predict_proba(X[list(self.feature_names)])[:, 1]

    def score(self, X: pd.DataFrame, probability: np.ndarray | None = None) -> np.ndarray:
        """Points; for the scorecard its sum of points (equal to the PDO transform of its probability)."""
        if self.algorithm != "scorecard":
            return probability_to_score(self.predict_proba(X) if probability is None else probability)
        total = np.empty(len(X))
        for card, rows in self._segments(X):
            if len(rows):
                total[rows] = card.score(X.iloc[rows])
        return total

    def reasons_json(self, X: pd.DataFrame, n: int = 3) -> np.ndarray:
        """Per row, a JSON list of the top `n` reasons ({"feature", "text", "points"}) in plain Chinese.

        Rows with the same values of their scorecard's variables get the same reasons, so reasons are built once per
        distinct combination (a few hundred thousand at district scale instead of millions of rows).
        """
        texts = np.full(len(X), "[]", dtype=object)
        for card, rows in self._segments(X):
            selected = list(card.selected_features_)
            if not len(rows) or not selected:
                continue
            part = X.iloc[rows]
            keys = pd.util.hash_pandas_object(part[selected], index=False).to_numpy()
            unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
            distinct = np.empty(len(unique), dtype=object)
            representatives = part.iloc[first]
            # A reason names the subject's own value (its representative has the same values) and the points that
            # value's bin costs against the variable's best bin.
            for i, (values, reasons) in enumerate(zip(representatives[selected].to_dict("records"),
                                                      card.reasons(representatives, n), strict=True)):
                distinct[i] = json.dumps(
                    [{"feature": r.column, "text": reason_text(r.column, values[r.column]),
                      "points": round(r.points_lost, 1)} for r in reasons],
                    ensure_ascii=False,
                )
            texts[rows] = distinct[inverse]
        return texts
