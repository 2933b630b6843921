"""Benchmark of the district generator: rows per second, the ratio to a raw load of the same credit records measured
in the same run (COPY on PostgreSQL, executemany on SQLite), total seconds and peak RSS.

    python bench/bench_generate.py                      # demo scale, temporary SQLite store
    python bench/bench_generate.py --scale district     # district scale, a PostgreSQL database made and dropped here
    python bench/bench_generate.py --check-auc          # also: oracle AUC vs a model on the observable history

With a PostgreSQL --database-url only the server and credentials are used: the benchmark creates its own database
(gen_bench_<random>) and drops it at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from data.db import make_engine, migrate
from data.generator import generate

SCALES: dict[str, dict[str, int]] = {
    "demo": {"persons": 15_000, "enterprises": 5_000, "years": 3},
    "district": {"persons": 2_000_000, "enterprises": 300_000, "years": 3},
}
DEFAULT_POSTGRES = "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"


@contextlib.contextmanager
def _store(url: str | None, directory: Path) -> Iterator[Engine]:
    """A fresh store: a SQLite file in `directory`, or a new PostgreSQL database dropped afterwards."""
    if url is None or url.startswith("sqlite"):
        engine = make_engine(url or f"sqlite:///{directory / 'bench.db'}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    name = f"gen_bench_{uuid.uuid4().hex[:8]}"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    engine = create_engine(make_url(url).set(database=name))
    try:
        yield engine
    finally:
        engine.dispose()
        with server.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        server.dispose()


def _raw_load_seconds(engine: Engine, directory: Path) -> float:
    """Seconds to load the stored credit records into an empty copy of the table, without the generator."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("CREATE TEMPORARY TABLE bench_copy (LIKE credit_records INCLUDING DEFAULTS)"))
            raw = connection.connection.driver_connection
            dump = directory / "credit_records.copy"
            with raw.cursor() as cursor, dump.open("w", encoding="utf-8") as out:
                cursor.copy_expert("COPY credit_records TO STDOUT", out)
            started = time.perf_counter()
            with raw.cursor() as cursor, dump.open(encoding="utf-8") as source:
                cursor.copy_expert("COPY bench_copy FROM STDIN", source)
            seconds = time.perf_counter() - started
            dump.unlink()
        else:
            connection.execute(text("CREATE TEMPORARY TABLE bench_copy AS SELECT * FROM credit_records WHERE 0"))
            raw = connection.connection.driver_connection
            rows = raw.execute("SELECT * FROM credit_records").fetchall()
            placeholders = ", ".join("?" for _ in rows[0])
            started = time.perf_counter()
            raw.executemany(f"INSERT INTO bench_copy VALUES ({placeholders})", rows)
            seconds = time.perf_counter() - started
        connection.execute(text("DROP TABLE bench_copy"))
    return seconds


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class _StageTimer:
    """Prints each stage of the generator once, with the time it started."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage or done == total:
            print(f"  {time.perf_counter() - self.started:8.1f} s  {stage:22s} {done:>12,} / {total:,}", flush=True)
            self.stage = stage


def _observable_features(engine: Engine, observed: dt.date) -> pd.DataFrame:
    """Simple features of each subject's history in the 24 months up to `observed`, read back from the store:
    record counts by type and severity, recency and not-yet-serious cases of the main adverse types, tax grades,
    kind, industry, age, sex, the legal representative's records and those of the businesses a person represents."""
    since = (pd.Timestamp(observed) - pd.DateOffset(months=24)).date()
    with engine.connect() as connection:
        subjects = pd.read_sql(text("SELECT id, kind, code, industry, registered_on, legal_rep_id FROM subjects"),
                               connection, index_col="id")
        records = pd.read_sql(text(
            "SELECT subject_id, record_type_code, severity, grade, decision_date FROM credit_records "
            "WHERE decision_date > :since AND decision_date <= :t AND publication_date <= :t"),
            connection, params={"since": since, "t": observed})
    records["cell"] = records["record_type_code"] + ":" + records["severity"].fillna("-")
    counts = pd.crosstab(records["subject_id"], records["cell"]).reindex(subjects.index, fill_value=0)
    features = [counts.add_prefix("n_"), np.log1p(counts).add_prefix("log_")]
    age_days = (pd.Timestamp(observed) - pd.to_datetime(records["decision_date"])).dt.days
    for code in ("SFZX", "CF", "JYYC", "JTWF"):
        of_type = records["record_type_code"] == code
        serious = records["severity"] == "serious"
        recent = age_days[of_type & ~serious].groupby(records["subject_id"]).min()
        cases = (of_type & ~serious).groupby(records["subject_id"]).sum() - (of_type & serious).groupby(
            records["subject_id"]).sum()
        features.append(pd.DataFrame({f"days_since_{code}": recent.reindex(subjects.index).fillna(5000),
                                      f"open_{code}": cases.clip(lower=0).reindex(subjects.index).fillna(0)}))
    scores = records[records["record_type_code"] == "NSPJ"].assign(
        score=lambda f: f["grade"].map({"A": 4, "B": 3, "C": 2, "D": 1}))
    features.append(pd.DataFrame({
        "tax_mean": scores.groupby("subject_id")["score"].mean().reindex(subjects.index).fillna(0),
        "tax_last": scores.sort_values("decision_date").groupby("subject_id")["score"].last()
        .reindex(subjects.index).fillna(0),
    }))
    registered = pd.to_datetime(subjects["registered_on"])
    features.append(pd.DataFrame({
        "age": (pd.Timestamp(observed) - registered).dt.days / 365.25,
        "male": (subjects["kind"] == "person")
        & (pd.to_numeric(subjects["code"].str.slice(16, 17), errors="coerce") % 2 == 1),
    }, index=subjects.index))
    features.append(pd.get_dummies(subjects["kind"], prefix="kind", dtype=float))
    features.append(pd.get_dummies(subjects["industry"], prefix="industry", dtype=float))
    features.append(counts.reindex(subjects["legal_rep_id"].fillna(-1).to_numpy(), fill_value=0)
                    .set_axis(subjects.index).add_prefix("rep_"))
    represented = subjects[subjects["legal_rep_id"].notna()]
    features.append(counts.loc[represented.index].groupby(represented["legal_rep_id"].to_numpy()).sum()
                    .reindex(subjects.index, fill_value=0).add_prefix("firms_"))
    return pd.concat(features, axis=1).astype(float)


