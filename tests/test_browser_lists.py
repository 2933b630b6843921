"""The 红黑名单 page in headless Chromium for a leader and an evaluator: real figures, the server-paged grid with
masking per role, the filter bar refreshing the grid, the record and 积分落户 lookups, and no console errors."""

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from data.models import CreditRecord, Subject
from data.points import POINTS_RULES
from tests.browser import console_errors, graph_titles, open_page, serve, sign_in, wait_until_idle
from ui import text_lists as T

pytestmark = pytest.mark.browser

FULL_ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
PERSON = "自然人"
DEBTORS = "拒不履行"  # the listing reason of dishonest judgment debtors, most of whom are persons


@pytest.fixture
def base_url(dash_duo, use_store, sqlite_district):
    return serve(dash_duo, use_store(sqlite_district))


def open_tab(dash_duo, label: str, ready_selector: str) -> None:
    tab = next(link for link in dash_duo.driver.find_elements(By.CSS_SELECTOR, ".nav-tabs .nav-link")
               if link.text == label)
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", tab)
    WebDriverWait(dash_duo.driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ready_selector))
    wait_until_idle(dash_duo)


_ROWS_JS = """
return Array.from(document.querySelectorAll('#lists-entries-grid .ag-center-cols-container .ag-row')).map(row => {
    const cell = id => { const el = row.querySelector(`[col-id='${id}']`); return el ? el.innerText : null; };
    return {kind: cell('kind_name'), code: cell('code'), color: cell('color_name')};
});
"""


def grid_rows(dash_duo) -> list[dict]:
    """The loaded rows of the entry grid, read in one script so that re-rendering cannot interleave."""
    return dash_duo.driver.execute_script(_ROWS_JS)


def colors(dash_duo) -> set[str]:
    return {row["color"] for row in grid_rows(dash_duo)}


def person_codes(dash_duo) -> list[str]:
    """Identity numbers shown for the natural persons among the loaded rows."""
    return [row["code"] for row in grid_rows(dash_duo) if row["kind"] == PERSON]


def search_debtors(dash_duo) -> None:
    """Search the grid for dishonest judgment debtors and wait until only their (black-list) rows are shown."""
    dash_duo.find_element("#lists-search").send_keys(f"{DEBTORS}\n")
    WebDriverWait(dash_duo.driver, 30).until(lambda _d: colors(dash_duo) == {"黑名单"} and person_codes(dash_duo))


def test_lists001_leader_sees_figures_and_a_masked_grid_that_follows_the_filter_bar(dash_duo, base_url):
    sign_in(dash_duo, base_url, "leader")
    open_page(dash_duo, base_url, "/lists", "#lists-by-type .js-plotly-plot")
    titles = graph_titles(dash_duo)
    for title in (T.FIG_BY_TYPE, T.FIG_TREND, T.FIG_FLOWS, T.FIG_BY_TOWN, T.FIG_BY_INDUSTRY, T.FIG_BY_ISSUER):
        assert any(title in shown for shown in titles), title
    assert int(dash_duo.find_element("#lists-kpi-red-value").text.replace(",", "")) > 0
    assert int(dash_duo.find_element("#lists-kpi-black-value").text.replace(",", "")) > 0
    tabs = [link.text for link in dash_duo.driver.find_elements(By.CSS_SELECTOR, ".nav-tabs .nav-link")]
    assert tabs == [T.TAB_OVERVIEW, T.TAB_ENTRIES, T.TAB_CASES]  # no forms, no 积分落户 for leaders

    open_tab(dash_duo, T.TAB_ENTRIES, "#lists-entries-grid .ag-row [col-id='code']")
    search_debtors(dash_duo)
    codes = person_codes(dash_duo)
    assert all("********" in code for code in codes)
    assert not dash_duo.driver.find_elements(By.CSS_SELECTOR, "#lists-entries-grid a[href^='/profile']")

    dash_duo.find_element("#lists-search").send_keys(Keys.CONTROL, "a", Keys.DELETE, "\n")
    WebDriverWait(dash_duo.driver, 30).until(lambda _d: len(colors(dash_duo)) > 1)
    dash_duo.select_dcc_dropdown("#lists-color", value="红名单")
    WebDriverWait(dash_duo.driver, 30).until(lambda _d: colors(dash_duo) == {"红名单"})
    assert console_errors(dash_duo) == []


def test_lists002_evaluator_sees_persons_links_record_history_and_points(dash_duo, base_url, sqlite_district):
    with sqlite_district.read() as db:
        record = db.scalars(select(CreditRecord).where(CreditRecord.record_type_code == "CF")
                            .order_by(CreditRecord.id.desc()).limit(1)).one()
        person = db.scalars(select(Subject).where(Subject.kind == "person").order_by(Subject.id).limit(1)).one()
    sign_in(dash_duo, base_url, "evaluator")
    open_page(dash_duo, base_url, "/lists", "#lists-by-type .js-plotly-plot")

    open_tab(dash_duo, T.TAB_ENTRIES, "#lists-entries-grid .ag-row [col-id='code']")
    search_debtors(dash_duo)
    assert all(FULL_ID_NUMBER.match(code) for code in person_codes(dash_duo))  # evaluators see them in full
    assert dash_duo.driver.find_elements(By.CSS_SELECTOR, "#lists-entries-grid a[href^='/profile?subject=']")
    # A click on an entry brings it (and the record behind it) into the forms of the next tab.
    cell = dash_duo.driver.find_element(By.CSS_SELECTOR, "#lists-entries-grid .ag-row [col-id='entry_id']")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", cell)
    wait_until_idle(dash_duo)

    open_tab(dash_duo, T.TAB_ACTIONS, "#lists-record-key")  # drawn when first opened, with the entry's record
    WebDriverWait(dash_duo.driver, 30).until(
        lambda d: d.find_element(By.ID, "lists-record-key").get_attribute("value"))
    WebDriverWait(dash_duo.driver, 30).until(
        lambda _d: T.RECORD_FIELDS["document_no"] in dash_duo.find_element("#lists-record-detail").text)
    key = dash_duo.find_element("#lists-record-key")
    key.send_keys(Keys.CONTROL, "a", Keys.DELETE)
    key.send_keys(f"{record.document_no}\n")
    WebDriverWait(dash_duo.driver, 30).until(lambda _d: record.document_no in
                                             dash_duo.find_element("#lists-record-detail").text)
    assert dash_duo.find_element("#lists-objection-submit").is_displayed()
    assert not dash_duo.find_element("#lists-repair-submit").is_displayed()  # repair is the deciding bureau's

    open_tab(dash_duo, T.TAB_POINTS, "#lists-points-term")
    assert POINTS_RULES["plan"].name in dash_duo.find_element("#lists-points-rule").text
    dash_duo.find_element("#lists-points-term").send_keys(f"{person.code}\n")
    dash_duo.wait_for_element("#lists-points-rule-applied", timeout=30)
    assert POINTS_RULES["plan"].name in dash_duo.find_element("#lists-points-rule-applied").text
    assert dash_duo.find_element("#lists-points-deduction").text
    assert console_errors(dash_duo) == []
