"""Every page's callbacks over HTTP at scale, beside the framework floor; first render in headless Chromium.

    # build a district-scale store on PostgreSQL first (about 10-15 minutes), then measure:
    python bench/pages.py --database-url postgresql+psycopg2://postgres@127.0.0.1:5432/credit_district \
        --build --persons 2000000 --enterprises 300000 --years 3
    python bench/pages.py --database-url postgresql+psycopg2://postgres@127.0.0.1:5432/credit_district

Prints, per page and callback: p50/p95 latency in ms and response bytes, the ratio of p50 to the floor's p50
(a callback returning a small go.Figure from a 100-row frame, served by the same gunicorn settings in the same
run), and the first render of each page in headless Chromium (navigation to all callbacks settled; and the whole
page, scrolled through to the bottom a screen at a time, so that every section drawn as it comes into view is
drawn). These run with the cache warmer off (CACHE_WARM=0), so that "first" is the visit that finds the cache
empty. Last, with the warmer on (as served by default): each page visited once, then a write empties the cache,
and once every worker's warmer has finished its pass, the first visit of each page after the write.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dash_session import (  # noqa: E402
    SCROLL_ON_JS,
    chromium,
    record_page_calls,
    replay,
    sign_in,
    signed_in_browser,
)
from bench.floor_app import FLOOR_BODY  # noqa: E402
from bench.load import empty_cache, ensure_users, free_port, percentile, start_gunicorn  # noqa: E402

PAGES = {
    "admin": ["/", "/overview", "/assessment", "/lists", "/campaign", "/model", "/scored", "/profile", "/audit"],
}


def build(database_url: str, persons: int, enterprises: int, years: int) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}"'))
        connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    from data.db import Store, migrate
    from data.generator import generate

    store = Store(database_url)
    migrate(store.engine)
    started = time.monotonic()
    summary = generate(store.engine, persons=persons, enterprises=enterprises, years=years, seed=1,
                       truth_path=ROOT / "instance" / "truth-district.csv",
                       progress=lambda stage, done, total: print(f"\r  {stage:<24} {done:>12,}/{total:,}", end=""))
    print(f"\nbuilt in {time.monotonic() - started:.0f} s: {summary}")


_SETTLED_JS = """
const state = window.store && window.store.getState();
const content = document.querySelector('#_pages_content');
if (!state || !content || content.children.length === 0 || state.isLoading) { return false; }
const callbacks = state.callbacks || {};
const pending = ['requested', 'prioritized', 'blocked', 'executing', 'watched', 'executed']
    .reduce((n, key) => n + ((callbacks[key] || []).length), 0);
return pending === 0 && document.querySelectorAll('[data-dash-is-loading="true"]').length === 0;
"""


_EMPTY_DEFERRED_JS = """
return Array.from(document.querySelectorAll('.deferred-section'))
    .filter(e => e.offsetParent !== null && e.childElementCount === 0).length;
"""


def _settle(driver, started: float, *, scroll: bool = False, settled_js: str = _SETTLED_JS) -> float:
    """Seconds since `started` until the page is settled three polls in a row; with `scroll`, the reader scrolls on
    by a screen every poll (50 ms) meanwhile, so every deferred section below the first screen is drawn too."""
    settled_at, streak = None, 0
    while time.perf_counter() - started < 60:
        if scroll:
            driver.execute_script(SCROLL_ON_JS)
        if driver.execute_script(settled_js) and not (scroll and driver.execute_script(_EMPTY_DEFERRED_JS)):
            settled_at = settled_at or time.perf_counter()
            streak += 1
            if streak == 3:
                break
        else:
            settled_at, streak = None, 0
        time.sleep(0.05)
    return (settled_at or time.perf_counter()) - started


def _visit(driver: Any, url: str, **settle: Any) -> float:
    """Seconds from navigating to `url` until the page has settled (`_settle`)."""
    started = time.perf_counter()
    driver.get(url)
    return _settle(driver, started, **settle)


_FLOOR_SETTLED_JS = _SETTLED_JS.replace(
    "const content = document.querySelector('#_pages_content');", "const content = document.querySelector('.main-svg');"
).replace("content.children.length === 0", "false")


def floor_render(floor_base: str) -> float:
    """The render floor: the floor app's page (one small chart from one callback) in the same browser, same run;
    the median of five visits after a first one that fills the browser's cache."""
    driver = chromium()
    try:
        seen = []
        for _ in range(6):
            seen.append(_visit(driver, floor_base, settled_js=_FLOOR_SETTLED_JS))
        return percentile(seen[1:], 0.5)
    finally:
        driver.quit()


