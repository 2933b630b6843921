"""Civilisation-campaign integrity statistics (文明创城诚信统计): counts, per-capita rates, the integrity index, its
weights and the year-over-year movers against hand-computed values; the page's callbacks, export and access."""

import base64
import datetime as dt
import io
import json

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from data import reference
from data.cache import cache
from data.models import AuditEntry, CampaignRecord, CreditRecord, Setting, Subject
from data.queries import campaign as C
from data.summaries import refresh_all
from security.access import allowed
from tests import hand_district as H
from tests.conftest import ROLE_USERS, add_role_users
from tests.dash_calls import call, split_callbacks, writing
from ui import text as T
from ui import text_campaign as TC

YEAR = 2025
OTHER_TOWN = "110112002"  # 新华街道: one of the 19 towns without any campaign or credit activity


def by_town(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("town_code")


def filters(year: int = YEAR, unit_type: str = "", subject_type: str = "") -> dict:
    return {"campaign-year.value": str(year), "campaign-unit-type.value": unit_type,
            "campaign-subject-type.value": subject_type, "campaign-weights-version.data": 0}


def test_campaign001_honours_and_activities_by_town_and_unit_type(hand):
    counts = C.campaign_counts(hand, YEAR, None)
    per_town = counts.groupby(["town_code", "kind"])["records"].sum().to_dict()
    assert per_town == {(H.ZHONGCANG, "honour"): 2, (H.ZHONGCANG, "activity"): 3,
                        (H.SONGZHUANG, "honour"): 2, (H.SONGZHUANG, "activity"): 1}
    per_unit = counts.groupby("unit_type")["records"].sum().to_dict()
    assert per_unit == {"community": 4, "school": 1, "village": 2, "enterprise": 1}
    community = C.campaign_counts(hand, YEAR, "community")
    assert community.groupby("kind")["records"].sum().to_dict() == {"activity": 2, "honour": 2}
    quarters = C.campaign_by_quarter(hand, None).set_index(["quarter", "kind"])["records"]
    assert quarters[("2025Q2", "honour")] == 2 and quarters[("2024Q1", "honour")] == 1


def test_campaign002_per_capita_rates_by_hand(hand):
    stats = by_town(C.town_statistics(hand, YEAR, None, None, H.AS_OF))
    assert len(stats) == 22
    zhongcang, songzhuang, majuqiao = stats.loc[H.ZHONGCANG], stats.loc[H.SONGZHUANG], stats.loc[H.MAJUQIAO]
    # 中仓街道, 60,000 residents, legal persons e1 and i1: persons' adverse records (p1 traffic, p1 penalty) 2,
    # legal persons' 1 (e1 penalty).
    assert (zhongcang["legal_persons"], zhongcang["adverse_residents"], zhongcang["adverse_legal"]) == (2, 2, 1)
    assert zhongcang["adverse_per_10k"] == pytest.approx(2 / 60_000 * 10_000)
    assert zhongcang["adverse_per_1k"] == pytest.approx(500.0)
    assert zhongcang["honours_per_10k"] == pytest.approx(2 / 6)
    assert zhongcang["activities_per_10k"] == pytest.approx(0.5)
    # 宋庄镇: e3 was deregistered in 2024, so one legal person (e2) with two penalties and one new black-list entry
    # of its own plus e3's.
    assert (songzhuang["legal_persons"], songzhuang["adverse_legal"], songzhuang["black_legal"]) == (1, 2, 2)
    assert songzhuang["adverse_per_1k"] == pytest.approx(2000.0)
    assert songzhuang["black_per_1k"] == pytest.approx(2000.0)
    assert songzhuang["honours_per_10k"] == pytest.approx(2 / 11.5)
    assert majuqiao["adverse_per_1k"] == 0.0
    # Towns without legal persons have no per-1,000 rate rather than a rate of zero.
    assert np.isnan(stats.loc[OTHER_TOWN, "adverse_per_1k"]) and stats.loc[OTHER_TOWN, "adverse_per_10k"] == 0.0


def test_campaign003_integrity_index_and_ranking_with_default_weights(hand):
    stats = by_town(C.town_statistics(hand, YEAR, None, None, H.AS_OF))
    # 中仓: 25*100 + 15*100 + 20*0 + 20*75 + 10*100 + 10*100 = 75
    assert stats.loc[H.ZHONGCANG, "index"] == pytest.approx(75.0)
    # 马驹桥: no honours or activities, best on every adverse measure = 20 + 20 + 10 + 10
    assert stats.loc[H.MAJUQIAO, "index"] == pytest.approx(60.0)
    # 宋庄: 25*52.17 + 15*17.39 + 20*100 + 20*0 + 10*100 + 10*0
    honours, activities = 100 * (2 / 11.5) / (2 / 6), 100 * (1 / 11.5) / 0.5
    assert stats.loc[H.SONGZHUANG, "index"] == pytest.approx(0.25 * honours + 0.15 * activities + 20 + 10)
    # The 19 empty towns have no legal-person rates: 20 + 10 over the 70 % of weight that applies.
    assert stats.loc[OTHER_TOWN, "index"] == pytest.approx(30 / 0.7)
    assert stats.loc[[H.ZHONGCANG, H.MAJUQIAO, H.SONGZHUANG, OTHER_TOWN], "rank"].tolist() == [1, 2, 3, 4]


def test_campaign004_year_over_year_change_and_biggest_movers(hand):
    change = C.town_index_change(hand, YEAR, None, None, H.AS_OF)
    rows = by_town(change)
    # 2024: 马驹桥 75, 中仓 70, the 19 empty towns 64.29 (3rd), 宋庄 35.71 (22nd).
    assert rows.loc[H.SONGZHUANG, ["rank_previous", "rank", "rank_change"]].tolist() == [22, 3, 19]
    assert rows.loc[H.SONGZHUANG, "index_change"] == pytest.approx(45.652174 - 25 / 0.7, rel=1e-6)
    assert rows.loc[H.ZHONGCANG, ["index_change", "rank_change"]].tolist() == pytest.approx([5.0, 1])
    assert rows.loc[H.MAJUQIAO, ["index_change", "rank_change"]].tolist() == pytest.approx([-15.0, -1])
    assert change["town_code"].iloc[0] == H.SONGZHUANG  # moved most places


def test_campaign005_per_capita_rates_use_the_real_town_list(empty_store, dash_app):
    """One natural person per town with as many adverse records as the town's position; one enterprise each."""
    with empty_store.session() as db:
        for i, town in enumerate(reference.TOWNS, start=1):
            person = Subject(kind="person", code=f"1101121980010{i:04d}1", name=f"居民{i}", town_code=town.code)
            company = Subject(kind="enterprise", code=f"9111011200000{i:04d}X", name=f"企业{i}",
                              town_code=town.code, registered_on=dt.date(2020, 1, 1))
            db.add_all([person, company])
            db.flush()
            for n in range(i):
                db.add(CreditRecord(subject_id=person.id, bureau_code="GA", record_type_code="JTWF",
                                    document_no=f"交{i}-{n}", decision_date=dt.date(YEAR, 3, 1), severity="minor"))
            db.add(CreditRecord(subject_id=company.id, bureau_code="SCJG", record_type_code="CF",
                                document_no=f"罚{i}", decision_date=dt.date(YEAR, 3, 1), severity="ordinary"))
        db.flush()
        refresh_all(db.connection())
    with dash_app.server.app_context():
        cache.clear()
        stats = by_town(C.town_statistics(empty_store, YEAR, None, None, H.AS_OF))
    assert sorted(stats.index) == sorted(t.code for t in reference.TOWNS)
    for i, town in enumerate(reference.TOWNS, start=1):
        assert stats.loc[town.code, "town_name"] == town.name
        assert stats.loc[town.code, "population"] == town.population
        assert stats.loc[town.code, "adverse_per_10k"] == pytest.approx(i / town.population * 10_000)
        assert stats.loc[town.code, "adverse_per_1k"] == pytest.approx(1000.0)
    # The busiest town per resident is worst on that measure, the quietest best.
    rates = stats["adverse_per_10k"]
    assert stats.loc[rates.idxmax(), "score_adverse_per_10k"] == 0.0
    assert stats.loc[rates.idxmin(), "score_adverse_per_10k"] == 100.0


def test_campaign006_subject_type_filter_drops_the_other_rates(hand):
    stats = by_town(C.town_statistics(hand, YEAR, None, ("person",), H.AS_OF))
    assert stats["adverse_per_1k"].isna().all() and stats["black_per_1k"].isna().all()
    # 中仓: (25*100 + 15*100 + 20*0 + 10*100) / 0.7
    assert stats.loc[H.ZHONGCANG, "index"] == pytest.approx(50 / 0.7)
    legal = by_town(C.town_statistics(hand, YEAR, None, ("enterprise",), H.AS_OF))
    assert legal["adverse_per_10k"].isna().all()
    assert legal.loc[H.ZHONGCANG, ["legal_persons", "adverse_legal"]].tolist() == [1, 1]  # i1 is not an enterprise


def test_campaign007_index_rules_for_ties_and_missing_components():
    rates = pd.DataFrame({
        "honours_per_10k": [2.0, 1.0, 0.0],
        "activities_per_10k": [1.0, 1.0, 1.0],  # no difference: every town gets 100
        "adverse_per_10k": [0.0, 5.0, 10.0],
        "adverse_per_1k": [np.nan, np.nan, np.nan],  # not selected: left out
        "black_per_10k": [1.0, np.nan, 0.0],  # missing for the second town only
        "black_per_1k": [np.nan, np.nan, np.nan],
    })
    weights = {"honours_per_10k": 0.5, "activities_per_10k": 0.1, "adverse_per_10k": 0.2, "adverse_per_1k": 0.1,
               "black_per_10k": 0.1, "black_per_1k": 0.0}
    result = C.integrity_index(rates, weights)
    assert result["score_activities_per_10k"].tolist() == [100.0] * 3
    assert result["score_black_per_10k"].tolist()[0] == 0.0 and np.isnan(result["score_black_per_10k"][1])
    # first: (0.5*100 + 0.1*100 + 0.2*100 + 0.1*0) / 0.9; second: (0.5*50 + 0.1*100 + 0.2*50) / 0.8
    assert result["index"].tolist() == pytest.approx([80 / 0.9, 45 / 0.8, (10 + 10) / 0.9])
    assert result["rank"].tolist() == [1, 2, 3]


def test_campaign008_weights_setting_changes_the_index_and_is_audited(fresh_hand):
    entered = {c: 0 for c in C.INDEX_COMPONENTS} | {"honours_per_10k": 40}
    saved = C.save_index_weights(fresh_hand, entered, user_id=1, username="t_itc", role="itc", ip="127.0.0.1")
    assert saved["honours_per_10k"] == 1.0 and sum(saved.values()) == pytest.approx(1.0)
    assert C.index_weights(fresh_hand) == saved
    stats = by_town(C.town_statistics(fresh_hand, YEAR, None, None, H.AS_OF))
    assert stats.loc[[H.ZHONGCANG, H.SONGZHUANG, H.MAJUQIAO], "index"].tolist() == pytest.approx(
        [100.0, 100 * (2 / 11.5) / (2 / 6), 0.0])
    with fresh_hand.read() as db:
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "settings")).one()
    detail = json.loads(entry.detail)
    assert detail["before"] == C.DEFAULT_INDEX_WEIGHTS and detail["after"]["honours_per_10k"] == 1.0


