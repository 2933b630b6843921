"""Objections, outcomes, credit repair and early removal with their history; the list queries on "public on day D";
masking and bureau scope through the page's callbacks."""

import base64
import datetime as dt
import io
import json

import plotly.graph_objects as go
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from data import audit
from data.cache import cache, invalidate
from data.lists import ListsError, file_objection, remove_list_entry, repair_record, resolve_objection
from data.models import AuditEntry, ChangeHistory, CreditRecord, CreditRepair, ListEntry, Objection, User
from data.queries import lists as queries
from security.access import Viewer
from tests.conftest import DIALECTS, OTHER_BUREAU_USER, ROLE_USERS, add_role_users
from tests.dash_calls import call, split_callbacks
from tests.lists_district import AS_OF, build
from ui import figures_lists
from ui.figures import BLACK, RED

D = dt.date
ONE_DAY = dt.timedelta(days=1)
ALL = queries.ListFilter()


ACTORS = {"t_evaluator": ("evaluator", None), "t_itc": ("itc", None), "t_bureau_scjg": ("bureau", "SCJG"),
          OTHER_BUREAU_USER[0]: ("bureau", OTHER_BUREAU_USER[1])}


def add_actors(store) -> None:
    """Users who act in the domain tests; they never sign in, so no (slow) password hashing."""
    with store.session() as db:
        for username, (user_role, bureau) in ACTORS.items():
            db.add(User(username=username, password_hash="!", role=user_role, bureau_code=bureau,
                        created_at=dt.datetime.now()))


@pytest.fixture
def lists_store(empty_store, dash_app):
    """A fresh hand-built district for tests that write, queried inside an app context (the query cache)."""
    add_actors(empty_store)
    ids = build(empty_store)
    with dash_app.server.app_context():
        cache.clear()
        yield empty_store, ids


@pytest.fixture(scope="module", params=DIALECTS)
def read_store(request, store_factory, dash_app):
    """One hand-built district per database for the read-only query tests of this module."""
    store = store_factory.new(request.param)
    ids = build(store)
    with dash_app.server.app_context():
        cache.clear()
        yield store, ids


def viewer(store, username: str) -> Viewer:
    with store.read() as db:
        user = db.scalar(select(User).where(User.username == username))
        return Viewer(user.id, user.username, user.role, user.bureau_code)


def role(store, name: str) -> Viewer:
    return viewer(store, ROLE_USERS[name][0])


def scm_bureau(store) -> Viewer:
    """The market-regulation bureau, which decided most penalties of the district."""
    return viewer(store, "t_bureau_scjg")


def snapshot(store, record_id: int) -> dict:
    with store.read() as db:
        record = db.get(CreditRecord, record_id)
        return {
            "status": record.status, "severity": record.severity, "publicity_end": record.publicity_end,
            "objections": db.scalar(select(func.count()).select_from(Objection)),
            "repairs": db.scalar(select(func.count()).select_from(CreditRepair)),
            "history": db.scalar(select(func.count()).select_from(ChangeHistory)),
            "audit": db.scalar(select(func.count()).select_from(AuditEntry)),
            "removed": db.scalar(select(func.count()).select_from(ListEntry).where(ListEntry.removed_on.is_not(None))),
        }


def history(store, entity: str, entity_id: int) -> list[ChangeHistory]:
    with store.read() as db:
        return list(db.scalars(select(ChangeHistory).where(ChangeHistory.entity == entity,
                                                           ChangeHistory.entity_id == entity_id)
                               .order_by(ChangeHistory.id)))


FILED = D(2026, 7, 1)


def file(store, record_id: int, actor: Viewer, day: dt.date = FILED) -> Objection:
    with store.session() as db:
        return file_objection(db, record_id, reason="处罚对象认定错误，非本公司行为", filed_on=day, actor=actor)


# ---- objections ---------------------------------------------------------------------------------------------------


