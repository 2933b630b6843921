"""Build and serialisation time of every figure builder in ui/figures*.py, against the floor of one small go.Figure.

Run from the repo root: ``python bench/figures.py [--repeat N]``. Prints, per builder case, the mean time in ms to
build the figure and to build and serialise it as Dash does for a response (`dash._utils.to_json`), and the latter's
ratio to ``go.Figure(go.Bar(x, y), layout={"title": {"text": "floor"}})`` from a 100-row frame, built and
serialised the same way in the same run. The inputs are small, realistic frames like the page callbacks pass
(empty-frame branches too).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pandas as pd
import plotly.graph_objects as go

TOWNS = ["城关镇", "河西街道", "东城街道", "北湖镇", "南山乡", "西岭镇", "青石镇", "白沙街道"]
KINDS = ["企业", "个体工商户", "社会组织", "事业单位", "自然人"]
BUREAUS = ["区市场监管局", "区税务局", "区住建委", "区生态环境局", "区人社局", "区卫健委"]
LIST_TYPES = [("模范个人", "red"), ("纳税信用A级", "red"), ("失信被执行人", "black"), ("重大税收违法", "black"),
              ("经营异常名录", "warning")]
HEAT_HOVER = "{bureau} {month}：按时率 {rate}（已公示 {published} 条，逾期 {late} 条）"


def frames() -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(7)
    f: dict[str, pd.DataFrame] = {}
    f["by_town"] = pd.DataFrame({"town_name": TOWNS, "subjects": rng.integers(50, 900, len(TOWNS))})
    f["by_kind"] = pd.DataFrame({"kind_name": KINDS, "subjects": rng.integers(5, 500, len(KINDS))})
    f["scores"] = pd.DataFrame({"name": TOWNS, "mean_score": rng.uniform(560, 720, len(TOWNS)).round(1)})
    f["counts"] = pd.DataFrame([{"town_name": t, "kind_name": k, "records": int(rng.integers(0, 20)),
                                 "unit_type_name": u}
                                for t in TOWNS[:5] for k, u in (("诚信荣誉", "机关"), ("宣传活动", "企业"))])
    f["quarters"] = pd.DataFrame([{"quarter": f"2025Q{q}", "kind_name": k, "records": int(rng.integers(1, 9))}
                                  for q in range(1, 5) for k in ("诚信荣誉", "宣传活动")])
    lists = pd.DataFrame({"list_type": [n for n, _c in LIST_TYPES], "color": [c for _n, c in LIST_TYPES],
                          "active_end": [12, 30, 44, 3, 80], "net_change": [2, -1, 5, 0, -7]})
    lists["net_label"] = lists["net_change"].map(lambda n: f"较年初 {n:+d}")
    f["lists"] = lists
    f["grades_overview"] = pd.DataFrame({"grade": ["A", "B", "C", "D"], "subjects": [120, 300, 80, 12],
                                         "share": [0.234, 0.586, 0.156, 0.023]})
    f["grades_overview"]["label"] = f["grades_overview"]["share"].map(lambda s: f"{s:.1%}")
    f["publicity"] = pd.DataFrame({"bureau": BUREAUS, "on_time_rate": [0.97, 0.82, 0.64, 1.0, 0.91, 0.45]})
    months = [f"{m} 月" for m in range(1, 13)]
    f["trend"] = pd.DataFrame([{"series": f"{y} 年", "month_label": m, "records": int(rng.integers(10, 300))}
                               for y in (2025, 2024) for m in months[: 12 if y == 2024 else 7]])
    change = pd.DataFrame({"town_name": TOWNS, "index_change": [1.5, -2.25, 0.0, 3.1, np.nan, -0.4, 0.8, -1.0],
                           "rank_change": [1, -2, 0, 3, 0, -1, 1, -2]})
    change["rank_label"] = change["rank_change"].map(lambda n: f"排名 {n:+d}")
    f["change"] = change
    f["stats"] = pd.DataFrame({
        "town_name": TOWNS, "town_kind": ["镇", "街道", "街道", "镇", "乡", "镇", "镇", "街道"],
        "population": rng.integers(8000, 60000, len(TOWNS)), "index": rng.uniform(70, 95, len(TOWNS)).round(2),
        "adverse_per_10k": rng.uniform(0, 30, len(TOWNS)).round(2), "black_per_10k": rng.uniform(0, 3, len(TOWNS)),
        "adverse_per_1k": rng.uniform(0, 15, len(TOWNS)), "black_per_1k": [np.nan] * len(TOWNS)})
    f["by_year"] = pd.DataFrame({"label": ["2023 年", "2024 年", "2025 年（1-7 月）"],
                                 "adverse_per_10k": [12.0, 10.5, 8.25], "black_per_10k": [1.2, 0.9, 0.7],
                                 "adverse_per_1k": [5.5, 4.0, 3.75], "black_per_1k": [0.4, 0.35, 0.2]})
    # lists page
    in_force = pd.DataFrame([{"list_type": n, "color": c, "issuer": b, "town_name": t,
                              "entries": int(rng.integers(0, 6))}
                             for n, c in LIST_TYPES for b in BUREAUS[:3] for t in TOWNS[:3]])
    f["by_type"] = in_force.groupby(["list_type", "color"], as_index=False)["entries"].sum()
    f["by_issuer"] = in_force.groupby(["issuer", "color"], as_index=False)["entries"].sum()
    f["by_town_color"] = in_force.groupby(["town_name", "color"], as_index=False)["entries"].sum()
    lmonths = [f"2025-{m:02d}" for m in range(1, 8)]
    f["list_trend"] = pd.DataFrame([{"month": m, "color": c, "entries": (int(rng.integers(5, 50)) if c != "warning"
                                                                          else 0)}
                                    for c in ("red", "black", "warning") for m in lmonths])
    f["flows"] = pd.DataFrame([{"month": m, "color": c, "listed": int(rng.integers(0, 9)),
                                "removed": int(rng.integers(0, 3)), "expired": int(rng.integers(0, 3))}
                               for c in ("red", "black", "warning") for m in lmonths])
    f["flows"].loc[f["flows"]["color"] == "warning", ["listed", "removed", "expired"]] = 0
    # model
    grades = ["A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D"]
    f["grades"] = pd.DataFrame({"grade": grades, "subjects": [40, 60, 120, 200, 150, 90, 40, 10, 5]})
    f["grades_partial"] = pd.DataFrame({"grade": ["B", "A", "D", "B"], "subjects": [3, 1, 2, 4]})
    f["by_kind_grades"] = pd.DataFrame([{"name": k, "kind": k, "grade": g, "subjects": int(rng.integers(0, 40))}
                                        for k in KINDS for g in grades])
    f["migration"] = pd.DataFrame([{"old_grade": o, "new_grade": n, "subjects": int(rng.integers(0, 30))}
                                   for o in grades for n in grades if abs(grades.index(o) - grades.index(n)) <= 1])
    f["records"] = pd.DataFrame({
        "decision_date": [dt.date(2025, 3, 1), dt.date(2024, 11, 20), dt.date(2024, 6, 5), dt.date(2023, 9, 9)],
        "record_type": ["行政处罚", "行政许可", "行政处罚", "表彰奖励"],
        "severity": ["serious", None, "minor", None], "polarity": ["negative", "neutral", "negative", "positive"],
        "severity_name": ["严重", "", "轻微", ""], "bureau": ["区市场监管局", "区住建委", None, "区人社局"],
        "content": ["未按规定公示", "施工许可", None, "诚信企业"], "status_name": ["有效", "有效", "已修复", None],
        "public": [True, True, False, True]})
    f["entries"] = pd.DataFrame({
        "list_type": ["失信被执行人", "纳税信用A级"], "color": ["black", "red"],
        "listed_on": [dt.date(2024, 5, 1), dt.date(2023, 1, 1)],
        "expires_on": [dt.date(2027, 5, 1), dt.date(2024, 12, 31)],
        "removed_on": [dt.date(2025, 2, 1), None]})
    # assessment
    f["assess"] = pd.DataFrame({"bureau": BUREAUS, "score": [92.5, 71.0, 55.25, np.nan, 88.0, 48.0]})
    amonths = ["2025-01", "2025-02", "2025-03"]
    heat = pd.DataFrame([{"bureau": b, "month": m, "published": int(rng.integers(5, 40)),
                          "late": int(rng.integers(0, 5))}
                         for b in BUREAUS for m in amonths])
    heat["on_time"] = 1 - heat["late"] / heat["published"]
    heat.loc[2, ["on_time", "published", "late"]] = [np.nan, 0, 0]
    f["heat"], f["heat_months"] = heat, [*amonths, "2025-04"]
    f["measures"] = pd.DataFrame({"measure": ["按时率", "及时率", "完整率", "差错率", "异议处理"],
                                  "value": [95.0, 72.5, np.nan, 50.0, 100.0], "weight": [0.3, 0.2, 0.2, 0.15, 0.15]})
    f["assess_trend"] = pd.DataFrame({"month": amonths, "on_time": [95.0, 90.0, 97.5], "timeliness": [80.0, 85, 90],
                                      "completeness": [99.0, 98.5, 100.0], "errors": [1.5, 2.0, np.nan]})
    return f


def cases(F: ModuleType, L: ModuleType, M: ModuleType, A: ModuleType,
          data: dict[str, pd.DataFrame] | None = None) -> list[tuple[str, Callable[[], go.Figure]]]:
    """(name, build) per builder case; F, L, M, A are ui.figures, figures_lists, figures_model, figures_assessment;
    `data` the inputs (default `frames()`)."""
    f = data if data is not None else frames()
    e = pd.DataFrame(columns=["x", "y", "v", "c"])
    panels = [("adverse_per_10k", "失信记录", "条/万人", F.WARNING), ("black_per_10k", "黑名单", "个/万人", F.BLACK)]
    year_panels = [("adverse_per_10k", "失信（每万人）", "条/万人", F.WARNING),
                   ("black_per_10k", "黑名单（每万人）", "个/万人", F.BLACK),
                   ("adverse_per_1k", "失信（每千户）", "条/千户", F.WARNING),
                   ("black_per_1k", "黑名单（每千户）", "个/千户", F.BLACK)]
    trend_panels = [("on_time", "双公示按时率", "%", F.PRIMARY), ("timeliness", "定期报送及时率", "%", F.GOOD),
                    ("completeness", "必填项完整率", "%", F.WARNING), ("errors", "差错率", "%", F.RED)]
    curves = {"评分卡": [{"predicted": 0.01, "observed": 0.012, "count": 500},
                         {"predicted": 0.05, "observed": 0.043, "count": 300},
                         {"predicted": 0.12, "observed": 0.15, "count": 90}],
              "挑战者": [{"predicted": 0.02, "observed": 0.01, "count": 480},
                         {"predicted": 0.08, "observed": 0.09, "count": 410}]}
    return [
        ("empty_figure", lambda: F.empty_figure("暂无")),
        ("empty_figure_message", lambda: F.empty_figure("异议", "没有未办结的异议")),
        ("ranked_bar_h", lambda: F.ranked_bar(f["by_town"], "town_name", "subjects", "各镇街主体", "个")),
        ("ranked_bar_h_height", lambda: F.ranked_bar(f["scores"], "name", "mean_score", "镇街均分", "分", height=600)),
        ("ranked_bar_v_color", lambda: F.ranked_bar(f["by_kind"], "kind_name", "subjects", "主体构成", "件",
                                                    color=F.WARNING, horizontal=False, height=340)),
        ("ranked_bar_empty", lambda: F.ranked_bar(e, "x", "v", "空", "个")),
        ("stacked_bar_h", lambda: F.stacked_bar(f["counts"], "town_name", "kind_name", "records", "荣誉", "项",
                                                colors={"诚信荣誉": F.RED, "宣传活动": F.PRIMARY},
                                                order=TOWNS, horizontal=True, height=600)),
        ("stacked_bar_v", lambda: F.stacked_bar(f["counts"], "unit_type_name", "kind_name", "records", "单位", "项",
                                                colors={"诚信荣誉": F.RED}, height=290)),
        ("stacked_bar_v_order", lambda: F.stacked_bar(f["quarters"], "quarter", "kind_name", "records", "季度", "项",
                                                      order=["2025Q1", "2025Q2", "2025Q3", "2025Q4"], height=290)),
        ("stacked_bar_empty", lambda: F.stacked_bar(e, "x", "c", "v", "空", "项")),
        ("donut", lambda: F.donut(f["by_kind"], "kind_name", "subjects", "主体类型", "个",
                                  colors={"企业": F.PRIMARY})),
        ("donut_plain", lambda: F.donut(f["by_kind"], "kind_name", "subjects", "主体类型", "个")),
        ("donut_empty", lambda: F.donut(e, "x", "v", "空", "个")),
        ("category_bar_h_text", lambda: F.category_bar(
            f["lists"], "list_type", "active_end", "名单", "个", colors=[F.LIST_COLORS[c] for c in f["lists"]["color"]],
            text="net_label", horizontal=True, height=400)),
        ("category_bar_v_text", lambda: F.category_bar(f["grades_overview"], "grade", "subjects", "等级", "个",
                                                       colors=[F.GOOD, F.PRIMARY, F.WARNING, F.RED], text="label",
                                                       height=340)),
        ("category_bar_v_percent", lambda: F.category_bar(f["grades_overview"], "grade", "share", "占比", "%",
                                                          percent=True)),
        ("category_bar_empty", lambda: F.category_bar(e, "x", "v", "空", "个")),
        ("target_bar", lambda: F.target_bar(f["publicity"], "bureau", "on_time_rate", "按时率", "%", 0.8,
                                            "全区 80.0%", height=400)),
        ("target_bar_auto", lambda: F.target_bar(f["publicity"].iloc[:3], "bureau", "on_time_rate", "按时率", "%",
                                                 0.95, "全区 95%")),
        ("target_bar_empty", lambda: F.target_bar(e, "x", "v", "空", "%", 0.5, "x")),
        ("line_chart", lambda: F.line_chart(f["trend"], "month_label", "series", "records", "月度记录", "条",
                                            colors={"2025 年": F.PRIMARY, "2024 年": F.MUTED}, x_title="月份")),
        ("line_chart_plain", lambda: F.line_chart(f["trend"], "month_label", "series", "records", "月度", "条",
                                                  height=300)),
        ("line_chart_empty", lambda: F.line_chart(e, "x", "c", "v", "空", "条")),
        ("diverging_bar", lambda: F.diverging_bar(f["change"], "town_name", "index_change", "指数变化", "分",
                                                  text="rank_label", height=600)),
        ("diverging_bar_plain", lambda: F.diverging_bar(f["change"], "town_name", "index_change", "变化", "分",
                                                        up_color=F.PRIMARY, down_color=F.WARNING)),
        ("diverging_bar_all_nan", lambda: F.diverging_bar(f["change"].assign(index_change=np.nan), "town_name",
                                                          "index_change", "变化", "分")),
        ("treemap", lambda: F.treemap(f["stats"], "town_name", "town_kind", "population", "index", "指数", "人",
                                      "分", height=600)),
        ("treemap_empty", lambda: F.treemap(f["stats"].assign(index=np.nan), "town_name", "town_kind", "population",
                                            "index", "指数", "人", "分")),
        ("bar_panels", lambda: F.bar_panels(f["stats"], "town_name", panels, "居民失信率")),
        ("bar_panels_one_nan", lambda: F.bar_panels(f["stats"], "town_name",
                                                    [("black_per_1k", "黑名单", "个/千户", F.BLACK),
                                                     ("adverse_per_1k", "失信", "条/千户", F.WARNING)], "法人",
                                                    height=500)),
        ("bar_panels_empty", lambda: F.bar_panels(f["stats"].iloc[:0], "town_name", panels, "空")),
        ("line_panels", lambda: F.line_panels(f["by_year"], "label", year_panels, "历年")),
        ("line_panels_trend", lambda: F.line_panels(f["assess_trend"], "month", trend_panels, "趋势", height=340)),
        ("line_panels_empty", lambda: F.line_panels(f["by_year"].iloc[:0], "label", year_panels, "空")),
        # lists
        ("bars_by_list_type", lambda: L.bars_by_list_type(f["by_type"], "list_type", "entries", "color", "在列", "个")),
        ("bars_by_list_type_zero", lambda: L.bars_by_list_type(f["by_type"].assign(entries=0), "list_type",
                                                               "entries", "color", "在列", "个")),
        ("lines_by_color", lambda: L.lines_by_color(f["list_trend"], "month", "entries", "趋势", "个")),
        ("lines_by_color_empty", lambda: L.lines_by_color(f["list_trend"].iloc[:0], "month", "entries", "趋势", "个")),
        ("diverging_flows", lambda: L.diverging_flows(f["flows"], "month", "listed", ["removed", "expired"], "流量",
                                                      "条", up_name="新列入", down_name="退出")),
        ("diverging_flows_zero", lambda: L.diverging_flows(f["flows"].assign(listed=0, removed=0, expired=0), "month",
                                                           "listed", ["removed", "expired"], "流量", "条",
                                                           up_name="新列入", down_name="退出")),
        ("stacked_by_color_issuer", lambda: L.stacked_by_color(f["by_issuer"], "issuer", "entries", "按机构", "个")),
        ("stacked_by_color_town", lambda: L.stacked_by_color(f["by_town_color"], "town_name", "entries", "按镇街",
                                                             "个", height=560)),
        ("stacked_by_color_empty", lambda: L.stacked_by_color(f["by_issuer"].iloc[:0], "issuer", "entries", "空",
                                                              "个")),
        # model
        ("calibration_curve", lambda: M.calibration_curve(curves, "校准", x_title="预测", y_title="实际",
                                                          diagonal="完美校准")),
        ("calibration_curve_one_empty", lambda: M.calibration_curve({"评分卡": curves["评分卡"], "挑战者": []}, "校准",
                                                                    x_title="预测", y_title="实际", diagonal="对角线")),
        ("calibration_curve_zero", lambda: M.calibration_curve(
            {"a": [{"predicted": 0.0, "observed": 0.0, "count": 3}]}, "校准", x_title="预测", y_title="实际",
            diagonal="对角线")),
        ("calibration_curve_empty", lambda: M.calibration_curve({"a": []}, "校准", x_title="x", y_title="y",
                                                                diagonal="d")),
        ("score_histogram", lambda: M.score_histogram([300, 400, 500, 600, 700, 800],
                                                      {"训练 2024-12-31": [5, 40, 120, 80, 10],
                                                       "评分 2025-06-30": [0, 0, 0, 0, 0]},
                                                      "分布", x_title="分", y_title="占比")),
        ("score_histogram_empty", lambda: M.score_histogram([], {}, "分布", x_title="分", y_title="占比")),
        ("grade_bar", lambda: M.grade_bar(f["grades"], "等级分布", "个")),
        ("grade_bar_partial", lambda: M.grade_bar(f["grades_partial"], "等级分布", "个")),
        ("grade_bar_empty", lambda: M.grade_bar(f["grades"].iloc[:0], "等级分布", "个")),
        ("grade_mix", lambda: M.grade_mix(f["by_kind_grades"], "name", "类型等级", height=400)),
        ("grade_mix_auto", lambda: M.grade_mix(f["by_kind_grades"], "kind", "类型等级")),
        ("grade_mix_empty", lambda: M.grade_mix(f["by_kind_grades"].assign(subjects=0), "name", "类型等级")),
        ("migration_heatmap", lambda: M.migration_heatmap(f["migration"], "迁移", x_title="新", y_title="旧")),
        ("migration_heatmap_empty", lambda: M.migration_heatmap(f["migration"].iloc[:0], "迁移", x_title="新",
                                                                y_title="旧")),
        ("records_timeline", lambda: M.records_timeline(f["records"], f["entries"], "时间线", list_label="{name}")),
        ("records_timeline_records", lambda: M.records_timeline(f["records"].iloc[:1], f["entries"].iloc[:0], "时间线",
                                                                list_label="名单：{name}")),
        ("records_timeline_entries", lambda: M.records_timeline(f["records"].iloc[:0], f["entries"], "时间线",
                                                                list_label="名单：{name}")),
        ("records_timeline_empty", lambda: M.records_timeline(f["records"].iloc[:0], f["entries"].iloc[:0], "时间线",
                                                              list_label="{name}")),
        # assessment
        ("score_ranking", lambda: A.score_ranking(f["assess"], "bureau", "score", "得分", "分", 60.0, "合格线 60",
                                                  height=630)),
        ("score_ranking_high", lambda: A.score_ranking(f["assess"].iloc[:1], "bureau", "score", "得分", "分", 95.0,
                                                       "合格线 95", height=290)),
        ("score_ranking_empty", lambda: A.score_ranking(f["assess"].iloc[3:4], "bureau", "score", "得分", "分", 60.0,
                                                        "x", height=290)),
        ("on_time_heatmap", lambda: A.on_time_heatmap(f["heat"], f["heat_months"], "按时率", "按时率（%）", HEAT_HOVER,
                                                      height=530)),
        ("on_time_heatmap_empty", lambda: A.on_time_heatmap(f["heat"].iloc[:0], f["heat_months"], "按时率", "c", "h",
                                                            height=530)),
        ("measure_bars", lambda: A.measure_bars(f["measures"], "measure", "value", "weight", "指标", "分", "不适用")),
        ("measure_bars_empty", lambda: A.measure_bars(f["measures"].iloc[:0], "measure", "value", "weight", "指标",
                                                      "分", "不适用")),
    ]


def mean_ms(build: Callable[[], object], repeat: int) -> float:
    build()  # warm-up: first-call imports and plotly's validator caches
    start = time.perf_counter()
    for _ in range(repeat):
        build()
    return (time.perf_counter() - start) / repeat * 1000


def floor_figure(frame: pd.DataFrame) -> go.Figure:
    return go.Figure(go.Bar(x=frame["x"], y=frame["y"]), layout={"title": {"text": "floor"}})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="builds per case (default 30)")
    args = parser.parse_args()
    from dash._utils import to_json

    from ui import figures, figures_assessment, figures_lists, figures_model

    frame = pd.DataFrame({"x": [f"类别{i}" for i in range(100)], "y": np.arange(100, dtype=float)})
    floor_build = mean_ms(lambda: floor_figure(frame), args.repeat)
    floor = mean_ms(lambda: to_json(floor_figure(frame)), args.repeat)
    print(f"{'builder case':<32}{'build ms':>9}{'+ json ms':>10}{'x floor':>9}")
    print(f"{'floor: go.Figure(go.Bar)':<32}{floor_build:9.2f}{floor:10.2f}{1:9.1f}")
    total_build = total = 0.0
    for name, build in cases(figures, figures_lists, figures_model, figures_assessment):
        built = mean_ms(build, args.repeat)
        ms = mean_ms(lambda build=build: to_json(build()), args.repeat)
        total_build += built
        total += ms
        print(f"{name:<32}{built:9.2f}{ms:10.2f}{ms / floor:9.1f}")
    print(f"{'all cases (sum)':<32}{total_build:9.2f}{total:10.2f}{total / floor:9.1f}")


if __name__ == "__main__":
    main()