def first_render(base: str, username: str, password: str, paths: list[str], again: int = 3
                 ) -> dict[str, tuple[float, float, float]]:
    """Seconds from navigation until Dash's own store has no callback requested, queued or running and the page
    content is rendered, held for three polls in a row (so the pause between the router and the page's callbacks
    does not count as settled). Per page: the first visit; the median of `again` visits after it (browser cache
    warm, as for a daily user; one visit moves by 0.2-0.4 s on this shared machine); and the whole page: opened once
    more and scrolled through to the bottom a screen every 50 ms, until every section (sections below the first
    screen are drawn as they come into view) is drawn and settled."""
    driver = signed_in_browser(base, username, password)
    timings = {}
    try:
        for path in paths:
            seen = []
            for attempt in range(again + 2):
                seen.append(_visit(driver, f"{base}{path}", scroll=attempt == again + 1))
            timings[path] = (seen[0], percentile(seen[1:-1], 0.5), seen[-1])
    finally:
        driver.quit()
    return timings


def _worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def _warming_passes(files: Any, pids: list[int], written: float, timeout: float = 300) -> list[dict]:
    """Each worker's warming pass that finished after `written` (epoch seconds), waiting for all of them; a pass
    records its figures in the cache under warm:<pid> (data.cache.Warmer)."""
    finished: dict[int, dict] = {}
    while len(finished) < len(pids) and time.time() - written < timeout:
        for pid in pids:
            status = files.get(f"warm:{pid}")
            if status and status["finished"] > written:
                finished[pid] = {**status, "after_write": status["finished"] - written}
        time.sleep(0.2)
    return list(finished.values())


def after_write_render(database_url: str, workers: int, username: str, password: str, paths: list[str],
                       rounds: int = 3) -> tuple[dict[str, float], list[dict]]:
    """With the cache warmer on: every page visited once (what the workers' warmers will remember), then, `rounds`
    times: the cache emptied as a write empties it, and once every worker's warmer has finished its pass (which it
    records in the cache under warm:<pid>), the first visit of each page after the write. Returns each page's
    median over the rounds and every warming pass (entries asked, computed, seconds, and seconds from the write
    until it finished)."""
    from flask_caching.backends.filesystemcache import FileSystemCache

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(database_url, port, workers, 2, CACHE_WARM="1")
    try:
        driver = signed_in_browser(base, username, password)
        try:
            for path in paths:
                _visit(driver, f"{base}{path}")
            pids = _worker_pids(server.pid)
            files = FileSystemCache(server.cache_dir)
            passes: list[dict] = []
            renders: dict[str, list[float]] = defaultdict(list)
            for _ in range(rounds):
                written = time.time()
                empty_cache(server)
                passes.extend(_warming_passes(files, pids, written))
                for path in paths:
                    renders[path].append(_visit(driver, f"{base}{path}"))
        finally:
            driver.quit()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return {path: percentile(seen, 0.5) for path, seen in renders.items()}, passes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--build", action="store_true", help="(re)create the database and generate a district")
    parser.add_argument("--persons", type=int, default=2_000_000)
    parser.add_argument("--enterprises", type=int, default=300_000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=20, help="requests per callback")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--after-write-only", action="store_true",
                        help="only the first visits after a write with the cache warmer on")
    args = parser.parse_args()
    if args.build:
        build(args.database_url, args.persons, args.enterprises, args.years)

    password = "Bench-pages-2026x1"
    users = ensure_users(args.database_url, password)
    if not args.after_write_only:
        measure_callbacks_and_renders(args, users, password)
    paths = PAGES["admin"]
    warmed, passes = after_write_render(args.database_url, args.workers, users["admin"], password, paths)
    print("\nfirst visit after a write with the cache warmer on (each page visited once; then three times: the cache "
          "emptied, the workers' warming passes finished, each page visited; median of the three):")
    for status in passes:
        print(f"  warming pass: {status['asked']} entries asked, {status['computed']} computed, {status['failed']} "
              f"failed, {status['seconds']:.2f}s; finished {status['after_write']:.2f}s after the write")
    for path, seconds in warmed.items():
        print(f"  {path:<14} {seconds:>6.2f}s")


