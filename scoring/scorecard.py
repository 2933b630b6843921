"""WoE credit scorecard: supervised monotone binning, logistic regression and PDO points scaling.

Fitted models are compiled into numpy lookup tables so that scoring is a vectorised sum of array lookups.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype
from scipy.special import expit
from sklearn.linear_model import LogisticRegression

__all__ = ["Reason", "Scorecard"]

Trend = Literal["auto", "increasing", "decreasing", "none"]
_TRENDS = ("auto", "increasing", "decreasing", "none")

# In "auto" trend mode a non-monotone (e.g. U-shaped) binning is only preferred over the best monotone one when
# it keeps clearly more information; otherwise the monotone, easier to explain and more stable binning wins.
_NON_MONOTONE_IV_RATIO = 1.5

MISSING_LABEL = "Missing"
UNSEEN_LABEL = "Unseen"


class Reason(NamedTuple):
    """One adverse-action reason: ``column: bin`` cost ``points_lost`` versus that column's best bin."""

    column: str
    bin: str
    points_lost: float

    def __str__(self) -> str:
        return f"{self.column}: {self.bin}"


# --------------------------------------------------------------------------------------------------------------
# Binning helpers
# --------------------------------------------------------------------------------------------------------------


def _chi2(g1: float, b1: float, g2: float, b2: float) -> float:
    """Pearson chi-square of the 2x2 table (adjacent bins x good/bad); 0 when a margin is empty."""
    n1, n2, good, bad = g1 + b1, g2 + b2, g1 + g2, b1 + b2
    if n1 == 0 or n2 == 0 or good == 0 or bad == 0:
        return 0.0
    return (n1 + n2) * (g1 * b2 - g2 * b1) ** 2 / (good * bad * n1 * n2)


def _pava(good: list[float], bad: list[float], groups: list[list[int]], increasing: bool) -> None:
    """Pool adjacent violators in place so that the bad rate is monotone in the requested direction."""
    sg: list[float] = []
    sb: list[float] = []
    sgrp: list[list[int]] = []
    for g, b, grp in zip(good, bad, groups, strict=True):
        sg.append(g)
        sb.append(b)
        sgrp.append(list(grp))
        while len(sg) >= 2:
            r_prev = sb[-2] / (sg[-2] + sb[-2])
            r_last = sb[-1] / (sg[-1] + sb[-1])
            if (r_prev > r_last) if increasing else (r_prev < r_last):
                g_last, b_last, grp_last = sg.pop(), sb.pop(), sgrp.pop()
                sg[-1] += g_last
                sb[-1] += b_last
                sgrp[-1].extend(grp_last)
            else:
                break
    good[:], bad[:], groups[:] = sg, sb, sgrp


def _merge_ordered(
    good: np.ndarray,
    bad: np.ndarray,
    *,
    trend: str,
    min_count: int,
    max_bins: int,
    chi2_crit: float,
) -> list[list[int]]:
    """Merge ordered fine bins into coarse contiguous groups; returns the member indices of each group.

    Order of operations matters: pooling violators first means later merges (which only ever join neighbours)
    can never break monotonicity, since a merged bin's bad rate lies between its parts'.
    """
    g = [float(v) for v in good]
    b = [float(v) for v in bad]
    groups = [[i] for i in range(len(g))]
    if trend in ("increasing", "decreasing"):
        _pava(g, b, groups, increasing=trend == "increasing")

    def merge(i: int) -> None:  # join group i with group i + 1
        g[i] += g.pop(i + 1)
        b[i] += b.pop(i + 1)
        groups[i].extend(groups.pop(i + 1))

    # Minimum bin size: fold the smallest bin into its more similar neighbour.
    while len(g) > 1:
        counts = [gi + bi for gi, bi in zip(g, b, strict=True)]
        i = int(np.argmin(counts))
        if counts[i] >= min_count:
            break
        if i == 0:
            merge(0)
        elif i == len(g) - 1 or _chi2(g[i - 1], b[i - 1], g[i], b[i]) <= _chi2(g[i], b[i], g[i + 1], b[i + 1]):
            merge(i - 1)
        else:
            merge(i)

    # ChiMerge: join the least distinguishable neighbours until all neighbours differ significantly.
    while len(g) > 1:
        chis = [_chi2(g[i], b[i], g[i + 1], b[i + 1]) for i in range(len(g) - 1)]
        i = int(np.argmin(chis))
        if len(g) > max_bins or chis[i] < chi2_crit:
            merge(i)
        else:
            break
    return groups


