"""The read-model cache (flask-caching), initialised by the app factory.

Query functions are memoised with the store as their first argument: Store.__repr__ is its URL, so two stores
never share entries, and the viewer's data scope is an explicit argument wherever results depend on it.
Every write path (ingestion, generator, objections) calls `invalidate()` so pages never show stale figures. A
submission of records calls `invalidate("submission")`, which keeps the entries of the queries declared to survive
it (`memoize(survives=("submission",))`: the lists' statistics, which read no record), so the lists page stays warm
while bureaus submit.
The default backend (FileSystemCache under instance/cache) is shared by every worker process of the machine, so
one invalidate() clears it for all of them; an in-process SimpleCache (CACHE_TYPE=SimpleCache, used by the tests)
would leave the other workers' copies until CACHE_TIMEOUT.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import inspect
import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from flask import current_app, has_app_context
from flask_caching import Cache
from flask_caching.backends.filesystemcache import FileSystemCache

cache = Cache()
logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
# A miss is computed under a lock of its own entry: a file lock when the cache is shared by worker processes
# (FileSystemCache), a thread lock otherwise. One lock per entry, not a fixed set of shared ones: a memoised query
# calls others (the lists' trend reads the memoised entry dates), and two entries sharing a lock would deadlock
# the thread that holds one and asks for the other.
_thread_locks: dict[str, threading.Lock] = {}
_thread_locks_guard = threading.Lock()


def _lock_folder() -> str | None:
    """Where the entries' file locks live when the cache is shared through files (whatever CACHE_TYPE spelling
    chose the backend), else None."""
    if isinstance(cache.cache, FileSystemCache):
        return f"{os.path.abspath(current_app.config['CACHE_DIR'])}-locks"  # beside the cache: clear() empties it
    return None


@contextlib.contextmanager
def _computing(key: str) -> Iterator[None]:
    folder = _lock_folder()
    if folder is not None:
        os.makedirs(folder, exist_ok=True)
        name = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
        with open(os.path.join(folder, f"{name}.lock"), "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
    else:
        with _thread_locks_guard:
            lock = _thread_locks.setdefault(key, threading.Lock())
        with lock:
            yield


def _get(key: str) -> Any:
    """The entry, or None when missing or when the cache backend fails (pages then compute, as without a cache)."""
    try:
        return cache.get(key)
    except Exception:  # any backend failure (disk, network) must not fail the page
        logger.warning("read-model cache unavailable, computing %s", key, exc_info=True)
        return None


def _set(key: str, value: Any, timeout: int | None) -> None:
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:
        logger.warning("read-model cache unavailable, %s not stored", key, exc_info=True)


# The kinds of write that empty only part of the cache (see invalidate): each has a generation token, part of the
# key of every entry that does not survive it.
WRITE_KINDS = ("submission",)


def _generation(kind: str) -> str:
    """The current token of a kind of write. A missing token (the cache was cleared, or the entry pruned) becomes a
    new random one, never an old value: an entry stored under an earlier token can then never be found again."""
    key = f"generation:{kind}"
    token = _get(key)
    if token is None:
        # Made under the lock of its own key, so that the callers missing it together (every chart of a page after
        # a clear) agree on one token and still compute each entry once.
        with _computing(key):
            token = _get(key)
            if token is None:
                token = uuid.uuid4().hex
                _set(key, token, 0)
    return token


def memoize(timeout: int | None = None, *, survives: tuple[str, ...] = ()) -> Callable[[F], F]:
    """Memoise a query in the read-model cache, computing a missing entry once: callers that miss the same entry at
    the same time (every chart of a page after a write emptied the cache) wait for the first to store it instead of
    all running the same aggregate on the same cores.

    The key is the function and its arguments (Store's repr is its URL). flask-caching's own memoize also keys on a
    per-function version it keeps in the cache, created at random by the first caller after a clear: callers
    racing after every write made different keys, so each computed the entry anyway (and every hit read the cache
    twice). Entries are never deleted one by one here, which is what those versions are for.

    `survives` names the kinds of write (`WRITE_KINDS`) that cannot change the result: `invalidate(kind)` then keeps
    the entry. Declare only what the query's tables show: a submission writes records, submissions, rejections,
    new subjects and the record summaries.
    """
    unknown = set(survives) - set(WRITE_KINDS)
    if unknown:
        raise ValueError(f"unknown kinds of write: {sorted(unknown)}")

    def decorator(function: F) -> F:
        name = f"{function.__module__}.{function.__qualname__}"
        signature = inspect.signature(function)

        @functools.wraps(function)
        def cached(*args: Any, **kwargs: Any) -> Any:
            if not has_app_context():  # scripts, benches and tests calling queries directly: no cache to use
                return function(*args, **kwargs)
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            generations = "".join(_generation(kind) for kind in WRITE_KINDS if kind not in survives)
            key = "memo:" + hashlib.blake2b(
                f"{name}{bound.args!r}{sorted(bound.kwargs.items())!r}{generations}".encode(), digest_size=16
            ).hexdigest()
            found = _get(key)
            if found is not None:
                return found
            with _computing(key):
                found = _get(key)  # stored by the caller this one waited for
                if found is not None:
                    return found
                value = function(*args, **kwargs)
                # Stored before the lock is released, so that a caller who waited finds it.
                _set(key, value, timeout)
                return value

        return cached  # type: ignore[return-value]

    return decorator


def invalidate(kind: str | None = None) -> None:
    """Forget what a write may have changed: everything, or with `kind` (one of WRITE_KINDS) every entry but those
    of the queries that survive that kind of write (a new generation token: the others' keys change)."""
    if kind is not None and kind not in WRITE_KINDS:
        raise ValueError(f"unknown kind of write: {kind}")
    # Outside an application context (plain scripts, the generator run by a bench) there is no cache to clear.
    if not has_app_context():
        return
    if kind is not None:
        try:
            if cache.set(f"generation:{kind}", uuid.uuid4().hex, timeout=0) is not False:
                return
        except Exception:
            logger.warning("read-model cache: generation of %s not renewed", kind, exc_info=True)
        # The token could not be renewed: forget everything instead.
    cache.clear()
    # The entries' locks go with them (a caller still holding one finishes undisturbed; at worst one entry is
    # computed twice while the locks are renewed).
    with _thread_locks_guard:
        _thread_locks.clear()
    folder = _lock_folder()
    if folder is not None and os.path.isdir(folder):
        for name in os.listdir(folder):
            with contextlib.suppress(OSError):
                os.remove(os.path.join(folder, name))
