"""The hash-chained audit trail: entries chain, tampering and removal are detected, the CLI reports them."""

import json

from click.testing import CliRunner
from sqlalchemy import delete, select, update

from data import audit
from data.models import AuditEntry
from tests.conftest import add_role_users
from tests.dash_calls import call


def _write_entries(store, n=5):
    with store.session() as db:
        for i in range(n):
            audit.record(db, "subject_view", username="t_evaluator", role="evaluator", target=f"subject:{i}",
                         detail={"i": i})


def test_audit001_intact_chain_verifies(empty_store):
    _write_entries(empty_store)
    with empty_store.read() as db:
        result = audit.verify(db)
    assert result.ok and result.entries == 5


def test_audit002_altered_entry_is_named(empty_store):
    _write_entries(empty_store)
    with empty_store.session() as db:
        third = db.scalars(select(AuditEntry.id).order_by(AuditEntry.id).offset(2).limit(1)).one()
        db.execute(update(AuditEntry).where(AuditEntry.id == third).values(target="subject:999"))
    with empty_store.read() as db:
        result = audit.verify(db)
    assert not result.ok and result.first_bad_id == third


def test_audit003_removed_entry_is_detected(empty_store):
    _write_entries(empty_store)
    with empty_store.session() as db:
        second = db.scalars(select(AuditEntry.id).order_by(AuditEntry.id).offset(1).limit(1)).one()
        db.execute(delete(AuditEntry).where(AuditEntry.id == second))
    with empty_store.read() as db:
        result = audit.verify(db)
    assert not result.ok and result.first_bad_id == second + 1


def test_audit004_cli_exit_status(empty_store, use_store):
    app = use_store(empty_store)
    _write_entries(empty_store)
    runner = CliRunner()
    from cli import audit_verify

    with app.server.app_context():
        ok = runner.invoke(audit_verify, ["--json"])
    assert ok.exit_code == 0 and json.loads(ok.output)["ok"] is True
    with empty_store.session() as db:
        db.execute(update(AuditEntry).where(AuditEntry.id == 1).values(action="export"))
    with app.server.app_context():
        bad = runner.invoke(audit_verify, ["--json"])
    assert bad.exit_code != 0 and json.loads(bad.output)["first_bad_id"] == 1


def test_audit005_sign_in_failures_and_successes_are_logged(empty_store, use_store, login):
    app = use_store(empty_store)
    add_role_users(empty_store)
    app.server.test_client().post("/login", data={"username": "t_admin", "password": "wrong-password-9"})
    login("admin")
    with empty_store.read() as db:
        actions = db.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["login_failed", "login"]


def test_audit006_admin_page_filters_on_the_server(empty_store, use_store, login):
    app = use_store(empty_store)
    add_role_users(empty_store)
    _write_entries(empty_store, 30)
    client = login("admin")
    request = {"startRow": 0, "endRow": 10, "sortModel": [],
               "filterModel": {"target": {"filterType": "text", "type": "equals", "filter": "subject:7"}}}
    response = call(client, app, "audit-grid.getRowsResponse", {"audit-grid.getRowsRequest": request})
    payload = response.json["response"]["audit-grid"]["getRowsResponse"]
    assert payload["rowCount"] == 1 and payload["rowData"][0]["target"] == "subject:7"


def test_audit007_hostile_filter_text_is_only_data(empty_store, use_store, login):
    app = use_store(empty_store)
    add_role_users(empty_store)
    _write_entries(empty_store, 3)
    client = login("admin")
    for hostile in ["' OR 1=1 --", "%' ; DROP TABLE audit_log; --", "<script>alert(1)</script>", "x" * 10_000]:
        request = {"startRow": 0, "endRow": 10,
                   "filterModel": {"target": {"filterType": "text", "type": "contains", "filter": hostile},
                                   "id": {"filterType": "number", "type": "equals", "filter": "1; DROP"},
                                   "nonexistent_column": {"filterType": "text", "type": "equals", "filter": "a"}}}
        response = call(client, app, "audit-grid.getRowsResponse", {"audit-grid.getRowsRequest": request})
        assert response.status_code == 200
        assert response.json["response"]["audit-grid"]["getRowsResponse"]["rowCount"] == 0
    with empty_store.read() as db:
        assert audit.verify(db).ok
