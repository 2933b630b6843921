"""The read-model cache (flask-caching), initialised by the app factory.

Query functions are memoised with the store as their first argument: Store.__repr__ is its URL, so two stores
never share entries, and the viewer's data scope is an explicit argument wherever results depend on it.
Every write path (ingestion, generator, objections) calls `invalidate()` so pages never show stale figures.
The default backend (FileSystemCache under instance/cache) is shared by every worker process of the machine, so
one invalidate() clears it for all of them; an in-process SimpleCache (CACHE_TYPE=SimpleCache, used by the tests)
would leave the other workers' copies until CACHE_TIMEOUT.
"""

from __future__ import annotations

from flask import has_app_context
from flask_caching import Cache

cache = Cache()


def invalidate() -> None:
    # Outside an application context (plain scripts, the generator run by a bench) there is no cache to clear.
    if has_app_context():
        cache.clear()
