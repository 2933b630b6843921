"""The read-model cache: a missing entry is computed once however many callers miss it at the same time."""

import json
import os
import threading
import time

import pandas as pd
import pytest
from flask import Flask

from data.cache import cache, invalidate, memoize


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


def _counted(calls: dict[str, int], name: str, *, survives: tuple[str, ...] = (), answer=lambda x: x):
    """A memoised query `name` that counts in `calls` how often it is computed, and answers `answer(x)`."""
    def query(x: int) -> int:
        calls[name] += 1
        return answer(x)

    query.__qualname__ = query.__name__ = name  # the cache key and the warmer's log name the query
    return memoize(survives=survives)(query)


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


def test_cache005_a_kind_of_write_keeps_the_entries_that_survive_it(cache_app):
    calls = {"keeps": 0, "forgets": 0}
    keeps = _counted(calls, "keeps", survives=("submission",))
    forgets = _counted(calls, "forgets")

    with cache_app.app_context():
        assert (keeps(1), forgets(1)) == (1, 1) and calls == {"keeps": 1, "forgets": 1}
        assert (keeps(1), forgets(1)) == (1, 1) and calls == {"keeps": 1, "forgets": 1}  # both cached
        invalidate("submission")
        assert (keeps(1), forgets(1)) == (1, 1) and calls == {"keeps": 1, "forgets": 2}
        # The generation token lost (cleared, pruned): a new one, never the old entries.
        cache.delete("generation:submission")
        forgets(1)
        assert calls["forgets"] == 3
        invalidate()
        assert (keeps(1), forgets(1)) == (1, 1) and calls == {"keeps": 2, "forgets": 4}
        with pytest.raises(ValueError):
            invalidate("rumour")
    with pytest.raises(ValueError):
        memoize(survives=("rumour",))


def test_cache006_a_submission_keeps_the_lists_statistics_and_refreshes_the_records(fresh_hand, use_store):
    """A bureau's submission of records changes no list entry: the lists' statistics stay cached (the lists page
    stays warm while bureaus submit), the records' figures are computed again. A list entry written behind the
    cache's back shows only after a full invalidation, which proves the statistics were served from the cache."""
    import datetime as dt

    from data.ingest import ingest
    from data.ingest.samples import csv_bytes, sample_rows
    from data.models import ListEntry
    from data.queries import home as home_queries
    from data.queries import lists as list_queries

    use_store(fresh_hand)
    day = dt.date.today()
    everything = list_queries.ListFilter()
    in_force = list_queries.entries_in_force(fresh_hand, "all", day, everything)
    trend = list_queries.entries_over_time(fresh_hand, "all", day, everything)
    records = int(home_queries.records_by_type_and_bureau(fresh_hand, None)["records"].sum())
    with fresh_hand.session() as db:
        db.add(ListEntry(list_type_code="SXBZX", color="black", bureau_code="FY", subject_id=fresh_hand.ids["e1"],
                         listed_on=day - dt.timedelta(days=3), expires_on=day + dt.timedelta(days=700)))
    frame = sample_rows("CF", 30, bureau="ZJ", seed=5, defects=0.0, start=dt.date(2025, 1, 1),
                        end=dt.date(2025, 3, 31))
    stored = ingest(fresh_hand, csv_bytes(frame), "ZJ", received_at=dt.datetime(2025, 4, 20, 9))
    assert stored.accepted > 0
    pd.testing.assert_frame_equal(list_queries.entries_in_force(fresh_hand, "all", day, everything), in_force)
    pd.testing.assert_frame_equal(list_queries.entries_over_time(fresh_hand, "all", day, everything), trend)
    assert int(home_queries.records_by_type_and_bureau(fresh_hand, None)["records"].sum()) == \
        records + stored.accepted
    invalidate()
    after = list_queries.entries_in_force(fresh_hand, "all", day, everything)
    assert int(after["entries"].sum()) == int(in_force["entries"].sum()) + 1


