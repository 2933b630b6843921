"""The read-model cache (flask-caching), initialised by the app factory.

Query functions are memoised with the store as their first argument: Store.__repr__ is its URL, so two stores
never share entries, and the viewer's data scope is an explicit argument wherever results depend on it.
Every write path (ingestion, generator, objections) calls `invalidate()` so pages never show stale figures.
With several gunicorn workers and the in-process SimpleCache, each worker clears its own copy; the others
expire within CACHE_TIMEOUT (use a shared backend such as Redis via CACHE_TYPE to clear them all at once).
"""

from __future__ import annotations

from flask import has_app_context
from flask_caching import Cache

cache = Cache()


def invalidate() -> None:
    # Outside an application context (plain scripts, the generator run by a bench) there is no cache to clear.
    if has_app_context():
        cache.clear()