def _woe_iv(good: np.ndarray, bad: np.ndarray, smoothing: float) -> tuple[np.ndarray, np.ndarray]:
    """Laplace-smoothed WoE = ln(%bad / %good) and IV contribution per bin; empty bins get WoE 0 (neutral).

    Smoothing adds ``smoothing`` pseudo-counts of each class to every non-empty bin, so a bin with no goods or no
    bads gets a large but finite WoE instead of an infinity.
    """
    good = np.asarray(good, dtype=float)
    bad = np.asarray(bad, dtype=float)
    nonempty = (good + bad) > 0
    k = int(nonempty.sum())
    woe = np.zeros(len(good))
    iv = np.zeros(len(good))
    if k == 0:
        return woe, iv
    pg = (good[nonempty] + smoothing) / (good.sum() + smoothing * k)
    pb = (bad[nonempty] + smoothing) / (bad.sum() + smoothing * k)
    woe[nonempty] = np.log(pb / pg)
    iv[nonempty] = (pb - pg) * woe[nonempty]
    return woe, iv


def _is_monotone(rates: np.ndarray) -> bool:
    d = np.diff(rates)
    return bool(np.all(d >= 0) or np.all(d <= 0))


def _fmt(v: float) -> str:
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    if float(v).is_integer() and abs(v) < 1e15:
        return str(int(v))
    return np.format_float_positional(float(v), precision=6, trim="-")


@dataclass
class _VarBins:
    """Compiled binning of one variable: maps raw values to slot indices; per-slot statistics."""

    name: str
    kind: Literal["numeric", "categorical"]
    trend: str
    labels: list[str]
    good: np.ndarray
    bad: np.ndarray
    missing_slot: int
    # numeric: interior cut points (bins are [lo, hi)) and special values with their slots
    edges: np.ndarray = field(default_factory=lambda: np.empty(0))
    special_values: tuple[float, ...] = ()
    special_slots: tuple[int, ...] = ()
    # categorical: known values (incl. categorical special values) -> slot; where unseen values go
    index: pd.Index | None = None
    value_slots: np.ndarray | None = None
    unseen_slot: int = -1
    woe: np.ndarray = field(default_factory=lambda: np.empty(0))
    iv_contrib: np.ndarray = field(default_factory=lambda: np.empty(0))

    @property
    def iv(self) -> float:
        return float(self.iv_contrib.sum())

    def slots(self, s: pd.Series) -> np.ndarray:
        """Vectorised slot index for every row of ``s``."""
        if self.kind == "numeric":
            x = _as_float(s, self.name)
            idx = np.searchsorted(self.edges, x, side="right")
            nan = np.isnan(x)
            if nan.any():
                idx[nan] = self.missing_slot
            for v, slot in zip(self.special_values, self.special_slots, strict=True):
                idx[x == v] = slot
            return idx
        assert self.index is not None and self.value_slots is not None
        # value_slots has one extra trailing entry (the unseen slot) so that get_indexer's -1 maps to it.
        if isinstance(s.dtype, pd.CategoricalDtype):
            # Only the (few) categories need hashing; rows are then a pure integer gather on the codes.
            cat_slots = self.value_slots[self.index.get_indexer(s.cat.categories.astype(object))]
            table = np.append(cat_slots, self.missing_slot)  # code -1 (NaN) -> missing slot
            return table[s.cat.codes.to_numpy()]
        # Hash each row once (factorize), then map the few distinct values; NaN/None/pd.NA come back as code -1.
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        table = np.append(
            self.value_slots[self.index.get_indexer(np.asarray(uniques, dtype=object))], self.missing_slot
        )
        return table[codes]


def _as_float(s: pd.Series, name: str) -> np.ndarray:
    if is_numeric_dtype(s.dtype) and not is_bool_dtype(s.dtype):
        return s.to_numpy(dtype=np.float64, na_value=np.nan)
    try:
        return pd.to_numeric(s, errors="raise").to_numpy(dtype=np.float64, na_value=np.nan)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"column {name!r} was numeric at fit time but holds non-numeric values: {exc}") from exc


