"""Figure builders shared by pages: plain go.Figure from plain frames (fast, testable without a browser)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui import text as T

# One palette for the whole app: red list red, black list dark grey, warnings amber, neutral blue.
RED = "#c0392b"
BLACK = "#2f3640"
WARNING = "#e67e22"
PRIMARY = "#1f5fa8"
GOOD = "#2e8b57"
MUTED = "#95a5a6"
SEQUENCE = ["#1f5fa8", "#4a90d9", "#2e8b57", "#e6a23c", "#8e44ad", "#16a085", "#d35400", "#7f8c8d"]
LIST_COLORS = {"red": RED, "black": BLACK, "warning": WARNING}
FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Source Han Sans SC", sans-serif'


def base_layout(fig: go.Figure, title: str, *, height: int = 360, legend: bool = True) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 15}},
        font={"family": FONT, "size": 12},
        height=height,
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
        plot_bgcolor="white",
        paper_bgcolor="white",
        showlegend=legend,
        legend={"orientation": "h", "y": -0.18},
        separators=".,",
    )
    fig.update_xaxes(gridcolor="#eeeeee", zeroline=False)
    fig.update_yaxes(gridcolor="#eeeeee", zeroline=False)
    return fig


def empty_figure(title: str, message: str = T.NO_DATA) -> go.Figure:
    fig = base_layout(go.Figure(), title, legend=False)
    fig.add_annotation(text=message, showarrow=False, font={"size": 14, "color": MUTED}, x=0.5, y=0.5,
                       xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def ranked_bar(frame: pd.DataFrame, label: str, value: str, title: str, unit: str, *, color: str = PRIMARY,
               horizontal: bool = True, height: int | None = None) -> go.Figure:
    """Bars sorted by value, largest on top; hover and axis say the unit."""
    if frame.empty:
        return empty_figure(title)
    data = frame.sort_values(value, ascending=horizontal)
    bar = go.Bar(
        x=data[value] if horizontal else data[label],
        y=data[label] if horizontal else data[value],
        orientation="h" if horizontal else "v",
        marker_color=color,
        hovertemplate=f"%{{{'y' if horizontal else 'x'}}}：%{{{'x' if horizontal else 'y'}:,}} {unit}<extra></extra>",
    )
    fig = base_layout(go.Figure(bar), title, height=height or max(300, 22 * len(data) + 90), legend=False)
    value_axis = {"title": {"text": unit}}
    if horizontal:
        fig.update_xaxes(**value_axis)
    else:
        fig.update_yaxes(**value_axis)
    return fig


def stacked_bar(frame: pd.DataFrame, x: str, stack: str, value: str, title: str, unit: str, *,
                colors: dict[str, str] | None = None, order: list[str] | None = None,
                horizontal: bool = False, height: int = 380) -> go.Figure:
    """One trace per value of `stack`, stacked; `order` fixes the category order of x."""
    if frame.empty:
        return empty_figure(title)
    fig = go.Figure()
    categories = order or list(frame.groupby(x)[value].sum().sort_values(ascending=horizontal).index)
    for i, (name, part) in enumerate(frame.groupby(stack, sort=False)):
        series = part.groupby(x)[value].sum().reindex(categories, fill_value=0)
        color = (colors or {}).get(name, SEQUENCE[i % len(SEQUENCE)])
        kwargs = {"x": series.values, "y": categories, "orientation": "h"} if horizontal else {
            "x": categories, "y": series.values}
        fig.add_trace(go.Bar(name=str(name), marker_color=color, **kwargs,
                             hovertemplate=f"{name}：%{{{'x' if horizontal else 'y'}:,}} {unit}<extra></extra>"))
    fig.update_layout(barmode="stack")
    base_layout(fig, title, height=height)
    if horizontal:
        fig.update_xaxes(title={"text": unit})
    else:
        fig.update_yaxes(title={"text": unit})
    return fig


def donut(frame: pd.DataFrame, label: str, value: str, title: str, unit: str, *,
          colors: dict[str, str] | None = None) -> go.Figure:
    if frame.empty:
        return empty_figure(title)
    marker = {"colors": [(colors or {}).get(v, SEQUENCE[i % len(SEQUENCE)]) for i, v in enumerate(frame[label])]}
    fig = go.Figure(go.Pie(labels=frame[label], values=frame[value], hole=0.55, marker=marker, sort=False,
                           hovertemplate=f"%{{label}}：%{{value:,}} {unit}（%{{percent}}）<extra></extra>"))
    return base_layout(fig, title)
