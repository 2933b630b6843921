"""The read-model cache (flask-caching), initialised by the app factory.

Query functions are memoised with the store as their first argument: Store.__repr__ is its URL, so two stores
never share entries, and the viewer's data scope is an explicit argument wherever results depend on it.
Every write path (ingestion, generator, objections) calls `invalidate()` so pages never show stale figures.
The default backend (FileSystemCache under instance/cache) is shared by every worker process of the machine, so
one invalidate() clears it for all of them; an in-process SimpleCache (CACHE_TYPE=SimpleCache, used by the tests)
would leave the other workers' copies until CACHE_TIMEOUT.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from flask import current_app, has_app_context
from flask_caching import Cache

cache = Cache()

F = TypeVar("F", bound=Callable[..., Any])
# Misses are computed under one of these locks, chosen by the entry's key: a file lock when the cache is shared by
# worker processes (FileSystemCache), a thread lock otherwise. Striped so that the number of lock files stays fixed.
LOCK_STRIPES = 256
_thread_locks = [threading.Lock() for _ in range(LOCK_STRIPES)]


@contextlib.contextmanager
def _computing(key: str) -> Iterator[None]:
    stripe = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=2).digest(), "big") % LOCK_STRIPES
    config = current_app.config
    if config.get("CACHE_TYPE") in ("FileSystemCache", "flask_caching.backends.filesystemcache.FileSystemCache"):
        folder = f"{os.path.abspath(config['CACHE_DIR'])}-locks"  # beside the cache: clear() empties its folder
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{stripe:03d}.lock"), "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
    else:
        with _thread_locks[stripe]:
            yield


def memoize(timeout: int | None = None) -> Callable[[F], F]:
    """cache.memoize that computes a missing entry once: callers that miss the same entry at the same time (every
    chart of a page after a write emptied the cache) wait for the first to store it instead of all running the
    same aggregate on the same cores."""

    def decorator(function: F) -> F:
        memoized: Any = None

        @functools.wraps(function)
        def compute_once(*args: Any, **kwargs: Any) -> Any:
            key = memoized.make_cache_key(compute_once, *args, **kwargs)
            with _computing(key):
                found = cache.get(key)
                if found is not None:
                    return found
                value = function(*args, **kwargs)
                # Stored before the lock is released, so that a caller who waited finds it.
                cache.set(key, value, timeout=timeout)
                return value

        memoized = cache.memoize(timeout)(compute_once)
        return memoized

    return decorator


def invalidate() -> None:
    # Outside an application context (plain scripts, the generator run by a bench) there is no cache to clear.
    if has_app_context():
        cache.clear()