# --------------------------------------------------------------------------------------------------------------
# Scorecard
# --------------------------------------------------------------------------------------------------------------


class Scorecard:
    """Binned logistic-regression scorecard with points scaled by PDO.

    WoE convention: ``woe = ln(%bad / %good)`` so riskier bins have larger WoE and every model coefficient must be
    positive; score convention: higher score = lower risk, ``score = offset - factor * ln(p_bad / p_good)``.

    Parameters
    ----------
    n_prebins: number of quantile bins numeric variables start from before merging.
    min_bin_frac: minimum share of all training rows in each regular bin (missing/special bins are exempt).
    max_bins: maximum number of regular bins per variable.
    chi2_alpha: significance level of ChiMerge; adjacent bins whose bad rates do not differ at this level merge.
    monotone: ``"auto"``, ``"increasing"``, ``"decreasing"`` or ``"none"`` (direction of bad rate vs. the value)
        for all numeric columns, or a mapping column -> trend (unlisted columns use ``"auto"``).
    special_values: values that get their own bins: a list (e.g. ``[-1, -999]``) applies to every numeric column,
        a mapping column -> values applies to any column (numeric or categorical).
    categorical_features: columns to bin as categories even if numeric (bool/object/category/string are
        categorical anyway).
    smoothing: Laplace pseudo-count added to goods and bads of every non-empty bin when computing WoE.
    unseen: ``"other"`` sends categories not seen at fit time to the bin holding the pooled rare categories
        (falling back to neutral when there were none); ``"neutral"`` always gives them WoE 0.
    iv_threshold: variables with information value below this are dropped.
    corr_threshold: of two WoE columns with ``|r|`` above this, the one with lower IV is dropped.
    max_features: keep at most this many variables (highest IV first); None = no limit.
    C: inverse L2 regularisation strength of the logistic regression (no class weighting).
    base_points, base_odds, pdo: score ``base_points`` at good:bad odds ``base_odds``; ``pdo`` points double them.
    round_points: round the points of every bin to integers (probabilities still come from the exact model).
    """

    def __init__(
        self,
        *,
        n_prebins: int = 20,
        min_bin_frac: float = 0.05,
        max_bins: int = 8,
        chi2_alpha: float = 0.05,
        monotone: Trend | Mapping[str, Trend] = "auto",
        special_values: Sequence[Any] | Mapping[str, Sequence[Any]] | None = None,
        categorical_features: Sequence[str] | None = None,
        smoothing: float = 0.5,
        unseen: Literal["other", "neutral"] = "other",
        iv_threshold: float = 0.02,
        corr_threshold: float = 0.8,
        max_features: int | None = None,
        C: float = 1.0,
        base_points: float = 600.0,
        base_odds: float = 50.0,
        pdo: float = 20.0,
        round_points: bool = False,
        max_iter: int = 1000,
    ) -> None:
        self.n_prebins = n_prebins
        self.min_bin_frac = min_bin_frac
        self.max_bins = max_bins
        self.chi2_alpha = chi2_alpha
        self.monotone = monotone
        self.special_values = special_values
        self.categorical_features = categorical_features
        self.smoothing = smoothing
        self.unseen = unseen
        self.iv_threshold = iv_threshold
        self.corr_threshold = corr_threshold
        self.max_features = max_features
        self.C = C
        self.base_points = base_points
        self.base_odds = base_odds
        self.pdo = pdo
        self.round_points = round_points
        self.max_iter = max_iter

    # ---------------------------------------------------------------------------------------------- validation

    def _check_params(self) -> None:
        if self.n_prebins < 2:
            raise ValueError("n_prebins must be >= 2")
        if not 0 <= self.min_bin_frac < 0.5:
            raise ValueError("min_bin_frac must be in [0, 0.5)")
        if self.max_bins < 1:
            raise ValueError("max_bins must be >= 1")
        if not 0 < self.chi2_alpha < 1:
            raise ValueError("chi2_alpha must be in (0, 1)")
        if self.smoothing <= 0:
            raise ValueError("smoothing must be > 0 (it is what keeps WoE finite)")
        if self.unseen not in ("other", "neutral"):
            raise ValueError("unseen must be 'other' or 'neutral'")
        if self.base_odds <= 0 or self.pdo <= 0:
            raise ValueError("base_odds and pdo must be > 0")
        trends = self.monotone.values() if isinstance(self.monotone, Mapping) else [self.monotone]
        for t in trends:
            if t not in _TRENDS:
                raise ValueError(f"monotone must be one of {_TRENDS}, got {t!r}")

    @staticmethod
    def _check_xy(X: pd.DataFrame, y: Any) -> np.ndarray:
        if not isinstance(X, pd.DataFrame):
            raise TypeError(f"X must be a pandas DataFrame, got {type(X).__name__}")
        ys = pd.Series(np.asarray(y).ravel() if not isinstance(y, pd.Series) else y.to_numpy())
        if len(ys) != len(X):
            raise ValueError(f"X and y have different lengths: {len(X)} rows vs {len(ys)} labels")
        if len(X) == 0:
            raise ValueError("cannot fit on an empty data set")
        if ys.isna().any():
            raise ValueError("y contains missing values; it must be 0/1 with 1 = bad")
        if is_bool_dtype(ys.dtype):
            ys = ys.astype(int)
        ok = ys.isin([0, 1])
        if not ok.all():
            others = [str(v) for v in pd.unique(ys[~ok])[:5]]
            raise ValueError(f"y must contain only 0 (good) and 1 (bad); found other values: {others}")
        yv = ys.to_numpy(dtype=np.int8)
        if yv.min() == yv.max():
            raise ValueError(f"y has a single class (all {int(yv[0])}); need both goods (0) and bads (1) to fit")
        return yv

    def _check_fitted(self) -> None:
        if not hasattr(self, "_vars"):
            raise RuntimeError("this Scorecard is not fitted yet; call fit(X, y) first")

    def _specials_for(self, col: str, numeric: bool) -> list[Any]:
        # A plain list is meant for numeric sentinels (-1, -999); categorical specials must be named per column.
        sv = self.special_values
        if sv is None:
            return []
        if isinstance(sv, Mapping):
            return list(sv.get(col, []))
        return list(sv) if numeric else []

    def _trend_for(self, col: str) -> str:
        if isinstance(self.monotone, Mapping):
            return self.monotone.get(col, "auto")
        return self.monotone

    # ---------------------------------------------------------------------------------------------- binning

    def _bin_numeric(self, name: str, s: pd.Series, y: np.ndarray, min_count: int, crit: float) -> _VarBins:
        x = _as_float(s, name)
        try:
            specials = sorted({float(v) for v in self._specials_for(name, numeric=True)})
        except (TypeError, ValueError) as exc:
            raise ValueError(f"special_values for numeric column {name!r} must be numbers: {exc}") from exc
        miss = np.isnan(x)
        regular = ~miss
        for v in specials:
            regular &= x != v
        xr, yr = x[regular], y[regular]
        cuts = np.empty(0)
        groups: list[list[int]] = []
        trend = self._trend_for(name)
        if xr.size:
            order = np.argsort(xr, kind="stable")
            xs = xr[order]
            uniq = xs[np.r_[True, xs[1:] != xs[:-1]]]
            if len(uniq) <= self.n_prebins:
                cuts = uniq[1:]
            else:
                # Quantile cut points taken from actual data values ("lower" method) keep bin labels readable.
                pos = np.floor(np.linspace(0, 1, self.n_prebins + 1)[1:-1] * (len(xs) - 1)).astype(int)
                cuts = np.unique(xs[pos])
                cuts = cuts[cuts > uniq[0]]
            pre = np.searchsorted(cuts, xr, side="right")
            good = np.bincount(pre[yr == 0], minlength=len(cuts) + 1)
            bad = np.bincount(pre[yr == 1], minlength=len(cuts) + 1)
            groups, trend = self._choose_trend(good, bad, trend, min_count, crit, y)
            edges = np.array([cuts[grp[0] - 1] for grp in groups[1:]], dtype=float)
        else:
            edges = np.empty(0)
        m = len(edges) + 1
        bounds = np.r_[-np.inf, edges, np.inf]
        labels = [f"[{_fmt(bounds[i])}, {_fmt(bounds[i + 1])})" for i in range(m)]
        labels.append(MISSING_LABEL)
        labels += [f"Special: {_fmt(v)}" for v in specials]
        var = _VarBins(
            name=name,
            kind="numeric",
            trend=trend,
            labels=labels,
            good=np.empty(0),
            bad=np.empty(0),
            missing_slot=m,
            edges=edges,
            special_values=tuple(specials),
            special_slots=tuple(range(m + 1, m + 1 + len(specials))),
        )
        slots = var.slots(s)
        var.good = np.bincount(slots[y == 0], minlength=len(labels))
        var.bad = np.bincount(slots[y == 1], minlength=len(labels))
        return var

    def _choose_trend(
        self, good: np.ndarray, bad: np.ndarray, trend: str, min_count: int, crit: float, y: np.ndarray
    ) -> tuple[list[list[int]], str]:
        kw = {"min_count": min_count, "max_bins": self.max_bins, "chi2_crit": crit}
        if trend != "auto":
            return _merge_ordered(good, bad, trend=trend, **kw), trend

        def summarise(groups: list[list[int]]) -> tuple[float, np.ndarray]:
            gg = np.array([good[grp].sum() for grp in groups], dtype=float)
            bb = np.array([bad[grp].sum() for grp in groups], dtype=float)
            # IV against whole-sample totals so candidates are compared on the same footing.
            pg = (gg + self.smoothing) / ((y == 0).sum() + self.smoothing * len(gg))
            pb = (bb + self.smoothing) / ((y == 1).sum() + self.smoothing * len(gg))
            return float(((pb - pg) * np.log(pb / pg)).sum()), bb / (gg + bb)

        cands = {t: _merge_ordered(good, bad, trend=t, **kw) for t in ("increasing", "decreasing", "none")}
        ivs = {t: summarise(g) for t, g in cands.items()}
        best = max(("increasing", "decreasing"), key=lambda t: ivs[t][0])  # ties -> "increasing" (stable)
        iv_free, rates_free = ivs["none"]
        if not _is_monotone(rates_free) and iv_free > _NON_MONOTONE_IV_RATIO * ivs[best][0]:
            return cands["none"], "none"
        if len(cands[best]) == 1:
            return cands[best], "none"  # a single bin carries no trend
        return cands[best], best

    def _bin_categorical(self, name: str, s: pd.Series, y: np.ndarray, min_count: int, crit: float) -> _VarBins:
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        values = list(uniques)
        n_cat = len(values)
        counts_g = np.bincount(codes[(codes >= 0) & (y == 0)], minlength=n_cat)
        counts_b = np.bincount(codes[(codes >= 0) & (y == 1)], minlength=n_cat)
        special_set = self._specials_for(name, numeric=False)
        is_special = [any(_same(v, sp) for sp in special_set) for v in values]
        normal = [i for i in range(n_cat) if not is_special[i]]
        rare = [i for i in normal if counts_g[i] + counts_b[i] < min_count]
        rare_set = set(rare)
        units: list[list[int]] = [[i] for i in normal if i not in rare_set]
        if rare:
            units.append(rare)  # small categories are pooled so that their bad rate is estimable at all
        ug = np.array([counts_g[u].sum() for u in units], dtype=float)
        ub = np.array([counts_b[u].sum() for u in units], dtype=float)
        # Sort by (smoothed) bad rate, ties broken by label for determinism regardless of row order.
        key = [
            ((ub[k] + 0.5) / (ug[k] + ub[k] + 1.0), ",".join(sorted(str(values[i]) for i in u)))
            for k, u in enumerate(units)
        ]
        order = sorted(range(len(units)), key=lambda k: key[k])
        units = [units[k] for k in order]
        ug, ub = ug[order], ub[order]
        groups = (
            _merge_ordered(ug, ub, trend="none", min_count=min_count, max_bins=self.max_bins, chi2_crit=crit)
            if units
            else []
        )
        labels: list[str] = []
        slot_of: dict[int, int] = {}
        unseen_slot = -1
        for gi, grp in enumerate(groups):
            members = [i for k in grp for i in units[k]]
            for i in members:
                slot_of[i] = gi
            named = [str(values[i]) for i in members if i not in rare_set]
            if any(i in rare_set for i in members):
                named.append("Other (" + ", ".join(str(values[i]) for i in rare) + ")")
                if self.unseen == "other":
                    unseen_slot = gi
            labels.append(", ".join(named))
        m = len(groups)
        labels.append(MISSING_LABEL)
        spec_idx = [i for i in range(n_cat) if is_special[i]]
        # Configured special values get a slot even if absent from the training data (then with neutral WoE).
        spec_vals: list[Any] = [values[i] for i in spec_idx]
        for sp in special_set:
            if not any(_same(sp, v) for v in spec_vals):
                spec_vals.append(sp)
        for j, v in enumerate(spec_vals):
            labels.append(f"Special: {v}")
            for i in spec_idx:
                if _same(values[i], v):
                    slot_of[i] = m + 1 + j
        if unseen_slot < 0:
            unseen_slot = len(labels)
            labels.append(UNSEEN_LABEL)
        known = values + [v for v in spec_vals[len(spec_idx) :]]
        slot_list = [slot_of[i] for i in range(n_cat)] + [m + 1 + j for j in range(len(spec_idx), len(spec_vals))]
        var = _VarBins(
            name=name,
            kind="categorical",
            trend="by bad rate",
            labels=labels,
            good=np.empty(0),
            bad=np.empty(0),
            missing_slot=m,
            index=pd.Index(known, dtype=object),
            value_slots=np.array([*slot_list, unseen_slot], dtype=np.intp),
            unseen_slot=unseen_slot,
        )
        slots = var.slots(s)
        var.good = np.bincount(slots[y == 0], minlength=len(labels))
        var.bad = np.bincount(slots[y == 1], minlength=len(labels))
        return var

    # ---------------------------------------------------------------------------------------------- fit

    def fit(self, X: pd.DataFrame, y: Any) -> Scorecard:
        """Bin every column of ``X``, select variables, fit the logistic regression and compile the points."""
        self._check_params()
        yv = self._check_xy(X, y)
        n = len(yv)
        min_count = max(1, math.ceil(self.min_bin_frac * n))
        # Chi-square critical value with 1 degree of freedom = squared two-sided normal quantile.
        crit = NormalDist().inv_cdf(1 - self.chi2_alpha / 2) ** 2
        forced_cat = set(self.categorical_features or [])
        unknown = forced_cat - set(X.columns)
        if unknown:
            raise ValueError(f"categorical_features not in X: {sorted(unknown)}")

        all_vars: dict[str, _VarBins] = {}
        for col in X.columns:
            s = X[col]
            name = str(col)
            if is_numeric_dtype(s.dtype) and not is_bool_dtype(s.dtype) and col not in forced_cat:
                var = self._bin_numeric(name, s, yv, min_count, crit)
            else:
                var = self._bin_categorical(name, s, yv, min_count, crit)
            var.woe, var.iv_contrib = _woe_iv(var.good, var.bad, self.smoothing)
            all_vars[name] = var
        self._all_vars = all_vars
        self.feature_names_in_ = [str(c) for c in X.columns]
        self.iv_ = pd.Series({k: v.iv for k, v in all_vars.items()}, dtype=float).sort_values(
            ascending=False, kind="stable"
        )
        self.trends_ = {k: v.trend for k, v in all_vars.items()}
        self.drop_reasons_: dict[str, str] = {}

        # 1) information value filter
        cands = []
        for name, iv in self.iv_.items():
            if iv < self.iv_threshold:
                self.drop_reasons_[name] = f"IV {iv:.4f} < {self.iv_threshold}"
            else:
                cands.append(name)
        colmap = {str(c): c for c in X.columns}
        woe = {name: all_vars[name].woe[all_vars[name].slots(X[colmap[name]])] for name in cands}

        # 2) correlation filter, greedy in IV order so the higher-IV member of each correlated pair survives
        kept: list[str] = []
        if cands:
            W = np.column_stack([woe[c] for c in cands])
            with np.errstate(invalid="ignore", divide="ignore"):
                R = np.nan_to_num(np.corrcoef(W, rowvar=False).reshape(len(cands), len(cands)))
            for i, name in enumerate(cands):
                clash = [cands[j] for j in range(i) if cands[j] in kept and abs(R[i, j]) > self.corr_threshold]
                if clash:
                    self.drop_reasons_[name] = f"|corr| > {self.corr_threshold} with {clash[0]} (higher IV)"
                else:
                    kept.append(name)
        if self.max_features is not None:
            for name in kept[self.max_features :]:
                self.drop_reasons_[name] = f"beyond max_features={self.max_features}"
            kept = kept[: self.max_features]

        # 3) logistic regression; with WoE = ln(%bad/%good) a coefficient must be positive, so drop the most
        #    negative one and refit until all are positive (a negative one means collinearity flipped a sign).
        coef = np.empty(0)
        intercept = float(np.log(yv.mean() / (1 - yv.mean())))
        while kept:
            W = np.column_stack([woe[c] for c in kept])
            lr = LogisticRegression(C=self.C, max_iter=self.max_iter)
            lr.fit(W, yv)
            coef, intercept = lr.coef_[0].copy(), float(lr.intercept_[0])
            worst = int(np.argmin(coef))
            if coef[worst] > 0:
                break
            self.drop_reasons_[kept[worst]] = f"non-positive coefficient {coef[worst]:.4g} after fit"
            kept.pop(worst)
            coef = np.empty(0)
        if not kept:
            intercept = float(np.log(yv.mean() / (1 - yv.mean())))

        self.selected_features_ = kept
        self.coef_ = pd.Series(coef, index=kept, dtype=float)
        self.intercept_ = intercept
        self._compile()
        return self

    def _compile(self) -> None:
        """Turn the model into per-variable lookup arrays (slot -> points, slot -> coef*WoE)."""
        self.factor_ = self.pdo / math.log(2)
        self.offset_ = self.base_points - self.factor_ * math.log(self.base_odds)
        kept = self.selected_features_
        n = len(kept)
        self._vars = [self._all_vars[c] for c in kept]
        self._beta_woe = [float(self.coef_[c]) * v.woe for c, v in zip(kept, self._vars, strict=True)]
        # Convention: points_j = -(coef_j * woe_j + intercept / n) * factor + offset / n, so that
        # sum_j points_j = offset - factor * (intercept + sum_j coef_j * woe_j) = offset - factor * logit(p_bad).
        self._points = [-(bw + self.intercept_ / n) * self.factor_ + self.offset_ / n for bw in self._beta_woe]
        # With no variable left the score is constant: the intercept-only model's score.
        self._score_const = 0.0 if n else self.offset_ - self.factor_ * self.intercept_
        if self.round_points:
            self._points = [np.round(p) for p in self._points]
            self._score_const = float(np.round(self._score_const))
        self._max_points = [float(p.max()) for p in self._points]

    # ---------------------------------------------------------------------------------------------- scoring

    def _slots(self, X: pd.DataFrame) -> list[np.ndarray]:
        self._check_fitted()
        if not isinstance(X, pd.DataFrame):
            raise TypeError(f"X must be a pandas DataFrame, got {type(X).__name__}")
        colmap = {str(c): c for c in X.columns}
        missing = [v.name for v in self._vars if v.name not in colmap]
        if missing:
            raise ValueError(f"X is missing column(s) required by the scorecard: {missing}")
        return [v.slots(X[colmap[v.name]]) for v in self._vars]

    def score(self, X: pd.DataFrame) -> np.ndarray:
        """Total points per row (float array); higher = more trustworthy. Extra columns in ``X`` are ignored."""
        slots = self._slots(X)
        total = np.full(len(X), self._score_const, dtype=np.float64)
        for pts, idx in zip(self._points, slots, strict=True):
            total += pts[idx]
        return total

    def decision_function(self, X: pd.DataFrame) -> np.ndarray:
        """Model log-odds of bad, ``logit(p_bad)``, computed from the same lookup tables."""
        slots = self._slots(X)
        lp = np.full(len(X), self.intercept_, dtype=np.float64)
        for bw, idx in zip(self._beta_woe, slots, strict=True):
            lp += bw[idx]
        return lp

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """``(n, 2)`` array like sklearn: column 0 = P(good), column 1 = P(bad)."""
        p = expit(self.decision_function(X))
        return np.column_stack([1.0 - p, p])

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """WoE-encoded selected variables (the model's design matrix)."""
        slots = self._slots(X)
        return pd.DataFrame({v.name: v.woe[idx] for v, idx in zip(self._vars, slots, strict=True)}, index=X.index)

    def points(self, X: pd.DataFrame) -> pd.DataFrame:
        """Points per selected variable per row; rows sum to ``score(X)`` (plus the constant if no variables)."""
        slots = self._slots(X)
        return pd.DataFrame(
            {v.name: p[idx] for v, p, idx in zip(self._vars, self._points, slots, strict=True)}, index=X.index
        )

    def reasons(self, X: pd.DataFrame, n: int = 3, *, as_frame: bool = False) -> list[list[Reason]] | pd.DataFrame:
        """Top ``n`` reasons per row: variables whose bin cost the most points versus that variable's best bin.

        Returns, per row, a list of :class:`Reason` ``(column, bin, points_lost)`` sorted by points lost
        (descending, ties in order of ``selected_features_``); variables where the row already sits in the best
        bin (nothing lost) are omitted, so a list can be shorter than ``n``. ``str(reason)`` gives
        ``"column: bin"`` for display. With ``as_frame=True`` a long DataFrame is returned instead with columns
        ``row`` (index label of X), ``rank`` (1 = largest loss), ``column``, ``bin``, ``points_lost``.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        slots = self._slots(X)
        k = min(n, len(self._vars))
        if k == 0 or len(X) == 0:
            out: list[list[Reason]] = [[] for _ in range(len(X))]
            return _reasons_frame(out, X.index) if as_frame else out
        loss = np.column_stack([mx - p[idx] for mx, p, idx in zip(self._max_points, self._points, slots, strict=True)])
        top = np.argsort(-loss, axis=1, kind="stable")[:, :k]
        top_loss = np.take_along_axis(loss, top, axis=1)
        top_slot = np.take_along_axis(np.column_stack(slots), top, axis=1)
        names = [v.name for v in self._vars]
        labels = [v.labels for v in self._vars]
        out = []
        for r in range(len(X)):
            row = []
            for j, lost, slot in zip(top[r], top_loss[r], top_slot[r], strict=True):
                if lost <= 1e-9:
                    break
                row.append(Reason(names[j], labels[j][slot], float(lost)))
            out.append(row)
        return _reasons_frame(out, X.index) if as_frame else out

    # ---------------------------------------------------------------------------------------------- reporting

    def points_table(self, include_dropped: bool = False) -> pd.DataFrame:
        """One row per (variable, bin) of the selected variables, in model order.

        Columns: variable, bin, count, goods, bads, bad_rate, woe, iv (this bin's IV contribution), points.
        Every lookup slot is listed, including "Missing", "Special: v" and "Unseen" slots with count 0 (whose
        WoE is 0, i.e. neutral). With ``include_dropped`` the unselected variables follow with NaN points.
        """
        self._check_fitted()
        frames = []
        names = list(self.selected_features_)
        if include_dropped:
            names += [c for c in self.iv_.index if c not in self.selected_features_]
        pts = dict(zip(self.selected_features_, self._points, strict=True))
        for name in names:
            v = self._all_vars[name]
            count = v.good + v.bad
            with np.errstate(invalid="ignore", divide="ignore"):
                bad_rate = np.where(count > 0, v.bad / np.maximum(count, 1), np.nan)
            frames.append(
                pd.DataFrame(
                    {
                        "variable": name,
                        "bin": v.labels,
                        "count": count.astype(int),
                        "goods": v.good.astype(int),
                        "bads": v.bad.astype(int),
                        "bad_rate": bad_rate,
                        "woe": v.woe,
                        "iv": v.iv_contrib,
                        "points": pts.get(name, np.full(len(v.labels), np.nan)),
                    }
                )
            )
        cols = ["variable", "bin", "count", "goods", "bads", "bad_rate", "woe", "iv", "points"]
        if not frames:
            return pd.DataFrame(columns=cols)
        return pd.concat(frames, ignore_index=True)[cols]


def _same(a: Any, b: Any) -> bool:
    """Equality that tolerates uncomparable types (categorical values may be mixed)."""
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _reasons_frame(out: list[list[Reason]], index: pd.Index) -> pd.DataFrame:
    rows = [(index[r], rank + 1, *reason) for r, lst in enumerate(out) for rank, reason in enumerate(lst)]
    return pd.DataFrame(rows, columns=["row", "rank", "column", "bin", "points_lost"])
