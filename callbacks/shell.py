"""Callbacks of the frame around every page: the database status banner, deferred sections."""

from __future__ import annotations

from dash import MATCH, Input, Output, State, callback, clientside_callback

from callbacks.common import store
from data.health import store_available
from security.access import guarded


@callback(Output("db-status", "is_open"), Input("db-status-poll", "n_intervals"))
@guarded("shell")
def database_status(_n: int | None) -> bool:
    """Open the banner while the database cannot be reached; it closes by itself when the database is back."""
    return not store_available(store())


# A deferred section (ui.components.deferred) draws the layout its page left in a store once the browser reports it
# in view. Client-side: it only moves layout the page already sent; the callbacks of what it draws check the user.
clientside_callback(
    "function (seen, layout) { return seen ? layout : window.dash_clientside.no_update; }",
    Output({"type": "deferred", "section": MATCH}, "children"),
    Input({"type": "deferred-seen", "section": MATCH}, "data"),
    State({"type": "deferred-layout", "section": MATCH}, "data"),
)
