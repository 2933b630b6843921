"""The leadership overview in headless Chromium: every allowed role sees real figures without console errors, a
click opens the page that explains the figure, and the roles without access are refused."""

import datetime as dt

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import func, or_, select

from data.models import Subject
from security.access import ACCESS
from tests.browser import console_errors, graph_titles, open_page, serve, sign_in
from ui import text as T
from ui import text_overview as TO

pytestmark = pytest.mark.browser

ALLOWED = sorted(ACCESS["overview"]["view"])
REFUSED = sorted({"leader", "itc", "evaluator", "bureau", "admin"} - ACCESS["overview"]["view"])


@pytest.fixture
def base_url(dash_duo, use_store, sqlite_district):
    return serve(dash_duo, use_store(sqlite_district))


def subjects_in_force(store, year: int) -> int:
    """Counted straight from the subjects table, independently of the summary the page reads."""
    end = dt.date(year, 12, 31)
    with store.read() as db:
        return db.scalar(select(func.count()).select_from(Subject).where(
            or_(Subject.registered_on.is_(None), Subject.registered_on <= end),
            or_(Subject.deregistered_on.is_(None), Subject.deregistered_on > end)))


@pytest.mark.parametrize("role", ALLOWED)
def test_overview101_allowed_roles_see_the_whole_district(dash_duo, base_url, sqlite_district, role):
    sign_in(dash_duo, base_url, role)
    open_page(dash_duo, base_url, "/overview", "#overview-lists .js-plotly-plot")
    year = int(dash_duo.find_element("#overview-year").text.split()[0])
    expected = f"{subjects_in_force(sqlite_district, year):,}"
    dash_duo.wait_for_text_to_equal("#overview-kpi-subjects-value", expected, timeout=20)
    titles = graph_titles(dash_duo)
    for expected in (TO.CHART_RECORDS_TREND.split("（")[0], TO.CHART_ON_TIME.split("（")[0],
                     TO.CHART_GRADES_EMPTY_TITLE, TO.CHART_LISTS.split("（")[0]):
        assert any(title.startswith(expected) for title in titles), (expected, titles)
    for kpi in ("records", "black", "red", "on-time", "below", "objections", "honours"):
        assert dash_duo.find_element(f"#overview-kpi-{kpi}-value").text not in ("", "—"), kpi
    assert dash_duo.driver.find_elements(By.CSS_SELECTOR, "#overview-risks-grid .ag-row")
    assert console_errors(dash_duo) == []


def test_overview102_clicking_a_figure_opens_the_page_that_explains_it(dash_duo, base_url):
    sign_in(dash_duo, base_url, "leader")
    open_page(dash_duo, base_url, "/overview", "#overview-lists .js-plotly-plot")
    bar = dash_duo.driver.find_elements(By.CSS_SELECTOR, "#overview-lists .bars .point path")[0]
    assert console_errors(dash_duo) == []
    # A real pointer click on the bar: Plotly reads clicks from the drag layer above it, not from the bar itself.
    ActionChains(dash_duo.driver).move_to_element(bar).pause(0.3).click().perform()
    WebDriverWait(dash_duo.driver, 20).until(lambda d: d.current_url.endswith("/lists"))


def test_overview103_other_roles_are_refused(dash_duo, base_url):
    for role in REFUSED:
        sign_in(dash_duo, base_url, role)
        assert TO.TITLE not in dash_duo.find_element("#main-nav").text
        dash_duo.driver.get(f"{base_url}/overview")
        dash_duo.wait_for_text_to_equal("h1", T.FORBIDDEN, timeout=10)
        dash_duo.driver.get(f"{base_url}/logout")
