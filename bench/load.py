"""Load test: N signed-in users browse every page against gunicorn on loopback; p50/p95 per callback, requests/s.

    python bench/load.py --database-url postgresql+psycopg2://postgres@127.0.0.1:5432/credit_bench \
        --users 50 --duration 120

The store must already hold a district (e.g. from bench/pages.py --build or `flask --app app generate`).
The script adds its own bench users, serves `app:server` with gunicorn on a free loopback port, records what a
browser sends when it opens each page (headless Chromium), and replays it from N threads with think times.
Bounded: it stops after --duration seconds and always stops gunicorn.

With --write-every S the cache is emptied every S seconds during the load, as a write (a submission, a list
change, a new model) empties it; with the cache warmer on (the default) or off (--no-warm), for comparing what
users wait for after writes:

    python bench/load.py --database-url ... --users 50 --duration 120 --write-every 20
    python bench/load.py --database-url ... --users 50 --duration 120 --write-every 20 --no-warm
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dash_session import RecordedCall, record_page_calls, replay, sign_in  # noqa: E402

ROLE_PAGES = {
    "leader": ["/", "/overview", "/lists", "/campaign", "/assessment", "/model"],
    "itc": ["/", "/assessment", "/lists", "/overview", "/campaign"],
    "evaluator": ["/", "/model", "/scored", "/profile", "/lists", "/campaign"],
    "bureau": ["/", "/assessment", "/lists"],
    "admin": ["/", "/audit", "/overview"],
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_users(database_url: str, password: str) -> dict[str, str]:
    os.environ["DATABASE_URL"] = database_url
    from sqlalchemy import delete, select

    from data.db import Store, migrate
    from data.models import User
    from data.users import create_user

    store = Store(database_url)
    migrate(store.engine)
    names = {}
    with store.session() as db:
        for role in ROLE_PAGES:
            name = f"bench_{role}"
            db.execute(delete(User).where(User.username == name))
            db.flush()
            create_user(db, name, password, role, "ZJ" if role == "bureau" else None)
            names[role] = name
        assert db.scalar(select(User.id).limit(1)) is not None
    return names


def start_gunicorn(database_url: str, port: int, workers: int, threads: int, **environment: str
                   ) -> subprocess.Popen:
    # A cache folder of its own: every run starts with the read-model cache empty, shared by the workers.
    # gunicorn also reads the project's gunicorn.conf.py (keep-alive, timeouts); the options below override it.
    cache_dir = tempfile.mkdtemp(prefix="credit-bench-cache-")
    env = dict(os.environ, DATABASE_URL=database_url, OMP_NUM_THREADS="1",
               SECRET_KEY=os.environ.get("SECRET_KEY", secrets.token_hex(16)),
               CACHE_TYPE=os.environ.get("CACHE_TYPE", "FileSystemCache"), CACHE_DIR=cache_dir, **environment)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "--threads", str(threads), "-b",
         f"127.0.0.1:{port}", "--timeout", "120", "app:server"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    import requests

    process.cache_dir = cache_dir  # type: ignore[attr-defined]
    for _ in range(120):
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except requests.RequestException:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def empty_cache(server: subprocess.Popen) -> None:
    """Empty the server's read-model cache from outside, as a write's invalidate() does."""
    for entry in Path(server.cache_dir).iterdir():  # type: ignore[attr-defined]
        entry.unlink(missing_ok=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--think", type=float, default=1.0, help="mean think time between pages, seconds")
    parser.add_argument("--write-every", type=float, default=0.0,
                        help="empty the read-model cache every so many seconds during the load, as a write does")
    parser.add_argument("--no-warm", action="store_true", help="serve with the cache warmer off (CACHE_WARM=0)")
    args = parser.parse_args()

    password = "Bench-" + secrets.token_hex(8) + "1"
    users = ensure_users(args.database_url, password)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(args.database_url, port, args.workers, args.threads,
                            CACHE_WARM="0" if args.no_warm else "1")
    try:
        recorded: dict[str, dict[str, list[RecordedCall]]] = {}
        for role, paths in ROLE_PAGES.items():
            calls = record_page_calls(base, users[role], password, paths)
            by_page: dict[str, list[RecordedCall]] = defaultdict(list)
            for call in calls:
                by_page[call.page].append(call)
            recorded[role] = by_page
            print(f"recorded {len(calls)} callback requests for {role} over {len(paths)} pages", flush=True)

        latencies: dict[str, list[float]] = defaultdict(list)
        errors: list[str] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + args.duration
        roles = list(ROLE_PAGES)

        def user_loop(index: int) -> None:
            role = roles[index % len(roles)]
            rng = random.Random(index)
            session = sign_in(base, users[role], password)
            pages = recorded[role]
            while time.monotonic() < stop_at:
                page = rng.choice(list(pages))
                for call in pages[page]:
                    try:
                        status, seconds, _size = replay(session, base, call)
                    except Exception as error:
                        status, seconds = 0, 0.0
                        with lock:
                            errors.append(f"{page} {call.output}: {error.__class__.__name__}: {str(error)[:160]}")
                        continue
                    with lock:
                        latencies[f"{page} {call.output[:70]}"].append(seconds)
                        if status not in (200, 204):
                            errors.append(f"{page} {call.output}: HTTP {status}")
                time.sleep(rng.expovariate(1 / args.think))

        writes = 0

        def writer() -> None:
            nonlocal writes
            while time.monotonic() + args.write_every < stop_at:
                time.sleep(args.write_every)
                empty_cache(server)
                writes += 1

        started = time.monotonic()
        threads = [threading.Thread(target=user_loop, args=(i,), daemon=True) for i in range(args.users)]
        if args.write_every > 0:
            threads.append(threading.Thread(target=writer, daemon=True))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.duration + 120)
        elapsed = time.monotonic() - started
        total = sum(len(v) for v in latencies.values())
        print(f"\n{args.users} users, {elapsed:.0f} s, gunicorn {args.workers} workers x {args.threads} threads")
        print(f"requests: {total:,}  ({total / elapsed:.1f} requests/s)   errors: {len(errors)}")
        every = [value for values in latencies.values() for value in values]
        print(f"cache warmer {'off' if args.no_warm else 'on'}; cache emptied {writes} times"
              + (f" (every {args.write_every:g} s)" if writes else "")
              + f"; all requests: p50 {percentile(every, 0.5) * 1000:.0f} ms, p95 {percentile(every, 0.95) * 1000:.0f}"
              f" ms, p99 {percentile(every, 0.99) * 1000:.0f} ms, max {max(every) * 1000:.0f} ms")
        print(f"{'callback':<80} {'n':>6} {'p50 ms':>8} {'p95 ms':>8}")
        for key in sorted(latencies):
            values = latencies[key]
            print(f"{key:<80} {len(values):>6} {percentile(values, 0.5) * 1000:>8.0f} "
                  f"{percentile(values, 0.95) * 1000:>8.0f}")
        for line in errors[:20]:
            print("error:", line)
        sys.exit(1 if errors else 0)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
