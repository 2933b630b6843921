"""Figure builders shared by pages: plain go.Figure from plain frames (fast, testable without a browser)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
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
FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Source Han Sans SC", sans-serif'


def axis_title(unit: str) -> str:
    """A value axis names what it counts: a bare one-character unit (个, 条, 件, 分) reads as a glyph when rotated."""
    names = {"个": "数量（个）", "条": "记录数（条）", "件": "数量（件）", "分": "得分（分）", "%": "比例（%）",
             "万元": "金额（万元）", "人": "人数（人）", "场": "场次（场）", "项": "数量（项）"}
    return names.get(unit, unit)


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
    value_axis = {"title": {"text": axis_title(unit)}}
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
        fig.update_xaxes(title={"text": axis_title(unit)})
    else:
        fig.update_yaxes(title={"text": axis_title(unit)})
    return fig


def donut(frame: pd.DataFrame, label: str, value: str, title: str, unit: str, *,
          colors: dict[str, str] | None = None) -> go.Figure:
    if frame.empty:
        return empty_figure(title)
    marker = {"colors": [(colors or {}).get(v, SEQUENCE[i % len(SEQUENCE)]) for i, v in enumerate(frame[label])]}
    fig = go.Figure(go.Pie(labels=frame[label], values=frame[value], hole=0.55, marker=marker, sort=False,
                           textinfo="percent", textposition="inside",
                           hovertemplate=f"%{{label}}：%{{value:,}} {unit}（%{{percent}}）<extra></extra>"))
    # Slices too thin for a readable label show none (the legend and hover still name them).
    fig.update_layout(uniformtext={"minsize": 11, "mode": "hide"})
    return base_layout(fig, title)


def category_bar(frame: pd.DataFrame, label: str, value: str, title: str, unit: str, *,
                 colors: list[str] | None = None, text: str | None = None, horizontal: bool = False,
                 height: int = 360, percent: bool = False) -> go.Figure:
    """Bars in the frame's own order (grades, list types), one colour per bar; `text` names a label column."""
    if frame.empty:
        return empty_figure(title)
    number = ":.1%" if percent else ":,"
    axis = "x" if horizontal else "y"
    suffix = "" if percent else f" {unit}"
    bar = go.Bar(
        x=frame[value] if horizontal else frame[label],
        y=frame[label] if horizontal else frame[value],
        orientation="h" if horizontal else "v",
        marker_color=colors or PRIMARY,
        text=frame[text] if text else None,
        textposition="outside" if text else None,
        cliponaxis=False,
        hovertemplate=f"%{{{'y' if horizontal else 'x'}}}：%{{{axis}{number}}}{suffix}<extra></extra>",
    )
    fig = base_layout(go.Figure(bar), title, height=height, legend=False)
    value_axis = {"title": {"text": axis_title(unit)}, "tickformat": ".0%" if percent else None}
    if text:
        # Room beyond the longest bar for its label.
        value_axis["range"] = [0, max(float(frame[value].max()), 1e-9) * 1.25]
    if horizontal:
        fig.update_xaxes(**value_axis)
        fig.update_yaxes(autorange="reversed")
    else:
        fig.update_yaxes(**value_axis)
    return fig


def target_bar(frame: pd.DataFrame, label: str, value: str, title: str, unit: str, target: float, target_label: str,
               *, height: int | None = None) -> go.Figure:
    """Horizontal rate bars (0-1) worst first, red below the target and green at or above it, with the target line."""
    if frame.empty:
        return empty_figure(title)
    data = frame.sort_values(value, ascending=False)
    colors = [GOOD if v >= target else RED for v in data[value]]
    fig = go.Figure(go.Bar(x=data[value], y=data[label], orientation="h", marker_color=colors,
                           hovertemplate="%{y}：%{x:.1%}<extra></extra>"))
    fig.add_vline(x=target, line_dash="dash", line_color=BLACK, annotation_text=target_label,
                  annotation_position="top")
    base_layout(fig, title, height=height or max(300, 22 * len(data) + 100), legend=False)
    fig.update_xaxes(title={"text": axis_title(unit)}, tickformat=".0%",
                     range=[min(0.5, float(data[value].min())) - 0.02, 1.02])
    return fig


def line_chart(frame: pd.DataFrame, x: str, series: str, value: str, title: str, unit: str, *,
               colors: dict[str, str] | None = None, x_title: str | None = None, height: int = 360) -> go.Figure:
    """One line with markers per value of `series`, in the frame's order."""
    if frame.empty:
        return empty_figure(title)
    fig = go.Figure()
    for i, (name, part) in enumerate(frame.groupby(series, sort=False)):
        color = (colors or {}).get(name, SEQUENCE[i % len(SEQUENCE)])
        fig.add_trace(go.Scatter(x=part[x], y=part[value], name=str(name), mode="lines+markers",
                                 line={"color": color, "width": 2},
                                 hovertemplate=f"{name} %{{x}}：%{{y:,}} {unit}<extra></extra>"))
    base_layout(fig, title, height=height)
    fig.update_yaxes(title={"text": axis_title(unit)}, rangemode="tozero")
    if x_title:
        fig.update_xaxes(title={"text": x_title})
    return fig


