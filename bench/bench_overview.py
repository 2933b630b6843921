"""Benchmark the leadership overview (领导驾驶舱): each callback's p50/p95 over HTTP, signed in, beside a baseline.

Run from the repo root, e.g. ``python bench/bench_overview.py --persons 200000 --enterprises 20000`` (SQLite file
in /tmp, generated on first use) or ``--database-url postgresql+psycopg2://...`` for a store that already holds a
district. The app is served in this process by a threaded WSGI server and called with ``requests`` the way the
browser calls it. "cold" clears the query cache before every call (the first reader after a submission or after
the cache timeout); "warm" is every later reader. The whole page is also timed as a browser loads it: every display
callback of the page fired at once. Figures are printed in milliseconds and as ratios to the baseline: the landing
page's year-options callback, a trivial cached callback measured the same way in the same run.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH_USER, BENCH_PASSWORD = "bench_leader", "Bench-password-2026"


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", help="store to benchmark (default: a generated SQLite file in /tmp)")
    ap.add_argument("--persons", type=int, default=50_000, help="natural persons when generating")
    ap.add_argument("--enterprises", type=int, default=10_000, help="legal persons when generating")
    ap.add_argument("--years", type=int, default=3, help="years of history when generating")
    ap.add_argument("--repeat", type=int, default=20, help="calls per callback and mode")
    return ap.parse_args()


def prepare_environment(args: argparse.Namespace) -> str:
    """Point the app at the store (before it is imported: it reads its configuration at import)."""
    url = args.database_url or (f"sqlite:///{tempfile.gettempdir()}/bench-overview-"
                                f"{args.persons}-{args.enterprises}-{args.years}.db")
    instance = Path(tempfile.gettempdir()) / "bench-overview-instance"
    instance.mkdir(exist_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("INSTANCE_PATH", str(instance))
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")
    return url


def prepare_store(store, args: argparse.Namespace) -> None:
    """Generate the district when the store is empty and make sure the bench user exists."""
    from sqlalchemy import select

    from data.db import migrate, store_is_empty
    from data.models import User
    from data.users import create_user

    migrate(store.engine)
    if store_is_empty(store.engine):
        from data.generator import generate

        started = time.perf_counter()
        print(f"generating {args.persons:,} persons and {args.enterprises:,} legal persons ...", flush=True)
        generate(store.engine, persons=args.persons, enterprises=args.enterprises, years=args.years, seed=7,
                 truth_path=Path(tempfile.gettempdir()) / "bench-overview-truth.csv")
        print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
    with store.session() as db:
        if db.scalar(select(User.id).where(User.username == BENCH_USER)) is None:
            create_user(db, BENCH_USER, BENCH_PASSWORD, "leader")


def serve(server) -> str:
    from werkzeug.serving import make_server

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    httpd = make_server("127.0.0.1", port, server, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{port}"


def request_body(dash_app, output_key: str, values: dict) -> dict:
    """The JSON the browser posts for one callback; inputs not in `values` are sent as None."""
    spec = dash_app.callback_map[output_key]

    def props(items: list[dict]) -> list[dict]:
        return [{"id": i["id"], "property": i["property"], "value": values.get(f"{i['id']}.{i['property']}")}
                for i in items]

    parts = output_key[2:-2].split("...") if output_key.startswith("..") else [output_key]
    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1), strict=True)) for part in parts]
    inputs = props(spec["inputs"])
    return {"output": output_key, "outputs": outputs if len(outputs) > 1 else outputs[0], "inputs": inputs,
            "state": props(spec.get("state", [])), "changedPropIds": [f"{i['id']}.{i['property']}" for i in inputs]}


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    args = parse_args()
    prepare_environment(args)
    import requests

    import app as app_module
    from data.cache import cache

    dash_app, server = app_module.dash_app, app_module.server
    store = server.extensions["credit_store"]
    prepare_store(store, args)

    def clear_cache() -> None:
        with server.app_context():
            cache.clear()

    base = serve(server)
    session = requests.Session()
    response = session.post(f"{base}/login", data={"username": BENCH_USER, "password": BENCH_PASSWORD},
                            allow_redirects=False)
    assert response.status_code == 302, response.text[:200]

    def timed_call(key: str, values: dict) -> float:
        started = time.perf_counter()
        reply = session.post(f"{base}/_dash-update-component", json=request_body(dash_app, key, values))
        elapsed = time.perf_counter() - started
        assert reply.status_code in (200, 204), (key, reply.status_code, reply.text[:300])
        return elapsed

    def measure(key: str, values: dict, cold: bool) -> tuple[float, float]:
        samples = []
        timed_call(key, values)  # first call: imports, plans and connections warm up once
        for _ in range(args.repeat):
            if cold:
                clear_cache()
            samples.append(timed_call(key, values))
        return percentiles(samples)

    baseline_key = next(k for k in dash_app.callback_map if "home-year.options" in k)
    overview = [(key, spec["callback"].__name__) for key, spec in dash_app.callback_map.items()
                if getattr(spec.get("callback"), "access", None) == ("overview", "view")
                and "overview-nav" not in key]
    year_key = next(key for key, _name in overview if "overview-year.options" in key)
    year = session.post(f"{base}/_dash-update-component",
                        json=request_body(dash_app, year_key, {})).json()["response"]["overview-year"]["value"]
    filters = {"overview-year.value": year, "overview-subject-type.value": ""}

    with store.read() as db:
        from sqlalchemy import func, select

        from data.models import CreditRecord, Subject
        subjects = db.scalar(select(func.count()).select_from(Subject))
        records = db.scalar(select(func.count()).select_from(CreditRecord))
    print(f"store {store!r}: {subjects:,} subjects, {records:,} credit records; year {year}; "
          f"{args.repeat} calls per figure\n")

    base_warm = measure(baseline_key, {}, cold=False)
    base_cold = measure(baseline_key, {}, cold=True)
    print(f"{'callback':<32} {'mode':<5} {'p50 ms':>8} {'p95 ms':>8} {'p50/base':>9} {'p95/base':>9}")

    def show(name: str, mode: str, figures: tuple[float, float], reference: tuple[float, float]) -> None:
        p50, p95 = figures
        print(f"{name:<32} {mode:<5} {p50 * 1e3:8.1f} {p95 * 1e3:8.1f} {p50 / reference[0]:9.1f} "
              f"{p95 / reference[1]:9.1f}")

    show("baseline home.year_options", "warm", base_warm, base_warm)
    show("baseline home.year_options", "cold", base_cold, base_warm)
    for key, name in overview:
        for cold in (False, True):
            show(f"overview.{name}", "cold" if cold else "warm", measure(key, filters, cold), base_warm)

    display = [key for key, _name in overview if key != year_key]

    def page_load(cold: bool) -> float:
        if cold:
            clear_cache()
        started = time.perf_counter()
        with ThreadPoolExecutor(len(display)) as pool:
            list(pool.map(lambda key: timed_call(key, filters), display))
        return time.perf_counter() - started

    page_load(False)
    for cold in (False, True):
        figures = percentiles([page_load(cold) for _ in range(max(5, args.repeat // 2))])
        show("whole page (parallel)", "cold" if cold else "warm", figures, base_warm)
    print(f"\nbaseline p50 {base_warm[0] * 1e3:.1f} ms; goal: whole page cold p50 under 1,000 ms at district scale")


if __name__ == "__main__":
    main()
