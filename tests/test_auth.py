"""Sign-in, sign-out and the server-side guard of every Dash route and callback."""

import json

import pytest

from data.users import MAX_FAILED_LOGINS, UserError, create_user
from tests.conftest import ROLE_USERS, TEST_PASSWORD, add_role_users
from tests.dash_calls import call, callbacks_of, components, page_layout

DASH_ROUTES = ["/", "/_dash-layout", "/_dash-dependencies"]


@pytest.fixture
def app_with_users(empty_store, use_store):
    add_role_users(empty_store)
    return use_store(empty_store)


@pytest.mark.parametrize("path", DASH_ROUTES)
def test_auth001_anonymous_dash_routes_get_401_json(app_with_users, path):
    response = app_with_users.server.test_client().get(path)
    assert response.status_code == 401
    assert response.is_json and response.json["error"] == "unauthorised"


def test_auth002_anonymous_callback_gets_401(app_with_users):
    client = app_with_users.server.test_client()
    for spec in callbacks_of(app_with_users):
        response = call(client, app_with_users, spec["output"])
        assert response.status_code == 401, spec["output"]


def test_auth003_browser_is_pointed_to_sign_in(app_with_users):
    response = app_with_users.server.test_client().get("/", headers={"Accept": "text/html"})
    assert response.status_code == 401
    assert b"/login" in response.data


def test_auth004_sign_in_and_out(app_with_users, login):
    client = login("leader")
    assert client.get("/_dash-layout").status_code == 200
    response = client.get("/logout")
    assert response.status_code == 302
    assert client.get("/_dash-layout").status_code == 401


def test_auth005_wrong_password_refused(app_with_users):
    client = app_with_users.server.test_client()
    response = client.post("/login", data={"username": "t_leader", "password": "wrong-password-1"})
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get("/_dash-layout").status_code == 401


def test_auth006_lockout_after_repeated_failures(app_with_users):
    client = app_with_users.server.test_client()
    for _ in range(MAX_FAILED_LOGINS):
        client.post("/login", data={"username": "t_itc", "password": "wrong-password-1"})
    response = client.post("/login", data={"username": "t_itc", "password": TEST_PASSWORD})
    assert response.status_code == 401
    assert "锁定" in response.get_data(as_text=True)


def test_auth007_session_cookie_flags(app_with_users):
    client = app_with_users.server.test_client()
    response = client.post("/login", data={"username": "t_leader", "password": TEST_PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_auth008_open_redirect_refused(app_with_users):
    client = app_with_users.server.test_client()
    response = client.post("/login", data={"username": "t_leader", "password": TEST_PASSWORD,
                                           "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_auth009_password_policy_and_roles(empty_store):
    with empty_store.session() as db:
        with pytest.raises(UserError):
            create_user(db, "weak", "short1", "leader")
        with pytest.raises(UserError):
            create_user(db, "nobureau", "Long-enough-password-1", "bureau")
        with pytest.raises(UserError):
            create_user(db, "badrole", "Long-enough-password-1", "superuser")
        user = create_user(db, "okuser", "Long-enough-password-1", "bureau", "SW")
        assert user.password_hash.startswith("scrypt:")


def test_auth010_every_callback_is_guarded(app_with_users, login):
    unguarded = [spec["name"] for spec in callbacks_of(app_with_users) if spec["access"] is None]
    assert unguarded == []
    # The only client-side callback draws deferred sections from layout the page already sent (no data, no
    # server): any other would escape the server's checks and must be reviewed before it is added here.
    dependencies = login("admin").get("/_dash-dependencies").json
    client_side = [spec["output"] for spec in dependencies if spec.get("clientside_function")
                   and not spec["output"].startswith("_pages_")]  # Dash pages' own (the document title)
    assert client_side == ['{"section":["MATCH"],"type":"deferred"}.children']
    assert len(dependencies) > 100


@pytest.mark.parametrize("role", sorted(ROLE_USERS))
def test_auth011_callbacks_follow_the_access_table(app_with_users, login, role):
    from security.access import allowed

    client = login(role)
    for spec in callbacks_of(app_with_users):
        page, action = spec["access"]
        response = call(client, app_with_users, spec["output"])
        if allowed(role, page, action):
            assert response.status_code in (200, 204), (spec["output"], response.data[:300])
        else:
            assert response.status_code == 403, spec["output"]


def _component_ids(layout) -> list:
    """Every component id in a serialised layout (pattern ids as JSON)."""
    return [json.dumps(c["props"]["id"], sort_keys=True) if isinstance(c["props"]["id"], dict) else c["props"]["id"]
            for c in components(layout) if "id" in c["props"]]


@pytest.mark.parametrize("role", ["admin", "bureau"])
def test_auth012_every_page_layout_has_unique_ids(app_with_users, login, role):
    """Two components with one id make Dash send a callback's output to either (the campaign page once had a chart
    and the unit-type filter both called campaign-unit-type)."""
    import dash

    client = login(role)
    checked = 0
    for page in dash.page_registry.values():
        ids = _component_ids(page_layout(client, app_with_users, page["path"]))
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        assert duplicated == [], (page["path"], duplicated)
        checked += len(ids) > 10
    assert checked >= 8
