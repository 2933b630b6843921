"""Figure builders of the 红黑名单 page: red list in RED, black list in BLACK, warnings in WARNING, everywhere."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from data.reference import LIST_COLOR_NAMES
from ui.figures import LIST_COLORS, base_layout, empty_figure, stacked_bar

# Colours by the Chinese series name (红名单 / 黑名单 / 警示名单) for builders that key colours by label.
COLORS_BY_NAME = {LIST_COLOR_NAMES[color]: hex_color for color, hex_color in LIST_COLORS.items()}
EXIT_OPACITY = 0.45


def bars_by_list_type(frame: pd.DataFrame, label: str, value: str, color: str, title: str, unit: str) -> go.Figure:
    """One horizontal bar per list type, largest on top, each in its list's colour (column `color`: red/black/...)."""
    if frame.empty or frame[value].sum() == 0:
        return empty_figure(title)
    data = frame.sort_values(value, ascending=True)
    fig = go.Figure(go.Bar(
        x=data[value], y=data[label], orientation="h",
        marker_color=[LIST_COLORS.get(c, "#7f8c8d") for c in data[color]],
        text=data[value].map("{:,}".format), textposition="auto",
        hovertemplate=f"%{{y}}：%{{x:,}} {unit}<extra></extra>",
    ))
    fig = base_layout(fig, title, height=max(300, 30 * len(data) + 100), legend=False)
    fig.update_xaxes(title={"text": unit})
    return fig


def lines_by_color(frame: pd.DataFrame, x: str, value: str, title: str, unit: str) -> go.Figure:
    """One line per list colour (column `color`), in that colour; colours without any entry are left out."""
    if frame.empty or frame[value].sum() == 0:
        return empty_figure(title)
    fig = go.Figure()
    for color, part in frame.groupby("color", sort=False):
        if part[value].sum() == 0:
            continue
        name = LIST_COLOR_NAMES.get(color, color)
        fig.add_trace(go.Scatter(x=part[x], y=part[value], name=name, mode="lines+markers",
                                 line={"color": LIST_COLORS.get(color), "width": 2.5}, marker={"size": 5},
                                 hovertemplate=f"{name} %{{x}}：%{{y:,}} {unit}<extra></extra>"))
    fig = base_layout(fig, title)
    fig.update_yaxes(title={"text": unit}, rangemode="tozero")
    fig.update_xaxes(type="category")
    return fig


def diverging_flows(frame: pd.DataFrame, x: str, up: str, down: list[str], title: str, unit: str, *,
                    up_name: str, down_name: str) -> go.Figure:
    """Per colour: `up` as bars above zero (solid) and the sum of `down` below zero (lighter), stacked by colour."""
    if frame.empty or frame[[up, *down]].to_numpy().sum() == 0:
        return empty_figure(title)
    fig = go.Figure()
    for color, part in frame.groupby("color", sort=False):
        name = LIST_COLOR_NAMES.get(color, color)
        exits = part[down].sum(axis=1)
        if part[up].sum() == 0 and exits.sum() == 0:
            continue
        fig.add_trace(go.Bar(x=part[x], y=part[up], name=f"{name}{up_name}", marker_color=LIST_COLORS.get(color),
                             legendgroup=color,
                             hovertemplate=f"{name}{up_name} %{{x}}：%{{y:,}} {unit}<extra></extra>"))
        fig.add_trace(go.Bar(x=part[x], y=-exits, name=f"{name}{down_name}", marker_color=LIST_COLORS.get(color),
                             opacity=EXIT_OPACITY, legendgroup=color, customdata=exits,
                             hovertemplate=f"{name}{down_name} %{{x}}：%{{customdata:,}} {unit}<extra></extra>"))
    fig.update_layout(barmode="relative")
    fig = base_layout(fig, title, height=380)
    fig.update_yaxes(title={"text": unit}, zeroline=True, zerolinecolor="#888888")
    fig.update_xaxes(type="category")
    return fig


def stacked_by_color(frame: pd.DataFrame, label: str, value: str, title: str, unit: str, *,
                     height: int = 400) -> go.Figure:
    """Horizontal bars per `label` (largest on top), stacked red, black, warning, with the legend in that order."""
    order = {color: i for i, color in enumerate(LIST_COLOR_NAMES)}
    data = frame.sort_values("color", key=lambda c: c.map(order), kind="stable").copy()
    data["color_name"] = data["color"].map(LIST_COLOR_NAMES)
    fig = stacked_bar(data, label, "color_name", value, title, unit, colors=COLORS_BY_NAME, horizontal=True,
                      height=height)
    fig.update_layout(legend={"traceorder": "normal"})
    return fig
