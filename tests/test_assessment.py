"""The bureau assessment: the formula on a hand-computed example, settings, periods, the page's queries, and the
page's callbacks, which never give a bureau user another bureau's data whatever code the browser sends."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from callbacks.assessment import assessment_sheets
from data import assessment as A
from data import models
from data.cache import cache, invalidate
from data.ingest import ingest
from data.ingest.samples import csv_bytes, sample_rows
from data.queries import assessment as queries
from data.summaries import refresh_all
from tests.conftest import OTHER_BUREAU_USER, add_role_users
from tests.dash_calls import call, callbacks_of, split_callbacks
from ui.export import excel_bytes

D = dt.date
AS_OF = D(2025, 4, 30)
SUBJECT = "91440300708461136T"


# ---- the formula ------------------------------------------------------------------------------------------------


def test_assessment001_weighted_mean_with_missing_measures_reweighted():
    measures = pd.DataFrame({"on_time": [0.6, np.nan], "timeliness": [np.nan, 2 / 3], "completeness": [1.0, 0.99],
                             "accuracy": [0.9, 0.98], "uniqueness": [1.0, 1 - 2 / 300], "objections": [np.nan, 0.5],
                             "coverage": [0.5, 1.0]})
    score = A.scores(measures, A.DEFAULT_WEIGHTS)
    # Hand computed: (30·0.6 + 15·1 + 15·0.9 + 5·1 + 10·0.5) / 75 and (15·2/3 + 15·0.99 + 15·0.98 + 5·0.99333 +
    # 10·0.5 + 10·1) / 70, times 100.
    assert score.tolist() == pytest.approx([56.5 / 75 * 100, 59.516667 / 70 * 100], abs=1e-4)


def test_assessment002_rank_shares_ties_and_skips_missing():
    ranks = A.rank(pd.Series([90.0, 95.0, 90.0, np.nan, 80.0]))
    assert ranks.tolist() == [2, 1, 2, pd.NA, 4]


def test_assessment003_periods():
    assert A.months_of("2025Q1") == ["2025-01", "2025-02", "2025-03"]
    assert A.submission_periods("2025Q1") == ["2025-01", "2025-02", "2025-03", "2025Q1"]
    assert A.submission_periods("2025-02") == ["2025-02"]
    assert A.submission_periods("2025-03") == ["2025-03", "2025Q1"]
    assert len(A.submission_periods("2025")) == 16
    assert A.bounds("2025Q4") == (D(2025, 10, 1), D(2026, 1, 1))
    assert [A.label(p) for p in ("2025-03", "2025Q1", "2025")] == ["2025 年 3 月", "2025 年第 1 季度", "2025 年度"]
    assert A.periods_from_months(["2024-12", "2025-01", "2025-05"], "quarter") == ["2025Q2", "2025Q1", "2024Q4"]
    with pytest.raises(ValueError):
        A.granularity("2025-13")


def test_assessment004_settings_defaults_saved_and_checked(empty_store):
    with empty_store.read() as db:
        assert A.load_settings(db) == A.Settings(A.DEFAULT_WEIGHTS, A.DEFAULT_THRESHOLD, A.DEFAULT_OBJECTION_DAYS)
    with empty_store.session() as db:
        A.save_settings(db, {"on_time": 2, "coverage": 1}, 60, 15, username="t_admin")
    with empty_store.read() as db:
        settings = A.load_settings(db)
        audited = db.scalar(select(func.count()).select_from(models.AuditEntry)
                            .where(models.AuditEntry.action == "settings"))
    assert settings.weights["on_time"] == 2 and settings.weights["accuracy"] == 0
    assert settings.shares()["on_time"] == pytest.approx(2 / 3)
    assert (settings.threshold, settings.objection_days, audited) == (60, 15, 1)
    for weights, threshold, days in (({"speed": 1}, 80, 10), ({"on_time": -1}, 80, 10), ({}, 80, 10),
                                     ({"on_time": 1}, 120, 10), ({"on_time": 1}, 80, 0)):
        with pytest.raises(A.SettingsError), empty_store.session() as db:
            A.save_settings(db, weights, threshold, days)


# ---- a hand-built quarter: 区法院 (periodic catalog) and 区司法局 (double publicity) ---------------------------------


def build_quarter(store) -> None:
    """2025Q1 for the two 司法 bureaus, with one item of each kind just outside the quarter."""
    with store.session() as db:
        subject = models.Subject(kind="enterprise", code=SUBJECT, name="北京某科技有限公司", town_code="110112001")
        db.add(subject)
        db.flush()
        for number, (rtype, decided, delay) in enumerate([("CF", D(2025, 1, 6), 3), ("CF", D(2025, 1, 20), 7),
                                                          ("CF", D(2025, 2, 10), 8), ("CF", D(2025, 3, 3), 12),
                                                          ("XK", D(2025, 3, 10), 0), ("CF", D(2025, 4, 7), 20)]):
            db.add(models.CreditRecord(subject_id=subject.id, bureau_code="SF", record_type_code=rtype,
                                       document_no=f"京通司罚〔2025〕{number}号", decision_date=decided,
                                       publication_date=decided + dt.timedelta(days=delay), publish_delay_wd=delay,
                                       severity="ordinary" if rtype == "CF" else None, status="active"))
        month = [("2025-01", dt.datetime(2025, 2, 8, 10), dt.datetime(2025, 2, 10, 23, 59, 59), 2, 1, 495),
                 ("2025-02", dt.datetime(2025, 3, 12, 10), dt.datetime(2025, 3, 10, 23, 59, 59), 4, 0, 500),
                 ("2025-03", dt.datetime(2025, 4, 9, 10), dt.datetime(2025, 4, 10, 23, 59, 59), 0, 1, 490),
                 ("2025-04", dt.datetime(2025, 5, 30, 10), dt.datetime(2025, 5, 12, 23, 59, 59), 50, 50, 0)]
        for period, received, due, rejected, duplicate, filled in month:
            db.add(models.Submission(bureau_code="FY", record_type_code="SFZX", period=period, received_at=received,
                                     due_at=due, rows_total=100, rows_accepted=100 - rejected - duplicate,
                                     rows_rejected=rejected, rows_duplicate=duplicate, fields_expected=500,
                                     fields_filled=filled, fingerprint=f"fy-{period}", source="generator"))
        sf = models.Submission(bureau_code="SF", record_type_code="CF", period="2025-02",
                               received_at=dt.datetime(2025, 2, 20, 9), due_at=dt.datetime(2025, 3, 11, 23, 59, 59),
                               rows_total=50, rows_accepted=45, rows_rejected=5, rows_duplicate=0,
                               fields_expected=250, fields_filled=250, fingerprint="sf-2025-02", source="upload")
        db.add(sf)
        db.flush()
        for row, field, reason in ((3, "决定日期", "日期无法识别"), (9, "统一社会信用代码", "校验位错误"),
                                   (12, "决定日期", "决定日期晚于报送日期")):
            db.add(models.SubmissionRejection(submission_id=sf.id, row_number=row, field=field, reason=reason,
                                              original=json.dumps({"CF_WSH": f"第{row}行"}, ensure_ascii=False)))
        for filed, resolved in ((D(2025, 2, 3), D(2025, 2, 14)), (D(2025, 3, 3), None), (D(2025, 4, 1), None)):
            db.add(models.Objection(subject_id=subject.id, bureau_code="FY", filed_on=filed, resolved_on=resolved,
                                    outcome="confirmed" if resolved else None))
    with store.engine.begin() as connection:
        refresh_all(connection)


@pytest.fixture
def quarter(empty_store, dash_app):
    build_quarter(empty_store)
    with dash_app.server.app_context():
        cache.clear()
        yield empty_store


def test_assessment005_hand_computed_quarter(quarter):
    frame = queries.bureau_measures(quarter, "2025Q1", "司法", None, AS_OF).set_index("bureau_code")
    fy, sf = frame.loc["FY"], frame.loc["SF"]
    # 区法院: 2 of 3 monthly reports on time, the late one 2 working days (03-11, 03-12) after its due date;
    # 1485 of 1500 mandatory cells; 6 of 300 rows rejected, 2 duplicate; objections: one verified in 9 working
    # days, one still open after the 10-day limit; its one catalog item reported.
    assert (fy["timeliness"], fy["days_late"]) == (pytest.approx(2 / 3), 2)
    assert (fy["completeness"], fy["accuracy"], fy["uniqueness"]) == (
        pytest.approx(0.99), pytest.approx(0.98), pytest.approx(1 - 2 / 300))
    assert (fy["objections"], fy["turnaround_days"], fy["objections_filed"]) == (0.5, 9, 2)
    assert (fy["coverage"], pd.isna(fy["on_time"])) == (1.0, True)
    # 区司法局: 5 records published in the quarter, two of them after 7 working days; 45 of 50 rows accepted;
    # licences were never submitted as a file, so one of its two catalog items is covered.
    assert (sf["published"], sf["late"], sf["on_time"]) == (5, 2, pytest.approx(0.6))
    assert (sf["accuracy"], sf["completeness"], sf["coverage"]) == (pytest.approx(0.9), 1.0, 0.5)
    assert pd.isna(sf["timeliness"]) and pd.isna(sf["objections"])
    assert fy["score"] == pytest.approx(59.516667 / 70 * 100, abs=1e-4)
    assert sf["score"] == pytest.approx(56.5 / 75 * 100, abs=1e-4)
    assert (fy["rank"], sf["rank"], bool(fy["below"]), bool(sf["below"])) == (1, 2, False, True)


def test_assessment006_weights_from_the_settings_table(quarter):
    with quarter.session() as db:
        A.save_settings(db, {"on_time": 1, "coverage": 1}, 60, 10)
    invalidate()
    frame = queries.bureau_measures(quarter, "2025Q1", "司法", None, AS_OF).set_index("bureau_code")
    assert frame.loc["SF", "score"] == pytest.approx(55.0)
    assert frame.loc["FY", "score"] == pytest.approx(100.0)
    assert frame["below"].to_dict() == {"FY": False, "SF": True}


def test_assessment007_a_month_and_a_catalog_filter(quarter):
    february = queries.bureau_measures(quarter, "2025-02", "司法", None, AS_OF).set_index("bureau_code")
    assert (february.loc["FY", "timeliness"], february.loc["FY", "days_late"]) == (0.0, 2)
    assert february.loc["SF", "on_time"] == 0.0  # its one February record was published after 8 working days
    licences = queries.bureau_measures(quarter, "2025Q1", None, "XK", AS_OF).set_index("bureau_code")
    assert licences.loc["SF", "on_time"] == 1.0 and licences.loc["SF", "coverage"] == 0.0
    assert "FY" not in licences.index  # the court reports no licences


def test_assessment008_scope_cuts_rows_but_keeps_the_district_rank(quarter):
    own = queries.bureau_assessment(quarter, "bureau:SF", "2025Q1", "司法", None, AS_OF)
    assert own["bureau_code"].tolist() == ["SF"] and own["rank"].tolist() == [2]
    assert queries.bureau_assessment(quarter, "district", "2025Q1", "司法", None, AS_OF)["bureau_code"].tolist() == [
        "FY", "SF"]


def test_assessment009_on_time_by_month_and_trend(quarter):
    months = ("2025-01", "2025-02", "2025-03")
    by_month = queries.on_time_by_month(quarter, "bureau:SF", months, None, None)
    assert by_month[["month", "published", "late"]].values.tolist() == [["2025-01", 2, 0], ["2025-02", 1, 1],
                                                                        ["2025-03", 2, 1]]
    trend = queries.monthly_trend(quarter, "district", months, "司法", None).set_index("month")
    assert trend.loc["2025-03", "on_time"] == 0.5
    assert trend.loc["2025-02", "error_rate"] == pytest.approx(9 / 150)
    assert trend.loc["2025-02", "timeliness"] == 0.0
    assert queries.trend_months("2025Q1")[0] == "2024-04" and queries.trend_months("2025Q1")[-1] == "2025-03"


def test_assessment010_late_records_paged_filtered_sorted_on_the_server(quarter):
    frame, total = queries.late_records(quarter, "SF", "2025Q1", None, {"startRow": 0, "endRow": 1})
    assert (total, frame["publish_delay_wd"].tolist()) == (2, [12])
    frame, total = queries.late_records(quarter, "SF", "2025Q1", None, {
        "startRow": 0, "endRow": 10, "sortModel": [{"colId": "publish_delay_wd", "sort": "asc"}],
        "filterModel": {"publish_delay_wd": {"filterType": "number", "type": "lessThan", "filter": 10},
                        "refresh": {"filterType": "text", "type": "equals", "filter": "x"}}})
    assert (total, frame["publish_delay_wd"].tolist(), frame["decision_date"].tolist()) == (1, [8], ["2025-02-10"])
    assert queries.late_records(quarter, "FY", "2025Q1", None, None)[1] == 0


def test_assessment011_rejected_rows_and_error_report_respect_scope(quarter):
    frame, total = queries.rejected_rows(quarter, "SF", "2025Q1", None, {
        "startRow": 0, "endRow": 10, "filterModel": {"field": {"filterType": "text", "type": "contains",
                                                               "filter": "日期"}}})
    assert (total, frame["row_number"].tolist()) == (2, [3, 12])
    with quarter.read() as db:
        submission_id = db.scalar(select(models.Submission.id).where(models.Submission.bureau_code == "SF"))
    report, facts = queries.error_report(quarter, "bureau:SF", submission_id)
    assert list(report.columns) == ["文件行号", "CF_WSH", "出错字段", "原因"] and facts["rejected"] == 5
    assert queries.error_report(quarter, "bureau:FY", submission_id) is None
    assert queries.error_report(quarter, "district", submission_id) is not None


def test_assessment012_export_sheet_laid_out_for_filing(quarter):
    frame = queries.bureau_measures(quarter, "2025Q1", "司法", None, AS_OF)
    sheets = assessment_sheets(frame, A.Settings(A.DEFAULT_WEIGHTS, 80, 10), "2025Q1", "司法", 2)
    book = load_workbook(io.BytesIO(excel_bytes(sheets)))
    rows = list(book["考核表"].iter_rows(values_only=True))
    assert rows[0][0] == "通州区委办局信用信息报送考核表（2025 年第 1 季度）"
    assert any("2025-01-01 至 2025-03-31" in (r[0] or "") for r in rows[1:6])
    assert any("双公示按时率 30%" in (r[0] or "") for r in rows[1:6])
    header = next(i for i, r in enumerate(rows) if r[0] == "排名")
    body = rows[header + 1:]
    assert [(r[0], r[1], r[3], r[4]) for r in body] == [(1, "区法院", 85.0, "达标"), (2, "区司法局", 75.3, "未达标")]
    weights = [r for r in book["考核权重"].iter_rows(values_only=True) if r[0] in ("指标", "双公示按时率")]
    assert weights == [("指标", "权重（%）", "口径"), ("双公示按时率", 30.0, A.MEASURES["on_time"][1])]


# ---- the page's callbacks: a bureau user only ever gets its own bureau ---------------------------------------------


@pytest.fixture
def two_bureaus(empty_store, use_store):
    """区住建委 (the test bureau user's) and 区税务局 (another bureau's user) each submitted penalties in 2025Q1."""
    add_role_users(empty_store)
    for bureau, seed in (("ZJ", 1), ("SW", 2)):
        frame = sample_rows("CF", 40, bureau=bureau, seed=seed, defects=0.25, start=D(2025, 1, 1),
                            end=D(2025, 3, 31))
        ingest(empty_store, csv_bytes(frame), bureau, received_at=dt.datetime(2025, 4, 20, 9))
    return use_store(empty_store)


def by_name(app, name: str) -> str:
    return next(spec["output"] for spec in callbacks_of(app) if spec["name"] == name)


def respond(client, app, name: str, values: dict) -> dict:
    response = call(client, app, by_name(app, name), values)
    assert response.status_code == 200, response.data[:300]
    return response.json["response"]


# The scores, figures and table of the page, split so that no callback builds more than two figures.
VIEW = ("assessment_kpis", "assessment_scores", "assessment_table", "assessment_heatmap", "assessment_trend",
        "assessment_weights")


def view(client, app, values: dict) -> dict:
    """What the page's view callbacks answer for one filter state, merged by component id."""
    merged: dict = {}
    for name in VIEW:
        for component, props in respond(client, app, name, values).items():
            merged.setdefault(component, {}).update(props)
    return merged


