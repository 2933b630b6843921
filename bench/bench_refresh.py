"""Refreshing the summaries after one bureau submission, at district scale, beside a rebuild of the same months.

    python bench/bench_refresh.py --database-url postgresql+psycopg2://postgres@127.0.0.1:5432/credit_district \
        [--rows 10000] [--bureau SCJG]

The store must already hold a district (bench/bench_score.py or bench/pages.py --build make one). The script
ingests one new penalty file of --rows rows (about 2 % bad rows, decisions spread over the last three years, new
document numbers every run, so each run adds one submission to the store, as a bureau would) and prints the time
of each pipeline stage; "刷新汇总" is the summary refresh: the submission's own aggregate added to the summary rows.

Baseline, measured in the same run on the same store: recomputing the months the file touched from credit_records
(what the pipeline did before), inside a transaction that is rolled back. That recompute is also the check: the
summary rows of those months must equal it, or the script says so and exits 1.
Goal (issue 8): the refresh after a 10,000-row submission under 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from bench.bench_ingest import Stages
from data.db import Store
from data.ingest import ingest
from data.ingest.samples import csv_bytes, sample_rows
from data.summaries import refresh_record_summary

GOAL_SECONDS = 5.0
_SELECT = ("SELECT month, bureau_code, record_type_code, town_code, subject_kind, severity, records, "
           "ROUND(CAST(amount AS numeric), 4), published, published_late FROM summary_records_monthly "
           "WHERE month = ANY(:months) ORDER BY 1, 2, 3, 4, 5, 6")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--bureau", default="SCJG")
    args = parser.parse_args()
    store = Store(args.database_url)
    with store.engine.connect() as connection:
        records = connection.execute(text("SELECT COUNT(*) FROM credit_records")).scalar_one()
        latest = connection.execute(text("SELECT MAX(decision_date) FROM credit_records")).scalar_one()
    print(f"store: {records:,} credit records, latest decision {latest}")

    stamp = dt.datetime.now().strftime("%Y%m%d%H%M%S")
    end = latest or dt.date.today() - dt.timedelta(days=1)
    frame = sample_rows("CF", args.rows, bureau=args.bureau, seed=int(stamp) % 2**31, defects=0.02,
                        subjects=max(1, args.rows // 3), start=end - dt.timedelta(days=3 * 365), end=end,
                        prefix=f"B{stamp}")
    content = csv_bytes(frame)
    stages = Stages()
    started = time.perf_counter()
    result = ingest(store, content, args.bureau, file_name=f"bench-refresh-{stamp}.csv", progress=stages,
                    received_at=dt.datetime.combine(end + dt.timedelta(days=5), dt.time(10)))
    total = time.perf_counter() - started
    marks = [*sorted(stages.started.items(), key=lambda item: item[1]), ("end", started + total)]
    durations = {name: marks[i + 1][1] - at for i, (name, at) in enumerate(marks[:-1])}
    print(f"submission {result.submission_id}: {result.accepted:,} accepted, {result.rejected:,} rejected, "
          f"{result.duplicates:,} duplicates, {result.subjects_created:,} subjects created; {total:.2f} s in all")
    print("stages: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in durations.items()))

    with store.engine.connect() as connection:
        months = [row[0] for row in connection.execute(text(
            "SELECT DISTINCT to_char(decision_date, 'YYYY-MM') FROM credit_records WHERE submission_id = :id"),
            {"id": result.submission_id})]
        kept = connection.execute(text(_SELECT), {"months": months}).all()
        connection.rollback()  # end the reads' implicit transaction; the rebuild gets one of its own
        transaction = connection.begin()
        started = time.perf_counter()
        refresh_record_summary(connection, months)
        rebuild = time.perf_counter() - started
        rebuilt = connection.execute(text(_SELECT), {"months": months}).all()
        transaction.rollback()
    store.engine.dispose()

    refresh = durations.get("刷新汇总", float("nan"))
    print(f"\n{'summary refresh after the submission':<52} {refresh * 1000:>10.1f} ms")
    print(f"{'baseline: rebuild of the ' + str(len(months)) + ' months it touched':<52} {rebuild * 1000:>10.1f} ms")
    print(f"refresh ÷ rebuild: {refresh / rebuild:.4f}; goal: refresh under {GOAL_SECONDS:.0f} s — "
          f"{'met' if refresh < GOAL_SECONDS else 'NOT met'}")
    if kept != rebuilt:
        differing = len(set(kept) ^ set(rebuilt))
        print(f"ERROR: the kept summary differs from the rebuild in {differing} rows")
        sys.exit(1)
    print(f"check: the kept summary equals the rebuild ({len(kept):,} rows over {len(months)} months)")


if __name__ == "__main__":
    main()
