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
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from flask import Flask, current_app, has_app_context
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
            call = f"{name}{bound.args!r}{sorted(bound.kwargs.items())!r}"
            key = "memo:" + hashlib.blake2b(f"{call}{generations}".encode(), digest_size=16).hexdigest()
            _remember(call, cached, args, kwargs)
            found = _get(key)
            if found is not None:
                return found
            with _computing(key):
                found = _get(key)  # stored by the caller this one waited for
                if found is not None:
                    return found
                _local.computed = getattr(_local, "computed", 0) + 1
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


# Refresh-ahead: what this process's pages asked recently, so that after a write emptied (part of) the cache the
# entries are computed again in the background instead of by the next visitor. One line per function and
# arguments (the cache key without the generation tokens, which a write changes), with the time of its last use.
WARM_LIMIT = 400  # most recently used entries remembered per process
_recent: OrderedDict[str, tuple[Callable[..., Any], tuple, dict, float]] = OrderedDict()
_recent_guard = threading.Lock()
_local = threading.local()  # per thread: warming (calls are not uses) and how many entries were computed


def _remember(line: str, function: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    if getattr(_local, "warming", False):  # the warmer's own calls (and the queries they nest) are not uses
        return
    with _recent_guard:
        _recent[line] = (function, args, kwargs, time.monotonic())
        _recent.move_to_end(line)
        while len(_recent) > WARM_LIMIT:
            _recent.popitem(last=False)


def warm(max_age: float = 3600.0) -> dict[str, float]:
    """Ask again, most recent first, every entry this process used in the last `max_age` seconds: an entry still in
    the cache costs a read, a missing one is computed and stored (under its entry's lock, so a visitor asking for it
    meanwhile waits for this computation instead of repeating it). Needs an application context. Returns how many
    entries were asked, how many had to be computed, how many failed, and the seconds it took."""
    started = time.monotonic()
    with _recent_guard:
        lines = [(line, *entry) for line, entry in reversed(_recent.items()) if started - entry[3] <= max_age]
    failed = 0
    _local.warming, _local.computed = True, 0
    try:
        for line, function, args, kwargs, _used in lines:
            try:
                function(*args, **kwargs)
            except Exception:  # a failing query must not stop the others (the page will show its own error)
                failed += 1
                logger.warning("read-model cache: warming %s failed", line, exc_info=True)
        computed = _local.computed  # nested queries included
    finally:
        _local.warming, _local.computed = False, 0
    return {"asked": len(lines), "computed": computed, "failed": failed,
            "seconds": round(time.monotonic() - started, 3)}


class Warmer(threading.Thread):
    """Watches the cache for writes and warms this process's recent entries after each (`warm`). Every write
    changes or removes a generation token (a kind of write renews its own, a full invalidation clears the cache
    with all of them), so one read of the tokens every `interval` seconds notices any write made by any process
    sharing the cache: web workers, `flask ingest`, the scorer. Without writes it also passes every `refresh`
    seconds: entries expire (CACHE_TIMEOUT, which bounds what a write made outside the app could leave), and such a
    pass computes again those that expired while still in use (the others are found: a read each). Each pass
    records its figures under `warm:<pid>` (for benches)."""

    def __init__(self, server: Flask, interval: float = 2.0, max_age: float = 3600.0, refresh: float = 300.0
                 ) -> None:
        super().__init__(name="read-model-cache-warmer", daemon=True)
        self.server, self.interval, self.max_age, self.refresh = server, interval, max_age, refresh
        self.stopped = threading.Event()
        self.passed = time.monotonic()
        with server.app_context():
            self.seen = self._tokens()

    @staticmethod
    def _tokens() -> tuple[str, ...]:
        # A cleared cache has no tokens: made now (as the next query would), so that this pass is the only one.
        return tuple(_generation(kind) for kind in WRITE_KINDS)

    def poll(self) -> dict[str, float] | None:
        """One look at the tokens; warms and returns the pass's figures when one changed or the last pass is
        `refresh` seconds old, else None."""
        with self.server.app_context():
            tokens = self._tokens()
            if tokens == self.seen and time.monotonic() - self.passed < self.refresh:
                return None
            self.passed = time.monotonic()
            figures = warm(self.max_age)
            # The tokens read before warming: a write during the pass changes one again, and the next poll warms again.
            self.seen = tokens
            _set(f"warm:{os.getpid()}", {**figures, "finished": time.time()}, None)
            if figures["computed"] or figures["failed"]:
                logger.info("read-model cache warmed: %s", figures)
            return figures

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                self.poll()
            except Exception:  # never let the thread die: the next poll tries again
                logger.warning("read-model cache warmer failed", exc_info=True)


_warmer: Warmer | None = None
_warmer_pid: int | None = None
_warmer_guard = threading.Lock()


def start_warmer(server: Flask, interval: float = 2.0) -> Warmer | None:
    """The warmer of this process, started on first use (gunicorn forks its workers after importing the app, and a
    thread does not survive a fork: each worker starts its own on its first request)."""
    global _warmer, _warmer_pid
    if _warmer_pid == os.getpid():  # every request after the first: no lock
        return _warmer
    with _warmer_guard:
        if _warmer is None or _warmer_pid != os.getpid():
            _warmer, _warmer_pid = Warmer(server, interval), os.getpid()
            _warmer.start()
        return _warmer
