"""The landing page in headless Chromium: signed-in roles see real figures, no console errors."""

import pytest
from selenium.webdriver.common.by import By
from sqlalchemy import func, select

from data.models import Subject
from tests.browser import console_errors, graph_titles, open_page, serve, sign_in
from ui import text as T

pytestmark = pytest.mark.browser


@pytest.fixture
def base_url(dash_duo, use_store, sqlite_district):
    return serve(dash_duo, use_store(sqlite_district))


@pytest.mark.parametrize("role", ["leader", "bureau"])
def test_home001_landing_page_shows_real_figures(dash_duo, base_url, sqlite_district, role):
    sign_in(dash_duo, base_url, role)
    open_page(dash_duo, base_url, "/", "#home-subjects-town .js-plotly-plot")
    titles = graph_titles(dash_duo)
    assert any(T.HOME_SUBJECTS_BY_TOWN in title for title in titles)
    assert any(T.HOME_RECORDS_BY_BUREAU in title for title in titles)
    subjects = dash_duo.find_element("#home-kpi-subjects-value").text
    with sqlite_district.read() as db:
        registered = db.scalar(select(func.count()).select_from(Subject).where(Subject.deregistered_on.is_(None)))
    assert int(subjects.replace(",", "")) == registered
    rows = dash_duo.driver.find_elements(By.CSS_SELECTOR, "#home-lists-grid .ag-row")
    assert len(rows) > 0
    assert console_errors(dash_duo) == []


def test_home002_anonymous_browser_lands_on_sign_in(dash_duo, base_url):
    dash_duo.driver.get(f"{base_url}/")
    dash_duo.wait_for_element("#username", timeout=10)
    assert "/login" in dash_duo.driver.current_url
