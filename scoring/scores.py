"""Scoring every subject with the model in service: probability, score, grade and top reasons, stored in bulk."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import text

from data import audit
from data.bulk import insert_frame
from data.db import Store, vacuum_analyze
from data.summaries import refresh_score_summary
from scoring.features import build_features
from scoring.model import CreditModel, grades_for
from scoring.train import current_date, grade_cutoffs, load_in_service

Progress = Callable[[str, int, int], None]

SCORE_COLUMNS = ["model_version_id", "subject_id", "as_of", "probability", "score", "grade", "reasons"]


class ScoringError(RuntimeError):
    """Scoring cannot run (message in Chinese)."""


def score_frame(model: CreditModel, features: pd.DataFrame, cutoffs: dict[str, float], version_id: int,
                as_of: dt.date, progress: Progress | None = None) -> pd.DataFrame:
    """The rows of the scores table for every subject in `features` (columns SCORE_COLUMNS)."""
    report = progress or (lambda _stage, _done, _total: None)
    report("评分", 0, 3)
    probability = model.predict_proba(features)
    # The grade follows the score as stored and shown (one decimal), so a displayed 645.0 is never graded below 645.
    score = np.round(model.score(features, probability), 1)
    report("评分", 1, 3)
    reasons = model.reasons_json(features)
    report("评分", 2, 3)
    # Text columns as categories: a few tens of thousands of distinct reason lists for millions of subjects, so
    # the bulk loader escapes each distinct text once (data.bulk) instead of once per row.
    return pd.DataFrame({
        "model_version_id": np.full(len(features), version_id, dtype=np.int64),
        "subject_id": features.index.to_numpy(dtype=np.int64),
        "as_of": pd.Categorical([as_of.isoformat()] * len(features)),
        "probability": probability,
        "score": score,
        "grade": pd.Categorical(grades_for(score, cutoffs)),
        "reasons": pd.Categorical(reasons),
    }, columns=SCORE_COLUMNS)


def store_scores(store: Store, frame: pd.DataFrame, version_id: int) -> int:
    """Replace the version's scores with `frame`, and its chart-grain summary, in one transaction (PostgreSQL COPY,
    SQLite executemany)."""
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM scores WHERE model_version_id = :v"), {"v": version_id})
        written = insert_frame(connection, "scores", frame)
        refresh_score_summary(connection, version_id)
    # Millions of new rows: without fresh statistics the planner takes a version for a few thousand rows, and
    # without the visibility map the scored grid's (version, score, subject) index is not read index-only.
    vacuum_analyze(store.engine, "scores")
    return written


def score_all(store: Store, *, as_of: dt.date | None = None, progress: Progress | None = None,
              requested_by: str = "cli") -> dict[str, Any]:
    """Score every subject existing on `as_of` (default: today, or the end of the data) with the model in service."""
    started = time.monotonic()
    loaded = load_in_service(store)
    if loaded is None:
        raise ScoringError("尚无在用的信用评价模型，请先训练模型（flask --app app train）")
    version_id, model = loaded
    day = as_of or current_date(store.engine)
    with store.read() as db:
        cutoffs = grade_cutoffs(db)
    features = build_features(store.engine, day, progress)
    frame = score_frame(model, features, cutoffs, version_id, day, progress)
    written = store_scores(store, frame, version_id)
    if progress:
        progress("评分", 3, 3)
    grades = frame["grade"].value_counts()
    summary = {"model_version_id": version_id, "as_of": day.isoformat(), "subjects": written,
               "grades": {g: int(c) for g, c in grades.items()}, "seconds": round(time.monotonic() - started, 1)}
    with store.session() as db:
        audit.record(db, "score", username=requested_by, target=f"model:{version_id}",
                     detail={"as_of": day.isoformat(), "subjects": written})
    return summary