def test_lists001_objection_marks_the_record_and_keeps_history(lists_store):
    store, ids = lists_store
    evaluator = role(store, "evaluator")
    objection = file(store, ids["cf_e1"], evaluator)
    with store.read() as db:
        record = db.get(CreditRecord, ids["cf_e1"])
        assert record.status == "objection"
        saved = db.get(Objection, objection.id)
        assert (saved.record_id, saved.subject_id, saved.bureau_code) == (ids["cf_e1"], ids["e1"], "SCJG")
        actions = [e.action for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert actions[-1] == "objection_filed"
        assert audit.verify(db).ok
    change = history(store, "record", ids["cf_e1"])[-1]
    assert change.changed_by == evaluator.username
    assert json.loads(change.before)["status"] == "active"
    assert json.loads(change.after)["status"] == "objection"
    assert history(store, "objection", objection.id)[0].action == "objection_filed"


def test_lists002_objection_to_an_expired_record_is_refused_and_nothing_is_written(lists_store):
    store, ids = lists_store
    before = snapshot(store, ids["cf_e1_old"])
    with pytest.raises(ListsError, match=r"京通市监罚〔2023〕7号.*不在公示期内"):
        file(store, ids["cf_e1_old"], role(store, "evaluator"))
    assert snapshot(store, ids["cf_e1_old"]) == before


def test_lists003_one_open_objection_at_a_time_and_a_reason_is_required(lists_store):
    store, ids = lists_store
    evaluator = role(store, "evaluator")
    file(store, ids["cf_e1"], evaluator)
    with pytest.raises(ListsError, match="异议处理中"):
        file(store, ids["cf_e1"], evaluator)
    with store.session() as db, pytest.raises(ListsError, match=r"异议理由.*不能为空"):
        file_objection(db, ids["sfzx_e2"], reason="  ", filed_on=D(2026, 7, 1), actor=evaluator)


def test_lists004_confirmed_restores_the_status_and_corrected_recomputes_the_period(lists_store):
    store, ids = lists_store
    evaluator, bureau = role(store, "evaluator"), scm_bureau(store)
    first = file(store, ids["cf_e1"], evaluator)
    with store.session() as db:
        resolve_objection(db, first.id, outcome="confirmed", resolved_on=D(2026, 7, 10), actor=bureau)
    assert snapshot(store, ids["cf_e1"])["status"] == "active"

    second = file(store, ids["cf_e1"], evaluator, D(2026, 7, 20))
    with store.session() as db, pytest.raises(ListsError, match="至少更正一项"):
        resolve_objection(db, second.id, outcome="corrected", resolved_on=D(2026, 7, 25), actor=bureau,
                          note="核实无误")
    with store.session() as db:
        resolve_objection(db, second.id, outcome="corrected", resolved_on=D(2026, 7, 25), actor=bureau,
                          note="违法情节认定有误", severity="ordinary")
    state = snapshot(store, ids["cf_e1"])
    # 2025-06-01 is under the old regime: 一般 is published 12 months, so it already ended on 2026-06-01.
    assert (state["status"], state["severity"], state["publicity_end"]) == ("corrected", "ordinary", D(2026, 6, 1))
    actions = [c.action for c in history(store, "record", ids["cf_e1"])]
    assert actions == ["objection_filed", "objection_confirmed", "objection_filed", "objection_corrected"]
    with store.read() as db:
        assert db.get(Objection, second.id).outcome == "corrected"
        assert db.get(Objection, second.id).handled_by == bureau.user_id


def test_lists005_removed_record_and_its_entries_leave_public_views_from_the_resolution_day(lists_store):
    store, ids = lists_store
    objection = file(store, ids["cf_e1"], role(store, "evaluator"))
    with store.session() as db:
        resolve_objection(db, objection.id, outcome="removed", resolved_on=D(2026, 7, 15), actor=role(store, "itc"),
                          note="处罚决定已被撤销")
    invalidate()
    state = snapshot(store, ids["cf_e1"])
    assert (state["status"], state["publicity_end"]) == ("removed", D(2026, 7, 14))
    with store.read() as db:
        entry = db.get(ListEntry, ids["entry:yzwf_e1"])
        assert (entry.removed_on, entry.removal_reason) == (D(2026, 7, 15), "异议核查后撤销")

    def black_entries(day: dt.date) -> int:
        frame = queries.entries_in_force(store, "district", day, ALL)
        return int(frame.loc[frame["list_type_code"] == "YZWF", "entries"].sum())

    assert black_entries(D(2026, 7, 14)) == 1
    assert black_entries(D(2026, 7, 15)) == 0
    assert [c.action for c in history(store, "list_entry", ids["entry:yzwf_e1"])] == ["objection_removed"]


def test_lists006_the_body_that_decided_resolves_and_repairs(lists_store):
    store, ids = lists_store
    objection = file(store, ids["cf_e1"], role(store, "evaluator"))
    other = viewer(store, OTHER_BUREAU_USER[0])  # the tax bureau did not decide a market-regulation penalty
    before = snapshot(store, ids["cf_e1"])
    with store.session() as db, pytest.raises(ListsError, match="谁认定、谁修复"):
        resolve_objection(db, objection.id, outcome="confirmed", resolved_on=D(2026, 7, 2), actor=other)
    with store.session() as db, pytest.raises(ListsError, match="谁认定、谁修复"):
        remove_list_entry(db, ids["entry:yzwf_e1"], removed_on=D(2026, 7, 2), reason="已整改", actor=other)
    assert snapshot(store, ids["cf_e1"]) == before
    with store.session() as db:
        resolve_objection(db, objection.id, outcome="confirmed", resolved_on=D(2026, 7, 2), actor=scm_bureau(store))
    assert snapshot(store, ids["cf_e1"])["status"] == "active"


# ---- credit repair and early removal ------------------------------------------------------------------------------


def repair(store, record_id: int, actor: Viewer, *, decided: dt.date, grant: bool = True, met: bool = True,
           reason: str | None = None) -> CreditRepair:
    with store.session() as db:
        return repair_record(db, record_id, applied_on=decided - dt.timedelta(days=10), decided_on=decided,
                             conduct_corrected=met, obligations_met=met, commitment_signed=True, grant=grant,
                             reason=reason, actor=actor)


def test_lists007_repair_is_refused_while_its_conditions_are_unmet(lists_store):
    store, ids = lists_store
    bureau = scm_bureau(store)
    before = snapshot(store, ids["jyyc_i1"])
    # 2026-02-01, ordinary, old regime: at least 3 months, so not before 2026-05-02.
    with pytest.raises(ListsError, match=r"最短公示期未满（2026-05-02 起方可修复）"):
        repair(store, ids["jyyc_i1"], bureau, decided=D(2026, 4, 20))
    with pytest.raises(ListsError, match="失信行为尚未纠正；法定责任和义务尚未履行"):
        repair(store, ids["jyyc_i1"], bureau, decided=D(2026, 6, 1), met=False)
    assert snapshot(store, ids["jyyc_i1"]) == before


def test_lists008_granted_repair_ends_publication_and_list_entries_from_the_decision_day(lists_store):
    store, ids = lists_store
    decided = D(2026, 7, 20)
    granted = repair(store, ids["cf_e1"], scm_bureau(store), decided=decided)
    invalidate()
    state = snapshot(store, ids["cf_e1"])
    assert (state["status"], state["publicity_end"]) == ("repaired", decided - ONE_DAY)
    with store.read() as db:
        assert db.get(CreditRepair, granted.id).outcome == "granted"
        assert db.get(ListEntry, ids["entry:yzwf_e1"]).removed_on == decided
    assert [c.action for c in history(store, "record", ids["cf_e1"])] == ["repair_granted"]
    assert [c.action for c in history(store, "repair", granted.id)] == ["repair_granted"]
    assert [c.action for c in history(store, "list_entry", ids["entry:yzwf_e1"])] == ["repair_granted"]
    timeline = queries.record_history(store, ids["cf_e1"])
    assert set(timeline["entity"]) == {"record", "repair", "list_entry"}
    assert queries.record_for_action(store, "district", str(ids["cf_e1"]), decided - ONE_DAY)["public"].iloc[0]
    assert not queries.record_for_action(store, "district", str(ids["cf_e1"]), decided)["public"].iloc[0]


def test_lists009_refused_repair_needs_a_reason_and_changes_no_record(lists_store):
    store, ids = lists_store
    bureau = scm_bureau(store)
    with pytest.raises(ListsError, match=r"决定理由.*不能为空"):
        repair(store, ids["cf_e1"], bureau, decided=D(2026, 7, 20), grant=False)
    refused = repair(store, ids["cf_e1"], bureau, decided=D(2026, 7, 20), grant=False, met=False,
                     reason="尚未缴清罚款")
    state = snapshot(store, ids["cf_e1"])
    assert (state["status"], state["repairs"]) == ("active", 1)
    assert [c.action for c in history(store, "repair", refused.id)] == ["repair_refused"]


def test_lists010_no_repair_while_under_objection(lists_store):
    store, ids = lists_store
    file(store, ids["cf_e1"], role(store, "evaluator"))
    with pytest.raises(ListsError, match="请先办结异议"):
        repair(store, ids["cf_e1"], scm_bureau(store), decided=D(2026, 7, 20))


def test_lists011_early_removal_of_a_list_entry(lists_store):
    store, ids = lists_store
    itc = role(store, "itc")
    entry_id = ids["entry:sxbzx_e2"]
    with store.session() as db:
        remove_list_entry(db, entry_id, removed_on=D(2026, 7, 5), reason="已履行生效法律文书确定的义务", actor=itc)
    invalidate()
    with store.session() as db, pytest.raises(ListsError, match="已于 2026-07-05 移出"):
        remove_list_entry(db, entry_id, removed_on=D(2026, 7, 6), reason="重复", actor=itc)
    change = history(store, "list_entry", entry_id)[-1]
    assert (change.action, json.loads(change.before)["removed_on"], json.loads(change.after)["removed_on"]) == (
        "entry_removed", None, "2026-07-05")

    def court_list(day: dt.date) -> int:
        frame = queries.entries_in_force(store, "district", day, queries.ListFilter(list_type="SXBZX"))
        return int(frame["entries"].sum())

    assert (court_list(D(2026, 7, 4)), court_list(D(2026, 7, 5))) == (1, 0)
    flows = queries.monthly_flows(store, "district", D(2026, 7, 31), ALL)
    july_black = flows[(flows["month"] == "2026-07") & (flows["color"] == "black")].iloc[0]
    # The tax list entry's last day was 2026-06-30: it leaves by expiry on 2026-07-01.
    assert (july_black["removed"], july_black["expired"]) == (1, 1)


# ---- queries ------------------------------------------------------------------------------------------------------


def test_lists012_counts_now_and_over_time_follow_public_on_day_d(read_store):
    store, _ids = read_store
    now = queries.entries_in_force(store, "district", AS_OF, ALL)
    assert now.groupby("color")["entries"].sum().to_dict() == {"black": 3, "red": 2, "warning": 2}
    assert set(now.loc[now["color"] == "black", "issuer"]) == {"区市场监管局", "区法院", "区税务局"}
    next_day = queries.entries_in_force(store, "district", AS_OF + ONE_DAY, ALL)
    assert next_day.groupby("color")["entries"].sum().to_dict() == {"black": 2, "red": 2, "warning": 2}
    trend = queries.entries_over_time(store, "district", D(2026, 7, 31), ALL, months=3)
    black = trend[trend["color"] == "black"].set_index("month")["entries"].to_dict()
    assert black == {"2026-05": 3, "2026-06": 3, "2026-07": 2}
    red = trend[trend["color"] == "red"].set_index("month")["entries"].to_dict()
    assert red == {"2026-05": 2, "2026-06": 2, "2026-07": 1}  # the A-grade taxpayer entry ended on 2026-07-01
    town = queries.entries_in_force(store, "district", AS_OF, queries.ListFilter(town="110112001"))
    assert int(town["entries"].sum()) == 1  # 中仓: only the individual business's abnormal-operations entry


def test_lists013_bureau_scope_sees_only_its_own_lists(read_store):
    store, _ids = read_store
    tax = queries.entries_in_force(store, "bureau:SW", AS_OF, ALL)
    assert set(tax["bureau_code"]) == {"SW"}
    assert int(tax["entries"].sum()) == 2
    frame, total = queries.entries_page(store, "bureau:FY", AS_OF, {"startRow": 0, "endRow": 50}, None, True,
                                        False, ALL)
    assert total == 1 and set(frame["bureau_code"]) == {"FY"}


def test_lists014_expiring_soon_and_typical_cases(read_store):
    store, ids = read_store
    expiring = queries.entries_expiring(store, "district", D(2026, 6, 1), 29, ALL)
    assert list(expiring["entry_id"]) == [ids["entry:zdss_e2"]]
    assert expiring["days_left"].tolist() == [29]
    assert queries.expiring_count(store, "district", D(2026, 6, 1), 31, ALL) == 2  # and the A grade on 07-01
    black, red = queries.typical_cases(store, "district", D(2026, 6, 1), ALL)
    # Listed within the last year, serious first, then the larger amount: the court's 30 万元 before 5 万元.
    assert list(black["entry_id"]) == [ids["entry:sxbzx_e2"], ids["entry:yzwf_e1"]]
    assert list(red["entry_id"]) == [ids["entry:mfgr_p2"]]


def test_lists015_grid_search_hides_persons_from_masked_viewers(read_store):
    store, ids = read_store
    request = {"startRow": 0, "endRow": 50}
    _frame, masked_total = queries.entries_page(store, "district", AS_OF, request, "李四", False, False, ALL)
    frame, unmasked_total = queries.entries_page(store, "district", AS_OF, request, "李四", False, True, ALL)
    assert (masked_total, unmasked_total) == (0, 1)
    assert list(frame["entry_id"]) == [ids["entry:mfgr_p2"]]
    by_code = {"filterModel": {"code": {"filterType": "text", "type": "startsWith", "filter": "1101121990"}}}
    assert queries.entries_page(store, "district", AS_OF, {**request, **by_code}, None, False, False, ALL)[1] == 0
    by_issuer = {"filterModel": {"issuer": {"filterType": "text", "type": "contains", "filter": "法院"}},
                 "sortModel": [{"colId": "listed_on", "sort": "asc"}]}
    frame, total = queries.entries_page(store, "district", AS_OF, {**request, **by_issuer}, None, False, False, ALL)
    assert total == 1 and frame["issuer"].tolist() == ["区法院"]
    all_entries = queries.entries_page(store, "district", AS_OF, request, None, True, False, ALL)[0]
    status = dict(zip(all_entries["entry_id"], all_entries["entry_status_name"], strict=True))
    assert status[ids["entry:cxqy_e1"]] == "已移出"


# ---- through the page's callbacks ---------------------------------------------------------------------------------


ROWS = "lists-entries-grid.getRowsResponse"


@pytest.fixture
def lists_app(empty_store, use_store):
    add_role_users(empty_store)
    ids = build(empty_store)
    return use_store(empty_store), empty_store, ids


def grid_rows(client, app, search: str | None = None) -> list[dict]:
    response = call(client, app, ROWS, {"lists-entries-grid.getRowsRequest": {"startRow": 0, "endRow": 50},
                                        "lists-as-of.date": AS_OF.isoformat(), "lists-search.value": search})
    assert response.status_code == 200, response.data[:300]
    return response.json["response"]["lists-entries-grid"]["getRowsResponse"]["rowData"]


def test_lists016_identity_numbers_masked_per_role_and_unmasking_audited(lists_app, login):
    app, store, _ids = lists_app
    leader_rows = grid_rows(login("leader"), app)
    person = next(r for r in leader_rows if r["kind"] == "person")
    assert person["code"] == "110112********0026"
    assert "李\\*" in person["name"] and "李四" not in json.dumps(leader_rows, ensure_ascii=False)
    evaluator_rows = grid_rows(login("evaluator"), app)
    person = next(r for r in evaluator_rows if r["kind"] == "person")
    assert person["code"] == "110112199002020026"
    assert person["name"].startswith("[李四](/profile?subject=")  # evaluators may open the credit profile
    with store.read() as db:
        unmasked = db.scalars(select(AuditEntry).where(AuditEntry.action == "unmask")).all()
    assert [e.username for e in unmasked] == [ROLE_USERS["evaluator"][0]]
    assert not any(r["name"].startswith("[") for r in leader_rows)  # leaders cannot open profiles: no link


def test_lists017_objection_and_outcome_through_the_forms(lists_app, login):
    app, store, ids = lists_app
    objection_form = "..lists-objection-feedback.children...lists-objection-feedback.color..." \
                     "lists-objection-feedback.is_open...lists-objection-done.data.."
    values = {"lists-objection-submit.n_clicks": 1, "lists-record-key.value": "京通市监罚〔2025〕101号",
              "lists-objection-date.date": "2026-07-01", "lists-objection-reason.value": "主体认定错误"}
    assert call(login("leader"), app, objection_form, values).status_code == 403
    response = call(login("evaluator"), app, objection_form, values)
    feedback = response.json["response"]["lists-objection-feedback"]
    objection_id = response.json["response"]["lists-objection-done"]["data"]
    assert feedback["color"] == "success" and str(ids["cf_e1"]) in feedback["children"]
    outcome_form = "..lists-outcome-feedback.children...lists-outcome-feedback.color..." \
                   "lists-outcome-feedback.is_open...lists-outcome-done.data.."
    outcome = {"lists-outcome-submit.n_clicks": 1, "lists-outcome-objection.value": objection_id,
               "lists-outcome.value": "confirmed", "lists-outcome-date.date": "2026-07-03"}
    refused = call(login(OTHER_BUREAU_USER[0]), app, outcome_form, outcome).json["response"]
    assert refused["lists-outcome-feedback"]["color"] == "danger"
    assert "谁认定、谁修复" in refused["lists-outcome-feedback"]["children"]
    done = call(login("itc"), app, outcome_form, outcome).json["response"]
    assert done["lists-outcome-feedback"]["color"] == "success"
    with store.read() as db:
        assert db.get(CreditRecord, ids["cf_e1"]).status == "active"
    detail = call(login("evaluator"), app, "..lists-record-detail.children...lists-history-grid.rowData..."
                  "lists-outcome-objection.value..", {"lists-record-key.value": str(ids["cf_e1"])})
    rows = detail.json["response"]["lists-history-grid"]["rowData"]
    assert [r["action"] for r in rows] == ["提出异议", "提出异议", "异议核查：维持", "异议核查：维持"]
    assert any("状态：公示中 → 异议处理中" in r["change"] for r in rows)


def test_lists018_excel_export_is_masked_per_role_and_audited(lists_app, login):
    app, store, _ids = lists_app
    output = "lists-entries-download.data"
    values = {"lists-entries-export.n_clicks": 1, "lists-as-of.date": AS_OF.isoformat(),
              "lists-entries-grid.getRowsRequest": {"startRow": 0, "endRow": 50}}

    def exported(role_name: str) -> str:
        response = call(login(role_name), app, output, values)
        assert response.status_code == 200, response.data[:300]
        content = base64.b64decode(response.json["response"]["lists-entries-download"]["data"]["content"])
        sheet = load_workbook(io.BytesIO(content)).active
        return "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None)

    leader = exported("leader")
    assert "110112********0026" in leader and "110112199002020026" not in leader and "李*" in leader
    assert "通州甲科技有限公司" in leader and "91110112MA00000011" in leader  # legal persons are public
    assert "110112199002020026" in exported("evaluator")
    with store.read() as db:
        exports = db.execute(select(AuditEntry.username, AuditEntry.target)
                             .where(AuditEntry.action == "export")).all()
    assert [tuple(e) for e in exports] == [("t_leader", "lists:entries"), ("t_evaluator", "lists:entries")]


def test_lists019_figures_draw_red_lists_red_and_black_lists_black(read_store):
    store, _ids = read_store
    in_force = queries.entries_in_force(store, "district", AS_OF, ALL)
    by_type = in_force.groupby(["list_type", "color"], as_index=False)["entries"].sum()
    bars = go.Figure(figures_lists.bars_by_list_type(by_type, "list_type", "entries", "color", "在列", "个"))
    colour_of = dict(zip(bars.data[0].y, bars.data[0].marker.color, strict=True))
    assert colour_of["失信被执行人"] == BLACK and colour_of["模范个人"] == RED
    flows = queries.monthly_flows(store, "district", D(2026, 7, 31), ALL, months=7)
    figure = go.Figure(figures_lists.diverging_flows(flows, "month", "listed", ["removed", "expired"], "流量", "条",
                                                     up_name="新列入", down_name="退出"))
    traces = {trace.name: trace for trace in figure.data}
    assert traces["红名单新列入"].marker.color == RED and traces["黑名单退出"].marker.color == BLACK
    assert min(traces["红名单退出"].y) <= 0 <= max(traces["红名单新列入"].y)
    trend = queries.entries_over_time(store, "district", AS_OF, ALL, months=6)
    lines = {trace.name: trace.line.color
             for trace in go.Figure(figures_lists.lines_by_color(trend, "month", "entries", "趋势", "个")).data}
    assert lines["红名单"] == RED and lines["黑名单"] == BLACK


def summary_tables(store, rebuild: bool = False) -> dict[str, list[tuple]]:
    """Both summary tables as sorted rows; with rebuild, as a full recompute from the base tables would make them
    (computed inside a transaction that is rolled back)."""
    from data.summaries import refresh_all

    with store.engine.connect() as connection:
        transaction = connection.begin()
        if rebuild:
            refresh_all(connection)
        tables = {
            "records": [(*row[:6], row[6], round(row[7], 6), row[8], row[9]) for row in connection.exec_driver_sql(
                "SELECT month, bureau_code, record_type_code, town_code, subject_kind, severity, records, amount, "
                "published, published_late FROM summary_records_monthly ORDER BY 1, 2, 3, 4, 5, 6")],
            "subjects": [tuple(row) for row in connection.exec_driver_sql(
                "SELECT town_code, kind, registered_year, deregistered_year, subjects FROM summary_subjects "
                "ORDER BY 1, 2, 3, 4")],
        }
        transaction.rollback()
    return tables


def test_lists030_a_correction_moves_the_record_between_summary_rows(lists_store):
    """Severity and amount are summarised: after a correction the summary equals a full rebuild, and differs from
    what it was before."""
    from data.summaries import refresh_all

    store, ids = lists_store
    with store.session() as db:
        refresh_all(db.connection())
    before = summary_tables(store)
    objection = file(store, ids["cf_e1"], role(store, "evaluator"))
    with store.session() as db:
        resolve_objection(db, objection.id, outcome="corrected", resolved_on=D(2026, 7, 25), actor=scm_bureau(store),
                          note="违法情节与罚款金额认定有误", severity="minor", amount=0.25)
    after = summary_tables(store)
    assert after == summary_tables(store, rebuild=True)
    assert after["records"] != before["records"]
    assert sum(row[6] for row in after["records"]) == sum(row[6] for row in before["records"])


def test_lists031_expiring_grid_is_paged_filtered_and_sorted_on_the_server(lists_app, login):
    app, store, _ids = lists_app
    key = "lists-expiring-grid.getRowsResponse"
    day = "2026-06-01"
    expected = queries.entries_expiring(store, "district", D(2026, 6, 1), 90, ALL)
    assert len(expected) >= 2

    def page(request: dict, client=None) -> dict:
        response = call(client or login("leader"), app, key, {
            "lists-expiring-grid.getRowsRequest": request, "lists-as-of.date": day, "lists-expiring-days.value": 90})
        assert response.status_code == 200, response.data[:300]
        return response.json["response"]["lists-expiring-grid"]["getRowsResponse"]

    everything = page({"startRow": 0, "endRow": 100})
    assert everything["rowCount"] == len(expected) == len(everything["rowData"])
    first = page({"startRow": 0, "endRow": 1, "sortModel": [{"colId": "days_left", "sort": "desc"}]})
    assert first["rowCount"] == len(expected) and len(first["rowData"]) == 1
    assert first["rowData"][0]["days_left"] == int(expected["days_left"].max())
    by_issuer = page({"startRow": 0, "endRow": 100, "filterModel": {
        "issuer": {"filterType": "text", "type": "contains", "filter": "税务"}}})
    assert by_issuer["rowCount"] == int(expected["issuer"].str.contains("税务").sum()) >= 1
    assert page({"startRow": 0, "endRow": 100, "filterModel": {
        "days_left": {"filterType": "number", "type": "lessThan", "filter": -1}}})["rowCount"] == 0
    assert call(login("bureau"), app, key, {"lists-expiring-grid.getRowsRequest": {"startRow": 0, "endRow": 10},
                                            "lists-as-of.date": day}).status_code in (200, 204)


OVERVIEW = ("overview_kpis", "overview_by_type", "overview_trend", "overview_flows", "overview_by_issuer",
            "overview_by_town", "overview_by_industry")


def test_lists032_overview_split_into_light_callbacks_that_keep_the_viewers_scope(lists_app, login):
    app, store, _ids = lists_app
    login("leader")  # the first request fills the app's callback map
    specs, outputs = split_callbacks(app, OVERVIEW, [
        ("lists-as-of", "date"), ("lists-color", "value"), ("lists-list-type", "value"), ("lists-issuer", "value"),
        ("lists-town", "value"), ("lists-industry", "value")], ("lists", "view"))
    assert len(outputs) == 12 + 6

    def shown(client) -> dict:
        merged = {}
        for spec in specs:
            response = call(client, app, spec["output"], {"lists-as-of.date": AS_OF.isoformat()})
            assert response.status_code == 200, response.data[:300]
            merged.update(response.json["response"])
        return merged

    for username, scope in (("leader", "district"), (OTHER_BUREAU_USER[0], f"bureau:{OTHER_BUREAU_USER[1]}")):
        # A fresh application context (and `g`, where the signed-in user is kept) per viewer, whatever context the
        # module's read-only fixture keeps pushed.
        with app.server.app_context():
            in_force = queries.entries_in_force(store, scope, AS_OF, ALL)
            page = shown(login(username))
        black = int(in_force.loc[in_force["color"] == "black", "entries"].sum())
        assert page["lists-kpi-black-value"]["children"] == f"{black:,}"
        bars = page["lists-by-type"]["figure"]["data"]
        assert sum(int(label) for trace in bars for label in trace["text"]) == int(in_force["entries"].sum())
        issuers = {y for trace in page["lists-by-issuer"]["figure"]["data"] for y in trace["y"]}
        assert issuers == set(in_force["issuer"])