@pytest.mark.parametrize(("entered", "message"), [
    ({"honours_per_10k": -5}, "“每万人文明荣誉”的权重须为不小于 0 的数字"),
    ({"adverse_per_1k": "abc"}, "“每千户法人失信记录”的权重“abc”不是数字"),
    ({"black_per_1k": None}, "“每千户法人新增黑名单”的权重未填写"),
    (dict.fromkeys(C.INDEX_COMPONENTS, 0), "权重不能全部为 0"),
])
def test_campaign009_bad_weights_are_refused_and_nothing_is_written(fresh_hand, entered, message):
    weights = dict(C.DEFAULT_INDEX_WEIGHTS) | entered
    with pytest.raises(C.WeightsError, match=message):
        C.save_index_weights(fresh_hand, weights, user_id=1, username="t_itc", role="itc", ip=None)
    with fresh_hand.read() as db:
        assert db.scalar(select(func.count()).select_from(Setting)) == 0
        assert db.scalar(select(func.count()).where(AuditEntry.action == "settings")) == 0
    assert C.index_weights(fresh_hand) == C.DEFAULT_INDEX_WEIGHTS


def test_campaign010_weights_editor_only_for_staff_and_saved_over_http(fresh_hand, use_store, login):
    add_role_users(fresh_hand)
    app = use_store(fresh_hand)
    panel = writing(app, "campaign-weights-edit-area.hidden")
    assert call(login("leader"), app, panel).json["response"]["campaign-weights-edit-area"]["hidden"] is True
    assert call(login("itc"), app, panel).json["response"]["campaign-weights-edit-area"]["hidden"] is False
    save = writing(app, "campaign-weights-feedback.children")
    values = {f"campaign-weight-{c}.value": 10 for c in C.INDEX_COMPONENTS} | {
        "campaign-weights-save.n_clicks": 1, "campaign-weights-version.data": 3}
    assert call(login("leader"), app, save, values).status_code == 403
    bad = call(login("itc"), app, save, values | {"campaign-weight-activities_per_10k.value": -1}).json["response"]
    assert bad["campaign-weights-feedback"]["color"] == "danger"
    assert "每万人诚信活动" in bad["campaign-weights-feedback"]["children"]
    good = call(login("admin"), app, save, values).json["response"]
    assert good["campaign-weights-feedback"]["color"] == "success"
    assert good["campaign-weights-version"]["data"] == 4
    with app.server.app_context():
        assert C.index_weights(fresh_hand) == pytest.approx(dict.fromkeys(C.INDEX_COMPONENTS, 1 / 6))


