"""The app shell: navigation built from the page registry and filtered by the signed-in role, the page container."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_login import current_user

from data.reference import ROLES
from security.access import allowed
from ui import text as T


def page_access_by_path() -> dict[str, str]:
    """Page path -> page key in the authorisation table (pages declare `access=` when they register)."""
    return {page["path"]: page["access"] for page in dash.page_registry.values()}


def _navigation(role: str | None) -> list:
    items = []
    for page in sorted(dash.page_registry.values(), key=lambda p: p.get("order", 99)):
        if page.get("nav", True) and allowed(role, page["access"]):
            items.append(dbc.NavItem(dbc.NavLink(page["name"], href=page["path"], active="exact")))
    return items


def layout() -> html.Div:
    """Called per request: only what the signed-in user may open appears in the navigation."""
    signed_in = current_user and current_user.is_authenticated
    role = current_user.role if signed_in else None
    user_label = f"{current_user.display_name}（{ROLES.get(role, role)}）" if signed_in else ""
    navbar = dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand([html.Span(T.APP_TITLE, className="brand-title"),
                                 html.Small(T.APP_SUBTITLE, className="brand-subtitle d-none d-xxl-inline")],
                                href="/"),
                dbc.Nav(_navigation(role), navbar=True, className="me-auto", id="main-nav"),
                html.Span(user_label, className="navbar-text text-light me-3", id="current-user"),
                html.A(T.LOGOUT, href="/logout", className="btn btn-outline-light btn-sm", id="logout-link"),
            ],
            fluid=True,
        ),
        color="primary",
        dark=True,
        className="mb-3",
    )
    return html.Div(
        [
            dcc.Location(id="url", refresh="callback-nav"),
            navbar,
            dcc.Interval(id="db-status-poll", interval=15_000),
            dbc.Container(dbc.Alert(T.DB_UNAVAILABLE, id="db-status", color="danger", is_open=False), fluid=True),
            dbc.Container(dash.page_container, fluid=True, className="pb-5"),
        ]
    )
