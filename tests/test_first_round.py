"""Pages whose figures hang on a selector (a year, an assessment period, a model version) start on a value the page
sets itself, "", which stands for the default choice: the figures then ask in the first round of callbacks instead
of waiting for the selector's own callback (a round trip and a render each, 0.2-1 s on the slow machines here; see
docs/performance.md). The selector's callback only fills in the options, the default's option keeping the value "",
and "" answers exactly what the default's explicit value answers. On the hand-built district, SQLite and PostgreSQL.
"""

import datetime as dt

import pytest
from sqlalchemy import select

from callbacks.assessment import _default_period
from data.models import ModelVersion, TrainingJob
from data.queries import assessment as assessment_queries
from data.queries import home as home_queries
from data.summaries import refresh_score_summary
from tests import hand_district as H
from tests.conftest import add_role_users
from tests.dash_calls import _split, call, callbacks_of, components, page_layout, writing
from ui.components import BLANK_FIGURE

# The page, its selector and an output of a callback of the page that reads the selector.
SELECTORS = {
    "/": ("home-year", "home-kpi-records-value"),
    "/overview": ("overview-year", "overview-kpi-records-value"),
    "/campaign": ("campaign-year", "campaign-towns-grid"),
    "/assessment": ("assessment-period", "assessment-kpi-on-time-value"),
    "/model": ("model-version", "model-kpi-auc-value"),
    "/scored": ("scored-version", "scored-kpi-subjects-value"),
}


def respond(client, app, output: str, values: dict, **kwargs) -> dict:
    response = call(client, app, writing(app, output), values, **kwargs)
    assert response.status_code == 200, response.data[:300]
    return response.json


def _find(layout, component_id: str) -> dict | None:
    """The props of the component with this id in a serialised layout, else None."""
    return next((c["props"] for c in components(layout) if c["props"].get("id") == component_id), None)


@pytest.fixture
def hand_app(hand_store, use_store):
    return use_store(hand_store)


def test_first001_selectors_start_on_their_own_value_and_no_callback_writes_it(hand_app, login):
    client = login("admin")
    callbacks = callbacks_of(hand_app)
    written = {f"{component}.{prop}" for spec in callbacks for component, prop in _split(spec["output"])}
    for path, (selector, reader) in SELECTORS.items():
        spec = next(spec for spec in callbacks if spec["output"] == writing(hand_app, reader))
        assert {"id": selector, "property": "value"} in [{k: i[k] for k in ("id", "property")}
                                                         for i in spec["inputs"]], (path, reader)
        assert f"{selector}.value" not in written, f"{path}: a callback writes {selector}.value; the figures wait"
        assert f"{selector}.options" in written, path
        props = _find(page_layout(client, hand_app, path), selector)
        assert props is not None, path
        assert props["value"] == "" and [option["value"] for option in props["options"]] == [""], path


def _options(client, app, selector: str, values: dict) -> list[dict]:
    response = respond(client, app, f"{selector}.options", values, changed=[])
    assert "sideUpdate" not in response  # opening the page never moves the selector
    ((_component, props),) = response["response"].items()
    return props["options"]


def test_first002_newest_year_on_the_overview_and_the_campaign(hand_app, hand_store, login):
    client = login("leader")
    newest = max(y for y in map(int, home_queries.record_years(hand_store)) if y <= dt.date.today().year)
    for selector, reader, extra in (
        ("overview-year", "overview-kpi-records-value", {"overview-subject-type.value": ""}),
        ("campaign-year", "campaign-towns-grid", {"campaign-unit-type.value": "", "campaign-subject-type.value": ""}),
    ):
        options = _options(client, hand_app, selector, {"url.pathname": "/"})
        default = [option["label"] for option in options if option["value"] == ""]
        assert len(default) == 1 and len(options) >= 2
        year = int(default[0].split()[0])
        if selector == "overview-year":
            assert year == newest
        assert all(option["value"] == str(int(option["label"].split()[0])) for option in options
                   if option["value"] != "")
        first = respond(client, hand_app, reader, {f"{selector}.value": "", **extra})["response"]
        explicit = respond(client, hand_app, reader, {f"{selector}.value": str(year), **extra})["response"]
        other = respond(client, hand_app, reader, {f"{selector}.value": str(year - 1), **extra})["response"]
        assert first == explicit and first != other, selector


def test_first003_home_starts_on_every_year(hand_app, login):
    client = login("leader")
    options = _options(client, hand_app, "home-year", {"url.pathname": "/"})
    assert options[0] == {"label": "全部", "value": ""} and len(options) > 1


