"""The credit evaluation pages in headless Chromium: model report, scored population, a subject's profile (audited),
training from the page in the background; refused to a bureau user."""

import json
import time

import pytest
from selenium.common.exceptions import ElementClickInterceptedException, ElementNotInteractableException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from data.generator import generate
from data.models import AuditEntry, ModelVersion, Score, Subject
from scoring.scores import score_all
from scoring.train import train
from tests.browser import console_errors, graph_titles, open_page, serve, sign_in, wait_until_idle
from tests.conftest import add_role_users
from ui import text as TEXT
from ui import text_model as T

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def scored_store(store_factory, tmp_path_factory):
    """A generated district with users, a trained model in service and every subject scored."""
    store = store_factory.new("sqlite")
    truth = tmp_path_factory.mktemp("browser-truth") / "truth.csv"
    generate(store.engine, persons=6000, enterprises=2000, years=3, seed=7, truth_path=truth)
    add_role_users(store)
    result = train(store, truth_path=truth, created_by="pytest")
    score_all(store)
    store.version_id = result.version_id
    return store


@pytest.fixture
def base_url(dash_duo, use_store, scored_store):
    return serve(dash_duo, use_store(scored_store))


def _audit(store, action: str) -> list[AuditEntry]:
    with store.read() as db:
        return db.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).all()


def _click(dash_duo, selector: str) -> None:
    """Click once the element is in view and nothing covers it (a fading notice or a loading overlay may for a
    moment): retried until the browser accepts the click."""

    def clicked(driver) -> bool:
        element = driver.find_element(By.CSS_SELECTOR, selector)
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        try:
            element.click()
        except (ElementClickInterceptedException, ElementNotInteractableException):
            return False
        return True

    WebDriverWait(dash_duo.driver, 20, poll_frequency=0.5).until(clicked)