def measure_callbacks_and_renders(args: argparse.Namespace, users: dict[str, str], password: str) -> None:
    port, floor_port = free_port(), free_port()
    base, floor_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{floor_port}"
    # The warmer off: the first call of each callback, and the first visit of each page, find the cache empty.
    server = start_gunicorn(args.database_url, port, args.workers, 2, CACHE_WARM="0")
    floor = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(args.workers), "--threads", "2", "-b",
                              f"127.0.0.1:{floor_port}", "bench.floor_app:server"], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        time.sleep(3)
        floor_times = []
        for _ in range(args.repeat * 3):
            started = time.perf_counter()
            requests.post(f"{floor_base}/_dash-update-component", json=FLOOR_BODY, timeout=30).raise_for_status()
            floor_times.append(time.perf_counter() - started)
        floor_p50 = percentile(floor_times, 0.5)
        print(f"framework floor (small go.Figure callback): p50 {floor_p50 * 1000:.1f} ms, "
              f"p95 {percentile(floor_times, 0.95) * 1000:.1f} ms")

        paths = PAGES["admin"]
        calls = record_page_calls(base, users["admin"], password, paths, settle_seconds=8)
        session = sign_in(base, users["admin"], password)
        results: dict[str, list[float]] = defaultdict(list)
        sizes: dict[str, int] = {}
        cold: dict[str, float] = {}
        for call in calls:
            key = f"{call.page} {call.output[:60]}"
            # The first call finds the read-model cache empty (as the first visitor after a submission would:
            # every write clears it); the repeats find it warm.
            empty_cache(server)
            cold[key] = replay(session, base, call)[1]
            for _ in range(args.repeat):
                status, seconds, size = replay(session, base, call)
                if status not in (200, 204):
                    print(f"  ! {key}: HTTP {status}")
                results[key].append(seconds)
                sizes[key] = size
        print(f"\n{'page callback':<72} {'cold ms':>8} {'p50 ms':>7} {'p95 ms':>7} {'x floor':>8} {'bytes':>10}")
        for key, values in results.items():
            p50 = percentile(values, 0.5)
            print(f"{key:<72} {cold[key] * 1000:>8.1f} {p50 * 1000:>7.1f} {percentile(values, 0.95) * 1000:>7.1f} "
                  f"{p50 / floor_p50:>8.1f} {sizes[key]:>10,}")
        over = [key for key, values in results.items() if percentile(values, 0.95) >= 0.3]
        print(f"callbacks with p95 >= 300 ms: {len(over)} of {len(results)}" + (f" ({', '.join(over)})" if over
                                                                                   else ""))

        renders = first_render(base, users["admin"], password, paths)
        render_floor = floor_render(floor_base)
        print("\nfirst render in headless Chromium (navigation to settled page); render floor (the floor app's page, "
              f"one small chart from one callback): {render_floor:.2f}s")
        print(f"  {'page':<14} {'first':>7} {'again (median of 3)':>20} {'x floor':>8} {'whole page, scrolled':>21}")
        for path, (first, again, whole) in renders.items():
            print(f"  {path:<14} {first:>6.2f}s {again:>19.2f}s {again / render_floor:>8.1f} {whole:>20.2f}s")
    finally:
        for process in (server, floor):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
