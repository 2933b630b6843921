"""The civilisation-campaign statistics in headless Chromium: every allowed role sees the town ranking, rates and
tables without console errors; staff change the index weights on the page; the other roles are refused."""

import pytest
from selenium.webdriver.common.by import By

from security.access import ACCESS
from tests import hand_district as H
from tests.browser import console_errors, graph_titles, open_page, serve, sign_in, wait_until_idle
from tests.conftest import ROLE_USERS, add_role_users
from ui import text as T
from ui import text_campaign as TC

pytestmark = pytest.mark.browser

ALLOWED = sorted(ACCESS["campaign"]["view"])
REFUSED = sorted(set(ROLE_USERS) - ACCESS["campaign"]["view"])


def press(dash_duo, selector: str) -> None:
    """Scroll the control into view at once before clicking: Bootstrap's smooth scrolling would otherwise still be
    moving the page when the click lands."""
    element = dash_duo.find_element(selector)
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
    element.click()


@pytest.mark.parametrize("role", ALLOWED)
def test_campaign101_allowed_roles_see_towns_ranked(dash_duo, use_store, sqlite_district, role):
    base_url = serve(dash_duo, use_store(sqlite_district))
    sign_in(dash_duo, base_url, role)
    open_page(dash_duo, base_url, "/campaign", "#campaign-ranking .js-plotly-plot")
    titles = graph_titles(dash_duo)
    for expected in (TC.CHART_RANKING, TC.CHART_TREEMAP, TC.CHART_CHANGE, TC.CHART_RESIDENT_RATES,
                     TC.CHART_LEGAL_RATES, TC.CHART_YEARS):
        prefix = expected.split("（")[0]
        assert any(title.startswith(prefix) for title in titles), (prefix, titles)
    # 22 towns ranked (the grid pages 20 rows at a time) and the weights in force shown with the method.
    assert dash_duo.find_element("#campaign-towns-grid .ag-paging-row-summary-panel").text.endswith("22")
    assert len(dash_duo.driver.find_elements(By.CSS_SELECTOR, "#campaign-weights-values tbody tr")) == 6
    assert dash_duo.find_element("#campaign-kpi-top-value").text not in ("", "—")
    editor = dash_duo.find_element("#campaign-weights-edit-area")
    assert editor.is_displayed() == (role in ACCESS["campaign"]["weights"])
    assert console_errors(dash_duo) == []


def test_campaign102_staff_change_the_index_weights_on_the_page(dash_duo, use_store, store_factory):
    store = store_factory.new("sqlite")
    H.build(store)
    add_role_users(store)
    base_url = serve(dash_duo, use_store(store))
    sign_in(dash_duo, base_url, "itc")
    open_page(dash_duo, base_url, "/campaign", "#campaign-ranking .js-plotly-plot")
    dash_duo.wait_for_text_to_equal("#campaign-kpi-top-value", "中仓街道", timeout=20)
    press(dash_duo, "#campaign-weights-toggle")
    dash_duo.wait_for_style_to_equal("#campaign-weights-editor", "display", "block")
    # Only activities count: 中仓 (3 per 60,000 residents) stays first, 马驹桥 (none) falls to the bottom group.
    for component, value in (("honours_per_10k", "0"), ("activities_per_10k", "100"), ("adverse_per_10k", "0"),
                             ("adverse_per_1k", "0"), ("black_per_10k", "0"), ("black_per_1k", "0")):
        field = dash_duo.find_element(f"#campaign-weight-{component}")
        field.clear()
        field.send_keys(value)
    press(dash_duo, "#campaign-weights-save")
    dash_duo.wait_for_text_to_equal("#campaign-weights-feedback", TC.WEIGHTS_SAVED, timeout=20)
    wait_until_idle(dash_duo)
    dash_duo.wait_for_contains_text("#campaign-weights-values", "100%", timeout=20)
    assert dash_duo.find_element("#campaign-weights-source").text == TC.WEIGHTS_SOURCE_SETTING
    dash_duo.wait_for_contains_text("#campaign-kpi-top-note", "宋庄镇", timeout=20)
    assert console_errors(dash_duo) == []


def test_campaign103_other_roles_are_refused(dash_duo, use_store, sqlite_district):
    base_url = serve(dash_duo, use_store(sqlite_district))
    for role in REFUSED:
        sign_in(dash_duo, base_url, role)
        assert TC.TITLE not in dash_duo.find_element("#main-nav").text
        dash_duo.driver.get(f"{base_url}/campaign")
        dash_duo.wait_for_text_to_equal("h1", T.FORBIDDEN, timeout=10)
        dash_duo.driver.get(f"{base_url}/logout")


def test_campaign103_rows_below_the_first_screen_are_drawn_when_scrolled_to(dash_duo, use_store, sqlite_district):
    """Deferred sections: on opening, the page draws the first screen only (no request for the lower charts and
    grids); scrolling to a section draws it, with its callbacks answered by the server as usual."""
    base_url = serve(dash_duo, use_store(sqlite_district))
    sign_in(dash_duo, base_url, "leader")
    driver = dash_duo.driver
    driver.set_window_size(1400, 900)
    open_page(dash_duo, base_url, "/campaign", "#campaign-ranking .js-plotly-plot", reveal=False)
    drawn = driver.execute_script(
        "return Array.from(document.querySelectorAll('.deferred-section')).map(e => e.childElementCount > 0)")
    # Five sections; only one near the first screen (within the 300 px look-ahead) may be drawn yet.
    assert len(drawn) == 5 and not any(drawn[2:])
    assert not driver.find_elements(By.CSS_SELECTOR, "#campaign-years, #campaign-towns-grid")
    section = driver.find_element(By.CSS_SELECTOR, ".deferred-section[data-section='campaign-years']")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", section)
    dash_duo.wait_for_element("#campaign-years .js-plotly-plot", timeout=30)
    wait_until_idle(dash_duo)
    assert any(title.startswith(TC.CHART_YEARS.split("（")[0]) for title in graph_titles(dash_duo))
    # Sections far from the screen are still waiting.
    assert not driver.find_elements(By.CSS_SELECTOR, "#campaign-events-grid")
    assert console_errors(dash_duo) == []
