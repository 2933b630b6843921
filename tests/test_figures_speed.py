"""The figure builders of ui/figures*.py, which build each figure once from traces and one complete layout dict:
what the layout must still carry (title, font, grid on every axis, Chinese axis titles), the layout helpers, and
that no builder changes the frames it is given. Inputs are the realistic small frames of bench/figures.py; no
timing here (``python bench/figures.py`` measures it)."""

import copy
import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from bench.figures import cases, frames
from ui import figures, figures_assessment, figures_lists, figures_model
from ui.figures import AXIS, FONT, layout, merge, vline

MODULES = (figures, figures_lists, figures_model, figures_assessment)
CASES = cases(*MODULES)
CJK = re.compile(r"[\u4e00-\u9fff]")
PLOTLY_JS_SCALES = {"Greys", "YlGnBu", "Greens", "YlOrRd", "Bluered", "RdBu", "Reds", "Blues", "Picnic", "Rainbow",
                    "Portland", "Jet", "Hot", "Blackbody", "Earth", "Electric", "Viridis", "Cividis"}


def axes(fig_layout: dict) -> dict[str, dict]:
    return {key: value for key, value in fig_layout.items() if re.fullmatch(r"[xy]axis\d*", key)}


@pytest.mark.parametrize(("name", "build"), CASES, ids=[name for name, _build in CASES])
def test_figures001_every_builder_returns_a_figure_with_the_app_layout(name, build):
    built = build()
    assert isinstance(built, dict) and set(built) == {"data", "layout"}
    fig = go.Figure(built)  # validating: raises on a misspelt property
    fig_layout = fig.to_plotly_json()["layout"]
    assert fig_layout["title"]["text"]
    assert fig_layout["font"]["family"] == FONT and fig_layout["separators"] == ".,"
    # What update_xaxes / update_yaxes did: the grid defaults on every axis, xaxis2 ... of panels included.
    assert {"xaxis", "yaxis"} <= set(axes(fig_layout))
    for axis_name, axis in axes(fig_layout).items():
        assert axis["gridcolor"] == AXIS["gridcolor"], axis_name
        assert "zeroline" in axis, axis_name
    if not fig.data:  # an empty figure: the message, no axes
        assert fig_layout["annotations"][0]["text"] and fig_layout["xaxis"]["visible"] is False
    elif any(trace.type in ("bar", "scatter") for trace in fig.data):
        titles = [axis["title"]["text"] for axis in axes(fig_layout).values() if axis.get("title", {}).get("text")]
        assert titles and all(CJK.search(title) for title in titles), titles


def test_figures002_no_builder_changes_its_input_frames():
    data = frames()
    before = copy.deepcopy(data)
    for _name, build in cases(*MODULES, data=data):
        build()
    for key, value in before.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(data[key], value, check_exact=True, obj=key)
        else:
            assert data[key] == value, key


def test_figures003_layout_merges_extras_into_the_defaults():
    margin = {"t": 80}
    extra_axis = {"title": {"text": "数量（个）"}}
    result = layout("标题", height=300, legend=False, margin=margin, xaxis=extra_axis, yaxis3={"visible": False})
    assert result["margin"] == {"l": 60, "r": 20, "t": 80, "b": 50}
    assert result["xaxis"] == {**AXIS, "title": {"text": "数量（个）"}}
    assert result["yaxis3"] == {**AXIS, "visible": False}
    assert result["height"] == 300 and result["showlegend"] is False and result["title"]["text"] == "标题"
    # The caller's dicts are copied, not taken over.
    result["xaxis"]["title"]["text"] = "changed"
    result["margin"]["l"] = 0
    assert extra_axis == {"title": {"text": "数量（个）"}} and margin == {"t": 80}
    assert layout("另一个")["xaxis"] == AXIS
    assert merge({"a": {"b": 1, "c": 2}, "d": [1]}, {"a": {"c": 3}, "d": [2]}) == {"a": {"b": 1, "c": 3}, "d": [2]}


def test_figures004_vline_matches_plotly_add_vline():
    shape, annotation = vline(0.8, "全区 80.0%")
    expected = go.Figure(go.Bar(x=[1], y=["a"], orientation="h"))
    expected.add_vline(x=0.8, line_dash="dash", line_color=figures.BLACK, annotation_text="全区 80.0%",
                       annotation_position="top")
    built = go.Figure(go.Bar(x=[1], y=["a"], orientation="h"), layout={"shapes": [shape], "annotations": [annotation]})
    assert built.to_plotly_json()["layout"] == expected.to_plotly_json()["layout"]


def test_figures005_panels_lay_out_like_make_subplots():
    stats = frames()["stats"]
    panels = [("adverse_per_10k", "失信记录", "条/万人", figures.WARNING),
              ("black_per_10k", "黑名单", "个/万人", figures.BLACK)]
    fig = go.Figure(figures.bar_panels(stats, "town_name", panels, "居民"))
    fig_layout = fig.to_plotly_json()["layout"]
    assert [(trace.xaxis, trace.yaxis) for trace in fig.data] == [("x", "y"), ("x2", "y2")]
    assert fig_layout["yaxis2"]["matches"] == "y" and fig_layout["yaxis2"]["showticklabels"] is False
    assert [a["text"] for a in fig_layout["annotations"]] == ["失信记录（条/万人）", "黑名单（个/万人）"]
    assert all(a["font"]["size"] == 12 for a in fig_layout["annotations"])
    assert fig_layout["margin"]["t"] == 80
    # Each figure gets its own copy of the cached grid.
    first = figures.panels_layout(["甲", "乙"], spacing=0.04, shared_yaxes=True)
    first["xaxis"]["domain"][0] = 0.5
    first["annotations"][0]["text"] = "changed"
    again = figures.panels_layout(["甲", "乙"], spacing=0.04, shared_yaxes=True)
    assert again["xaxis"]["domain"][0] == 0.0 and again["annotations"][0]["text"] == "甲"


@pytest.mark.parametrize(("name", "build"), CASES, ids=[name for name, _build in CASES])
def test_figures007_every_builder_writes_only_valid_plotly_properties(name, build):
    """ui.figures.figure skips plotly's validation for speed; here every builder's output goes through a validating
    go.Figure, which raises on a misspelt property or a bad value (and may only spell values out, e.g. a named
    colour scale as its list), and keeps plotly's default template, as a go.Figure would carry it."""
    built = build()
    validated = go.Figure(built)
    assert [trace.type for trace in validated.data] == [trace["type"] for trace in built["data"]]
    assert validated.layout.title.text == built["layout"]["title"]["text"]
    assert built["layout"]["template"] == go.Figure().to_plotly_json()["layout"]["template"]
    # Without validation a colour scale name reaches plotly.js as written: only its own names are understood there.
    for trace in built["data"]:
        for scale in (trace.get("colorscale"), trace.get("marker", {}).get("colorscale")):
            assert scale is None or not isinstance(scale, str) or scale in PLOTLY_JS_SCALES, (name, scale)


def test_figures008_an_invalid_property_is_caught_by_validation_not_by_figure():
    built = figures.figure(data=[{"type": "bar", "x": [1], "y": [2], "colour": "red"}], layout={"titel": "x"})
    with pytest.raises(ValueError):
        go.Figure(built)
