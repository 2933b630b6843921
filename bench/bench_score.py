"""Benchmark a full re-score: features from the store, probabilities, scores, grades and reasons, written back.

Run from the repository root, for instance on a PostgreSQL database of your own:

    python bench/bench_score.py --database-url postgresql+psycopg2://postgres@127.0.0.1:5432/bench_score \\
        --persons 2000000 --enterprises 300000

An empty store is first filled by the generator at the given scale and a model is trained (both timed apart);
an existing store is reused as it is. Prints rows/s per phase and, as the baseline measured in the same run, the raw
bulk load (COPY on PostgreSQL) of the very same scores frame into an unindexed temporary table. The goal is a full
re-score of 2.3 million subjects in under 2 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # 2 cores: default OpenMP threading was measured 10x slower
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd
from sqlalchemy import text
from threadpoolctl import threadpool_limits

from data.bulk import insert_frame
from data.db import Store, migrate, store_is_empty
from scoring.features import build_features
from scoring.scores import score_frame, store_scores
from scoring.train import current_date, grade_cutoffs, load_in_service, train

TARGET_SUBJECTS = 2_300_000
TARGET_SECONDS = 120.0


def _line(label: str, rows: int, seconds: float) -> None:
    print(f"  {label:<34} {seconds:8.1f} s  {rows / seconds if seconds else float('inf'):>12,.0f} rows/s")


def _baseline_copy(store: Store, frame: pd.DataFrame) -> float:
    """Seconds to bulk-load the same frame into an unindexed temporary copy of the scores table."""
    with store.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("CREATE TEMP TABLE scores_baseline (LIKE scores INCLUDING DEFAULTS) "
                                    "ON COMMIT DROP"))
        else:
            connection.execute(text("CREATE TEMP TABLE scores_baseline AS SELECT * FROM scores WHERE 0"))
        started = time.perf_counter()
        insert_frame(connection, "scores_baseline", frame)
        seconds = time.perf_counter() - started
        if connection.dialect.name != "postgresql":
            connection.execute(text("DROP TABLE scores_baseline"))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL",
                                                                   "sqlite:////tmp/bench_score/credit.db"))
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--enterprises", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=20261129)
    args = parser.parse_args()
    store = Store(args.database_url)
    print(f"store: {store!r}")
    with threadpool_limits(limits=int(os.environ["OMP_NUM_THREADS"])):
        migrate(store.engine)
        if store_is_empty(store.engine):
            from data.generator import generate

            started = time.perf_counter()
            summary = generate(store.engine, persons=args.persons, enterprises=args.enterprises, years=3,
                               seed=args.seed)
            print(f"generated {summary['counts']} in {time.perf_counter() - started:.0f} s")
        if load_in_service(store) is None:
            started = time.perf_counter()
            result = train(store, created_by="bench")
            print(f"trained model version {result.version_id} (AUC {result.report['auc']:.3f}) "
                  f"in {time.perf_counter() - started:.0f} s")
        version_id, model = load_in_service(store)
        day = current_date(store.engine)
        with store.read() as db:
            cutoffs = grade_cutoffs(db)
        with store.engine.connect() as connection:
            records = connection.execute(text("SELECT COUNT(*) FROM credit_records")).scalar()

        started = time.perf_counter()
        features = build_features(store.engine, day)
        t_features = time.perf_counter() - started
        started = time.perf_counter()
        frame = score_frame(model, features, cutoffs, version_id, day)
        t_score = time.perf_counter() - started
        started = time.perf_counter()
        store_scores(store, frame, version_id)
        t_store = time.perf_counter() - started
        t_baseline = _baseline_copy(store, frame)

    rows = len(frame)
    total = t_features + t_score + t_store
    print(f"\nfull re-score of {rows:,} subjects ({records:,} records) as of {day}, model version {version_id}:")
    _line("features (records, counts, lists)", rows, t_features)
    _line("probability, score, grade, reasons", rows, t_score)
    _line("write scores (delete + bulk load)", rows, t_store)
    _line("total", rows, total)
    _line("baseline: raw bulk load of the frame", rows, t_baseline)
    print(f"\ntotal / baseline = {total / t_baseline:.1f}x")
    projected = total * TARGET_SUBJECTS / rows
    print(f"projected for {TARGET_SUBJECTS:,} subjects (linear): {projected:.0f} s "
          f"(goal {TARGET_SECONDS:.0f} s: {'met' if projected <= TARGET_SECONDS else 'NOT met'})")


if __name__ == "__main__":
    main()