def diverging_bar(frame: pd.DataFrame, label: str, value: str, title: str, unit: str, *, up_color: str = GOOD,
                  down_color: str = RED, text: str | None = None, height: int | None = None) -> go.Figure:
    """Horizontal bars around zero, largest gain on top: gains in `up_color`, losses in `down_color`."""
    data = frame.dropna(subset=[value])
    if data.empty:
        return empty_figure(title)
    data = data.sort_values(value)
    fig = go.Figure(go.Bar(x=data[value], y=data[label], orientation="h",
                           marker_color=[up_color if v >= 0 else down_color for v in data[value]],
                           text=data[text] if text else None, textposition="outside" if text else None,
                           cliponaxis=False, hovertemplate=f"%{{y}}：%{{x:+,.1f}} {unit}<extra></extra>"))
    base_layout(fig, title, height=height or max(300, 22 * len(data) + 90), legend=False)
    fig.update_xaxes(title={"text": axis_title(unit)}, zeroline=True, zerolinecolor=MUTED)
    return fig


def treemap(frame: pd.DataFrame, label: str, parent: str, size: str, color: str, title: str, size_unit: str,
            color_unit: str, *, height: int = 420) -> go.Figure:
    """Rectangles sized by `size` within their `parent` group, coloured by `color` (red low, green high)."""
    data = frame.dropna(subset=[color])
    if data.empty:
        return empty_figure(title)
    parents = sorted(data[parent].unique())
    labels = parents + data[label].tolist()
    fig = go.Figure(go.Treemap(
        labels=labels,
        parents=[""] * len(parents) + data[parent].tolist(),
        values=[0] * len(parents) + data[size].tolist(),
        # A group is coloured by its members' mean, so that every rectangle sits on the same colour scale.
        marker={"colors": [float(data.loc[data[parent] == p, color].mean()) for p in parents] + data[color].tolist(),
                "colorscale": "RdYlGn",
                "cmid": float(data[color].median()), "colorbar": {"title": {"text": color_unit}},
                "showscale": True},
        customdata=[[float(data.loc[data[parent] == p, color].mean())] for p in parents] + [[v] for v in data[color]],
        texttemplate="%{label}<br>%{customdata[0]:.1f}",
        hovertemplate=f"%{{label}}：{size_unit} %{{value:,}}；{color_unit} %{{customdata[0]:.1f}}<extra></extra>",
    ))
    return base_layout(fig, title, height=height, legend=False)


def bar_panels(frame: pd.DataFrame, label: str, panels: list[tuple[str, str, str, str]], title: str, *,
               height: int = 600) -> go.Figure:
    """Horizontal bars side by side, one panel per (column, name, unit, colour), sharing the categories.

    For measures of very different size (adverse records vs black-list entries) that one axis would flatten.
    Categories are ordered by the first panel, largest on top.
    """
    panels = [panel for panel in panels if frame[panel[0]].notna().any()] if not frame.empty else []
    if not panels:
        return empty_figure(title)
    data = frame.sort_values(panels[0][0], ascending=True, na_position="first")
    fig = make_subplots(rows=1, cols=len(panels), shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=[f"{name}（{unit}）" for _column, name, unit, _color in panels])
    for i, (column, name, unit, color) in enumerate(panels, start=1):
        fig.add_trace(go.Bar(x=data[column], y=data[label], orientation="h", marker_color=color, name=name,
                             hovertemplate=f"%{{y}}：%{{x:,.2f}} {unit}<extra>{name}</extra>"), row=1, col=i)
        fig.update_xaxes(title={"text": axis_title(unit)}, row=1, col=i)
    base_layout(fig, title, height=height, legend=False)
    # Room between the figure title and the panel titles.
    fig.update_layout(margin={"t": 80})
    fig.update_annotations(font={"size": 12})
    return fig


def line_panels(frame: pd.DataFrame, x: str, panels: list[tuple[str, str, str, str]], title: str, *,
                height: int = 320) -> go.Figure:
    """Small multiples: one line panel per (column, name, unit, colour), each with its own value axis."""
    panels = [panel for panel in panels if frame[panel[0]].notna().any()] if not frame.empty else []
    if not panels:
        return empty_figure(title)
    fig = make_subplots(rows=1, cols=len(panels), horizontal_spacing=0.06,
                        subplot_titles=[f"{name}（{unit}）" for _column, name, unit, _color in panels])
    for i, (column, name, unit, color) in enumerate(panels, start=1):
        fig.add_trace(go.Scatter(x=frame[x], y=frame[column], mode="lines+markers", name=name,
                                 line={"color": color, "width": 2},
                                 hovertemplate=f"%{{x}}：%{{y:,.2f}} {unit}<extra>{name}</extra>"), row=1, col=i)
        fig.update_yaxes(title={"text": axis_title(unit)}, rangemode="tozero", row=1, col=i)
        fig.update_xaxes(type="category", row=1, col=i)
    base_layout(fig, title, height=height, legend=False)
    # Room between the figure title and the panel titles.
    fig.update_layout(margin={"t": 80})
    fig.update_annotations(font={"size": 12})
    return fig
