"""The 委办局报送考核 page in headless Chromium: the assessment office's full view with the server-paged drill-down,
the leader's summary, and a bureau user who sees only its own bureau and uploads a file."""

from __future__ import annotations

import datetime as dt

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from data.ingest import ingest
from data.ingest.samples import csv_bytes, sample_rows
from tests.browser import console_errors, graph_titles, open_page, serve, sign_in, wait_until_idle
from tests.conftest import add_role_users
from ui import text_assessment as TA

pytestmark = pytest.mark.browser
READY = "#assessment-scores .js-plotly-plot"


def grid_rows(dash_duo, grid_id: str) -> list[str]:
    """The text of each rendered row, pinned and scrolling parts joined (AG Grid draws them separately); read in
    one script, as AG Grid may redraw its rows between two element reads."""
    parts: dict[str, list[str]] = {}
    for index, text in dash_duo.driver.execute_script(
            "return Array.from(document.querySelectorAll(arguments[0]))"
            ".map(row => [row.getAttribute('row-index'), row.innerText]);", f"#{grid_id} .ag-row[row-index]"):
        parts.setdefault(index, []).append(text)
    return [" ".join(texts) for _index, texts in sorted(parts.items(), key=lambda item: int(item[0]))]


def wait_for_rows(dash_duo, grid_id: str, timeout: int = 20) -> list[str]:
    WebDriverWait(dash_duo.driver, timeout).until(lambda _d: any(text.strip() for text in grid_rows(dash_duo,
                                                                                                      grid_id)))
    return grid_rows(dash_duo, grid_id)


def test_assessment_browser001_itc_sees_every_bureau_and_drills_down(dash_duo, use_store, sqlite_district):
    base_url = serve(dash_duo, use_store(sqlite_district))
    sign_in(dash_duo, base_url, "itc")
    open_page(dash_duo, base_url, "/assessment", READY)
    titles = graph_titles(dash_duo)
    for title in ("考核得分排名", TA.FIG_HEATMAP, TA.FIG_TREND):
        assert any(title in t for t in titles), titles
    assert dash_duo.find_element("#assessment-kpi-on-time-value").text.endswith("%")
    assert "达标线" in dash_duo.find_element("#assessment-weights-threshold").text
    assert len(wait_for_rows(dash_duo, "assessment-grid")) > 10
    drill = dash_duo.find_element("#assessment-drill-bureau")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", drill)
    search = drill.find_element(By.CSS_SELECTOR, "input")
    search.send_keys("区住建委")
    search.send_keys(Keys.ENTER)
    dash_duo.wait_for_contains_text("#assessment-measures .gtitle", "区住建委", timeout=20)
    wait_until_idle(dash_duo)
    late = wait_for_rows(dash_duo, "assessment-late-grid")
    assert late and all("京通" in row for row in late if row.strip())
    assert console_errors(dash_duo) == []


def test_assessment_browser002_leader_sees_the_summary_only(dash_duo, use_store, sqlite_district):
    base_url = serve(dash_duo, use_store(sqlite_district))
    sign_in(dash_duo, base_url, "leader")
    open_page(dash_duo, base_url, "/assessment", READY)
    assert len(wait_for_rows(dash_duo, "assessment-grid")) > 10
    assert dash_duo.driver.find_elements(By.ID, "assessment-drill-section") == []
    assert dash_duo.driver.find_elements(By.ID, "assessment-upload-section") == []
    assert console_errors(dash_duo) == []


@pytest.fixture
def bureau_store(store_factory):
    """A store where 区住建委 and 区税务局 submitted penalties for the first quarter of 2025."""
    store = store_factory.new("sqlite")
    add_role_users(store)
    for bureau, seed in (("ZJ", 1), ("SW", 2)):
        frame = sample_rows("CF", 60, bureau=bureau, seed=seed, defects=0.2, start=dt.date(2025, 1, 1),
                            end=dt.date(2025, 3, 31))
        ingest(store, csv_bytes(frame), bureau, received_at=dt.datetime(2025, 4, 20, 9))
    return store


def test_assessment_browser003_bureau_user_sees_its_own_bureau_and_uploads(dash_duo, use_store, bureau_store,
                                                                          tmp_path):
    base_url = serve(dash_duo, use_store(bureau_store))
    sign_in(dash_duo, base_url, "bureau")
    open_page(dash_duo, base_url, "/assessment", READY)
    rows = wait_for_rows(dash_duo, "assessment-grid")
    assert len(rows) == 1 and "区住建委" in rows[0]
    assert "区税务局" not in dash_duo.driver.find_element(By.TAG_NAME, "body").text
    drill = dash_duo.find_element("#assessment-drill-bureau")
    assert "区住建委" in drill.text and "is-disabled" in drill.get_attribute("innerHTML")
    assert all("京通ZJ" in row for row in wait_for_rows(dash_duo, "assessment-late-grid") if row.strip())
    upload = tmp_path / "住建处罚_5月.csv"
    upload.write_bytes(csv_bytes(sample_rows("CF", 25, bureau="ZJ", seed=9, defects=0.2, prefix="B",
                                             start=dt.date(2025, 5, 1), end=dt.date(2025, 5, 31)), "gbk"))
    dash_duo.driver.find_element(By.CSS_SELECTOR, "#assessment-upload input[type=file]").send_keys(str(upload))
    dash_duo.wait_for_contains_text("#assessment-upload-result", "已入库", timeout=30)
    assert dash_duo.find_element("#assessment-upload-report").is_displayed()
    submissions = wait_for_rows(dash_duo, "assessment-submissions-grid")
    assert any(upload.name in row for row in submissions)
    assert console_errors(dash_duo) == []