GRID = {"startRow": 0, "endRow": 100}


@pytest.mark.parametrize("name", ["late_rows", "rejected_rows"])
def test_assessment013_drill_grids_ignore_another_bureaus_code(two_bureaus, login, name):
    grid = "assessment-late-grid" if name == "late_rows" else "assessment-rejected-grid"
    values = {f"{grid}.getRowsRequest": GRID, "assessment-drill-bureau.value": "SW",
              "assessment-period.value": "2025Q1", "assessment-catalog.value": ""}
    rows = respond(login("bureau"), two_bureaus, name, values)[grid]["getRowsResponse"]["rowData"]
    assert rows
    if name == "late_rows":
        assert all(r["document_no"].startswith("京通ZJ") for r in rows)
    else:
        with two_bureaus.server.extensions["credit_store"].read() as db:
            own = set(db.scalars(select(models.Submission.id).where(models.Submission.bureau_code == "ZJ")))
        assert {r["submission_id"] for r in rows} <= own
    other = respond(login(OTHER_BUREAU_USER[0]), two_bureaus, name, values)[grid]["getRowsResponse"]["rowData"]
    assert other and not ({json.dumps(r, sort_keys=True) for r in rows} & {json.dumps(r, sort_keys=True)
                                                                          for r in other})


def test_assessment014_view_export_and_measures_stay_in_scope(two_bureaus, login):
    client = login("bureau")
    filters = {"assessment-period.value": "2025Q1", "assessment-bureau-kind.value": "",
               "assessment-catalog.value": ""}
    shown = view(client, two_bureaus, filters)
    assert [r["bureau_code"] for r in shown["assessment-grid"]["rowData"]] == ["ZJ"]
    scores = shown["assessment-scores"]["figure"]["data"][0]["y"]
    assert scores == ["区住建委"]
    assert all(trace["y"] == ["区住建委"] for trace in shown["assessment-heatmap"]["figure"]["data"])
    measures = respond(client, two_bureaus, "drill_measures", {"assessment-drill-bureau.value": "SW", **filters})
    assert "区住建委" in measures["assessment-measures"]["figure"]["layout"]["title"]["text"]
    export = call(client, two_bureaus, by_name(two_bureaus, "export_assessment"),
                  {"assessment-export.n_clicks": 1, **filters})
    content = export.json["response"]["assessment-download"]["data"]["content"]
    rows = list(load_workbook(io.BytesIO(base64.b64decode(content)))["考核表"].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "排名")
    assert [r[1] for r in rows[header + 1:]] == ["区住建委"]


