"""The read-model cache: a missing entry is computed once however many callers miss it at the same time."""

import threading
import time

import pytest
from flask import Flask

from data.cache import cache, memoize


@pytest.fixture(params=["SimpleCache", "FileSystemCache"])
def cache_app(request, tmp_path):
    """A Flask app with the cache backend of the tests (SimpleCache) or of production (FileSystemCache, shared by
    worker processes through files and file locks)."""
    app = Flask(f"cache-{request.param}")
    app.config.update(CACHE_TYPE=request.param, CACHE_DIR=str(tmp_path / "cache"), CACHE_DEFAULT_TIMEOUT=60)
    cache.init_app(app)
    return app


def _call_together(app: Flask, function, args_per_caller: list[tuple]) -> list:
    """Every caller starts at the same moment on its own thread, as a page's chart callbacks do."""
    start = threading.Barrier(len(args_per_caller))
    results: list = [None] * len(args_per_caller)

    def run(index: int, args: tuple) -> None:
        with app.app_context():
            start.wait()
            results[index] = function(*args)

    threads = [threading.Thread(target=run, args=(i, args)) for i, args in enumerate(args_per_caller)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_cache001_concurrent_misses_of_one_entry_compute_it_once(cache_app):
    computed: list[tuple] = []

    @memoize()
    def district_total(store_name: str, year: int) -> dict:
        computed.append((store_name, year))
        time.sleep(0.3)  # a cold aggregate
        return {"year": year, "total": year * 2}

    results = _call_together(cache_app, district_total, [("district", 2026)] * 6)
    assert results == [{"year": 2026, "total": 4052}] * 6
    assert computed == [("district", 2026)]
    # Later callers read the stored entry; other arguments are other entries, computed once each.
    results = _call_together(cache_app, district_total, [("district", 2026), ("district", 2025), ("district", 2025)])
    assert results == [{"year": 2026, "total": 4052}, {"year": 2025, "total": 4050}, {"year": 2025, "total": 4050}]
    assert sorted(computed) == [("district", 2025), ("district", 2026)]


def test_cache002_cleared_cache_computes_again(cache_app):
    computed: list[int] = []

    @memoize()
    def entries(store_name: str) -> int:
        computed.append(1)
        return len(computed)

    with cache_app.app_context():
        assert entries("district") == 1 and entries("district") == 1
        cache.clear()
        assert entries("district") == 2


def test_cache003_a_memoised_query_may_call_others_while_computing(cache_app):
    """Nested misses (the lists' trend reads the memoised entry dates) take each entry's own lock: no deadlock."""

    @memoize()
    def entry_dates(store_name: str, day: int) -> list[int]:
        return list(range(day))

    @memoize()
    def trend(store_name: str, day: int) -> int:
        return sum(entry_dates(store_name, day))

    results = _call_together(cache_app, trend, [("district", n) for n in range(40)] * 2)
    assert results == [sum(range(n)) for n in range(40)] * 2


def test_cache004_a_failing_cache_backend_computes_instead_of_failing(cache_app, monkeypatch):
    def unavailable(*_args, **_kwargs):
        raise ConnectionError("cache backend down")

    @memoize()
    def entries(store_name: str) -> int:
        return 7

    with cache_app.app_context():
        monkeypatch.setattr(cache, "get", unavailable)
        monkeypatch.setattr(cache, "set", unavailable)
        assert entries("district") == 7
