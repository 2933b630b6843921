"""Leadership overview (领导驾驶舱): its figures against hand-computed values on the hand-built district, on SQLite
and PostgreSQL; its callbacks, export and click-through over HTTP; the page refused to roles without access."""

import base64
import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from data import assessment
from data.cache import cache
from data.models import AuditEntry, Subject
from data.queries import assessment as assessment_queries
from data.queries import overview as Q
from data.summaries import refresh_subject_summary
from security.access import allowed
from tests import hand_district as H
from tests.conftest import ROLE_USERS, add_role_users
from tests.dash_calls import call, writing

YEAR = 2025


@pytest.fixture
def hand_app(hand_store, use_store):
    """The app serving the hand-built district."""
    return use_store(hand_store)


def response_outputs(response) -> dict:
    return response.json["response"]


def click(client, dash_app, prop_id: str, value: dict):
    """POST the navigation callback the way the browser does after one click: only `prop_id` changed (one
    navigation callback per section of the page; the one whose inputs hold `prop_id`)."""
    key, spec = next((key, spec) for key, spec in dash_app.callback_map.items()
                     if key.startswith("overview-nav.href")
                     and prop_id in [f"{i['id']}.{i['property']}" for i in spec["inputs"]])
    inputs = [{"id": i["id"], "property": i["property"],
               "value": value if f"{i['id']}.{i['property']}" == prop_id else None} for i in spec["inputs"]]
    return client.post("/_dash-update-component", json={
        "output": key, "outputs": {"id": "overview-nav", "property": key.split(".", 1)[1]}, "inputs": inputs,
        "state": [], "changedPropIds": [prop_id]})


def test_overview001_subjects_in_force_by_kind(hand):
    by_kind = Q.subjects_by_kind(hand, YEAR, None).set_index("kind")["subjects"].to_dict()
    assert by_kind == {"person": 3, "enterprise": 2, "individual_business": 1, "public_institution": 1}
    # End of 2024: e2 not yet registered, e3 deregistered during 2024.
    assert Q.subjects_by_kind(hand, 2024, None).set_index("kind")["subjects"]["enterprise"] == 1
    legal = Q.subjects_by_kind(hand, YEAR, Q.subject_kinds("legal"))
    assert "person" not in set(legal["kind"]) and int(legal["subjects"].sum()) == 4


def test_overview002_records_by_month_and_year_on_year(hand):
    monthly = Q.records_by_month(hand, YEAR, None)
    april = monthly[monthly["month"] == "2025-04"].set_index("polarity")["records"].to_dict()
    assert april == {"negative": 1, "neutral": 1}
    # 10 records in 2025 up to September; the same months of 2024 hold 2.
    assert Q.records_year_on_year(monthly, YEAR) == (10, 2)
    persons = Q.records_by_month(hand, YEAR, ("person",))
    assert Q.records_year_on_year(persons, YEAR) == (3, 1)


def test_overview003_list_movement_and_net_change(hand):
    moves = Q.list_movement(hand, YEAR, None, H.AS_OF).set_index("list_type_code")
    assert len(moves) == 10  # every list type of the catalogue, zeros included
    columns = ["active_start", "listed", "active_end", "net_change", "exited"]
    assert moves.loc["SXBZX", columns].tolist() == [2, 0, 1, -1, 1]
    assert moves.loc["YZWF", columns].tolist() == [0, 2, 1, 1, 1]
    assert moves.loc["AJNSR", columns].tolist() == [1, 1, 1, 0, 1]
    assert moves.loc["CXQY", columns].tolist() == [0, 1, 1, 1, 0]
    assert moves.loc["ZDSS", columns].tolist() == [0, 0, 0, 0, 0]
    black = moves[moves["color"] == "black"]
    assert (int(black["active_end"].sum()), int(black["net_change"].sum())) == (2, 0)


def test_overview004_list_movement_in_a_running_year_and_by_subject_type(hand):
    moves = Q.list_movement(hand, YEAR, None, dt.date(2025, 4, 15)).set_index("list_type_code")
    assert moves.loc["YZWF", ["listed", "active_end"]].tolist() == [1, 1]  # e2 is listed only on 1 May
    assert moves.loc["AJNSR", ["active_start", "active_end"]].tolist() == [1, 1]  # last year's expired 31 Mar
    persons = Q.list_movement(hand, YEAR, ("person",), H.AS_OF).set_index("list_type_code")
    assert persons.loc["SXBZX", ["active_start", "active_end"]].tolist() == [2, 1]
    assert persons.loc["YZWF", "listed"] == 0