def test_assessment015_options_and_submissions_are_the_own_bureaus(two_bureaus, login):
    client = login("bureau")
    drill = respond(client, two_bureaus, "drill_bureaus", {"assessment-period.value": "2025Q1"})
    assert drill["assessment-drill-bureau"] == {"options": [{"label": "区住建委", "value": "ZJ"}], "value": "ZJ"}
    catalog = respond(client, two_bureaus, "catalog_options", {})["assessment-catalog"]["options"]
    assert {o["value"] for o in catalog} == {"", "XK", "CF", "ZZRY"}
    rows = respond(client, two_bureaus, "submission_rows", {"assessment-upload-bureau.value": "SW"})
    names = {r["file_name"] for r in rows["assessment-submissions-grid"]["rowData"]}
    with two_bureaus.server.extensions["credit_store"].read() as db:
        own = {s.id for s in db.scalars(select(models.Submission).where(models.Submission.bureau_code == "ZJ"))}
    assert {r["id"] for r in rows["assessment-submissions-grid"]["rowData"]} == own and names


def test_assessment016_error_report_of_another_bureau_refused(two_bureaus, login):
    with two_bureaus.server.extensions["credit_store"].read() as db:
        ids = dict(db.execute(select(models.Submission.bureau_code, models.Submission.id)).all())
    client = login("bureau")  # the first request also fills the app's callback map
    output = by_name(two_bureaus, "download_selected_report")
    values = {"assessment-submission-report.n_clicks": 1, "assessment-submissions-grid.selectedRows": [
        {"id": ids["SW"]}]}
    refused = call(client, two_bureaus, output, values)
    # Nothing sent back: Dash answers no_update with 204 or with an empty response.
    assert refused.status_code == 204 or refused.json["response"] == {}
    latest = call(client, two_bureaus, by_name(two_bureaus, "download_latest_report"),
                  {"assessment-upload-report.n_clicks": 1, "assessment-upload-submission.data": ids["SW"]})
    assert latest.status_code == 204 or latest.json["response"] == {}
    own = call(client, two_bureaus, output, {**values, "assessment-submissions-grid.selectedRows": [
        {"id": ids["ZJ"]}]})
    assert own.status_code == 200 and own.json["response"]["assessment-submission-download"]["data"]["filename"] == (
        f"错误报告_ZJ_{ids['ZJ']}.xlsx")


