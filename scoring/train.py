"""Training: champion (scorecard) versus challenger (gradient boosting), out-of-time validation, report, registration.

Protocol. Features at the training date T0 with the 12-month outcome after it; the same at the test date
T1 = T0 + 12 months (out-of-time: later subjects, later records, nothing of T1's outcome window seen in training).
By default T1 is the latest date whose 12-month outcome window is fully in the store.

Calibration. The scorecard's probabilities come from its logistic regression on WoE, fitted without class
weighting on the full training population: calibrated by construction. The challenger is fitted on 75 % of the
training population and calibrated on the held-out 25 % (isotonic when that slice holds at least 1,000 events,
otherwise sigmoid, which needs fewer).

Champion rule. The challenger replaces the scorecard only if its out-of-time AUC is higher by at least
MIN_AUC_GAIN (0.01) and its out-of-time Brier score is not worse; otherwise, and on ties, the scorecard stays
champion because every one of its points can be explained to the subject.

A run writes nothing until it has finished: the new version is registered and put in service in one transaction,
so a failed run leaves the model in service untouched.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select, text, update
from sqlalchemy.orm import Session

from data import audit
from data.db import Store
from data.models import ModelVersion, Setting, TrainingJob
from data.reference import SUBJECT_KINDS, TOWN_NAMES
from scoring.features import (
    FEATURE_LABELS,
    FEATURE_NAMES,
    SEGMENTS,
    build_features,
    segment_features,
    segment_of,
)
from scoring.model import (
    BASE_ODDS,
    BASE_POINTS,
    DEFAULT_GRADE_CUTOFFS,
    GRADES,
    PDO,
    SETTING_GRADE_CUTOFFS,
    CreditModel,
    bin_text,
    check_grade_cutoffs,
    drop_reason_text,
    grade_bands,
    grades_for,
)
from scoring.scorecard import Scorecard
from scoring.target import HORIZON_MONTHS, serious_event_target

Progress = Callable[[str, int, int], None]

MIN_AUC_GAIN = 0.01
CALIBRATION_SHARE = 0.25
ISOTONIC_MIN_EVENTS = 1000
SEED = 20261129
# A job row still "running" after this long belongs to a process that died; a new run may start.
STALE_JOB_HOURS = 3

# The models see every feature but the town: an address is not a credit indicator of the template, and on
# generated districts it only added noise (town stays in the frame for the report's distributions).
MODEL_FEATURES: tuple[str, ...] = tuple(name for name in FEATURE_NAMES if name != "town")
# Serious events are rare (about 0.4 % a year): a variable needs an IV of 0.03 and the regression is strongly
# regularised, which kept out-of-time AUC stable from 40,000 to 260,000 subjects. Bins hold at least
# MIN_BIN_SUBJECTS subjects (and 0.2 %), so that at district scale rare but telling attributes (a black listing)
# keep a bin of their own while small stores do not chase noise.
SCORECARD_PARAMS: dict[str, Any] = {"max_bins": 6, "iv_threshold": 0.03, "C": 0.05}
MIN_BIN_SUBJECTS = 400
MIN_BIN_SHARE = 0.002
MIN_EVENTS = 20
MIN_SEGMENT_EVENTS = 5
CHALLENGER_PARAMS: dict[str, Any] = {
    "max_iter": 300,
    "learning_rate": 0.05,
    "max_depth": 3,
    "min_samples_leaf": 200,
    "l2_regularization": 1.0,
    "early_stopping": True,
    "validation_fraction": 0.15,
    "n_iter_no_change": 30,
    "scoring": "loss",
}


class TrainingError(RuntimeError):
    """Training cannot run (message in Chinese)."""


@dataclass
class TrainingResult:
    version_id: int
    report: dict[str, Any]


# ------------------------------------------------------------------------------------------------ dates and settings


def _month_end(day: dt.date) -> dt.date:
    return (pd.Timestamp(day) + pd.offsets.MonthEnd(0)).date()


def data_end(engine: Engine) -> dt.date | None:
    """End of the month of the latest decision or listing: the store is taken as complete up to then."""
    with engine.connect() as connection:
        latest = connection.execute(text(
            "SELECT MAX(d) FROM (SELECT MAX(decision_date) AS d FROM credit_records "
            "UNION ALL SELECT MAX(listed_on) FROM list_entries) t")).scalar()
    if latest is None:
        return None
    return _month_end(pd.Timestamp(latest).date())


def current_date(engine: Engine, today: dt.date | None = None) -> dt.date:
    """The date scores are computed as of: today, or the end of the data if the store stops earlier (demo)."""
    today = today or dt.date.today()
    end = data_end(engine)
    return min(today, end) if end else today


def default_as_of(engine: Engine) -> dt.date:
    """The latest test date whose 12-month outcome window lies entirely within the store."""
    end = data_end(engine)
    if end is None:
        raise TrainingError("库中没有信用记录，无法训练模型")
    return _month_end((pd.Timestamp(end) - pd.DateOffset(months=HORIZON_MONTHS)).date())


def grade_cutoffs(session: Session) -> dict[str, float]:
    """The district's cut-offs (setting "model.grade_cutoffs") or the documented defaults."""
    setting = session.get(Setting, SETTING_GRADE_CUTOFFS)
    if setting is None:
        return dict(DEFAULT_GRADE_CUTOFFS)
    try:
        return check_grade_cutoffs(json.loads(setting.value))
    except json.JSONDecodeError as error:
        raise TrainingError(f"设置 {SETTING_GRADE_CUTOFFS} 不是有效的 JSON：{error}") from error


