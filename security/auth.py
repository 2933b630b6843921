"""Sign-in with flask-login, sign-out, idle timeout, and the request guard in front of every Dash route."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

from flask import Flask, Response, current_app, jsonify, redirect, render_template_string, request, session
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from data import audit
from data.models import User
from data.users import authenticate
from security.access import allowed
from ui import text as T


class SignedInUser(UserMixin):
    def __init__(self, id: int, username: str, role: str, bureau_code: str | None, display_name: str | None) -> None:
        self.id = id
        self.username = username
        self.role = role
        self.bureau_code = bureau_code
        self.display_name = display_name or username

    @classmethod
    def from_user(cls, user: User) -> SignedInUser:
        return cls(user.id, user.username, user.role, user.bureau_code, user.display_name)

    def identity(self) -> dict:
        return {"id": self.id, "username": self.username, "role": self.role, "bureau_code": self.bureau_code,
                "display_name": self.display_name}


# Paths anyone may fetch: the sign-in form and static assets (CSS, fonts, the locale script).
_PUBLIC_PREFIXES = ("/login", "/logout", "/assets/", "/favicon.ico", "/healthz")

_LOGIN_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} - 登录</title>
<link rel="stylesheet" href="/assets/00-bootstrap.min.css"><link rel="stylesheet" href="/assets/20-app.css">
</head><body class="login-body">
<main class="login-card card shadow-sm">
  <div class="card-body p-4">
    <h1 class="h4 mb-1">{{ title }}</h1>
    <p class="text-muted mb-4">{{ subtitle }}</p>
    {% if message %}<div class="alert alert-danger" role="alert">{{ message }}</div>{% endif %}
    <form method="post" action="/login" autocomplete="off">
      <input type="hidden" name="next" value="{{ next }}">
      <div class="mb-3"><label class="form-label" for="username">用户名</label>
        <input class="form-control" id="username" name="username" value="{{ username }}" required autofocus></div>
      <div class="mb-3"><label class="form-label" for="password">密码</label>
        <input class="form-control" id="password" name="password" type="password" required></div>
      <button class="btn btn-primary w-100" type="submit">登录</button>
    </form>
  </div>
</main></body></html>"""

_REFUSED_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
{% if login %}<meta http-equiv="refresh" content="0; url=/login?next={{ next }}">{% endif %}
<title>{{ message }}</title><link rel="stylesheet" href="/assets/00-bootstrap.min.css"></head>
<body class="p-5"><h1 class="h4">{{ message }}</h1>
<p><a href="{{ '/login?next=' ~ next if login else '/' }}">{{ '前往登录' if login else '返回首页' }}</a></p>
</body></html>"""


def _wants_html() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and request.accept_mimetypes[best] > request.accept_mimetypes["application/json"]


def refusal(status: int) -> Response:
    """401/403 as JSON for scripts and Dash; a short HTML page pointing to the sign-in form for browsers."""
    message = T.UNAUTHORISED if status == 401 else T.FORBIDDEN
    if _wants_html() and not request.path.startswith("/_dash"):
        body = render_template_string(_REFUSED_PAGE, message=message, login=status == 401, next=request.path)
        return Response(body, status=status, mimetype="text/html")
    response = jsonify({"error": "unauthorised" if status == 401 else "forbidden", "message": message})
    response.status_code = status
    return response


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths, so the sign-in form cannot be used as an open redirect."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def audit_event(action: str, *, target: str | None = None, detail: dict | str | None = None,
                username: str | None = None) -> None:
    """Write one audit entry for the current request's user in its own transaction."""
    store = current_app.extensions["credit_store"]
    user = current_user if current_user and current_user.is_authenticated else None
    with store.session() as db:
        audit.record(
            db, action,
            user_id=user.id if user else None,
            username=user.username if user else username,
            role=user.role if user else None,
            target=target, detail=detail, ip=request.remote_addr,
        )


def init_auth(server: Flask, page_access: dict[str, str]) -> None:
    """Install flask-login, /login and /logout, and the guard for every other route.

    `page_access` maps each Dash page path to its page key in security.access.ACCESS.
    """
    login_manager = LoginManager()
    login_manager.init_app(server)

    @login_manager.user_loader
    def load_user(user_id: str) -> SignedInUser | None:
        store = current_app.extensions["credit_store"]
        try:
            with store.read() as db:
                user = db.get(User, int(user_id))
                return SignedInUser.from_user(user) if user is not None and user.active else None
        except DBAPIError:
            # The database is away: keep the signed session's identity (signed by SECRET_KEY, set at sign-in) so
            # that pages can say so and recover; a deactivation takes effect as soon as the database is back.
            identity = session.get("identity")
            if identity and str(identity.get("id")) == user_id:
                return SignedInUser(**identity)
            return None

    @login_manager.unauthorized_handler
    def unauthorised() -> Response:
        return refusal(401)

    @server.route("/login", methods=["GET", "POST"])
    def login() -> Response | str:
        next_path = _safe_next(request.values.get("next"))
        if request.method == "GET":
            return render_template_string(_LOGIN_PAGE, title=T.APP_TITLE, subtitle=T.APP_SUBTITLE, message=None,
                                          next=next_path, username="")
        username = (request.form.get("username") or "").strip()[:64]
        password = request.form.get("password") or ""
        store = current_app.extensions["credit_store"]
        with store.session() as db:
            result = authenticate(db, username, password)
            if result.user is None:
                audit.record(db, "login_failed", username=username, ip=request.remote_addr,
                             detail={"reason": result.reason})
            else:
                signed_in = SignedInUser.from_user(result.user)
                audit.record(db, "login", user_id=signed_in.id, username=signed_in.username, role=signed_in.role,
                             ip=request.remote_addr)
        if result.user is None:
            body = render_template_string(_LOGIN_PAGE, title=T.APP_TITLE, subtitle=T.APP_SUBTITLE,
                                          message=result.reason, next=next_path, username=username)
            return Response(body, status=401, mimetype="text/html")
        session.clear()
        login_user(signed_in)
        session["identity"] = signed_in.identity()
        session.permanent = True
        session["last_seen"] = dt.datetime.now(dt.UTC).timestamp()
        return redirect(next_path)

    @server.route("/logout", methods=["GET", "POST"])
    def logout() -> Response:
        if current_user.is_authenticated:
            audit_event("logout")
        logout_user()
        session.clear()
        return redirect("/login")

    @server.route("/healthz")
    def healthz() -> Response:
        return jsonify({"status": "ok"})

    @server.before_request
    def guard() -> Response | None:
        path = request.path
        if path.startswith(_PUBLIC_PREFIXES):
            return None
        if not current_user.is_authenticated:
            return refusal(401)
        # Idle timeout: a session unused for longer than the configured minutes is signed out.
        now = dt.datetime.now(dt.UTC).timestamp()
        idle_limit = current_app.config["IDLE_TIMEOUT_MINUTES"] * 60
        if now - session.get("last_seen", 0) > idle_limit:
            logout_user()
            session.clear()
            return refusal(401)
        session["last_seen"] = now
        page = page_access.get(path.rstrip("/") or "/")
        if page is not None and not allowed(current_user.role, page):
            return refusal(403)
        return None

    @server.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        if error.code in (401, 403):
            return refusal(error.code)
        return error.get_response()
