"""积分落户: the deduction for a natural person under the plan's rule and the alternative, on hand-made cases."""

import datetime as dt
import json

import pytest
from sqlalchemy import select

from data import audit
from data.cache import cache
from data.models import AuditEntry, ChangeHistory, CreditRecord, Setting
from data.points import POINTS_RULES, SETTING_KEY, PointsError, current_rule, points_deduction, set_rule
from tests.conftest import DIALECTS, add_role_users
from tests.dash_calls import call
from tests.lists_district import AS_OF, build

D = dt.date


@pytest.fixture(scope="module", params=DIALECTS)
def read_store(request, store_factory):
    store = store_factory.new(request.param)
    return store, build(store)


def counted(result) -> set[tuple[str, int]]:
    """(record or entry, id) of every row that costs points."""
    return {("entry", int(r.entry_id)) if r.record_id is None or r.record_id != r.record_id else
            ("record", int(r.record_id)) for r in result.records.itertuples()}


def test_points001_plan_rule_counts_own_and_represented_businesses_records(read_store):
    store, ids = read_store
    result = points_deduction(store, ids["p1"], AS_OF, POINTS_RULES["plan"])
    # Own traffic violation (public); the enterprise's serious penalty; the individual business's abnormal-operations
    # record; the enterprise's abnormal-operations listing that has no record behind it. The detentions have left
    # publicity, the 2023 penalty expired, the licence is not adverse.
    assert counted(result) == {("record", ids["jtwf_p1"]), ("record", ids["cf_e1"]), ("record", ids["jyyc_i1"]),
                               ("entry", ids["entry:jyyc_e1"])}
    assert result.deduction == 48
    relations = dict(zip(result.records["item"], result.records["relation"], strict=True))
    assert relations["交通违法记录"] == "own" and relations["行政处罚"] == "business"
    assert relations["经营异常名录"] == "business_list"


def test_points002_a_listing_backed_by_a_counted_record_is_not_counted_twice(read_store):
    store, ids = read_store
    result = points_deduction(store, ids["p1"], AS_OF, POINTS_RULES["plan"])
    assert ("entry", ids["entry:jyyc_i1"]) not in counted(result)
    assert ("record", ids["jyyc_i1"]) in counted(result)


def test_points003_only_records_public_on_the_day_count_under_the_plan_rule(read_store):
    store, ids = read_store
    # p2's own minor penalty of 2026-04-10 is never published (new regime); the enterprise p2 represents has a
    # serious enforcement record and a work-safety penalty public until 2026-10-01 (special sector: one year).
    on_day = points_deduction(store, ids["p2"], D(2026, 10, 1), POINTS_RULES["plan"])
    assert counted(on_day) == {("record", ids["sfzx_e2"]), ("record", ids["cf_yj_e2"])}
    assert on_day.deduction == 24
    day_after = points_deduction(store, ids["p2"], D(2026, 10, 2), POINTS_RULES["plan"])
    assert counted(day_after) == {("record", ids["sfzx_e2"])}
    assert day_after.deduction == 12
    before_anything = points_deduction(store, ids["p2"], D(2025, 1, 1), POINTS_RULES["plan"])
    assert before_anything.deduction == 0 and before_anything.records.empty


def test_points004_detention_rule_counts_detentions_of_the_last_five_years_only(read_store):
    store, ids = read_store
    rule = POINTS_RULES["detention_5y"]
    result = points_deduction(store, ids["p1"], AS_OF, rule)
    # The 2022 detention counts although no longer public; the 2020 one is more than 5 years before 2026-06-30.
    assert counted(result) == {("record", ids["xzjl_p1"])}
    assert result.deduction == 12
    assert points_deduction(store, ids["p1"], D(2027, 3, 1), rule).deduction == 0
    assert points_deduction(store, ids["p1"], D(2025, 4, 30), rule).deduction == 24


def test_points005_only_natural_persons(read_store):
    store, ids = read_store
    with pytest.raises(PointsError, match="不是自然人"):
        points_deduction(store, ids["e1"], AS_OF)


def test_points006_removed_records_never_count(empty_store):
    ids = build(empty_store)
    with empty_store.session() as db:
        record = db.get(CreditRecord, ids["xzjl_p1"])
        record.status, record.publicity_end = "removed", D(2022, 3, 5)
    assert points_deduction(empty_store, ids["p1"], AS_OF, POINTS_RULES["detention_5y"]).deduction == 0


def test_points007_rule_is_a_district_setting_with_history_and_audit(empty_store):
    with empty_store.read() as db:
        assert current_rule(db).key == "plan"
    with empty_store.session() as db:
        set_rule(db, "detention_5y", username="t_admin", role="admin")
    with empty_store.read() as db:
        assert current_rule(db).key == "detention_5y"
        assert json.loads(db.get(Setting, SETTING_KEY).value) == {"rule": "detention_5y"}
        change = db.scalar(select(ChangeHistory).where(ChangeHistory.action == "points_rule_set"))
        assert (json.loads(change.before), json.loads(change.after)) == ({"rule": "plan"}, {"rule": "detention_5y"})
        assert db.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == "points_rule_set"
        assert audit.verify(db).ok
    with empty_store.session() as db, pytest.raises(PointsError, match="不存在"):
        set_rule(db, "no_such_rule", username="t_admin")


def test_points008_page_names_the_rule_applied(empty_store, use_store, login):
    add_role_users(empty_store)
    ids = build(empty_store)
    app = use_store(empty_store)
    output = "..lists-points-result.children...lists-points-grid.rowData.."
    values = {"lists-points-person.value": ids["p1"], "lists-points-as-of.date": AS_OF.isoformat()}
    assert call(login("leader"), app, output, values).status_code == 403
    response = call(login("itc"), app, output, values)
    assert response.status_code == 200
    body = json.dumps(response.json["response"], ensure_ascii=False)
    assert POINTS_RULES["plan"].name in body and "−48" in body
    rows = response.json["response"]["lists-points-grid"]["rowData"]
    own = [r for r in rows if r["relation"] == "本人"]
    assert [r["subject_name"] for r in own] == ["张*丰"]  # itc may look up, but sees the person masked
    with empty_store.session() as db:
        set_rule(db, "detention_5y", username="t_itc")
    with app.server.app_context():
        cache.clear()
    body = json.dumps(call(login("evaluator"), app, output, values).json["response"], ensure_ascii=False)
    assert POINTS_RULES["detention_5y"].name in body and "−12" in body and "张三丰" in body
    with empty_store.read() as db:
        lookups = db.scalars(select(AuditEntry.username).where(AuditEntry.action == "points_lookup")).all()
    assert lookups == ["t_itc", "t_evaluator"]