def test_assessment017_upload_goes_to_the_own_bureau_whatever_is_sent(two_bureaus, login):
    frame = sample_rows("CF", 12, bureau="ZJ", seed=30, prefix="UP", start=D(2025, 5, 1), end=D(2025, 5, 31))
    contents = "data:text/csv;base64," + base64.b64encode(csv_bytes(frame)).decode()
    values = {"assessment-upload.contents": contents, "assessment-upload.filename": "住建罚款.csv",
              "assessment-upload-bureau.value": "SW", "assessment-upload-kind.value": ""}
    response = respond(login("bureau"), two_bureaus, "upload_file", values)
    submission_id = response["assessment-upload-submission"]["data"]
    with two_bureaus.server.extensions["credit_store"].read() as db:
        submission = db.get(models.Submission, submission_id)
    assert (submission.bureau_code, submission.rows_accepted, submission.source) == ("ZJ", 12, "upload")
    # 经信委 uploads on behalf of the bureau it chooses.
    other = sample_rows("CF", 5, bureau="SW", seed=31, prefix="IT", start=D(2025, 5, 1), end=D(2025, 5, 31))
    itc = respond(login("itc"), two_bureaus, "upload_file", {
        **values, "assessment-upload.contents": "data:text/csv;base64," + base64.b64encode(csv_bytes(other)).decode()})
    with two_bureaus.server.extensions["credit_store"].read() as db:
        on_behalf = db.get(models.Submission, itc["assessment-upload-submission"]["data"])
    assert (on_behalf.bureau_code, on_behalf.rows_accepted) == ("SW", 5)
    with two_bureaus.server.extensions["credit_store"].read() as db:
        audited = db.scalar(select(func.count()).select_from(models.AuditEntry)
                            .where(models.AuditEntry.action == "ingest", models.AuditEntry.username == "t_bureau"))
    assert audited == 1