def test_campaign011_key_figures_over_http(hand, use_store, login):
    app = use_store(hand)
    response = call(login("evaluator"), app, writing(app, "campaign-kpi-honours-value"), filters())
    assert response.status_code == 200
    values = {key: props["children"] for key, props in response.json["response"].items()}
    assert values["campaign-kpi-honours-value"] == "4"
    assert values["campaign-kpi-honours-note"] == "同比 +3（上年 1）"
    assert values["campaign-kpi-activities-value"] == "4"
    population = sum(t.population for t in reference.TOWNS)
    assert values["campaign-kpi-adverse-residents-value"] == f"{2 / population * 10_000:,.2f}"
    assert values["campaign-kpi-adverse-legal-value"] == f"{3 / 4 * 1000:,.2f}"  # 3 records, 4 legal persons
    assert values["campaign-kpi-black-value"] == "2"
    assert values["campaign-kpi-top-value"] == "中仓街道"


def test_campaign012_event_table_masks_persons_and_export_is_audited(fresh_hand, use_store, login):
    add_role_users(fresh_hand)
    with fresh_hand.session() as db:
        db.add(CampaignRecord(town_code=H.ZHONGCANG, unit_type="community", unit_name="张三丰", kind="honour",
                              item="通州榜样", event_date=dt.date(YEAR, 12, 1), subject_id=fresh_hand.ids["p1"]))
    app = use_store(fresh_hand)
    request = {"startRow": 0, "endRow": 100}
    rows = call(login("admin"), app, "campaign-events-grid.getRowsResponse",
                {"campaign-events-grid.getRowsRequest": request, **filters()}).json["response"]
    page = rows["campaign-events-grid"]["getRowsResponse"]
    names = [row["unit_name"] for row in page["rowData"]]
    assert names[0] == "张*丰" and "新华西社区" in names and page["rowCount"] == len(names)
    # Filters apply to what the viewer sees: the masked name does not match the real one.
    for typed, found in (("张三丰", 0), ("张*丰", 1)):
        filtered = {**request, "filterModel": {"unit_name": {"filterType": "text", "type": "contains",
                                                             "filter": typed}}}
        response = call(login("admin"), app, "campaign-events-grid.getRowsResponse",
                        {"campaign-events-grid.getRowsRequest": filtered, **filters()}).json["response"]
        assert response["campaign-events-grid"]["getRowsResponse"]["rowCount"] == found
    towns = call(login("admin"), app, "campaign-towns-grid.rowData", filters()).json["response"][
        "campaign-towns-grid"]["rowData"]
    assert [row["rank"] for row in towns[:3]] == [1, 2, 3] and len(towns) == 22
    response = call(login("leader"), app, writing(app, "campaign-towns-download"),
                    {"campaign-towns-export.n_clicks": 1, **filters()})
    workbook = load_workbook(io.BytesIO(base64.b64decode(response.json["response"]["campaign-towns-download"]
                                                         ["data"]["content"])))
    cells = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "中仓街道" in cells and any("综合指数权重" in str(cell) for cell in cells)
    with fresh_hand.read() as db:
        entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert entry.target == "campaign:towns" and json.loads(entry.detail)["rows"] == 22


