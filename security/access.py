"""The authorisation table (role x page x action) and the guards that enforce it on the server.

Every Dash callback is wrapped by `guarded(page, action)`; every page path is checked by the request guard in
security.auth. Tests are generated from ACCESS, so a new page or action is covered by adding a row here.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from dash.exceptions import PreventUpdate
from flask import abort
from flask_login import current_user
from sqlalchemy.exc import DBAPIError

logger = logging.getLogger(__name__)

ALL_ROLES = frozenset({"leader", "itc", "evaluator", "bureau", "admin"})

# page key -> action -> roles allowed. "view" is the right to open the page and run its display callbacks.
_STAFF = frozenset({"itc", "admin"})
ACCESS: dict[str, dict[str, frozenset[str]]] = {
    "shell": {"view": ALL_ROLES},  # the frame around every page (database status banner)
    "home": {"view": ALL_ROLES, "export": ALL_ROLES},
    # 委办局报送考核: bureau users see only their own bureau (enforced by the viewer's scope in every query).
    "assessment": {
        "view": _STAFF | {"bureau", "leader"},
        "drilldown": _STAFF | {"bureau"},
        "upload": _STAFF | {"bureau"},
        "export": _STAFF | {"bureau", "leader"},
        # The district's weighting, pass threshold and objection deadline.
        "settings": frozenset({"admin"}),
    },
    # 红黑名单, publicity, objections, credit repair, 积分落户.
    "lists": {
        "view": ALL_ROLES,
        "export": ALL_ROLES,
        "objection": _STAFF | {"evaluator"},
        "outcome": _STAFF | {"bureau"},
        "repair": _STAFF | {"bureau"},
        "points": _STAFF | {"evaluator"},
        "records": _STAFF | {"evaluator", "bureau"},  # open a record behind an objection or repair, with history
        "trail": _STAFF,  # see expired and removed entries (the audit trail) besides the public ones
        "points_rule": _STAFF,  # switch the 积分落户 deduction rule
    },
    "overview": {"view": _STAFF | {"leader"}, "export": _STAFF | {"leader"}},
    "campaign": {"view": _STAFF | {"leader", "evaluator"}, "export": _STAFF | {"leader", "evaluator"},
                 "weights": _STAFF},  # changing the integrity index weights
    "model": {"view": _STAFF | {"evaluator", "leader"}, "train": frozenset({"evaluator", "admin"}),
              "export": _STAFF | {"evaluator"}},
    "profile": {"view": _STAFF | {"evaluator"}, "export": _STAFF | {"evaluator"}},
    "scored": {"view": _STAFF | {"evaluator"}, "export": _STAFF | {"evaluator"}},
    "audit": {"view": frozenset({"admin"}), "export": frozenset({"admin"})},
}

# Roles that may see identity numbers and natural persons' names unmasked (each unmasking is audited).
UNMASK_ROLES = frozenset({"evaluator", "admin"})

F = TypeVar("F", bound=Callable[..., Any])


def allowed(role: str | None, page: str, action: str = "view") -> bool:
    return role is not None and role in ACCESS.get(page, {}).get(action, frozenset())


def page_roles(page: str) -> frozenset[str]:
    return ACCESS[page]["view"]


@dataclass(frozen=True)
class Viewer:
    """The signed-in user as callbacks and queries see it: role and data scope."""

    user_id: int
    username: str
    role: str
    bureau_code: str | None

    @property
    def may_unmask(self) -> bool:
        return self.role in UNMASK_ROLES

    @property
    def scope(self) -> str:
        """Cache-key part describing which data this viewer may see."""
        return f"bureau:{self.bureau_code}" if self.role == "bureau" else "district"


def current_viewer() -> Viewer | None:
    if not current_user or not current_user.is_authenticated:
        return None
    return Viewer(current_user.id, current_user.username, current_user.role, current_user.bureau_code)


def require(page: str, action: str = "view") -> Viewer:
    """The signed-in viewer if the table allows `action` on `page`; otherwise abort with 401 or 403."""
    viewer = current_viewer()
    if viewer is None:
        abort(401)
    if not allowed(viewer.role, page, action):
        abort(403)
    return viewer


def guarded(page: str, action: str = "view") -> Callable[[F], F]:
    """Decorator for Dash callbacks: refuse on the server unless the signed-in role may do `action` on `page`."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            require(page, action)
            try:
                return func(*args, **kwargs)
            except DBAPIError as error:
                # The database went away: keep what the page shows; the shell's status banner explains, and
                # the connection pool's pre-ping reconnects once the database is back.
                logger.warning("callback %s: database unavailable: %s", func.__name__, error.__class__.__name__)
                raise PreventUpdate from error

        wrapper.access = (page, action)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