def _texts(driver, selector: str) -> list[str]:
    """Texts of the matching elements, read in one go (grids re-render rows, so element handles go stale)."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent.trim());", selector)


def _worst_enterprise(store) -> int:
    with store.read() as db:
        return db.scalar(select(Score.subject_id).join(Subject, Subject.id == Score.subject_id)
                         .where(Subject.kind == "enterprise").order_by(Score.score).limit(1))


@pytest.mark.parametrize("role", ["evaluator", "leader"])
def test_model001_model_page_shows_the_report(dash_duo, base_url, role):
    sign_in(dash_duo, base_url, role)
    open_page(dash_duo, base_url, "/model", "#model-calibration .js-plotly-plot")
    titles = graph_titles(dash_duo)
    assert any(T.CALIBRATION_TITLE in t for t in titles) and any(T.GRADES_TITLE in t for t in titles)
    auc = float(dash_duo.find_element("#model-kpi-auc-value").text)
    oracle = float(dash_duo.find_element("#model-kpi-oracle-value").text)
    assert 0.5 < auc < oracle <= 1.0
    assert T.ALGORITHMS_SHORT["scorecard"] in dash_duo.find_element("#model-kpi-champion-value").text
    WebDriverWait(dash_duo.driver, 20).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "#model-points-grid .ag-row")) > 3)
    assert dash_duo.driver.find_elements(By.CSS_SELECTOR, "#model-history-grid .ag-row")
    # Only roles allowed to train see the button.
    assert bool(dash_duo.driver.find_elements(By.ID, "model-train")) == (role == "evaluator")
    assert console_errors(dash_duo) == []


def test_model002_scored_page_pages_the_population(dash_duo, base_url, scored_store):
    sign_in(dash_duo, base_url, "evaluator")
    open_page(dash_duo, base_url, "/scored", "#scored-grades .js-plotly-plot")
    with scored_store.read() as db:
        scored = len(db.scalars(select(Score.id).where(Score.model_version_id == scored_store.version_id)).all())
    assert int(dash_duo.find_element("#scored-kpi-subjects-value").text.replace(",", "")) == scored
    WebDriverWait(dash_duo.driver, 20).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "#scored-grid .ag-row")) > 10)
    grades = _texts(dash_duo.driver, "#scored-grid .ag-row [col-id=grade]")
    assert grades and set(grades) <= set(T.SCORED_COLUMNS) | {"A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D"}
    # Filtering by grade reloads the distribution: only the chosen grade remains.
    dash_duo.select_dcc_dropdown("#scored-grade", value="A")
    wait_until_idle(dash_duo)
    WebDriverWait(dash_duo.driver, 20).until(
        lambda d: int(d.find_element(By.ID, "scored-kpi-subjects-value").text.replace(",", "")) < scored)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: set(_texts(d, "#scored-grid .ag-row [col-id=grade]")) == {"A"})
    link = dash_duo.driver.find_element(By.CSS_SELECTOR, "#scored-grid .ag-row [col-id=name] a")
    assert "/profile?subject=" in link.get_attribute("href")
    assert console_errors(dash_duo) == []


def test_model003_profile_shows_score_reasons_and_is_audited(dash_duo, base_url, scored_store):
    subject = _worst_enterprise(scored_store)
    views_before = len(_audit(scored_store, "subject_view"))
    sign_in(dash_duo, base_url, "evaluator")
    open_page(dash_duo, base_url, f"/profile?subject={subject}", "#profile-score-value")
    with scored_store.read() as db:
        score = db.scalar(select(Score).where(Score.subject_id == subject,
                                              Score.model_version_id == scored_store.version_id))
    assert dash_duo.find_element("#profile-score-value").text == f"{score.score:.1f}"
    assert dash_duo.find_element("#profile-grade").text == score.grade
    reasons = [e.text for e in dash_duo.driver.find_elements(By.CSS_SELECTOR, "#profile-reasons li")]
    assert reasons and all(r["text"] in shown for r, shown in zip(json.loads(score.reasons), reasons, strict=True))
    assert dash_duo.driver.find_elements(By.CSS_SELECTOR, "#profile-timeline .js-plotly-plot")
    views = _audit(scored_store, "subject_view")
    assert len(views) == views_before + 1 and views[-1].target == f"subject:{subject}"
    assert console_errors(dash_duo) == []


def test_model004_person_masked_until_unmasked_and_audited(dash_duo, base_url, scored_store):
    with scored_store.read() as db:
        person = db.scalars(select(Subject).where(Subject.kind == "person").order_by(Subject.id).limit(1)).one()
    sign_in(dash_duo, base_url, "evaluator")
    open_page(dash_duo, base_url, f"/profile?subject={person.id}", "#profile-code")
    assert dash_duo.find_element("#profile-code").text != person.code
    assert "*" in dash_duo.find_element("#profile-code").text
    assert dash_duo.find_element("#profile-points-deduction").text  # 积分落户 shown for persons
    _click(dash_duo, "#profile-unmask")
    WebDriverWait(dash_duo.driver, 20).until(lambda d: d.find_element(By.ID, "profile-code").text == person.code)
    assert _audit(scored_store, "unmask")[-1].target == f"subject:{person.id}"
    assert console_errors(dash_duo) == []


def test_model005_search_by_name_is_audited(dash_duo, base_url, scored_store):
    with scored_store.read() as db:
        enterprise = db.scalars(select(Subject).where(Subject.kind == "enterprise").order_by(Subject.id)
                                .limit(1)).one()
    sign_in(dash_duo, base_url, "evaluator")
    open_page(dash_duo, base_url, "/profile", "#profile-search")
    box = dash_duo.find_element("#profile-search")
    box.send_keys(enterprise.name)
    box.send_keys(Keys.ENTER)
    WebDriverWait(dash_duo.driver, 20).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "#profile-search-results a")))
    _click(dash_duo, "#profile-search-results a")
    WebDriverWait(dash_duo.driver, 20).until(lambda d: d.find_element(By.ID, "profile-name").text == enterprise.name)
    assert _audit(scored_store, "search")[-1].detail and enterprise.name in _audit(scored_store, "search")[-1].detail
    assert console_errors(dash_duo) == []


def test_model006_bureau_user_is_refused(dash_duo, base_url):
    sign_in(dash_duo, base_url, "bureau")
    nav = dash_duo.find_element("#main-nav").text
    assert T.MODEL_TITLE not in nav and T.SCORED_TITLE not in nav and T.PROFILE_TITLE not in nav
    for path in ("/model", "/scored", "/profile?subject=1"):
        dash_duo.driver.get(f"{base_url}{path}")
        WebDriverWait(dash_duo.driver, 10).until(lambda d: TEXT.FORBIDDEN in d.page_source)


def test_model007_training_runs_in_the_background(dash_duo, base_url, scored_store):
    with scored_store.read() as db:
        versions_before = len(db.scalars(select(ModelVersion.id)).all())
    sign_in(dash_duo, base_url, "evaluator")
    open_page(dash_duo, base_url, "/model", "#model-calibration .js-plotly-plot")
    _click(dash_duo, "#model-train")
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "任务" in d.find_element(By.ID, "model-train-feedback").text)
    # The page stays usable while the job runs: switching the points table to legal persons still answers.
    radio = dash_duo.find_element("#model-points-segment input[value=legal]")
    dash_duo.driver.execute_script("arguments[0].click();", radio)
    WebDriverWait(dash_duo.driver, 20).until(
        lambda d: any("纳税信用等级" in text for text in _texts(d, "#model-points-grid .ag-row [col-id=label]")))
    started = time.monotonic()
    WebDriverWait(dash_duo.driver, 240, poll_frequency=1).until(
        lambda d: "完成" in d.find_element(By.ID, "model-job-message").text
        or "失败" in d.find_element(By.ID, "model-job-message").text)
    assert "完成" in dash_duo.find_element("#model-job-message").text, dash_duo.find_element("#model-job-message").text
    assert time.monotonic() - started < 240
    with scored_store.read() as db:
        versions = db.scalars(select(ModelVersion).order_by(ModelVersion.id)).all()
        new = versions[-1]
        scored = db.scalar(select(Score.id).where(Score.model_version_id == new.id).limit(1))
    assert len(versions) == versions_before + 1 and new.in_service and new.created_by == "t_evaluator"
    assert scored is not None
    WebDriverWait(dash_duo.driver, 20).until(
        lambda d: f"版本 {new.id}" in d.find_element(By.ID, "model-version").text)
    assert console_errors(dash_duo) == []