def save_grade_cutoffs(session: Session, cutoffs: dict[str, Any]) -> dict[str, float]:
    values = check_grade_cutoffs(cutoffs)
    setting = session.get(Setting, SETTING_GRADE_CUTOFFS)
    payload = json.dumps(values, ensure_ascii=False)
    if setting is None:
        session.add(Setting(key=SETTING_GRADE_CUTOFFS, value=payload, updated_at=dt.datetime.now()))
    else:
        setting.value, setting.updated_at = payload, dt.datetime.now()
    return values


# ------------------------------------------------------------------------------------------------ metrics


def _auc(y: np.ndarray, p: np.ndarray) -> float | None:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, p)) if 0 < y.sum() < len(y) else None


def evaluate(y: np.ndarray, probability: np.ndarray, bins: int = 10) -> dict[str, Any]:
    """AUC, KS, Gini, Brier and calibration-curve points (equal-count groups by predicted probability)."""
    from sklearn.metrics import brier_score_loss, roc_curve

    y = np.asarray(y, dtype=np.int8)
    p = np.asarray(probability, dtype=np.float64)
    auc = _auc(y, p)
    ks = None
    if auc is not None:
        fpr, tpr, _ = roc_curve(y, p)
        ks = float(np.max(tpr - fpr))
    order = np.argsort(p, kind="stable")
    calibration = [
        {"predicted": float(p[part].mean()), "observed": float(y[part].mean()), "count": len(part)}
        for part in np.array_split(order, min(bins, len(order))) if len(part)
    ]
    return {
        "auc": auc,
        "gini": None if auc is None else 2 * auc - 1,
        "ks": ks,
        "brier": float(brier_score_loss(y, p)) if len(y) else None,
        "mean_predicted": float(p.mean()) if len(p) else None,
        "observed_rate": float(y.mean()) if len(y) else None,
        "calibration": calibration,
    }


def population_stability(expected: np.ndarray, actual: np.ndarray, bins: int = 10) -> dict[str, Any]:
    """PSI of `actual` against `expected` on the deciles of `expected` (0.1 / 0.25 are the usual alert levels)."""
    edges = np.unique(np.quantile(expected, np.linspace(0, 1, bins + 1)[1:-1]))
    e = np.bincount(np.searchsorted(edges, expected, side="right"), minlength=len(edges) + 1) / len(expected)
    a = np.bincount(np.searchsorted(edges, actual, side="right"), minlength=len(edges) + 1) / len(actual)
    e_s, a_s = np.maximum(e, 1e-6), np.maximum(a, 1e-6)
    psi = float(np.sum((a_s - e_s) * np.log(a_s / e_s)))
    return {"psi": psi, "edges": [float(x) for x in edges], "expected": e.tolist(), "actual": a.tolist()}


