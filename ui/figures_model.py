"""Figures of the credit evaluation pages, from plain frames: calibration, score distributions, grades, migration,
a subject's records timeline. Grades run from green (A) through blue (B) and amber (C) to the black list's grey (D).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ui.figures import (
    BLACK,
    GOOD,
    LIST_COLORS,
    MUTED,
    PRIMARY,
    SEQUENCE,
    WARNING,
    Figure,
    empty_figure,
    figure,
    layout,
    ranked_bar,
)

GRADES = ("A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D")
GRADE_COLORS: dict[str, str] = {
    "A": "#1e7b4a", "A-": "#4caf7a", "B+": "#1f5fa8", "B": "#4a90d9", "B-": "#8bb8e8",
    "C+": "#f0b44c", "C": WARNING, "C-": "#c0561b", "D": BLACK,
}
SEVERITY_COLORS = {"minor": "#f0b44c", "ordinary": WARNING, "serious": BLACK}
POLARITY_COLORS = {"positive": GOOD, "neutral": PRIMARY}


def calibration_curve(curves: Mapping[str, Sequence[Mapping[str, float]]], title: str, *, x_title: str,
                      y_title: str, diagonal: str) -> Figure:
    """Mean predicted against observed rate per group, one line per model, with the diagonal of perfect calibration."""
    if not curves or not any(curves.values()):
        return empty_figure(title)
    traces = []
    top = 0.0
    for i, (name, points) in enumerate(curves.items()):
        frame = pd.DataFrame(points)
        if frame.empty:
            continue
        top = max(top, float(frame["predicted"].max()), float(frame["observed"].max()))
        traces.append({
            "type": "scatter", "x": frame["predicted"], "y": frame["observed"], "mode": "lines+markers", "name": name,
            "line": {"color": SEQUENCE[i % len(SEQUENCE)]}, "customdata": frame["count"],
            "hovertemplate": f"{name}<br>{x_title}：%{{x:.2%}}<br>{y_title}：%{{y:.2%}}<br>主体：%{{customdata:,}} 个"
                             "<extra></extra>"})
    top = top * 1.05 or 0.01
    traces.append({"type": "scatter", "x": [0, top], "y": [0, top], "mode": "lines", "name": diagonal,
                   "hoverinfo": "skip", "line": {"color": MUTED, "dash": "dash"}})
    return figure(data=traces, layout=layout(
        title, height=380, xaxis={"title": {"text": x_title}, "tickformat": ".1%", "range": [0, top]},
        yaxis={"title": {"text": y_title}, "tickformat": ".1%", "range": [0, top]}))


def score_histogram(edges: Sequence[float], series: Mapping[str, Sequence[int]], title: str, *, x_title: str,
                    y_title: str) -> Figure:
    """Share of subjects per score band, one bar series per population (training date, scoring date)."""
    if not edges or not series:
        return empty_figure(title)
    edges = np.asarray(edges, dtype=float)
    centers = (edges[:-1] + edges[1:]) / 2
    labels = [f"{int(a)}–{int(b)}" for a, b in itertools.pairwise(edges)]
    traces = []
    for i, (name, counts) in enumerate(series.items()):
        counts = np.asarray(counts, dtype=float)
        share = counts / counts.sum() if counts.sum() else counts
        traces.append({"type": "bar", "x": centers, "y": share, "name": name,
                       "marker": {"color": SEQUENCE[i % len(SEQUENCE)]}, "opacity": 0.75,
                       "customdata": np.column_stack([labels, counts]),
                       "hovertemplate": f"{name}<br>%{{customdata[0]}} 分：%{{y:.1%}}（%{{customdata[1]:,}} 个）"
                                        "<extra></extra>"})
    return figure(data=traces, layout=layout(title, height=380, barmode="overlay", bargap=0.05,
                                             xaxis={"title": {"text": x_title}},
                                             yaxis={"title": {"text": y_title}, "tickformat": ".0%"}))


def grade_bar(frame: pd.DataFrame, title: str, unit: str) -> Figure:
    """Subjects per grade in the order A ... D, each grade in its colour, with its share."""
    if frame.empty or frame["subjects"].sum() == 0:
        return empty_figure(title)
    counts = frame.groupby("grade")["subjects"].sum().reindex(GRADES, fill_value=0)
    share = counts / counts.sum()
    bar = {"type": "bar", "x": list(counts.index), "y": counts.values,
           "marker": {"color": [GRADE_COLORS[g] for g in counts.index]},
           "text": [f"{s:.1%}" for s in share], "textposition": "outside", "cliponaxis": False,
           "hovertemplate": f"%{{x}} 级：%{{y:,}} {unit}<extra></extra>"}
    return figure(data=[bar], layout=layout(title, height=380, legend=False,
                                            xaxis={"title": {"text": "信用等级"}, "type": "category"},
                                            yaxis={"title": {"text": f"主体数（{unit}）"}}))


def grade_mix(frame: pd.DataFrame, group: str, title: str, *, height: int | None = None) -> Figure:
    """Per group (a row), the shares of each grade as one horizontal 100 % bar; hover gives counts."""
    if frame.empty or frame["subjects"].sum() == 0:
        return empty_figure(title)
    # groupby + unstack is pivot_table(aggfunc="sum", fill_value=0) at a third of its cost.
    table = frame.groupby([group, "grade"])["subjects"].sum().unstack(fill_value=0)
    table = table.reindex(columns=GRADES, fill_value=0)
    table = table[table.sum(axis=1) > 0]
    totals = table.sum(axis=1)
    # Groups ordered by their share of A grades, best on top.
    table = table.loc[(table[["A", "A-"]].sum(axis=1) / totals).sort_values().index]
    totals = table.sum(axis=1)
    groups = list(table.index)
    traces = [{"type": "bar", "y": groups, "x": table[grade] / totals, "name": grade, "orientation": "h",
               "marker": {"color": GRADE_COLORS[grade]}, "customdata": table[grade],
               "hovertemplate": f"%{{y}} · {grade} 级：%{{x:.1%}}（%{{customdata:,}} 个）<extra></extra>"}
              for grade in GRADES]
    return figure(data=traces, layout=layout(
        title, height=height or max(300, 26 * len(table) + 120), barmode="stack",
        xaxis={"title": {"text": "占比"}, "tickformat": ".0%", "range": [0, 1]}))


def migration_heatmap(frame: pd.DataFrame, title: str, *, x_title: str, y_title: str) -> Figure:
    """Subjects moving from each old grade (rows) to each new grade (columns); the diagonal is 'unchanged'."""
    if frame.empty or frame["subjects"].sum() == 0:
        return empty_figure(title)
    matrix = (frame.groupby(["old_grade", "new_grade"])["subjects"].sum().unstack(fill_value=0)
              .reindex(index=GRADES, columns=GRADES, fill_value=0))
    counts = matrix.to_numpy()
    row_share = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    heatmap = {
        "type": "heatmap", "z": np.log10(counts + 1), "x": list(GRADES), "y": list(GRADES), "colorscale": "Blues",
        "showscale": False, "text": [[f"{v:,}" if v else "" for v in row] for row in counts],
        "texttemplate": "%{text}", "customdata": row_share,
        "hovertemplate": f"{y_title}：%{{y}}<br>{x_title}：%{{x}}<br>主体：%{{text}} 个（占原等级 %{{customdata:.1%}}）"
                         "<extra></extra>"}
    return figure(data=[heatmap], layout=layout(
        title, height=460, legend=False, xaxis={"title": {"text": x_title}, "side": "top", "type": "category"},
        yaxis={"title": {"text": y_title}, "autorange": "reversed", "type": "category"}, margin={"t": 90}))


def records_timeline(records: pd.DataFrame, entries: pd.DataFrame, title: str, *, list_label: str) -> Figure:
    """A subject's records by category over time (adverse ones coloured by severity, hollow when no longer public)
    and its list entries as bars from listing to expiry or removal."""
    if records.empty and entries.empty:
        return empty_figure(title)
    traces = []
    categories: list[str] = []
    if not records.empty:
        data = records.copy()
        data["colour"] = [SEVERITY_COLORS.get(s, BLACK) if p == "negative" else POLARITY_COLORS.get(p, PRIMARY)
                          for s, p in zip(data["severity"], data["polarity"], strict=True)]
        data["legend"] = [f"失信（{n}）" if p == "negative" and n else ("守信" if p == "positive" else
                                                                         ("失信" if p == "negative" else "中性"))
                          for n, p in zip(data["severity_name"], data["polarity"], strict=True)]
        for legend, part in data.groupby("legend", sort=False):
            traces.append({
                "type": "scatter", "x": pd.to_datetime(part["decision_date"]), "y": part["record_type"],
                "mode": "markers", "name": legend,
                "marker": {"color": part["colour"], "size": 11, "line": {"width": 2, "color": part["colour"]},
                           "symbol": ["circle" if public else "circle-open" for public in part["public"]]},
                "customdata": np.column_stack([part["bureau"].fillna(""), part["content"].fillna(""),
                                               part["status_name"].fillna("")]),
                "hovertemplate": "%{x|%Y-%m-%d} %{y}<br>%{customdata[0]}：%{customdata[1]}<br>%{customdata[2]}"
                                 "<extra></extra>"})
        categories += list(dict.fromkeys(data["record_type"]))
    if not entries.empty:
        end_default = pd.Timestamp.today().normalize()
        for _, entry in entries.iterrows():
            start = pd.Timestamp(entry["listed_on"])
            ends = [pd.Timestamp(v) for v in (entry["removed_on"], entry["expires_on"]) if pd.notna(v)]
            end = min(ends) if ends else end_default
            label = list_label.format(name=entry["list_type"])
            categories.append(label)
            traces.append({
                "type": "scatter", "x": [start, end], "y": [label, label], "mode": "lines+markers",
                "showlegend": False, "line": {"color": LIST_COLORS.get(entry["color"], PRIMARY), "width": 8},
                "hovertemplate": f"{entry['list_type']}：%{{x|%Y-%m-%d}}<extra></extra>"})
    # At least a year on the axis, with a margin, so that one or two records do not stretch to fill it.
    dates = [pd.to_datetime(records["decision_date"])] if not records.empty else []
    if not entries.empty:
        dates.append(pd.to_datetime(entries["listed_on"]))
    first, last = min(d.min() for d in dates), max(d.max() for d in dates)
    middle, half = first + (last - first) / 2, max((last - first) / 2, pd.Timedelta(days=182)) + pd.Timedelta(days=45)
    rows = list(dict.fromkeys(categories))
    return figure(data=traces, layout=layout(
        title, height=max(300, 34 * len(rows) + 140),
        xaxis={"range": [middle - half, middle + half], "title": {"text": "决定日期 / 名单期间"},
               "tickformat": "%Y-%m"},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": rows[::-1]}))


def mean_score_bar(frame: pd.DataFrame, label: str, title: str, unit: str) -> Figure:
    """Mean score (`mean_score`) per `label`, ranked, the axis fitted to the range of the means."""
    if frame.empty:
        return empty_figure(title)
    low, high = float(frame["mean_score"].min()), float(frame["mean_score"].max())
    return ranked_bar(frame, label, "mean_score", title, unit, height=600, value_range=(low - 10, high + 5))