def _check_auc(engine: Engine, truth_path: Path, summary: dict) -> None:
    """Oracle AUC of the truth file's probabilities vs a gradient-boosting model on the observable history, for the
    serious events stored in the 12 months after end - 12 months (model fitted on one half, scored on the other)."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score

    observed = summary["observation_dates"][-2]
    truth = pd.read_csv(truth_path, usecols=["subject_id", "observation_date", "true_probability"])
    truth = truth[truth["observation_date"] == observed.isoformat()].set_index("subject_id")
    with engine.connect() as connection:
        events = pd.read_sql(text(
            "SELECT subject_id FROM credit_records WHERE severity = 'serious' AND decision_date > :t "
            "AND decision_date <= :end UNION SELECT subject_id FROM list_entries WHERE color = 'black' "
            "AND listed_on > :t AND listed_on <= :end"), connection,
            params={"t": observed, "end": summary["end_date"]})
    features = _observable_features(engine, observed).loc[truth.index]
    label = truth.index.isin(events["subject_id"])
    test = np.random.default_rng(0).random(len(label)) < 0.5
    model = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, max_leaf_nodes=15,
                                           min_samples_leaf=200, l2_regularization=1.0, random_state=0)
    model.fit(features[~test], label[~test])
    oracle = roc_auc_score(label[test], truth["true_probability"].to_numpy()[test])
    learned = roc_auc_score(label[test], model.predict_proba(features[test])[:, 1])
    print(f"AUC at {observed} ({label.sum():,} subjects with a serious event among {len(label):,}; "
          f"scored on the held-out half): oracle {oracle:.3f}, model on observable history {learned:.3f}, "
          f"gap {oracle - learned:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
    parser.add_argument("--database-url", help="SQLite or PostgreSQL URL (PostgreSQL: server to create a database on)")
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--check-auc", action="store_true", help="compare the oracle with a model on the history")
    args = parser.parse_args()
    url = args.database_url or (DEFAULT_POSTGRES if args.scale == "district" else None)
    size = SCALES[args.scale]
    with tempfile.TemporaryDirectory() as tmp, _store(url, Path(tmp)) as engine:
        directory = Path(tmp)
        migrate(engine)
        print(f"generate {size} on {engine.dialect.name}")
        summary = generate(engine, **size, seed=args.seed, truth_path=directory / "truth.csv",
                           progress=_StageTimer())
        seconds = summary["seconds"]
        rows = sum(summary["counts"].values())
        records = summary["counts"]["credit_records"]
        raw = _raw_load_seconds(engine, directory)
        baseline = "COPY" if engine.dialect.name == "postgresql" else "executemany"
        print(f"rows: {rows:,} ({records:,} credit records) in {seconds:,.1f} s = {rows / seconds:,.0f} rows/s")
        print(f"raw {baseline} of the credit records: {raw:,.1f} s = {records / raw:,.0f} rows/s; generator / raw "
              f"{baseline} = {(rows / seconds) / (records / raw):.2f} (rows/s ratio)")
        print(f"peak RSS of this process: {_peak_rss_mib():,.0f} MiB")
        if args.check_auc:
            _check_auc(engine, directory / "truth.csv", summary)


if __name__ == "__main__":
    main()
