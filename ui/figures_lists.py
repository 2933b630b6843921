"""Figure builders of the 红黑名单 page: red list in RED, black list in BLACK, warnings in WARNING, everywhere."""

from __future__ import annotations

import pandas as pd

from data.reference import LIST_COLOR_NAMES
from ui.figures import LIST_COLORS, Figure, axis_title, empty_figure, figure, layout, stacked_bar_parts

# Colours by the Chinese series name (红名单 / 黑名单 / 警示名单) for builders that key colours by label.
COLORS_BY_NAME = {LIST_COLOR_NAMES[color]: hex_color for color, hex_color in LIST_COLORS.items()}
EXIT_OPACITY = 0.45


def bars_by_list_type(frame: pd.DataFrame, label: str, value: str, color: str, title: str, unit: str) -> Figure:
    """One horizontal bar per list type, largest on top, each in its list's colour (column `color`: red/black/...)."""
    if frame.empty or frame[value].sum() == 0:
        return empty_figure(title)
    data = frame.sort_values(value, ascending=True)
    bar = {
        "type": "bar", "x": data[value], "y": data[label], "orientation": "h",
        "marker": {"color": [LIST_COLORS.get(c, "#7f8c8d") for c in data[color]]},
        "text": data[value].map("{:,}".format), "textposition": "auto",
        "hovertemplate": f"%{{y}}：%{{x:,}} {unit}<extra></extra>",
    }
    return figure(data=[bar], layout=layout(title, height=max(300, 30 * len(data) + 100), legend=False,
                                            xaxis={"title": {"text": axis_title(unit)}}))


def lines_by_color(frame: pd.DataFrame, x: str, value: str, title: str, unit: str) -> Figure:
    """One line per list colour (column `color`), in that colour; colours without any entry are left out."""
    if frame.empty or frame[value].sum() == 0:
        return empty_figure(title)
    traces = []
    for color, part in frame.groupby("color", sort=False):
        if part[value].sum() == 0:
            continue
        name = LIST_COLOR_NAMES.get(color, color)
        traces.append({"type": "scatter", "x": part[x], "y": part[value], "name": name, "mode": "lines+markers",
                       "line": {"color": LIST_COLORS.get(color), "width": 2.5}, "marker": {"size": 5},
                       "hovertemplate": f"{name} %{{x}}：%{{y:,}} {unit}<extra></extra>"})
    return figure(data=traces, layout=layout(title, yaxis={"title": {"text": axis_title(unit)}, "rangemode": "tozero"},
                                             xaxis={"type": "category"}))


def diverging_flows(frame: pd.DataFrame, x: str, up: str, down: list[str], title: str, unit: str, *,
                    up_name: str, down_name: str) -> Figure:
    """Per colour: `up` as bars above zero (solid) and the sum of `down` below zero (lighter), stacked by colour."""
    if frame.empty or frame[[up, *down]].to_numpy().sum() == 0:
        return empty_figure(title)
    traces = []
    for color, part in frame.groupby("color", sort=False):
        name = LIST_COLOR_NAMES.get(color, color)
        exits = part[down].sum(axis=1)
        if part[up].sum() == 0 and exits.sum() == 0:
            continue
        traces.append({"type": "bar", "x": part[x], "y": part[up], "name": f"{name}{up_name}",
                       "marker": {"color": LIST_COLORS.get(color)}, "legendgroup": color,
                       "hovertemplate": f"{name}{up_name} %{{x}}：%{{y:,}} {unit}<extra></extra>"})
        traces.append({"type": "bar", "x": part[x], "y": -exits, "name": f"{name}{down_name}",
                       "marker": {"color": LIST_COLORS.get(color)}, "opacity": EXIT_OPACITY, "legendgroup": color,
                       "customdata": exits,
                       "hovertemplate": f"{name}{down_name} %{{x}}：%{{customdata:,}} {unit}<extra></extra>"})
    return figure(data=traces, layout=layout(
        title, height=380, barmode="relative",
        # List entries, not credit records (what axis_title calls a bare 条).
        yaxis={"title": {"text": f"条目数（{unit}）"}, "zeroline": True, "zerolinecolor": "#888888"},
        xaxis={"type": "category"}))


def stacked_by_color(frame: pd.DataFrame, label: str, value: str, title: str, unit: str, *,
                     height: int = 400) -> Figure:
    """Horizontal bars per `label` (largest on top), stacked red, black, warning, with the legend in that order."""
    order = {color: i for i, color in enumerate(LIST_COLOR_NAMES)}
    data = frame.sort_values("color", key=lambda c: c.map(order), kind="stable").copy()
    data["color_name"] = data["color"].map(LIST_COLOR_NAMES)
    traces, figure_layout = stacked_bar_parts(data, label, "color_name", value, title, unit, colors=COLORS_BY_NAME,
                                              horizontal=True, height=height)
    figure_layout["legend"]["traceorder"] = "normal"
    return figure(data=traces, layout=figure_layout)