def test_overview005_double_publicity_on_time_rate(hand):
    by_bureau = Q.double_publicity_by_bureau(hand, YEAR, None).set_index("bureau_code")
    assert by_bureau.loc["SCJG", ["records", "published", "published_late"]].tolist() == [4, 4, 1]
    assert by_bureau.loc["SCJG", "on_time_rate"] == pytest.approx(3 / 4)
    # 区住建委: one of its two published records late, one licence not published at all.
    assert by_bureau.loc["ZJ", ["published", "unpublished"]].tolist() == [2, 1]
    assert by_bureau.loc["ZJ", "on_time_rate"] == pytest.approx(1 / 2)
    assert Q.double_publicity_on_time_rate(by_bureau) == pytest.approx(5 / 7)
    legal = Q.double_publicity_by_bureau(hand, YEAR, Q.subject_kinds("legal"))
    assert Q.double_publicity_on_time_rate(legal) == pytest.approx(4 / 5)
    assert Q.double_publicity_on_time_rate(Q.double_publicity_by_bureau(hand, 2023, None)) is None


def test_overview006_bureaus_below_threshold_are_the_assessments(fresh_hand):
    measures = assessment_queries.bureau_measures(fresh_hand, str(YEAR), None, None, H.AS_OF)
    flagged = set(measures.loc[measures["below"].astype(bool), "bureau_code"])
    below = Q.bureaus_below_assessment_threshold(fresh_hand, YEAR, H.AS_OF)
    assert flagged and set(below["bureau_code"]) == flagged
    assert below["score"].is_monotonic_increasing
    assert (below["threshold"] == assessment.DEFAULT_THRESHOLD).all()
    with fresh_hand.session() as db:
        settings = assessment.load_settings(db)
        assessment.save_settings(db, settings.weights, 0, settings.objection_days, username="t_itc")
    cache.clear()
    assert Q.bureaus_below_assessment_threshold(fresh_hand, YEAR, H.AS_OF).empty


def test_overview007_no_grades_before_a_model_is_trained(hand):
    assert Q.scoring_model(hand).empty
    assert Q.credit_grade_distribution(hand, None).empty


def test_overview008_grade_distribution_of_the_model_in_service(fresh_hand):
    hand = fresh_hand
    H.add_scores(hand, hand.ids)
    cache.clear()
    grades = Q.credit_grade_distribution(hand, None).set_index("grade")
    assert list(grades.index) == list(Q.CREDIT_GRADES)
    assert grades["subjects"].to_dict() == {"A": 1, "A-": 0, "B+": 2, "B": 0, "B-": 0, "C+": 0, "C": 0, "C-": 1,
                                            "D": 0}
    assert grades.loc["B+", "share"] == pytest.approx(0.5)
    assert grades.loc["C-", "grade_group"] == "中"
    legal = Q.credit_grade_distribution(hand, Q.subject_kinds("legal")).set_index("grade")["subjects"]
    assert (legal["A"], legal["B+"], legal["C-"]) == (1, 2, 0)


def test_overview009_open_objections(hand):
    open_now = Q.open_objections(hand, None, H.AS_OF)
    assert open_now[["bureau_code", "open", "oldest_days"]].values.tolist() == [["SCJG", 2, 60]]
    persons = Q.open_objections(hand, ("person",), H.AS_OF)
    assert persons[["open", "oldest_days"]].values.tolist() == [[1, 30]]


def test_overview010_recent_black_and_red_entries_and_serious_penalties(hand):
    black = Q.recent_list_entries(hand, "black", YEAR, None, H.AS_OF)
    assert [(r.subject_name, r.list_type_code, r.in_force) for r in black.itertuples()] == [
        ("宋庄乙文化有限公司", "YZWF", True), ("宋庄丙建材有限公司", "YZWF", False)]
    red = Q.recent_list_entries(hand, "red", YEAR, None, H.AS_OF)
    assert red["list_type_code"].tolist() == ["CXQY", "AJNSR"]
    penalties = Q.recent_serious_penalties(hand, YEAR, None, H.AS_OF)
    # The repaired serious penalty of September is left out.
    assert penalties["subject_name"].tolist() == ["张三丰", "通州甲科技有限公司"]
    assert penalties["town"].tolist() == ["中仓街道", "中仓街道"]


def test_overview011_key_figures_over_http(hand_app, hand_store, login):
    client = login("leader")
    values = {}
    for card in ("overview-kpi-black-value", "overview-kpi-on-time-value"):
        response = call(client, hand_app, writing(hand_app, card),
                        {"overview-year.value": str(YEAR), "overview-subject-type.value": ""})
        assert response.status_code == 200
        values |= {output_id: props["children"] for output_id, props in response_outputs(response).items()}
    assert values["overview-kpi-subjects-value"] == "7"
    assert values["overview-kpi-records-value"] == "10"
    assert values["overview-kpi-black-value"] == "2"
    assert values["overview-kpi-red-value"] == "2"
    assert values["overview-kpi-on-time-value"] == "71.4%"
    flagged = assessment_queries.bureau_measures(hand_store, str(YEAR), None, None, dt.date.today())["below"]
    assert values["overview-kpi-below-value"] == str(int(flagged.sum()))
    assert values["overview-kpi-objections-value"] == "2"
    assert values["overview-kpi-honours-value"] == "4"
    assert "尚未公示 1 条" in values["overview-kpi-on-time-note"]


