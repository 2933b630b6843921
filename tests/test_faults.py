"""Reliability: the database going away and coming back, and hostile values in Excel exports."""

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from data.db import Store
from tests.conftest import add_role_users
from tests.dash_calls import call
from ui.export import Sheet, excel_bytes, neutralise

STATUS = "db-status.is_open"
# The landing page's callbacks: the KPIs, the lists table, the subjects figures, the records figures.
LANDING = ("..home-kpi-subjects-value.children...home-kpi-subjects-note.children...home-kpi-records-value.children"
           "...home-kpi-records-note.children...home-kpi-black-value.children...home-kpi-black-note.children"
           "...home-kpi-red-value.children...home-kpi-red-note.children..",
           "home-lists-grid.rowData",
           "..home-subjects-kind.figure...home-subjects-town.figure..",
           "..home-records-type.figure...home-records-bureau.figure..")


def landing(client, app) -> list[int]:
    """The status of each landing-page callback."""
    return [call(client, app, key, {"home-year.value": ""}).status_code for key in LANDING]


@pytest.fixture
def signed_in(empty_store, use_store, login):
    add_role_users(empty_store)
    app = use_store(empty_store)
    client = login("leader")
    call(client, app, STATUS)  # first request registers the callbacks
    return app, client, empty_store


def test_faults001_unreachable_database_shows_banner_and_keeps_page(signed_in):
    app, client, _store = signed_in
    assert call(client, app, STATUS).json["response"]["db-status"]["is_open"] is False
    # A store whose server does not answer (nothing listens on port 9 on loopback).
    broken = Store("postgresql+psycopg2://postgres@127.0.0.1:9/test?connect_timeout=1")
    good = app.server.extensions["credit_store"]
    app.server.extensions["credit_store"] = broken
    try:
        assert call(client, app, STATUS).json["response"]["db-status"]["is_open"] is True
        assert landing(client, app) == [204] * len(LANDING)  # the page keeps what it shows; no server error
    finally:
        app.server.extensions["credit_store"] = good
    assert call(client, app, STATUS).json["response"]["db-status"]["is_open"] is False
    assert landing(client, app) == [200] * len(LANDING)


def test_faults002_connections_killed_by_the_server_are_replaced(signed_in):
    app, client, store = signed_in
    if store.dialect != "postgresql":
        return  # SQLite has no server whose connections could be terminated
    assert landing(client, app) == [200] * len(LANDING)
    schema = store.engine.url.query["options"].split("=")[-1]
    with store.engine.connect() as connection:
        own_pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
    other = Store(str(store.engine.url.set(query={})))
    with other.engine.begin() as connection:
        killed = connection.execute(
            text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid = :pid"), {"pid": own_pid}
        ).scalar()
    other.engine.dispose()
    assert killed == 1 and schema
    from data.cache import cache

    with app.server.app_context():
        cache.clear()
    assert landing(client, app) == [200] * len(LANDING)


@pytest.mark.parametrize("hostile", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_faults003_formula_cells_are_neutralised(hostile):
    assert neutralise(hostile).startswith("'")
    import pandas as pd

    content = excel_bytes([Sheet("表", pd.DataFrame({"名称": [hostile, "正常文本", 3]}), "标题")])
    sheet = load_workbook(io.BytesIO(content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(not (isinstance(v, str) and v[:1] in "=+-@\t\r") for v in values)
    assert "'" + hostile in values and "正常文本" in values and 3 in values
