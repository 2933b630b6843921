"""Shared fixtures: stores on SQLite and PostgreSQL, the app signed in per role, a small generated district.

PostgreSQL tests run when TEST_DATABASE_URL is set (CI sets it); each store gets its own schema so that test
runs never see each other's data.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The app module builds its default store at import: point it at a throw-away instance folder first.
_INSTANCE = Path(tempfile.mkdtemp(prefix="credit-test-instance-"))
atexit.register(shutil.rmtree, _INSTANCE, ignore_errors=True)
os.environ.setdefault("INSTANCE_PATH", str(_INSTANCE))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_INSTANCE / 'unused.db'}")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("CACHE_TYPE", "SimpleCache")  # one process per test worker; cache.clear() between tests
# No refresh-ahead thread in the test process: it would query stores the tests have dropped (test_cache007 drives
# the warmer itself).
os.environ.setdefault("CACHE_WARM", "0")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("DASH_TEST_CHROMEPATH", "/usr/bin/chromium")

from sqlalchemy import create_engine, text  # noqa: E402

from data.db import Store, migrate  # noqa: E402

PG_URL = os.environ.get("TEST_DATABASE_URL")
DIALECTS = ["sqlite"] + (["postgresql"] if PG_URL else [])
TEST_PASSWORD = "Test-password-2026"
ROLE_USERS = {
    "leader": ("t_leader", None),
    "itc": ("t_itc", None),
    "evaluator": ("t_evaluator", None),
    "bureau": ("t_bureau", "ZJ"),
    "admin": ("t_admin", None),
}
OTHER_BUREAU_USER = ("t_bureau_sw", "SW")


class StoreFactory:
    """Makes fresh migrated stores and drops their PostgreSQL schemas at the end of the session."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.schemas: list[str] = []
        self.stores: list[Store] = []

    def new(self, dialect: str) -> Store:
        if dialect == "sqlite":
            url = f"sqlite:///{self.tmp / f'store-{uuid.uuid4().hex[:8]}.db'}"
        else:
            schema = f"t_{os.getpid()}_{uuid.uuid4().hex[:8]}"
            with create_engine(PG_URL).begin() as connection:
                connection.execute(text(f"CREATE SCHEMA {schema}"))
            self.schemas.append(schema)
            separator = "&" if "?" in PG_URL else "?"
            url = f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
        store = Store(url)
        migrate(store.engine)
        self.stores.append(store)
        return store

    def close(self) -> None:
        for store in self.stores:
            store.engine.dispose()
        if self.schemas:
            engine = create_engine(PG_URL)
            # One transaction per schema: dropping many at once exhausts PostgreSQL's lock table.
            for schema in self.schemas:
                with engine.begin() as connection:
                    connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            engine.dispose()


@pytest.fixture(scope="session")
def store_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreFactory]:
    factory = StoreFactory(tmp_path_factory.mktemp("stores"))
    yield factory
    factory.close()


@pytest.fixture(params=DIALECTS)
def empty_store(request: pytest.FixtureRequest, store_factory: StoreFactory) -> Iterator[Store]:
    """A fresh, migrated store with reference data and no subjects (one per test)."""
    store = store_factory.new(request.param)
    yield store
    # Close the pool now: hundreds of idle pools would exhaust PostgreSQL's max_connections.
    store.engine.dispose()


def add_role_users(store: Store) -> None:
    from data.users import create_user

    with store.session() as db:
        for role, (username, bureau) in ROLE_USERS.items():
            create_user(db, username, TEST_PASSWORD, role, bureau)
        create_user(db, OTHER_BUREAU_USER[0], TEST_PASSWORD, "bureau", OTHER_BUREAU_USER[1])


@pytest.fixture(scope="session")
def district_factory(store_factory: StoreFactory, tmp_path_factory):
    """Small generated districts with one user per role, made once per dialect per session (read-only)."""
    from data.generator import generate

    made: dict[str, Store] = {}

    def get(dialect: str) -> Store:
        if dialect not in made:
            store = store_factory.new(dialect)
            truth = tmp_path_factory.mktemp("truth") / "truth.csv"
            generate(store.engine, persons=1500, enterprises=500, years=3, seed=7, truth_path=truth)
            add_role_users(store)
            store.truth_path = truth  # type: ignore[attr-defined]
            made[dialect] = store
        return made[dialect]

    return get


@pytest.fixture(scope="session", params=DIALECTS)
def district(request: pytest.FixtureRequest, district_factory) -> Store:
    """The small district on each database."""
    return district_factory(request.param)


@pytest.fixture(scope="session")
def sqlite_district(district_factory) -> Store:
    """The small district on SQLite, for browser tests (the same queries are tested on PostgreSQL)."""
    return district_factory("sqlite")


@pytest.fixture(scope="session")
def dash_app():
    import app as app_module

    app_module.server.config["TESTING"] = True
    return app_module.dash_app


@pytest.fixture
def use_store(dash_app):
    """Point the running app at a store for one test (and clear the query cache around it)."""
    from data.cache import cache

    server = dash_app.server
    previous = server.extensions["credit_store"]

    def use(store: Store):
        server.extensions["credit_store"] = store
        with server.app_context():
            cache.clear()
        return dash_app

    yield use
    server.extensions["credit_store"] = previous
    with server.app_context():
        cache.clear()


@pytest.fixture
def login(dash_app):
    """A signed-in Flask test client for a role (or a username) on the app's current store."""

    def sign_in(role_or_username: str):
        username = ROLE_USERS[role_or_username][0] if role_or_username in ROLE_USERS else role_or_username
        client = dash_app.server.test_client()
        response = client.post("/login", data={"username": username, "password": TEST_PASSWORD})
        assert response.status_code == 302, response.data[:300]
        return client

    return sign_in


@pytest.fixture(scope="module", params=DIALECTS)
def hand_store(request: pytest.FixtureRequest, store_factory: StoreFactory) -> Store:
    """The hand-built district of tests/hand_district.py with one user per role, once per database and module
    (for tests that only read; expected figures are worked out by hand from it)."""
    from tests import hand_district

    store = store_factory.new(request.param)
    store.ids = hand_district.build(store)  # type: ignore[attr-defined]
    add_role_users(store)
    return store


@pytest.fixture
def hand(hand_store: Store, dash_app):
    """The hand-built district, queried inside an application context with an empty query cache."""
    from data.cache import cache

    with dash_app.server.app_context():
        cache.clear()
        yield hand_store


@pytest.fixture
def fresh_hand(empty_store: Store, dash_app):
    """A hand-built district of its own, for tests that write (settings, weights, scores)."""
    from data.cache import cache
    from tests import hand_district

    empty_store.ids = hand_district.build(empty_store)  # type: ignore[attr-defined]
    with dash_app.server.app_context():
        cache.clear()
        yield empty_store
