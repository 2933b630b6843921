"""Figure builders shared by pages: plain figure dicts from plain frames (fast, testable without a browser).

Every builder makes its figure once, ``figure(data=traces, layout=layout_dict)``: traces are plain dicts and the
layout one complete dict from `layout`. Updating a built go.Figure (update_layout, update_xaxes, add_annotation,
add_vline, ...) runs plotly's property-path machinery per call and costs several milliseconds each; a callback
returning three figures paid 40-130 ms for it. Figures stay dicts (what dcc.Graph receives): a go.Figure is
copied, its arrays base64-encoded and walked again when Dash serialises it, 0.9 ms per figure against 0.03 ms for
the same dict (`python bench/figures.py`).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.io as pio
from plotly.colors import get_colorscale
from plotly.subplots import make_subplots

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
# Spelt out: plotly.js knows only a few scales by name (Blues, RdBu, Viridis, ...), not ColorBrewer's RdYlGn.
RED_YELLOW_GREEN = get_colorscale("RdYlGn")
FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Source Han Sans SC", sans-serif'


Figure = dict[str, Any]


@functools.cache
def _template() -> dict[str, Any]:
    # The template a go.Figure would carry (plotly's default), so figures look as they did when built as go.Figure.
    return pio.templates[pio.templates.default].to_plotly_json()


def figure(data: list | None = None, layout: Mapping[str, Any] | None = None) -> Figure:
    """The one constructor of the app's figures: the dict dcc.Graph receives, without plotly's per-property
    validation and serialisation machinery. tests/test_figures_speed.py passes every builder's output through a
    validating go.Figure, which raises on a misspelt property or a bad value.

    The margins are widened to fit the figure's own labels (`fit_margins`): plotly.js still grows a margin that is
    too small (the template's automargin), but only by drawing the whole figure a second time."""
    traces = list(data or [])
    full = {"template": _template(), **(layout or {})}
    if "margin" in full:
        full["margin"] = fit_margins(traces, full)
    return {"data": traces, "layout": full}


# Text widths as plotly.js measures them in the app's font stack at 12 px: a CJK character (and full-width
# punctuation) is one em, Latin letters, digits and ASCII punctuation about 0.6 em.
_FONT_SIZE = 12
# The narrowest plot area a chart card gives on a 1280-1500 px screen (a 5/12 column), for where labels rotate.
_PLOT_WIDTH = 460
_LEGEND_ROW = 24
# A legend wraps at the width of a narrow card's plot area.
_LEGEND_WIDTH = 400


def text_width(text: str, size: float = _FONT_SIZE) -> float:
    return sum(size if ord(char) >= 0x2E80 else 0.62 * size for char in str(text))


def _labels(values: Any) -> list[str] | None:
    """The category labels of an axis's data, or None for numbers and dates (tick labels plotly makes itself)."""
    if values is None:
        return None
    items = list(values)
    if not items or not all(isinstance(item, str) for item in items[:50]):
        return None
    return [str(item) for item in items]


def _number_labels_width(values: Any, axis: Mapping[str, Any]) -> float:
    """The widest tick label plotly.js writes for numbers: short forms (12k, 1.5M), at most ~5 characters."""
    percent = re.fullmatch(r"\.(\d)%", str(axis.get("tickformat") or ""))
    if percent or axis.get("tickformat") == "%":
        decimals = int(percent.group(1)) if percent else 0
        return text_width("100%" if not decimals else "88." + "8" * decimals + "%")
    try:
        largest = max((abs(float(v)) for v in values if v is not None), default=0.0)
    except (TypeError, ValueError):
        return text_width("2026-01")  # dates
    return text_width("-" + ("8.88" if largest < 10 else "888k" if largest >= 1000 else "888"))


def _axis_title_room(axis: Mapping[str, Any]) -> float:
    title = axis.get("title") or {}
    return _FONT_SIZE + 14 if (title.get("text") if isinstance(title, Mapping) else title) else 0


def _axes_data(traces: list[dict]) -> dict[str, list]:
    """Per axis name (xaxis, yaxis2, ...): the values its traces put on it."""
    values: dict[str, list] = {}
    for trace in traces:
        if trace.get("type") in ("pie", "treemap"):
            continue
        for letter in ("x", "y"):
            ref = str(trace.get(f"{letter}axis") or letter)
            axis = f"{letter}axis{ref[1:]}"
            if trace.get(letter) is not None:
                values.setdefault(axis, []).extend(list(trace[letter]))
    return values


def fit_margins(traces: list[dict], layout: Mapping[str, Any]) -> dict[str, float]:
    """Margins at least as wide as the labels drawn in them: left for the left axis's tick labels and title, bottom
    for the x tick labels (rotated when the categories are too many for their width), the axis title and a legend
    below the plot, right for a colour bar or the last category label of a line. Only ever widened."""
    margin = dict(layout.get("margin") or {})
    values = _axes_data(traces)
    left = bottom = right = 0.0
    for name, axis_values in values.items():
        axis = layout.get(name) or {}
        if axis.get("visible") is False:
            continue
        labels = [str(t) for t in axis["ticktext"]] if axis.get("ticktext") else _labels(axis_values)
        widest = max(map(text_width, labels), default=0.0) if labels else _number_labels_width(axis_values, axis)
        if name.startswith("y") and name in ("yaxis", "yaxis1"):
            left = max(left, widest + 14 + _axis_title_room(axis))
        elif name.startswith("x") and axis.get("side") != "top":
            categories = len(dict.fromkeys(labels)) if labels else 0
            low, high = axis.get("domain") or (0, 1)
            spacing = _PLOT_WIDTH * (high - low) / max(categories, 1)
            if labels and categories and widest + 6 > spacing:
                # Too many for their width: plotly turns them 30 degrees, or 90 when even that overlaps (on a
                # wider card the same labels may turn only 30 degrees and reach further right).
                labels_height = widest * 0.5 + _FONT_SIZE if spacing >= 2.2 * _FONT_SIZE else widest + 4
                right = max(right, widest * 0.9)
            else:
                labels_height = _FONT_SIZE + 7
                if not labels:
                    # The last number sits on the plot's right edge, half of it beyond.
                    right = max(right, widest / 2 + 14)
            bottom = max(bottom, labels_height + 8 + _axis_title_room(axis))
            if labels and any(t.get("type") == "scatter" for t in traces):
                right = max(right, text_width(labels[-1]) / 2 + 4)
    names = [str(t.get("name", "")) for t in traces if t.get("showlegend", True) is not False]
    pies = [str(label) for t in traces if t.get("type") == "pie" for label in t.get("labels", [])]
    if pies or (names and layout.get("showlegend") and (layout.get("legend") or {}).get("y", 1) < 0):
        names = pies or names
        rows = max(1, -(-sum(text_width(n) + 48 for n in dict.fromkeys(names)) // _LEGEND_WIDTH)) + (1 if pies else 0)
        height, top = float(layout.get("height") or 450), float(margin.get("t", 100))
        # The legend hangs `-y` plot heights under the plot: b >= -y * (height - t - b) + legend height.
        fraction = -float(layout["legend"]["y"])
        bottom = max(bottom, (fraction * (height - top) + rows * _LEGEND_ROW + 18) / (1 + fraction))
    if any((t.get("type") == "heatmap" and t.get("showscale", True)) or (t.get("marker") or {}).get("showscale")
           for t in traces):
        right = max(right, 140)
    for side, needed in (("l", left), ("b", bottom), ("r", right)):
        if needed:
            margin[side] = max(float(margin.get(side, 0)), float(round(needed)))
    return margin


def axis_title(unit: str) -> str:
    """A value axis names what it counts: a bare one-character unit (个, 条, 件, 分) reads as a glyph when rotated."""
    names = {"个": "数量（个）", "条": "记录数（条）", "件": "数量（件）", "分": "得分（分）", "%": "比例（%）",
             "万元": "金额（万元）", "人": "人数（人）", "场": "场次（场）", "项": "数量（项）"}
    return names.get(unit, unit)


# The defaults of every cartesian axis (what update_xaxes / update_yaxes applied to all axes of a figure).
AXIS = {"gridcolor": "#eeeeee", "zeroline": False}
_AXIS_KEY = re.compile(r"[xy]axis\d*")


def merge(base: dict, extra: Mapping) -> dict:
    """`extra` deep-merged into `base` (changed and returned): nested dicts key by key, anything else replaced.

    Like plotly's update semantics: ``merge(layout, {"xaxis": {"title": ...}})`` keeps the axis's other settings.
    Dicts taken over from `extra` are copied, so that later merges never change the caller's dicts.
    """
    for key, value in extra.items():
        if isinstance(value, Mapping):
            current = base.get(key)
            base[key] = merge(current if isinstance(current, dict) else {}, value)
        else:
            base[key] = value
    return base


def layout(title: str, *, height: int = 360, legend: bool = True, **extra: Any) -> dict:
    """The app's complete layout dict: title, font, margins, white background, horizontal legend, light grid.

    `extra` is deep-merged over the defaults (``margin={"t": 80}`` keeps the other margins); every axis named in
    `extra` (xaxis2, yaxis3, ...) gets the grid defaults of `xaxis` and `yaxis` underneath its own settings.
    """
    base = {
        "title": {"text": title, "x": 0.01, "font": {"size": 15}},
        "font": {"family": FONT, "size": 12},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "showlegend": legend,
        "legend": {"orientation": "h", "y": -0.18},
        "separators": ".,",
        "xaxis": dict(AXIS),
        "yaxis": dict(AXIS),
    }
    for key in extra:
        if key not in base and _AXIS_KEY.fullmatch(key):
            base[key] = dict(AXIS)
    return merge(base, extra)


def vline(x: float, text: str, *, color: str = BLACK) -> tuple[dict, dict]:
    """A dashed vertical line at `x` across the plot and its label above it: (shape, annotation) for the layout's
    shapes and annotations, as ``fig.add_vline(x, line_dash="dash", annotation_position="top")`` makes them."""
    shape = {"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain",
             "line": {"color": color, "dash": "dash"}}
    annotation = {"text": text, "showarrow": False, "x": x, "xanchor": "center", "xref": "x", "y": 1,
                  "yanchor": "bottom", "yref": "y domain"}
    return shape, annotation


def empty_layout(title: str, message: str = T.NO_DATA) -> dict:
    """The layout of `empty_figure`: the message in the middle, no axes."""
    return layout(title, legend=False,
                  annotations=[{"text": message, "showarrow": False, "font": {"size": 14, "color": MUTED},
                                "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper"}],
                  xaxis={"visible": False}, yaxis={"visible": False})


def empty_figure(title: str, message: str = T.NO_DATA) -> Figure:
    return figure(layout=empty_layout(title, message))


def ranked_bar(frame: pd.DataFrame, label: str, value: str, title: str, unit: str, *, color: str = PRIMARY,
               horizontal: bool = True, height: int | None = None,
               value_range: tuple[float, float] | None = None) -> Figure:
    """Bars sorted by value, largest on top; hover and axis say the unit; `value_range` fixes the value axis."""
    if frame.empty:
        return empty_figure(title)
    data = frame.sort_values(value, ascending=horizontal)
    label_ref, value_ref = ("y", "x") if horizontal else ("x", "y")
    bar = {
        "type": "bar",
        "x": data[value] if horizontal else data[label],
        "y": data[label] if horizontal else data[value],
        "orientation": "h" if horizontal else "v",
        "marker": {"color": color},
        "hovertemplate": f"%{{{label_ref}}}：%{{{value_ref}:,}} {unit}<extra></extra>",
    }
    value_axis: dict = {"title": {"text": axis_title(unit)}}
    if value_range is not None:
        value_axis["range"] = [float(value_range[0]), float(value_range[1])]
    return figure(data=[bar], layout=layout(title, height=height or max(300, 22 * len(data) + 90), legend=False,
                                            **{"xaxis" if horizontal else "yaxis": value_axis}))


def stacked_bar_parts(frame: pd.DataFrame, x: str, stack: str, value: str, title: str, unit: str, *,
                      colors: dict[str, str] | None = None, order: list[str] | None = None,
                      horizontal: bool = False, height: int = 380) -> tuple[list[dict], dict]:
    """The traces and layout of `stacked_bar`, for builders that add to its layout before building the figure."""
    if frame.empty:
        return [], empty_layout(title)
    traces = []
    categories = order or list(frame.groupby(x)[value].sum().sort_values(ascending=horizontal).index)
    for i, (name, part) in enumerate(frame.groupby(stack, sort=False)):
        series = part.groupby(x)[value].sum().reindex(categories, fill_value=0)
        color = (colors or {}).get(name, SEQUENCE[i % len(SEQUENCE)])
        position = {"x": series.values, "y": categories, "orientation": "h"} if horizontal else {
            "x": categories, "y": series.values}
        traces.append({"type": "bar", "name": str(name), "marker": {"color": color}, **position,
                       "hovertemplate": f"{name}：%{{{'x' if horizontal else 'y'}:,}} {unit}<extra></extra>"})
    value_axis = {"title": {"text": axis_title(unit)}}
    return traces, layout(title, height=height, barmode="stack", **{"xaxis" if horizontal else "yaxis": value_axis})


def stacked_bar(frame: pd.DataFrame, x: str, stack: str, value: str, title: str, unit: str, *,
                colors: dict[str, str] | None = None, order: list[str] | None = None,
                horizontal: bool = False, height: int = 380) -> Figure:
    """One trace per value of `stack`, stacked; `order` fixes the category order of x."""
    traces, figure_layout = stacked_bar_parts(frame, x, stack, value, title, unit, colors=colors, order=order,
                                              horizontal=horizontal, height=height)
    return figure(data=traces, layout=figure_layout)


def donut(frame: pd.DataFrame, label: str, value: str, title: str, unit: str, *,
          colors: dict[str, str] | None = None) -> Figure:
    if frame.empty:
        return empty_figure(title)
    marker = {"colors": [(colors or {}).get(v, SEQUENCE[i % len(SEQUENCE)]) for i, v in enumerate(frame[label])]}
    pie = {"type": "pie", "labels": frame[label], "values": frame[value], "hole": 0.55, "marker": marker,
           "sort": False, "textinfo": "percent", "textposition": "inside",
           "hovertemplate": f"%{{label}}：%{{value:,}} {unit}（%{{percent}}）<extra></extra>"}
    # Slices too thin for a readable label show none (the legend and hover still name them).
    return figure(data=[pie], layout=layout(title, uniformtext={"minsize": 11, "mode": "hide"}))


def category_bar(frame: pd.DataFrame, label: str, value: str, title: str, unit: str, *,
                 colors: list[str] | None = None, text: str | None = None, horizontal: bool = False,
                 height: int = 360, percent: bool = False) -> Figure:
    """Bars in the frame's own order (grades, list types), one colour per bar; `text` names a label column."""
    if frame.empty:
        return empty_figure(title)
    number = ":.1%" if percent else ":,"
    axis = "x" if horizontal else "y"
    suffix = "" if percent else f" {unit}"
    bar = {
        "type": "bar",
        "x": frame[value] if horizontal else frame[label],
        "y": frame[label] if horizontal else frame[value],
        "orientation": "h" if horizontal else "v",
        "marker": {"color": colors or PRIMARY},
        "text": frame[text] if text else None,
        "textposition": "outside" if text else None,
        "cliponaxis": False,
        "hovertemplate": f"%{{{'y' if horizontal else 'x'}}}：%{{{axis}{number}}}{suffix}<extra></extra>",
    }
    value_axis = {"title": {"text": axis_title(unit)}, "tickformat": ".0%" if percent else None}
    if text:
        # Room beyond the longest bar for its label.
        value_axis["range"] = [0, max(float(frame[value].max()), 1e-9) * 1.25]
    axes = {"xaxis": value_axis, "yaxis": {"autorange": "reversed"}} if horizontal else {"yaxis": value_axis}
    return figure(data=[bar], layout=layout(title, height=height, legend=False, **axes))


def target_bar(frame: pd.DataFrame, label: str, value: str, title: str, unit: str, target: float, target_label: str,
               *, height: int | None = None) -> Figure:
    """Horizontal rate bars (0-1) worst first, red below the target and green at or above it, with the target line."""
    if frame.empty:
        return empty_figure(title)
    data = frame.sort_values(value, ascending=False)
    colors = [GOOD if v >= target else RED for v in data[value]]
    bar = {"type": "bar", "x": data[value], "y": data[label], "orientation": "h", "marker": {"color": colors},
           "hovertemplate": "%{y}：%{x:.1%}<extra></extra>"}
    line, line_label = vline(target, target_label)
    return figure(data=[bar], layout=layout(
        title, height=height or max(300, 22 * len(data) + 100), legend=False, shapes=[line], annotations=[line_label],
        xaxis={"title": {"text": axis_title(unit)}, "tickformat": ".0%",
               "range": [min(0.5, float(data[value].min())) - 0.02, 1.02]}))


def line_chart(frame: pd.DataFrame, x: str, series: str, value: str, title: str, unit: str, *,
               colors: dict[str, str] | None = None, x_title: str | None = None, height: int = 360,
               x_order: list | None = None) -> Figure:
    """One line with markers per value of `series`, in the frame's order (`x_order`: the x categories' order)."""
    if frame.empty:
        return empty_figure(title)
    traces = []
    for i, (name, part) in enumerate(frame.groupby(series, sort=False)):
        color = (colors or {}).get(name, SEQUENCE[i % len(SEQUENCE)])
        traces.append({"type": "scatter", "x": part[x], "y": part[value], "name": str(name), "mode": "lines+markers",
                       "line": {"color": color, "width": 2},
                       "hovertemplate": f"{name} %{{x}}：%{{y:,}} {unit}<extra></extra>"})
    axes: dict[str, dict] = {"yaxis": {"title": {"text": axis_title(unit)}, "rangemode": "tozero"}}
    if x_title or x_order:
        axes["xaxis"] = {"title": {"text": x_title}} if x_title else {}
        if x_order:
            axes["xaxis"].update(categoryorder="array", categoryarray=list(x_order))
    return figure(data=traces, layout=layout(title, height=height, **axes))


def diverging_bar(frame: pd.DataFrame, label: str, value: str, title: str, unit: str, *, up_color: str = GOOD,
                  down_color: str = RED, text: str | None = None, height: int | None = None) -> Figure:
    """Horizontal bars around zero, largest gain on top: gains in `up_color`, losses in `down_color`."""
    data = frame.dropna(subset=[value])
    if data.empty:
        return empty_figure(title)
    data = data.sort_values(value)
    bar = {"type": "bar", "x": data[value], "y": data[label], "orientation": "h",
           "marker": {"color": [up_color if v >= 0 else down_color for v in data[value]]},
           "text": data[text] if text else None, "textposition": "outside" if text else None,
           "cliponaxis": False, "hovertemplate": f"%{{y}}：%{{x:+,.1f}} {unit}<extra></extra>"}
    return figure(data=[bar], layout=layout(
        title, height=height or max(300, 22 * len(data) + 90), legend=False,
        xaxis={"title": {"text": axis_title(unit)}, "zeroline": True, "zerolinecolor": MUTED}))


def treemap(frame: pd.DataFrame, label: str, parent: str, size: str, color: str, title: str, size_unit: str,
            color_unit: str, *, height: int = 420) -> Figure:
    """Rectangles sized by `size` within their `parent` group, coloured by `color` (red low, green high)."""
    data = frame.dropna(subset=[color])
    if data.empty:
        return empty_figure(title)
    parents = sorted(data[parent].unique())
    # The whole district is the root (without one, plotly.js frames the groups in dark grey); a group, and the
    # root, are coloured by their members' mean, so that every rectangle sits on the same colour scale.
    labels = [T.DISTRICT, *parents, *data[label].tolist()]
    group_means = [float(data[color].mean()), *data.groupby(parent)[color].mean().loc[parents].astype(float)]
    rectangles = {
        "type": "treemap",
        "labels": labels,
        "parents": [""] + [T.DISTRICT] * len(parents) + data[parent].tolist(),
        "values": [0] * (len(parents) + 1) + data[size].tolist(),
        "marker": {"colors": group_means + data[color].tolist(), "colorscale": RED_YELLOW_GREEN,
                   "cmid": float(data[color].median()), "colorbar": {"title": {"text": color_unit}},
                   "showscale": True},
        "customdata": [[mean] for mean in group_means] + [[v] for v in data[color]],
        "texttemplate": "%{label}<br>%{customdata[0]:.1f}",
        "hovertemplate": f"%{{label}}：{size_unit} %{{value:,}}；{color_unit} %{{customdata[0]:.1f}}<extra></extra>",
    }
    return figure(data=[rectangles], layout=layout(title, height=height, legend=False))


@functools.lru_cache(maxsize=32)
def _grid(cols: int, spacing: float, shared_yaxes: bool) -> str:
    """The axes (domains, anchors, shared y) and panel-title annotations that plotly's make_subplots lays out for
    one row of `cols` panels, as JSON (parsed anew per figure, so that no figure shares the cached dicts)."""
    grid = make_subplots(rows=1, cols=cols, shared_yaxes=shared_yaxes, horizontal_spacing=spacing,
                         subplot_titles=[f"panel {i}" for i in range(cols)]).layout.to_plotly_json()
    return json.dumps({key: value for key, value in grid.items() if key == "annotations" or _AXIS_KEY.fullmatch(key)})


def panels_layout(titles: list[str], *, spacing: float, shared_yaxes: bool = False) -> dict:
    """Layout entries of one row of panels, as make_subplots(rows=1, cols=len(titles)) makes them: xaxis ... xaxisN
    and yaxis ... yaxisN with their domains, and the panel titles (12 px) as annotations."""
    grid = json.loads(_grid(len(titles), spacing, shared_yaxes))
    for annotation, text in zip(grid["annotations"], titles, strict=True):
        annotation["text"] = text
        annotation["font"] = {"size": 12}
    return grid


def panel_axes(i: int) -> tuple[str, str]:
    """The trace references of panel `i` (1-based): ("x", "y"), ("x2", "y2"), ..."""
    suffix = str(i) if i > 1 else ""
    return f"x{suffix}", f"y{suffix}"


def bar_panels(frame: pd.DataFrame, label: str, panels: list[tuple[str, str, str, str]], title: str, *,
               height: int = 600) -> Figure:
    """Horizontal bars side by side, one panel per (column, name, unit, colour), sharing the categories.

    For measures of very different size (adverse records vs black-list entries) that one axis would flatten.
    Categories are ordered by the first panel, largest on top.
    """
    panels = [panel for panel in panels if frame[panel[0]].notna().any()] if not frame.empty else []
    if not panels:
        return empty_figure(title)
    data = frame.sort_values(panels[0][0], ascending=True, na_position="first")
    grid = panels_layout([f"{name}（{unit}）" for _column, name, unit, _color in panels], spacing=0.04,
                         shared_yaxes=True)
    traces = []
    for i, (column, name, unit, color) in enumerate(panels, start=1):
        x_ref, y_ref = panel_axes(i)
        traces.append({"type": "bar", "x": data[column], "y": data[label], "orientation": "h",
                       "marker": {"color": color}, "name": name, "xaxis": x_ref, "yaxis": y_ref,
                       "hovertemplate": f"%{{y}}：%{{x:,.2f}} {unit}<extra>{name}</extra>"})
        merge(grid[f"xaxis{i if i > 1 else ''}"], {"title": {"text": axis_title(unit)}})
    # Room between the figure title and the panel titles.
    return figure(data=traces, layout=layout(title, height=height, legend=False, margin={"t": 80}, **grid))


def line_panels(frame: pd.DataFrame, x: str, panels: list[tuple[str, str, str, str]], title: str, *,
                height: int = 320) -> Figure:
    """Small multiples: one line panel per (column, name, unit, colour), each with its own value axis."""
    panels = [panel for panel in panels if frame[panel[0]].notna().any()] if not frame.empty else []
    if not panels:
        return empty_figure(title)
    grid = panels_layout([f"{name}（{unit}）" for _column, name, unit, _color in panels], spacing=0.06)
    traces = []
    for i, (column, name, unit, color) in enumerate(panels, start=1):
        x_ref, y_ref = panel_axes(i)
        traces.append({"type": "scatter", "x": frame[x], "y": frame[column], "mode": "lines+markers", "name": name,
                       "line": {"color": color, "width": 2}, "xaxis": x_ref, "yaxis": y_ref,
                       "hovertemplate": f"%{{x}}：%{{y:,.2f}} {unit}<extra>{name}</extra>"})
        suffix = str(i) if i > 1 else ""
        merge(grid[f"yaxis{suffix}"], {"title": {"text": axis_title(unit)}, "rangemode": "tozero"})
        merge(grid[f"xaxis{suffix}"], {"type": "category"})
    # Room between the figure title and the panel titles.
    return figure(data=traces, layout=layout(title, height=height, legend=False, margin={"t": 80}, **grid))