@pytest.mark.parametrize("name", ["late_rows", "rejected_rows", "drill_measures", "upload_file",
                                  "download_selected_report", "download_latest_report"])
def test_assessment018_leader_sees_no_drilldown_or_upload(two_bureaus, login, name):
    response = call(login("leader"), two_bureaus, by_name(two_bureaus, name), {})
    assert response.status_code == 403


def test_assessment019_admin_changes_the_weighting_and_scores_follow(two_bureaus, login):
    client = login("admin")
    filters = {"assessment-period.value": "2025Q1", "assessment-bureau-kind.value": "",
               "assessment-catalog.value": ""}
    before = {r["bureau_code"]: r["score"] for r in view(client, two_bureaus, filters)[
        "assessment-grid"]["rowData"]}
    weights = {f"assessment-weight-{key}.value": 0 for key in A.MEASURES}
    weights["assessment-weight-coverage.value"] = 1
    saved = respond(client, two_bureaus, "store_settings", {
        "assessment-settings-save.n_clicks": 1, **weights, "assessment-threshold.value": 90,
        "assessment-objection-days.value": 5, "assessment-settings-version.data": 0})
    assert saved["assessment-settings-version"]["data"] == 1
    after = view(client, two_bureaus, filters)
    scores = {r["bureau_code"]: r["score"] for r in after["assessment-grid"]["rowData"]}
    # 区住建委 owns licences, penalties and honours (quarterly) and submitted only penalties: coverage 1 of 3.
    assert scores["ZJ"] == pytest.approx(100 / 3) and scores != before
    assert "达标线：90 分" in after["assessment-weights-threshold"]["children"]
    refused = respond(client, two_bureaus, "store_settings", {
        "assessment-settings-save.n_clicks": 2, **weights, "assessment-weight-coverage.value": -3,
        "assessment-threshold.value": 90, "assessment-objection-days.value": 5})
    assert "未保存" in json.dumps(refused, ensure_ascii=False)
    itc = call(login("itc"), two_bureaus, by_name(two_bureaus, "store_settings"), {
        "assessment-settings-save.n_clicks": 1, **weights})
    assert itc.status_code == 403


def test_assessment020_view_split_into_light_callbacks_with_the_same_inputs(two_bureaus, login):
    login("leader")  # the first request fills the app's callback map
    _specs, outputs = split_callbacks(two_bureaus, VIEW, [
        ("assessment-period", "value"), ("assessment-bureau-kind", "value"), ("assessment-catalog", "value"),
        ("assessment-settings-version", "data")], ("assessment", "view"))
    assert len(outputs) == 8 + 6
    client = login("itc")
    empty = view(client, two_bureaus, {})
    assert empty["assessment-kpi-on-time-value"]["children"] == "—" and empty["assessment-grid"]["rowData"] == []
    assert "达标线" in empty["assessment-weights-threshold"]["children"]
