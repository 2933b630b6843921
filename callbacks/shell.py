"""Callbacks of the frame around every page: the database status banner."""

from __future__ import annotations

from dash import Input, Output, callback

from callbacks.common import store
from data.health import store_available
from security.access import guarded


@callback(Output("db-status", "is_open"), Input("db-status-poll", "n_intervals"))
@guarded("shell")
def database_status(_n: int | None) -> bool:
    """Open the banner while the database cannot be reached; it closes by itself when the database is back."""
    return not store_available(store())