def test_overview012_risk_table_masks_natural_persons(hand_app, login):
    response = call(login("admin"), hand_app, writing(hand_app, "overview-risks-grid"),
                    {"overview-year.value": str(YEAR), "overview-subject-type.value": None})
    rows = response_outputs(response)["overview-risks-grid"]["rowData"]
    names = [row["subject_name"] for row in rows]
    assert "张*丰" in names and "张三丰" not in names
    assert [row["date"] for row in rows] == sorted((row["date"] for row in rows), reverse=True)
    assert len(rows) == 4  # two black-list entries, two serious penalties


def test_overview013_export_is_audited_and_masked(hand_app, login, hand_store):
    response = call(login("leader"), hand_app, writing(hand_app, "overview-risks-download"),
                    {"overview-risks-export.n_clicks": 1, "overview-year.value": str(YEAR),
                     "overview-subject-type.value": ""})
    assert response.status_code == 200
    data = response_outputs(response)["overview-risks-download"]["data"]
    sheet = load_workbook(io.BytesIO(base64.b64decode(data["content"]))).active
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "张*丰" in cells and "张三丰" not in cells
    with hand_store.read() as db:
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "export")
                           .order_by(AuditEntry.id.desc()).limit(1)).one()
    assert entry.target == "overview:risks" and entry.username == ROLE_USERS["leader"][0]
    assert json.loads(entry.detail)["rows"] == 4


@pytest.mark.parametrize(("source", "value", "target"), [
    ("overview-lists", {"points": [{"y": "严重违法失信名单"}]}, "/lists"),
    ("overview-on-time", {"points": [{"y": "区住建委"}]}, "/assessment"),
    ("overview-grades", {"points": [{"x": "A"}]}, "/model"),
    ("overview-risks-grid", {"rowIndex": 0, "colId": "subject_name"}, "/lists"),
])
def test_overview014_clicks_open_the_explaining_page(hand_app, login, source, value, target):
    prop = "cellClicked" if source.endswith("grid") else "clickData"
    response = click(login("itc"), hand_app, f"{source}.{prop}", value)
    assert response.status_code == 200
    assert response.json["response"]["overview-nav"]["href"] == target


def test_overview015_grades_click_leads_to_scored_subjects_once_scores_exist(fresh_hand, use_store, login):
    H.add_scores(fresh_hand, fresh_hand.ids)
    add_role_users(fresh_hand)
    hand_app = use_store(fresh_hand)
    response = click(login("leader"), hand_app, "overview-grades.clickData", {"points": [{"x": "B+"}]})
    assert response.json["response"]["overview-nav"]["href"] == "/scored"


def test_overview016_unknown_filter_values_fall_back_to_everything(hand_app, login):
    response = call(login("leader"), hand_app, writing(hand_app, "overview-kpi-black-value"),
                    {"overview-year.value": "not-a-year", "overview-subject-type.value": "martian"})
    assert response.status_code == 200
    assert response_outputs(response)["overview-kpi-black-value"]["children"]


@pytest.mark.parametrize("role", sorted(ROLE_USERS))
def test_overview017_page_path_follows_the_access_table(hand_app, login, role):
    response = login(role).get("/overview", headers={"Accept": "text/html"})
    assert response.status_code == (200 if allowed(role, "overview") else 403)


def test_overview018_subject_summary_refreshed_for_the_towns_a_submission_touched(fresh_hand):
    with fresh_hand.session() as db:
        db.add_all([Subject(kind="enterprise", code="91110112MA00000066", name="马驹桥戊物流有限公司",
                            town_code=H.MAJUQIAO, registered_on=dt.date(2025, 7, 1)),
                    Subject(kind="person", code="110112199505050058", name="赵六", town_code=None)])
        db.flush()
        refresh_subject_summary(db.connection(), [H.MAJUQIAO, ""])
    cache.clear()
    by_kind = Q.subjects_by_kind(fresh_hand, YEAR, None).set_index("kind")["subjects"].to_dict()
    assert by_kind == {"person": 4, "enterprise": 3, "individual_business": 1, "public_institution": 1}
    with fresh_hand.session() as db:
        refresh_subject_summary(db.connection(), [])  # a submission that created no subjects changes nothing
    cache.clear()
    assert Q.subjects_by_kind(fresh_hand, YEAR, None).set_index("kind")["subjects"].to_dict() == by_kind