def test_first004_assessment_period_defaults_to_the_last_ended_quarter(hand_app, hand_store, login):
    client = login("itc")
    quarters = assessment_queries.periods(hand_store, "quarter")
    default = _default_period(quarters)
    options = _options(client, hand_app, "assessment-period",
                       {"assessment-period-kind.value": "quarter", "assessment-period.value": ""})
    assert [option["value"] for option in options] == ["" if p == default else p for p in quarters]
    filters = {"assessment-bureau-kind.value": "", "assessment-catalog.value": ""}
    first = respond(client, hand_app, "assessment-kpi-on-time-value",
                    {"assessment-period.value": "", **filters})["response"]
    explicit = respond(client, hand_app, "assessment-kpi-on-time-value",
                       {"assessment-period.value": default, **filters})["response"]
    assert first == explicit and first["assessment-kpi-on-time-value"]["children"] != "—"
    # The reader picks months: the period moves to the last ended month (set beside the options).
    moved = respond(client, hand_app, "assessment-period.options",
                    {"assessment-period-kind.value": "month", "assessment-period.value": ""},
                    changed=["assessment-period-kind.value"])
    months = assessment_queries.periods(hand_store, "month")
    assert moved["sideUpdate"] == {"assessment-period": {"value": _default_period(months)}}
    # ... and back to quarters: the default quarter again, which is "".
    back = respond(client, hand_app, "assessment-period.options",
                   {"assessment-period-kind.value": "quarter", "assessment-period.value": _default_period(months)},
                   changed=["assessment-period-kind.value"])
    assert back["sideUpdate"] == {"assessment-period": {"value": ""}}
    # A period the new kind also lists stays.
    kept = respond(client, hand_app, "assessment-period.options",
                   {"assessment-period-kind.value": "quarter", "assessment-period.value": quarters[-1]},
                   changed=["assessment-period-kind.value"])
    assert "sideUpdate" not in kept or quarters[-1] == default


@pytest.fixture
def scored_hand(fresh_hand, use_store):
    """The hand-built district with a model in service and a newer draft, both scored."""
    add_role_users(fresh_hand)
    H.add_scores(fresh_hand, fresh_hand.ids)
    with fresh_hand.session() as db:
        versions = db.scalars(select(ModelVersion).order_by(ModelVersion.id)).all()
        for version in versions:
            refresh_score_summary(db.connection(), version.id)
    fresh_hand.versions = [v.id for v in versions]  # type: ignore[attr-defined]
    return use_store(fresh_hand)


def test_first005_model_and_scored_pages_start_on_the_version_in_service(scored_hand, fresh_hand, login):
    current, draft = fresh_hand.versions
    client = login("evaluator")
    for selector, path in (("model-version", "/model"), ("scored-version", "/scored")):
        options = _options(client, scored_hand, selector, {"url.pathname": path, "model-job-done.data": None})
        labels = {option["value"]: option["label"] for option in options}
        assert f"版本 {current} " in labels[""] and labels[draft].startswith(f"版本 {draft} "), path
    filters = {"scored-grade.value": None, "scored-kind.value": None, "scored-town.value": None,
               "scored-industry.value": None}
    answers = {value: respond(client, scored_hand, "scored-kpi-subjects-value",
                              {"scored-version.value": value, **filters})["response"]
               ["scored-kpi-subjects-value"]["children"] for value in ("", current, draft)}
    assert answers == {"": "4", current: "4", draft: "5"}


def test_first006_a_training_job_ending_while_the_page_is_open_shows_the_new_version(scored_hand, fresh_hand,
                                                                                     login):
    current, _draft = fresh_hand.versions
    with fresh_hand.session() as db:
        db.add(TrainingJob(started_at=dt.datetime.now() - dt.timedelta(minutes=5), finished_at=dt.datetime.now(),
                           status="done", progress=1.0, requested_by="t_evaluator", model_version_id=current))
        db.flush()
        job = db.scalars(select(TrainingJob.id).order_by(TrainingJob.id.desc())).first()
    client = login("evaluator")
    status = {"model-job-poll.n_intervals": None, "url.pathname": "/model"}
    # Opening the page: the job ended before, so nothing moves.
    opened = respond(client, scored_hand, "model-job-finished", {**status, "model-job-finished.data": None}, changed=[])
    assert "sideUpdate" not in opened and opened["response"]["model-job-finished"]["data"] == job
    # Polling after the page had seen no ended job: this one ended meanwhile.
    polled = respond(client, scored_hand, "model-job-finished", {**status, "model-job-finished.data": 0},
                     changed=["model-job-poll.n_intervals"])
    assert polled["sideUpdate"] == {"model-version": {"value": ""}, "model-job-done": {"data": job}}
    # Polled again: already seen.
    again = respond(client, scored_hand, "model-job-finished", {**status, "model-job-finished.data": job},
                    changed=["model-job-poll.n_intervals"])
    assert "sideUpdate" not in again


def test_first007_graphs_start_blank(hand_app, login):
    """Until its figure arrives a graph draws nothing (dcc.Graph's default figure has plotly.js draw empty axes,
    then replace them), and it holds its room."""
    import dash

    client = login("admin")
    graphs = []
    for page in dash.page_registry.values():
        graphs += [c["props"] for c in components(page_layout(client, hand_app, page["path"]))
                   if c["type"] == "Graph" and c["namespace"] == "dash_core_components"]
    assert len(graphs) >= 30
    assert all(graph["figure"] == BLANK_FIGURE for graph in graphs), [g["id"] for g in graphs
                                                                     if g.get("figure") != BLANK_FIGURE]
    assert all("height" in graph["style"] or "minHeight" in graph["style"] for graph in graphs)
