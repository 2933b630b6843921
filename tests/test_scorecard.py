"""Tests for scoring.scorecard: binning shape, points arithmetic, missing/special/unseen handling, reasons, errors."""

import math
from itertools import pairwise

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from scoring.scorecard import MISSING_LABEL, UNSEEN_LABEL, Reason, Scorecard

EDU_LEVELS = ["primary", "secondary", "bachelor", "master"]  # known order: risk falls with education
EDU_EFFECT = {"primary": 0.9, "secondary": 0.3, "bachelor": -0.3, "master": -0.9}


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def make_known(n: int = 6000, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Bad probability rises with late_payments, falls with age, falls along EDU_LEVELS; noise is pure noise."""
    rng = np.random.default_rng(seed)
    late = rng.poisson(1.5, n)
    age = rng.integers(20, 71, n)
    edu = rng.choice(EDU_LEVELS, n)
    noise = rng.normal(size=n)
    logit = -1.6 + 0.55 * late - 0.04 * (age - 45) + pd.Series(edu).map(EDU_EFFECT).to_numpy()
    y = (rng.random(n) < _sigmoid(logit)).astype(int)
    X = pd.DataFrame({"late_payments": late, "age": age, "education": edu, "noise": noise})
    return X, y


@pytest.fixture(scope="module")
def known():
    X, y = make_known()
    return X, y, Scorecard().fit(X, y)


def _regular_rows(table: pd.DataFrame, var: str) -> pd.DataFrame:
    rows = table[table.variable == var]
    return rows[rows.bin.str.startswith("[")]


# ---------------------------------------------------------------------------------------------- binning shape


def test_numeric_woe_monotone_in_the_data_direction(known):
    _, _, sc = known
    table = sc.points_table()
    late = _regular_rows(table, "late_payments")
    age = _regular_rows(table, "age")
    assert len(late) >= 2 and len(age) >= 2
    # WoE = ln(%bad/%good): rises with late payments, falls with age.
    assert np.all(np.diff(late.woe.to_numpy()) > 0)
    assert np.all(np.diff(age.woe.to_numpy()) < 0)
    assert sc.trends_["late_payments"] == "increasing"
    assert sc.trends_["age"] == "decreasing"


def test_categorical_woe_follows_known_ordering(known):
    _, _, sc = known
    woe = sc.transform(pd.DataFrame({"late_payments": 0, "age": 40, "education": EDU_LEVELS, "noise": 0.0}))
    w = woe["education"].to_numpy()
    assert np.all(np.diff(w) <= 0)  # may merge neighbours, never reorder
    assert w[0] > w[-1]


def test_noise_dropped_by_iv_and_signal_kept(known):
    _, _, sc = known
    assert "noise" not in sc.selected_features_
    assert "IV" in sc.drop_reasons_["noise"]
    assert sc.iv_["noise"] < sc.iv_threshold
    assert set(sc.selected_features_) == {"late_payments", "age", "education"}
    assert (sc.coef_ > 0).all()


def test_points_decrease_with_late_payments(known):
    _, _, sc = known
    grid = pd.DataFrame({"late_payments": np.arange(0, 9), "age": 40, "education": "bachelor", "noise": 0.0})
    pts = sc.points(grid)["late_payments"].to_numpy()
    assert np.all(np.diff(pts) <= 1e-12)
    assert pts[0] > pts[-1]
    total = sc.score(grid)
    assert np.all(np.diff(total) <= 1e-9) and total[0] > total[-1]


def test_monotone_override_forces_direction():
    rng = np.random.default_rng(3)
    n = 8000
    x = rng.normal(size=n)
    y = (rng.random(n) < _sigmoid(-1 + 1.2 * np.abs(x))).astype(int)  # U-shaped risk
    X = pd.DataFrame({"x": x})
    auto = Scorecard(iv_threshold=0).fit(X, y)
    assert auto.trends_["x"] == "none"  # data clearly supports the U shape
    forced = Scorecard(monotone={"x": "increasing"}, iv_threshold=0).fit(X, y)
    w = _regular_rows(forced.points_table(include_dropped=True), "x").woe.to_numpy()
    assert forced.trends_["x"] == "increasing"
    assert np.all(np.diff(w) >= 0)


def test_min_bin_size_respected(known):
    X, _, sc = known
    table = sc.points_table()
    regular = table[~table.bin.isin([MISSING_LABEL, UNSEEN_LABEL]) & ~table.bin.str.startswith("Special")]
    assert (regular["count"] >= math.ceil(sc.min_bin_frac * len(X))).all()
    assert table.groupby("variable")["count"].sum().eq(len(X)).all()


def _chi2(g1, b1, g2, b2):
    table = np.array([[g1, b1], [g2, b2]], dtype=float)
    expected = table.sum(1, keepdims=True) * table.sum(0, keepdims=True) / table.sum()
    return ((table - expected) ** 2 / expected).sum()


def test_adjacent_bins_differ_significantly(known, messy):
    # ChiMerge stops only when every pair of neighbouring regular bins differs at chi2_alpha (df = 1).
    crit = 3.841458820694124  # chi2.ppf(0.95, 1)
    for _, _, sc in (known, messy):
        table = sc.points_table()
        regular = table[~table.bin.isin([MISSING_LABEL, UNSEEN_LABEL]) & ~table.bin.str.startswith("Special")]
        for _, rows in regular.groupby("variable"):
            assert len(rows) <= sc.max_bins
            gb = rows[["goods", "bads"]].to_numpy()
            for (g1, b1), (g2, b2) in pairwise(gb):
                assert _chi2(g1, b1, g2, b2) >= crit


def test_laplace_smoothing_keeps_pure_bins_finite():
    rng = np.random.default_rng(5)
    n = 4000
    flag = rng.random(n) < 0.3
    y = np.where(flag, 0, (rng.random(n) < 0.4).astype(int))  # flag=True rows are never bad
    sc = Scorecard().fit(pd.DataFrame({"flag": flag}), y)
    t = sc.points_table()
    assert np.isfinite(t.woe).all() and np.isfinite(t.points).all()
    pure = t[(t.bads == 0) & (t["count"] > 0)]
    assert len(pure) == 1 and pure["count"].iloc[0] == flag.sum()
    assert pure.woe.iloc[0] == t.woe.min() < 0


def test_correlated_copy_dropped_keeping_higher_iv():
    X, y = make_known(seed=1)
    rng = np.random.default_rng(1)
    X["late_copy"] = X["late_payments"] + rng.integers(0, 2, len(X)) * (X["late_payments"] > 3)
    sc = Scorecard().fit(X, y)
    pair = {"late_payments", "late_copy"}
    assert len(pair & set(sc.selected_features_)) == 1
    kept = (pair & set(sc.selected_features_)).pop()
    dropped = (pair - {kept}).pop()
    assert "corr" in sc.drop_reasons_[dropped]
    assert sc.iv_[kept] >= sc.iv_[dropped]


def test_wrong_sign_variable_removed():
    # b is positively associated with bad on its own (through a) but negatively given a: its coefficient on WoE
    # comes out negative and must be removed.
    rng = np.random.default_rng(11)
    n = 20000
    a = rng.normal(size=n)
    b = a + rng.normal(size=n)
    y = (rng.random(n) < _sigmoid(-1 + 2.0 * a - 0.6 * b)).astype(int)
    sc = Scorecard().fit(pd.DataFrame({"a": a, "b": b}), y)
    assert sc.iv_["b"] > sc.iv_threshold
    assert sc.selected_features_ == ["a"]
    assert "coefficient" in sc.drop_reasons_["b"]
    assert (sc.coef_ > 0).all()


def test_max_features():
    X, y = make_known(seed=2)
    sc = Scorecard(max_features=1).fit(X, y)
    assert sc.selected_features_ == [sc.iv_.index[0]]


# ---------------------------------------------------------------------------------------------- points arithmetic


@pytest.mark.parametrize("base_points,base_odds,pdo", [(600, 50, 20), (500, 20, 40)])
def test_score_maps_exactly_to_model_log_odds(base_points, base_odds, pdo):
    X, y = make_known(seed=4)
    sc = Scorecard(base_points=base_points, base_odds=base_odds, pdo=pdo).fit(X, y)
    assert sc.factor_ == pytest.approx(pdo / math.log(2))
    assert sc.offset_ == pytest.approx(base_points - sc.factor_ * math.log(base_odds))
    p = sc.predict_proba(X)
    assert p.shape == (len(X), 2) and np.allclose(p.sum(axis=1), 1)
    log_odds_bad = np.log(p[:, 1] / p[:, 0])
    s = sc.score(X)
    np.testing.assert_allclose(s, sc.offset_ - sc.factor_ * log_odds_bad, rtol=0, atol=1e-8)
    # Equivalently: base odds (good:bad) score base_points, every doubling of the good odds adds pdo points.
    np.testing.assert_allclose(s, base_points + pdo * np.log2(p[:, 0] / p[:, 1] / base_odds), rtol=0, atol=1e-8)
    i, j = np.argmin(s), np.argmax(s)
    doublings = np.log2((p[j, 0] / p[j, 1]) / (p[i, 0] / p[i, 1]))
    assert s[j] - s[i] == pytest.approx(pdo * doublings, abs=1e-8)
    # The points table is the scorecard: per-variable points add up to the score.
    np.testing.assert_allclose(sc.points(X).sum(axis=1), s, rtol=0, atol=1e-8)


def test_per_variable_points_formula(known):
    _, _, sc = known
    t = sc.points_table()
    n = len(sc.selected_features_)
    expect = -(t.variable.map(sc.coef_) * t.woe + sc.intercept_ / n) * sc.factor_ + sc.offset_ / n
    np.testing.assert_allclose(t.points, expect, rtol=0, atol=1e-9)
    assert t.groupby("variable")["iv"].sum().to_dict() == pytest.approx(sc.iv_[t.variable.unique()].to_dict())


def test_round_points_keeps_exact_probabilities():
    X, y = make_known(seed=6)
    exact = Scorecard().fit(X, y)
    rounded = Scorecard(round_points=True).fit(X, y)
    assert (rounded.points_table().points % 1 == 0).all()
    s = rounded.score(X)
    assert (s % 1 == 0).all()
    np.testing.assert_allclose(rounded.predict_proba(X), exact.predict_proba(X))
    assert np.abs(s - exact.score(X)).max() <= 0.5 * len(rounded.selected_features_)


def test_deterministic():
    X, y = make_known(seed=7)
    t1 = Scorecard().fit(X, y).points_table()
    t2 = Scorecard().fit(X.copy(), y.copy()).points_table()
    pd.testing.assert_frame_equal(t1, t2)


# ------------------------------------------------------------------------------------- missing / special / unseen


def make_messy(n: int = 6000, seed: int = 8) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    income = rng.lognormal(9, 0.5, n)
    miss = rng.random(n) < 0.10
    special = ~miss & (rng.random(n) < 0.06)
    city = rng.choice(["A", "B", "C", "D"], n, p=[0.4, 0.3, 0.2, 0.1]).astype(object)
    rare = rng.random(n) < 0.03
    city[rare] = rng.choice(["R1", "R2", "R3"], rare.sum())
    city_missing = rng.random(n) < 0.05
    city[city_missing] = None
    logit = -1.5 - 0.8 * (np.log(income) - 9) + 1.5 * miss - 0.8 * special + 0.5 * (city == "D")
    y = (rng.random(n) < _sigmoid(logit)).astype(int)
    income = np.where(miss, np.nan, np.where(special, -999.0, income))
    X = pd.DataFrame({"income": income, "city": city})
    return X, y


@pytest.fixture(scope="module")
def messy():
    X, y = make_messy()
    return X, y, Scorecard(special_values={"income": [-999, -1]}, iv_threshold=0).fit(X, y)


def test_missing_and_special_values_get_own_bins(messy):
    X, _, sc = messy
    t = sc.points_table().set_index(["variable", "bin"])
    assert t.loc[("income", MISSING_LABEL), "count"] == X.income.isna().sum()
    assert t.loc[("income", "Special: -999"), "count"] == (X.income == -999).sum()
    assert t.loc[("city", MISSING_LABEL), "count"] == X.city.isna().sum()
    # missing income is riskier than average by construction, -999 safer
    assert t.loc[("income", MISSING_LABEL), "woe"] > 0 > t.loc[("income", "Special: -999"), "woe"]
    # -1 was configured but never seen: its own slot with neutral WoE
    assert t.loc[("income", "Special: -1"), "count"] == 0 and t.loc[("income", "Special: -1"), "woe"] == 0
    # scoring puts those rows on exactly those slots
    pts = sc.points(pd.DataFrame({"income": [np.nan, -999.0, -1.0, 5000.0], "city": ["A", "A", "A", None]}))
    assert pts.income.iloc[0] == t.loc[("income", MISSING_LABEL), "points"]
    assert pts.income.iloc[1] == t.loc[("income", "Special: -999"), "points"]
    assert pts.income.iloc[2] == t.loc[("income", "Special: -1"), "points"]
    assert pts.city.iloc[3] == t.loc[("city", MISSING_LABEL), "points"]


def test_unseen_category_goes_to_pooled_other_bin(messy):
    _, _, sc = messy
    t = sc.points_table()
    city = t[t.variable == "city"]
    other = city[city.bin.str.contains("Other (", regex=False)]
    assert len(other) == 1 and all(r in other.bin.iloc[0] for r in ("R1", "R2", "R3"))
    new = pd.DataFrame({"income": [5000.0, 5000.0], "city": ["Atlantis", "R2"]})
    pts = sc.points(new)
    assert pts.city.iloc[0] == other.points.iloc[0] == pts.city.iloc[1]
    # category dtype takes a different code path; same answer
    cat = new.astype({"city": pd.CategoricalDtype(["Atlantis", "R2", "A"])})
    np.testing.assert_array_equal(sc.score(cat), sc.score(new))


def test_unseen_category_neutral():
    X, y = make_messy()
    sc = Scorecard(unseen="neutral", iv_threshold=0).fit(X, y)
    t = sc.points_table()
    row = t[(t.variable == "city") & (t.bin == UNSEEN_LABEL)]
    assert len(row) == 1 and row.woe.iloc[0] == 0 and row["count"].iloc[0] == 0
    n = len(sc.selected_features_)
    neutral = -(sc.intercept_ / n) * sc.factor_ + sc.offset_ / n
    pts = sc.points(pd.DataFrame({"income": [5000.0], "city": ["Atlantis"]}))
    assert pts.city.iloc[0] == pytest.approx(neutral) == row.points.iloc[0]


def test_missing_at_scoring_without_missing_in_training(known):
    _, _, sc = known
    new = pd.DataFrame({"late_payments": [np.nan], "age": [None], "education": [None]}).astype(
        {"late_payments": float, "age": float}
    )
    pts = sc.points(new)
    n = len(sc.selected_features_)
    neutral = -(sc.intercept_ / n) * sc.factor_ + sc.offset_ / n
    np.testing.assert_allclose(pts.to_numpy(), neutral)


# ---------------------------------------------------------------------------------------------- reasons


@pytest.mark.parametrize("n", [1, 2, 3])
def test_reasons_consistent_with_points(known, n):
    X, _, sc = known
    rows = X.iloc[:300]
    pts = sc.points(rows)
    best = sc.points_table().groupby("variable")["points"].max()
    loss = best[pts.columns].to_numpy() - pts.to_numpy()
    reasons = sc.reasons(rows, n=n)
    table = sc.points_table()
    assert len(reasons) == len(rows)
    for r, lst in enumerate(reasons):
        assert len(lst) <= n
        assert len(lst) == min(n, int((loss[r] > 1e-9).sum()))
        if not lst:
            continue
        top = lst[0]
        assert isinstance(top, Reason)
        assert top.points_lost == pytest.approx(best[top.column] - pts[top.column].iloc[r])
        assert top.points_lost == pytest.approx(loss[r].max())
        assert [x.points_lost for x in lst] == sorted((x.points_lost for x in lst), reverse=True)
        assert top.bin in set(table[table.variable == top.column].bin)
        assert str(top) == f"{top.column}: {top.bin}"


def test_reasons_frame_and_best_row(known):
    X, _, sc = known
    frame = sc.reasons(X.iloc[:50], n=2, as_frame=True)
    assert list(frame.columns) == ["row", "rank", "column", "bin", "points_lost"]
    assert frame.groupby("row")["rank"].max().le(2).all()
    # a row sitting in the best bin of every variable loses nothing
    best = pd.DataFrame({"late_payments": [0], "age": [70], "education": ["master"], "noise": [0.0]})
    assert sc.reasons(best) == [[]]


# ---------------------------------------------------------------------------------------------- accuracy


def test_auc_close_to_oracle():
    rng = np.random.default_rng(12)
    n = 20000
    X = pd.DataFrame({f"x{i}": rng.normal(size=n) for i in range(6)})
    X["grade"] = rng.choice(list("ABCDE"), n)
    X.loc[rng.random(n) < 0.05, "x1"] = np.nan
    grade = X["grade"].map(dict(zip("ABCDE", [-1.0, -0.5, 0.0, 0.5, 1.0], strict=True))).to_numpy()
    logit = -1.2 + 0.9 * X.x0 - 0.6 * X.x1.fillna(1.0) + 0.4 * np.abs(X.x2) + grade
    p = _sigmoid(logit.to_numpy())
    y = (rng.random(n) < p).astype(int)
    train, test = np.arange(n) < 14000, np.arange(n) >= 14000
    sc = Scorecard().fit(X[train], y[train])
    auc = roc_auc_score(y[test], sc.predict_proba(X[test])[:, 1])
    oracle = roc_auc_score(y[test], p[test])
    assert auc > oracle - 0.03, (auc, oracle)


# ---------------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "y,match",
    [
        ([0, 1, 2] * 10, "only 0"),
        (["good", "bad", "good"] * 10, "only 0"),
        ([0] * 30, "single class"),
        ([1] * 30, "single class"),
        ([0, 1, np.nan] * 10, "missing"),
        ([0, 1] * 10, "different lengths"),
    ],
)
def test_bad_y_raises(y, match):
    X = pd.DataFrame({"a": np.arange(30.0)})
    with pytest.raises(ValueError, match=match):
        Scorecard().fit(X, y)


def test_missing_column_at_scoring(known):
    X, _, sc = known
    with pytest.raises(ValueError, match="age"):
        sc.score(X.drop(columns=["age"]))
    with pytest.raises(ValueError, match="non-numeric"):
        sc.score(X.assign(age="old"))


def test_unfitted_and_bad_params():
    with pytest.raises(RuntimeError, match="not fitted"):
        Scorecard().score(pd.DataFrame({"a": [1]}))
    with pytest.raises(ValueError, match="monotone"):
        Scorecard(monotone={"a": "up"}).fit(pd.DataFrame({"a": [1.0, 2.0]}), [0, 1])


def test_column_dtypes_score_consistently():
    rng = np.random.default_rng(13)
    n = 5000
    has_car = rng.random(n) < 0.4
    region = rng.choice(["north", "south", "east", "west"], n)
    y = (rng.random(n) < _sigmoid(-1 - 0.8 * has_car + 0.6 * (region == "east"))).astype(int)
    X = pd.DataFrame({"has_car": has_car, "region": region.astype(object), "grade": rng.integers(1, 4, n)})
    sc = Scorecard(categorical_features=["grade"], iv_threshold=0).fit(X, y)
    assert sc.trends_["grade"] == "by bad rate"
    ref = sc.points(X)
    counts = sc.points_table().set_index(["variable", "bin"])["count"]
    assert counts.groupby(level=0).sum().eq(n).all()
    variants = [
        X.astype({"has_car": "boolean", "region": "string"}),
        X.astype({"has_car": object, "region": "category", "grade": object}),
        X.astype({"region": pd.CategoricalDtype(["west", "east", "south", "north", "mars"])}),
    ]
    for alt in variants:
        pd.testing.assert_frame_equal(sc.points(alt), ref)


def test_categorical_special_value_kept_apart_from_pooling():
    X, y = make_messy()
    X.loc[X.index[:40], "city"] = "UNKNOWN"  # rare: would be pooled into "Other" if it were not special
    sc = Scorecard(special_values={"income": [-999], "city": ["UNKNOWN"]}, iv_threshold=0).fit(X, y)
    t = sc.points_table().set_index(["variable", "bin"])
    assert t.loc[("city", "Special: UNKNOWN"), "count"] == 40
    assert not any("UNKNOWN" in b for b in t.loc["city"].index if not b.startswith("Special"))
    pts = sc.points(pd.DataFrame({"income": [5000.0], "city": ["UNKNOWN"]}))
    assert pts.city.iloc[0] == t.loc[("city", "Special: UNKNOWN"), "points"]