def oracle_auc(truth_path: Path | None, as_of: dt.date, subject_ids: pd.Index, y: pd.Series
               ) -> tuple[float | None, int]:
    """AUC of the generator's true probabilities on the test subjects at `as_of` (the best achievable)."""
    if truth_path is None or not Path(truth_path).exists():
        return None, 0
    truth = pd.read_csv(truth_path, usecols=["subject_id", "observation_date", "true_probability"],
                        dtype={"subject_id": "int64", "observation_date": "str", "true_probability": "float64"})
    truth = truth[truth["observation_date"] == as_of.isoformat()].set_index("subject_id")["true_probability"]
    common = subject_ids.intersection(truth.index)
    if not len(common):
        return None, 0
    return _auc(y.loc[common].to_numpy(), truth.loc[common].to_numpy()), len(common)


# ------------------------------------------------------------------------------------------------ models


def fit_scorecards(X: pd.DataFrame, y: pd.Series) -> dict[str, Scorecard]:
    """One scorecard per segment, each on the features that apply to it."""
    segment = segment_of(X["kind"].astype(object).to_numpy())
    cards = {}
    for name, label in SEGMENTS.items():
        rows = segment == name
        events = int(y[rows].sum())
        if events < MIN_SEGMENT_EVENTS or events == int(rows.sum()):
            raise TrainingError(f"{label}样本中的严重失信事件只有 {events} 起，无法训练该类主体的评分卡"
                                f"（至少需要 {MIN_SEGMENT_EVENTS} 起）")
        min_bin_frac = min(0.05, max(MIN_BIN_SHARE, MIN_BIN_SUBJECTS / int(rows.sum())))
        features = segment_features(name, MODEL_FEATURES)
        cards[name] = Scorecard(min_bin_frac=min_bin_frac, **SCORECARD_PARAMS).fit(X.loc[rows, features], y[rows])
    return cards