def test_campaign013_unknown_filter_values_fall_back(hand, use_store, login):
    app = use_store(hand)
    client = login("itc")
    for output in ("campaign-kpi-honours-value", "campaign-ranking", "campaign-change", "campaign-honours-town",
                   "campaign-quarters", "campaign-resident-rates", "campaign-years", "campaign-towns-grid"):
        response = call(client, app, writing(app, output),
                        filters() | {"campaign-year.value": "99999", "campaign-unit-type.value": "castle",
                                     "campaign-subject-type.value": "martian"})
        assert response.status_code == 200, output


@pytest.mark.parametrize("role", sorted(ROLE_USERS))
def test_campaign014_page_path_follows_the_access_table(hand, use_store, login, role):
    use_store(hand)
    response = login(role).get("/campaign", headers={"Accept": "text/html"})
    assert response.status_code == (200 if allowed(role, "campaign") else 403)


STATISTICS = ("key_figures", "index_ranking", "index_change", "honours_by_town", "honours_by_unit_type_and_quarter",
              "town_rates", "district_rates", "tables")


def test_campaign015_statistics_split_into_light_callbacks(hand, use_store, login):
    app = use_store(hand)
    client = login("leader")  # the first request fills the app's callback map
    specs, outputs = split_callbacks(app, STATISTICS, [
        ("campaign-year", "value"), ("campaign-unit-type", "value"), ("campaign-subject-type", "value"),
        ("campaign-weights-version", "data")], ("campaign", "view"))
    assert len(outputs) == 12 + 9 + 2

    page = {}
    for spec in specs:
        response = call(client, app, spec["output"], filters())
        assert response.status_code == 200, response.data[:300]
        page.update(response.json["response"])
    titles = {key: props["figure"]["layout"]["title"]["text"] for key, props in page.items() if "figure" in props}
    assert titles == {
        "campaign-ranking": TC.CHART_RANKING.format(year=YEAR), "campaign-treemap": TC.CHART_TREEMAP.format(year=YEAR),
        "campaign-change": TC.CHART_CHANGE.format(year=YEAR, previous=YEAR - 1),
        "campaign-honours-town": TC.CHART_HONOURS_TOWN.format(year=YEAR),
        "campaign-by-unit-type": TC.CHART_UNIT_TYPE.format(year=YEAR), "campaign-quarters": TC.CHART_QUARTERS,
        "campaign-resident-rates": TC.CHART_RESIDENT_RATES.format(year=YEAR),
        "campaign-legal-rates": TC.CHART_LEGAL_RATES.format(year=YEAR), "campaign-years": TC.CHART_YEARS}
    assert page["campaign-kpi-top-value"]["children"] == "中仓街道"
    assert "宋庄镇（+19 位）" in json.dumps(page["campaign-movers"]["children"], ensure_ascii=False)
    assert len(page["campaign-towns-grid"]["rowData"]) == 22
    # The treemap hangs every group under one root, the district (plotly.js frames rootless groups in dark grey),
    # coloured like the groups by its members' mean.
    tiles = page["campaign-treemap"]["figure"]["data"][0]
    roots = [label for label, parent in zip(tiles["labels"], tiles["parents"], strict=True) if parent == ""]
    assert roots == [T.DISTRICT]
    groups = [label for label, parent in zip(tiles["labels"], tiles["parents"], strict=True) if parent == T.DISTRICT]
    assert groups and all(parent in groups for parent in tiles["parents"][1 + len(groups):])
    towns = tiles["marker"]["colors"][1 + len(groups):]
    assert tiles["marker"]["colors"][0] == pytest.approx(sum(towns) / len(towns))


