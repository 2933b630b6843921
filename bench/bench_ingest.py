"""Benchmark bureau-file ingestion against raw PostgreSQL COPY of the same rows, measured in the same run.

Run from the repo root: ``python bench/bench_ingest.py [--rows 1000000] [--database-url URL]``. The script makes a
1,000,000-row penalty file (CF_* template, valid codes, about 2 % bad rows of the kinds bureaus send), ingests it
with full validation into a fresh schema of its own, then loads the same rows by raw COPY, and drops the schema.

Raw-COPY baselines, each timing the COPY statement alone:
- file → plain table: the CSV straight into a table with the file's columns, no constraints (the cheapest load);
- records → equivalent tables: the stored record rows into copies of credit_records with the same columns, indexes
  and unique constraint, with no foreign key, the subject's, and all four (credit_records itself: what any loader
  of this schema must pay, before any validation).
The goal (issue 3) is ingestion at no less than 0.3 of raw COPY throughput.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd
from sqlalchemy import create_engine, text

from data.db import Store, migrate
from data.ingest import ingest
from data.ingest.samples import csv_bytes, headers, sample_rows

DEFAULT_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
GOAL = 0.3


class Stages:
    """Progress callback that records when each pipeline stage starts."""

    def __init__(self) -> None:
        self.started: dict[str, float] = {}

    def __call__(self, stage: str, _done: int, _total: int) -> None:
        self.started.setdefault(stage, time.perf_counter())


def raw_copy_file(store: Store, content: bytes) -> float:
    columns = headers("CF")
    # Text columns: the file's bad rows (unreadable dates, negative amounts) must load as they are.
    ddl = ", ".join(f'"{c}" text' for c in columns)
    with store.engine.begin() as connection:
        connection.execute(text(f"CREATE TABLE raw_file ({ddl})"))
        cursor = connection.connection.driver_connection.cursor()
        started = time.perf_counter()
        cursor.copy_expert("COPY raw_file FROM STDIN WITH (FORMAT csv, HEADER true)", io.BytesIO(content))
        elapsed = time.perf_counter() - started
        connection.execute(text("DROP TABLE raw_file"))
    return elapsed


_FOREIGN_KEYS = {"subject": ("subject_id", "subjects(id)"), "bureau": ("bureau_code", "bureaus(code)"),
                 "type": ("record_type_code", "record_types(code)"), "submission": ("submission_id", "submissions(id)")}


def raw_copy_records(store: Store) -> tuple[dict[str, float], int]:
    """COPY the records ingestion stored into equivalent tables: same columns and indexes, with none, one (the
    subject) or all four of credit_records' foreign keys. Returns seconds per variant and the row count."""
    columns = ("subject_id, bureau_code, record_type_code, document_no, decision_date, publication_date, "
               "publish_delay_wd, amount, severity, grade, publicity_end, status, submission_id, content")
    timings: dict[str, float] = {}
    with store.engine.begin() as connection:
        cursor = connection.connection.driver_connection.cursor()
        buffer = io.StringIO()
        cursor.copy_expert(f"COPY (SELECT {columns} FROM credit_records) TO STDOUT", buffer)
        rows = buffer.getvalue().count("\n")
        for label, keys in (("indexes, no foreign keys", ()), ("indexes + subject foreign key", ("subject",)),
                            ("indexes + 4 foreign keys (= credit_records)", tuple(_FOREIGN_KEYS))):
            connection.execute(text("CREATE TABLE raw_records (LIKE credit_records INCLUDING ALL)"))
            for name in keys:
                column, target = _FOREIGN_KEYS[name]
                connection.execute(text(f"ALTER TABLE raw_records ADD CONSTRAINT raw_fk_{name} FOREIGN KEY ({column}) "
                                        f"REFERENCES {target}"))
            buffer.seek(0)
            started = time.perf_counter()
            cursor.copy_expert(f"COPY raw_records ({columns}) FROM STDIN", buffer)
            timings[label] = time.perf_counter() - started
            connection.execute(text("DROP TABLE raw_records"))
    return timings, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--bad-share", type=float, default=0.02)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    args = parser.parse_args()

    print(f"== Ingestion of a {args.rows:,}-row penalty file (CF_* template, {args.bad_share:.0%} bad rows) ==")
    started = time.perf_counter()
    frame = sample_rows("CF", args.rows, seed=20261129, defects=args.bad_share, subjects=max(1, args.rows // 5),
                        start=dt.date(2023, 1, 1), end=dt.date(2025, 12, 31))
    content = csv_bytes(frame)
    del frame
    print(f"file generated: {len(content) / 1e6:,.0f} MB in {time.perf_counter() - started:.1f} s (not timed)")

    schema = f"bench_ingest_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(args.database_url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in args.database_url else "?"
    store = Store(f"{args.database_url}{separator}options=-csearch_path%3D{schema}")
    try:
        migrate(store.engine)
        stages = Stages()
        started = time.perf_counter()
        result = ingest(store, content, "SCJG", file_name="bench.csv", received_at=dt.datetime(2026, 1, 15, 9),
                        progress=stages)
        ingest_seconds = time.perf_counter() - started
        marks = [*sorted(stages.started.items(), key=lambda item: item[1]), ("end", started + ingest_seconds)]
        print(f"ingested: {result.accepted:,} accepted, {result.rejected:,} rejected, {result.duplicates:,} "
              f"duplicates, {result.subjects_created:,} subjects created")
        print("stages: " + ", ".join(f"{name} {marks[i + 1][1] - at:.1f} s" for i, (name, at) in
                                     enumerate(marks[:-1])))
        copy_file = raw_copy_file(store, content)
        copy_records, copied = raw_copy_records(store)
    finally:
        store.engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()

    ingest_rate = args.rows / ingest_seconds
    file_rate = args.rows / copy_file
    rows = [["ingestion with full validation (file rows)", ingest_seconds, ingest_rate, 1.0, ingest_rate / file_rate],
            ["raw COPY: file -> plain table", copy_file, file_rate, ingest_rate / file_rate, 1.0]]
    for label, seconds in copy_records.items():
        rate = copied / seconds
        rows.append([f"raw COPY: records -> {label}", seconds, rate, ingest_rate / rate, rate / file_rate])
    table = pd.DataFrame(rows, columns=["load", "seconds", "rows/s", "ingestion ÷ this", "this ÷ plain COPY"])
    print(table.to_string(index=False, formatters={"seconds": "{:.1f}".format, "rows/s": "{:,.0f}".format,
                                                   "ingestion ÷ this": "{:.2f}".format,
                                                   "this ÷ plain COPY": "{:.2f}".format}))
    equivalent = copied / copy_records["indexes + 4 foreign keys (= credit_records)"]
    for label, ratio in (("plain table", ingest_rate / file_rate), ("equivalent table", ingest_rate / equivalent)):
        verdict = "meets" if ratio >= GOAL else "below"
        print(f"ratio to raw COPY ({label}): {ratio:.2f} — {verdict} the goal of {GOAL}")
    print(f"a loader that cost nothing before the COPY would reach {equivalent / file_rate:.2f} of the plain COPY "
          "(the table's own indexes and foreign keys)")


if __name__ == "__main__":
    main()
