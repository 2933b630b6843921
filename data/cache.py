"""The read-model cache (flask-caching), initialised by the app factory.

Query functions are memoised with the store as their first argument: Store.__repr__ is its URL, so two stores
never share entries, and the viewer's data scope is an explicit argument wherever results depend on it.
Every write path (ingestion, generator, objections) calls `invalidate()` so pages never show stale figures.
"""

from __future__ import annotations

import contextlib

from flask_caching import Cache

cache = Cache()


def invalidate() -> None:
    # Outside an application context (plain scripts) there is no cache to clear.
    with contextlib.suppress(RuntimeError):
        cache.clear()
