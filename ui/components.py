"""Small layout building blocks shared by pages: KPI cards, chart cards, filter bars."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_login import current_user

GRAPH_CONFIG = {"locale": "zh-CN", "displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}
# What a graph shows until its figure arrives: nothing. dcc.Graph's default, an empty figure, has plotly.js draw
# empty axes with grid lines and ticks (about twice the cost of this, on every chart of a page) only to replace them.
BLANK_FIGURE = {"data": [], "layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False}}}


def deferred(name: str, children: list, min_height: int) -> html.Div:
    """`children` drawn only once the section comes into view (300 px ahead once the reader has scrolled) or its tab
    is opened (assets/30-deferred.js, callbacks/shell.py): until then the page holds their layout in a store, and
    their callbacks, charts and grids cost nothing. `min_height` (px) is the room kept for them, so that the page
    does not jump as they arrive."""
    return html.Div([
        html.Div(id={"type": "deferred", "section": name}, className="deferred-section",
                 style={"minHeight": f"{min_height}px"}, **{"data-section": name}),
        dcc.Store(id={"type": "deferred-layout", "section": name}, data=children),
        dcc.Store(id={"type": "deferred-seen", "section": name}, data=False),
    ])


def kpi_card(card_id: str, label: str, href: str | None = None) -> dbc.Card:
    """A KPI card whose value and note are filled by a callback (ids `<card_id>-value`, `<card_id>-note`)."""
    body = dbc.CardBody(
        [
            html.Div(label, className="kpi-label"),
            html.Div("—", id=f"{card_id}-value", className="kpi-value"),
            html.Div("", id=f"{card_id}-note", className="kpi-note"),
        ]
    )
    content = html.A(body, href=href) if href else body
    return dbc.Card(content, className="kpi-card shadow-sm h-100", id=card_id)


def reserve(child, height: int, *, exact: bool = False) -> html.Div:
    """`child` in a box that holds `height` px from the page's first render: dcc.Graph and AgGrid are loaded
    lazily and take no room until their code has arrived, so without it the page grows as they appear, and
    deferred sections below would come into view (and be drawn) only to be pushed off screen."""
    return html.Div(child, style={"height" if exact else "minHeight": f"{height}px"})


def chart_card(graph_id: str, height: int = 380) -> dbc.Card:
    """A card holding one graph; `height` is the minimum space reserved before the figure (which sets its own
    height from its content, e.g. one bar per town) arrives."""
    return dbc.Card(
        dbc.CardBody(reserve(dcc.Loading(dcc.Graph(id=graph_id, figure=BLANK_FIGURE, config=GRAPH_CONFIG,
                                                   style={"minHeight": f"{height}px"})), height)),
        className="chart-card shadow-sm",
    )


def table_card(title: str, grid, export_button_id: str | None = None, download_id: str | None = None) -> dbc.Card:
    header = [html.Span(title, className="fw-semibold")]
    if export_button_id:
        header.append(dbc.Button("导出 Excel", id=export_button_id, size="sm", color="secondary", outline=True,
                                 className="float-end"))
    height = (getattr(grid, "style", None) or {}).get("height", "")
    body = reserve(grid, int(height[:-2])) if height.endswith("px") else grid
    children = [dbc.CardHeader(header), dbc.CardBody(body)]
    if download_id:
        children.append(dcc.Download(id=download_id))
    return dbc.Card(children, className="chart-card shadow-sm")


def page_header(title: str, subtitle: str | None = None) -> html.Div:
    return html.Div([html.H1(title, className="page-title"),
                     html.P(subtitle, className="text-muted") if subtitle else None])


def viewer_role() -> str | None:
    """The signed-in role for role-dependent layouts (which controls to show); None outside a request, e.g. while
    Dash validates the page registry. Data access is still checked in every callback."""
    try:
        return current_user.role if current_user and current_user.is_authenticated else None
    except RuntimeError:
        return None


# The height of a lazily loaded control once drawn (a dcc.Dropdown's box; a DatePickerSingle's input).
_HELD_HEIGHTS = {"Dropdown": 36, "DatePickerSingle": 48, "DatePickerRange": 48}


def hold(control):
    """A lazily loaded control (dcc.Dropdown, a date picker) in a box of its drawn size: until its code arrives it
    takes no room at all, so the filter bar, and everything below it, would grow as it appears."""
    height = _HELD_HEIGHTS.get(type(control).__name__)
    if height is None:
        return control
    style = getattr(control, "style", None) or {}
    box = {"minHeight": f"{height}px"}
    if width := style.get("width") or style.get("minWidth"):
        box["minWidth"] = width
    return html.Div(control, style=box)


def labelled(label: str, control, width: str | int = "auto") -> dbc.Col:
    """A filter-bar column: a small label above its control."""
    return dbc.Col([html.Label(label, htmlFor=control.id, className="form-label small text-muted mb-1"),
                    hold(control)], width=width)


def kpi_outputs(*card_ids: str) -> list:
    """The value and note Outputs of each kpi_card, in order: a callback fills two strings per card."""
    from dash import Output

    return [Output(f"{card_id}-{part}", "children") for card_id in card_ids for part in ("value", "note")]