def test_campaign016_event_blocks_page_one_cached_frame_for_every_reader(fresh_hand, use_store, login, monkeypatch):
    from callbacks import campaign as callbacks

    add_role_users(fresh_hand)
    with fresh_hand.session() as db:
        db.add(CampaignRecord(town_code=H.ZHONGCANG, unit_type="community", unit_name="张三丰", kind="honour",
                              item="通州榜样", event_date=dt.date(YEAR, 12, 1), subject_id=fresh_hand.ids["p1"]))
    app = use_store(fresh_hand)
    masked = []
    mask_subjects = callbacks.mask_subjects

    def counted(frame: pd.DataFrame, **options) -> pd.DataFrame:
        masked.append(len(frame))
        return mask_subjects(frame, **options)

    monkeypatch.setattr(callbacks, "mask_subjects", counted)

    def block(role: str, start: int, **request) -> dict:
        response = call(login(role), app, "campaign-events-grid.getRowsResponse",
                        {"campaign-events-grid.getRowsRequest": {"startRow": start, "endRow": start + 2, **request},
                         **filters()})
        return response.json["response"]["campaign-events-grid"]["getRowsResponse"]

    first, second = block("admin", 0), block("leader", 2)
    by_name = block("evaluator", 0, sortModel=[{"colId": "unit_name", "sort": "desc"}],
                    filterModel={"unit_name": {"filterType": "text", "type": "contains", "filter": "*"}})
    assert len(masked) == 1  # masked and formatted once, then only filtered, sorted and sliced
    assert first["rowCount"] == second["rowCount"] > 4 and first["rowData"] != second["rowData"]
    assert first["rowData"][0]["unit_name"] == "张*丰" and first["rowData"][0]["event_date"] == f"{YEAR}-12-01"
    assert by_name == {"rowData": [first["rowData"][0]], "rowCount": 1}