def test_cache007_after_a_write_the_warmer_computes_again_what_pages_used(cache_app):
    """Refresh-ahead: the entries this process used are computed again after any write (a submission or a full
    invalidation made by any process sharing the cache), so the next visitor finds them; entries not used within
    the warmer's age limit are left alone, and the warmer's own calls are not uses."""
    from data import cache as cache_module
    from data.cache import Warmer, warm

    calls: dict[str, int] = {"used": 0, "old": 0, "failing": 0}
    used = _counted(calls, "used", answer=lambda x: x * 2)
    old = _counted(calls, "old", survives=("submission",))

    def gone(_x: int) -> int:
        raise RuntimeError("database gone")

    failing = _counted(calls, "failing", answer=gone)

    with cache_module._recent_guard:
        cache_module._recent.clear()
    warmer = Warmer(cache_app, interval=60, max_age=300)
    with cache_app.app_context():
        assert (used(1), used(2), old(1)) == (2, 4, 1) and calls == {"used": 2, "old": 1, "failing": 0}
        with pytest.raises(RuntimeError):
            failing(1)
        # old(1) was last used long ago: beyond the age limit.
        with cache_module._recent_guard:
            line = next(key for key in cache_module._recent if ".old(" in key)
            function, args, kwargs, _ = cache_module._recent[line]
            cache_module._recent[line] = (function, args, kwargs, time.monotonic() - 600)
    assert warmer.poll() is None  # no write since the warmer started
    with cache_app.app_context():
        invalidate("submission")
    figures = warmer.poll()
    assert figures is not None
    assert (figures["asked"], figures["computed"], figures["failed"]) == (3, 3, 1)
    assert calls == {"used": 4, "old": 1, "failing": 2}
    with cache_app.app_context():
        assert (used(1), used(2)) == (2, 4) and calls["used"] == 4  # found: the warmer stored them
        assert cache.get(f"warm:{os.getpid()}")["asked"] == 3
    assert warmer.poll() is None  # nothing written since
    # Without a write, a pass every `refresh` seconds computes again what expired while in use: here every entry
    # has expired (the cache emptied but for the token, which no write renewed).
    with cache_app.app_context():
        token = cache.get("generation:submission")
        cache.clear()
        cache.set("generation:submission", token, timeout=0)
    assert warmer.poll() is None  # not yet due
    warmer.passed -= warmer.refresh
    figures = warmer.poll()
    assert figures is not None and (figures["asked"], figures["computed"]) == (3, 3) and calls["used"] == 6
    assert warmer.poll() is None
    with cache_app.app_context():
        invalidate()  # a full clear (the lists' statistics go too)
    figures = warmer.poll()
    assert figures is not None and figures["computed"] == 3 and calls["used"] == 8
    # The warmer's calls did not count as uses: the old entry is still too old to warm.
    with cache_app.app_context():
        invalidate()
        assert warm(max_age=300)["asked"] == 3 and calls["old"] == 1
        assert warm(max_age=3600)["asked"] == 4 and calls["old"] == 2


def test_cache008_generating_a_district_empties_what_a_running_server_cached(empty_store, use_store, tmp_path):
    """`flask generate` fills an empty store: the pages a server already showed over the empty store (cached, empty)
    must show the district, without a restart."""
    from data.queries import home as home_queries

    app = use_store(empty_store)
    with app.server.app_context():
        assert home_queries.records_by_type_and_bureau(empty_store, None).empty  # cached while empty
        result = app.server.test_cli_runner().invoke(
            args=["generate", "--persons", "300", "--enterprises", "100", "--years", "1", "--json",
                  "--truth", str(tmp_path / "truth.csv")])
        assert result.exit_code == 0, result.output
        stored = json.loads(result.stdout)["counts"]["credit_records"]
        assert stored > 0
        assert int(home_queries.records_by_type_and_bureau(empty_store, None)["records"].sum()) == stored