def fit_challenger(X: pd.DataFrame, y: pd.Series, seed: int = SEED) -> Any:
    """Gradient boosting fitted on 75 % of the training population, calibrated on the other 25 %."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.frozen import FrozenEstimator
    from sklearn.model_selection import train_test_split

    fit_x, cal_x, fit_y, cal_y = train_test_split(X[list(MODEL_FEATURES)], y, test_size=CALIBRATION_SHARE,
                                                  stratify=y, random_state=seed)
    booster = HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=seed,
                                             **CHALLENGER_PARAMS)
    booster.fit(fit_x, fit_y)
    method = "isotonic" if cal_y.sum() >= ISOTONIC_MIN_EVENTS else "sigmoid"
    calibrated = CalibratedClassifierCV(FrozenEstimator(booster), method=method).fit(cal_x, cal_y)
    calibrated.calibration_method_ = method
    return calibrated


def _points_table(segment: str, scorecard: Scorecard) -> list[dict[str, Any]]:
    rows = []
    for row in scorecard.points_table().itertuples(index=False):
        rows.append({
            "segment": segment,
            "feature": row.variable,
            "label": FEATURE_LABELS.get(row.variable, row.variable),
            # A slot no training subject fell in (missing, unseen) scores neutral (WoE 0): say so.
            "bin": bin_text(row.variable, row.bin) + ("（训练样本中未出现，按中性计分）" if row.count == 0 else ""),
            "count": int(row.count),
            "bads": int(row.bads),
            "bad_rate": None if pd.isna(row.bad_rate) else float(row.bad_rate),
            "woe": float(row.woe),
            "points": float(row.points),
        })
    return rows


def _feature_table(segment: str, scorecard: Scorecard) -> list[dict[str, Any]]:
    return [
        {"segment": segment, "feature": name, "label": FEATURE_LABELS[name],
         "iv": float(scorecard.iv_.get(name, 0.0)), "selected": name in scorecard.selected_features_,
         "coefficient": float(scorecard.coef_[name]) if name in scorecard.selected_features_ else None,
         "dropped": drop_reason_text(scorecard.drop_reasons_.get(name))}
        for name in scorecard.feature_names_in_
    ]


def _distribution(frame: pd.DataFrame, by: str, names: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for key, part in frame.groupby(by, observed=True):
        counts = part["grade"].value_counts()
        rows.append({
            by: str(key), "name": names.get(str(key), str(key)), "subjects": len(part),
            "mean_score": float(part["score"].mean()), "median_score": float(part["score"].median()),
            "mean_probability": float(part["probability"].mean()),
            "grades": {g: int(counts.get(g, 0)) for g in GRADES},
        })
    return rows


def _histogram(scores: np.ndarray, edges: np.ndarray) -> list[int]:
    return np.histogram(np.clip(scores, edges[0], edges[-1] - 1e-9), bins=edges)[0].tolist()


# ------------------------------------------------------------------------------------------------ the run


def train(store: Store, *, as_of: dt.date | None = None, truth_path: Path | None = None,
          progress: Progress | None = None, created_by: str = "cli", today: dt.date | None = None,
          seed: int = SEED) -> TrainingResult:
    """Train both models, pick the champion, write the report and register the version in service."""
    report_progress = progress or (lambda _stage, _done, _total: None)
    started = time.monotonic()
    engine = store.engine
    test_date = as_of or default_as_of(engine)
    end = data_end(engine)
    if end is None or _month_end((pd.Timestamp(test_date) + pd.DateOffset(months=HORIZON_MONTHS)).date()) > end:
        raise TrainingError(f"检验日 {test_date} 之后 {HORIZON_MONTHS} 个月的结果尚未完整（库中数据截至 {end}），"
                            f"请选择不晚于 {default_as_of(engine) if end else '—'} 的检验日")
    train_date = _month_end((pd.Timestamp(test_date) - pd.DateOffset(months=HORIZON_MONTHS)).date())
    now_date = current_date(engine, today)
    with store.read() as db:
        cutoffs = grade_cutoffs(db)

    report_progress("训练日特征", 0, 1)
    x_train = build_features(engine, train_date)
    y_train = serious_event_target(engine, x_train.index, train_date)
    report_progress("训练日特征", 1, 1)
    if y_train.sum() < MIN_EVENTS or y_train.sum() == len(y_train):
        raise TrainingError(f"训练日 {train_date} 后 12 个月内的严重失信事件只有 {int(y_train.sum())} 起，"
                            f"样本不足，无法训练模型（至少需要 {MIN_EVENTS} 起）")
    report_progress("检验日特征", 0, 1)
    x_test = build_features(engine, test_date)
    y_test = serious_event_target(engine, x_test.index, test_date)
    report_progress("检验日特征", 1, 1)

    report_progress("评分卡", 0, 1)
    scorecards = fit_scorecards(x_train, y_train)
    report_progress("评分卡", 1, 1)
    report_progress("挑战者模型", 0, 1)
    challenger = fit_challenger(x_train, y_train, seed)
    report_progress("挑战者模型", 1, 1)

    report_progress("检验与报告", 0, 3)
    model = CreditModel(algorithm="scorecard", scorecards=scorecards, challenger=challenger,
                        feature_names=MODEL_FEATURES,
                        meta={"train_as_of": train_date.isoformat(), "as_of": test_date.isoformat()})
    p_scorecard = model.scorecard_proba(x_test)
    p_challenger = challenger.predict_proba(x_test[list(MODEL_FEATURES)])[:, 1]
    results = {"scorecard": evaluate(y_test.to_numpy(), p_scorecard),
               "challenger": evaluate(y_test.to_numpy(), p_challenger)}
    results["scorecard"]["train_auc"] = _auc(y_train.to_numpy(), model.scorecard_proba(x_train))
    results["challenger"]["calibration_method"] = challenger.calibration_method_
    test_segment = segment_of(x_test["kind"].astype(object).to_numpy())
    for name in SEGMENTS:
        rows = test_segment == name
        results["scorecard"][f"auc_{name}"] = _auc(y_test.to_numpy()[rows], p_scorecard[rows])
        results["challenger"][f"auc_{name}"] = _auc(y_test.to_numpy()[rows], p_challenger[rows])
    baseline_auc = _auc(y_test.to_numpy(), x_test["adverse_public"].to_numpy() + 10 * x_test["black_active"])
    sc, ch = results["scorecard"], results["challenger"]
    challenger_wins = (sc["auc"] is not None and ch["auc"] is not None and ch["auc"] >= sc["auc"] + MIN_AUC_GAIN
                       and ch["brier"] <= sc["brier"])
    algorithm = "hist_gradient_boosting" if challenger_wins else "scorecard"
    model.algorithm = algorithm
    champion = results["challenger" if challenger_wins else "scorecard"]
    oracle, oracle_n = oracle_auc(truth_path, test_date, x_test.index, y_test)
    report_progress("检验与报告", 1, 3)

    # Stability and distributions: the champion on the training population versus today's population.
    x_now = x_test if now_date == test_date else build_features(engine, now_date)
    report_progress("检验与报告", 2, 3)
    p_train = model.predict_proba(x_train)
    s_train = model.score(x_train, p_train)
    p_now = model.predict_proba(x_now)
    s_now = model.score(x_now, p_now)
    now = pd.DataFrame({"kind": x_now["kind"].astype(str).to_numpy(), "town": x_now["town"].astype(str).to_numpy(),
                        "score": s_now, "probability": p_now, "grade": grades_for(s_now, cutoffs)})
    edges = np.arange(440.0, 741.0, 10.0)
    grade_counts = now["grade"].value_counts()
    report: dict[str, Any] = {
        "algorithm": algorithm,
        "champion": "challenger" if challenger_wins else "scorecard",
        "rule": (f"挑战者模型仅当跨时间检验 AUC 比评分卡高至少 {MIN_AUC_GAIN} 且 Brier 分数不劣于评分卡时替换评分卡；"
                 "否则（含持平）评分卡保持冠军，因为其每一分都可向主体解释。"),
        "as_of": test_date.isoformat(),
        "train_as_of": train_date.isoformat(),
        "scored_as_of": now_date.isoformat(),
        "horizon_months": HORIZON_MONTHS,
        "target": "观察日后 12 个月内被列入黑名单或受到严重行政处罚",
        "auc": champion["auc"],
        "ks": champion["ks"],
        "gini": champion["gini"],
        "brier": champion["brier"],
        "oracle_auc": oracle,
        "oracle_subjects": oracle_n,
        "oracle_gap": None if oracle is None or champion["auc"] is None else oracle - champion["auc"],
        "baseline_auc": baseline_auc,
        "baseline": "按公示中的失信记录数（在列黑名单另加 10 条）排序",
        "models": results,
        "population": {
            "train_subjects": len(x_train), "train_events": int(y_train.sum()),
            "train_event_rate": float(y_train.mean()),
            "test_subjects": len(x_test), "test_events": int(y_test.sum()), "test_event_rate": float(y_test.mean()),
            "current_subjects": len(x_now),
        },
        "psi": population_stability(s_train, s_now),
        "score_histogram": {"edges": edges.tolist(), "train": _histogram(s_train, edges),
                            "current": _histogram(s_now, edges)},
        "by_kind": _distribution(now, "kind", SUBJECT_KINDS),
        "by_town": _distribution(now, "town", TOWN_NAMES),
        "grade_cutoffs": cutoffs,
        "grade_bands": grade_bands(cutoffs).to_dict("records"),
        "grade_distribution": {g: int(grade_counts.get(g, 0)) for g in GRADES},
        "segments": SEGMENTS,
        "features": [row for name, card in scorecards.items() for row in _feature_table(name, card)],
        "points_table": [row for name, card in scorecards.items() for row in _points_table(name, card)],
        "scorecard_scaling": {"base_points": BASE_POINTS, "base_odds": BASE_ODDS, "pdo": PDO},
        "challenger_params": {**CHALLENGER_PARAMS, "n_iter": int(challenger.estimator.estimator.n_iter_)},
        "seconds": None,
        "created_by": created_by,
    }
    report["seconds"] = round(time.monotonic() - started, 1)
    report_progress("检验与报告", 3, 3)
    version_id = register(store, model, report, test_date, created_by)
    report["version_id"] = version_id
    return TrainingResult(version_id, report)


def register(store: Store, model: CreditModel, report: dict[str, Any], as_of: dt.date, created_by: str) -> int:
    """Store the version with its report and artifact and put it in service, in one transaction (audited)."""
    with store.session() as db:
        db.execute(update(ModelVersion).where(ModelVersion.in_service.is_(True)).values(in_service=False))
        version = ModelVersion(created_at=dt.datetime.now(), as_of=as_of, algorithm=model.algorithm, in_service=True,
                               report=json.dumps(_strict_json(report), ensure_ascii=False, allow_nan=False,
                                                 default=_json_default),
                               artifact=pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL), created_by=created_by)
        db.add(version)
        db.flush()
        audit.record(db, "train", username=created_by, target=f"model:{version.id}",
                     detail={"algorithm": model.algorithm, "as_of": as_of.isoformat(), "auc": report.get("auc"),
                             "oracle_auc": report.get("oracle_auc")})
        return version.id


def _strict_json(value: object) -> object:
    """The report with missing numbers (NaN, e.g. the open upper bound of grade A) as null: strict JSON, which
    PostgreSQL's JSON functions and browsers' JSON.parse accept."""
    if isinstance(value, dict):
        return {key: _strict_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strict_json(item) for item in value]
    if isinstance(value, np.ndarray):
        return _strict_json(value.tolist())
    if isinstance(value, (float, np.floating)) and not math.isfinite(float(value)):
        return None
    return value


def _json_default(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def load_in_service(store: Store) -> tuple[int, CreditModel] | None:
    """The model version in service and its model, or None when no model has been trained yet."""
    with store.read() as db:
        row = db.execute(select(ModelVersion.id, ModelVersion.artifact)
                         .where(ModelVersion.in_service.is_(True)).order_by(ModelVersion.id.desc()).limit(1)).first()
    if row is None or row.artifact is None:
        return None
    return row.id, pickle.loads(row.artifact)


# ------------------------------------------------------------------------------------------------ background jobs


def running_job(session: Session, now: dt.datetime | None = None) -> TrainingJob | None:
    now = now or dt.datetime.now()
    stale = now - dt.timedelta(hours=STALE_JOB_HOURS)
    return session.scalars(select(TrainingJob).where(TrainingJob.status == "running", TrainingJob.started_at > stale)
                           .order_by(TrainingJob.id.desc()).limit(1)).first()


def update_job(store: Store, job_id: int, *, progress: float | None = None, message: str | None = None,
               status: str | None = None, model_version_id: int | None = None) -> None:
    with store.session() as db:
        job = db.get(TrainingJob, job_id)
        if job is None:
            return
        if progress is not None:
            job.progress = max(0.0, min(1.0, progress))
        if message is not None:
            job.message = message[:200]
        if status is not None:
            job.status = status
            if status in ("done", "failed"):
                job.finished_at = dt.datetime.now()
        if model_version_id is not None:
            job.model_version_id = model_version_id


def launch_training(store: Store, requested_by: str, *, app_root: Path, log_dir: Path) -> int:
    """Record a job and start `flask --app app train --job N --score` as a separate process; return the job id.

    A separate process keeps the web server responsive and survives the request; the page polls the job row.
    Raises TrainingError when a run is already in progress.
    """
    with store.session() as db:
        if running_job(db) is not None:
            raise TrainingError("已有模型训练任务在运行，请等待其完成")
        job = TrainingJob(started_at=dt.datetime.now(), status="running", progress=0.0, message="排队中",
                          requested_by=requested_by)
        db.add(job)
        db.flush()
        job_id = job.id
    env = {**os.environ, "DATABASE_URL": store.url, "OMP_NUM_THREADS": "1"}
    log_dir.mkdir(parents=True, exist_ok=True)
    with open(log_dir / f"training-job-{job_id}.log", "wb") as log:
        subprocess.Popen(  # a fixed command line: nothing from the request reaches it
            [sys.executable, "-m", "flask", "--app", "app", "train", "--job", str(job_id), "--score",
             "--requested-by", requested_by],
            cwd=app_root, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    return job_id
