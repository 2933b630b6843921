"""Callbacks of 信用评价模型: versions, the report of a version, the points table, background training, export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, html, no_update, set_props

from callbacks.common import default_first, excel_download, store, today
from config import INSTANCE, ROOT
from data.queries import model as queries
from scoring.train import STALE_JOB_HOURS, TrainingError, launch_training
from security.access import guarded, require
from ui import figures, figures_model
from ui import text_model as T
from ui.components import kpi_outputs
from ui.export import Sheet

_PERCENT_METRICS = {"mean_predicted", "observed_rate"}
_COMPARE_METRICS = ("auc", "auc_person", "auc_legal", "gini", "ks", "brier", "mean_predicted", "observed_rate",
                    "train_auc")


def version_label(row: pd.Series) -> str:
    algorithm = T.ALGORITHMS.get(row["algorithm"], row["algorithm"])
    return f"版本 {row['id']} · 检验日 {row['as_of']} · {algorithm}{T.IN_SERVICE if row['in_service'] else ''}"


def _number(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _psi_level(psi: float) -> str:
    return next(label for limit, label in T.PSI_LEVELS if psi < limit)


# ---- versions and training jobs -----------------------------------------------------------------------------------


# The page starts on the version value "" (the version shown by default), so the report's callbacks ask in the
# first round instead of waiting for the versions and the job status. A job that ends while the page is open bumps
# `model-job-done`, which reloads the versions and the report.
VERSION = (Input("model-version", "value"), Input("model-job-done", "data"))


def shown_versions(*, scored_only: bool = False) -> pd.DataFrame:
    """The versions a version selector lists: all of them, or those with scores (the scored page)."""
    frame = queries.model_versions(store(), queries.version_stamp(store()))
    return frame[frame["scored"] > 0] if scored_only else frame


def version_options(frame: pd.DataFrame) -> list[dict]:
    """A version selector's options; the version shown by default keeps the page's first value ""."""
    return default_first([(int(row["id"]), version_label(row)) for _, row in frame.iterrows()],
                         queries.shown_version(frame))


def chosen_version(value: Any, *, scored_only: bool = False) -> int | None:
    """The version id a selector value stands for: "" (or nothing) is the version shown by default, None when
    there is none."""
    if value in ("", None):
        return queries.shown_version(shown_versions(scored_only=scored_only))
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@callback(Output("model-version", "options"), Input("url", "pathname"), Input("model-job-done", "data"))
@guarded("model")
def versions(_path: str | None, _done: Any) -> list[dict]:
    return version_options(shown_versions())


@callback(Output("model-job-progress", "value"), Output("model-job-progress", "label"),
          Output("model-job-progress", "style"), Output("model-job-message", "children"),
          Output("model-job-poll", "disabled"), Output("model-job-finished", "data"),
          Input("model-job-poll", "n_intervals"), Input("url", "pathname"), State("model-job-finished", "data"))
@guarded("model")
def job_status(_n: int | None, _path: str | None, finished: Any) -> tuple:
    """Progress of the newest training job. `model-job-finished` holds the newest ended job the page has seen (the
    first call after the page opens sets it); a job that ends later reloads the versions and the report."""
    job = queries.latest_training_job(store())
    hidden = {"display": "none"}
    if job is None:
        return 0, "", hidden, "", True, 0 if finished is None else no_update
    running = job["status"] == "running" and (
        pd.Timestamp.now() - pd.Timestamp(job["started_at"]) < pd.Timedelta(hours=STALE_JOB_HOURS))
    if running:
        share = float(job["progress"] or 0.0)
        message = T.JOB_RUNNING.format(message=job["message"] or "", progress=share)
        return round(share * 100), f"{share:.0%}", {}, message, False, no_update
    if job["status"] == "done":
        message = T.JOB_DONE.format(job=job["id"], finished=f"{pd.Timestamp(job['finished_at']):%Y-%m-%d %H:%M}",
                                    version=job["model_version_id"])
    elif job["status"] == "running":
        message = T.JOB_FAILED.format(job=job["id"], message=T.JOB_STALE)
    else:
        message = T.JOB_FAILED.format(job=job["id"], message=job["message"] or "")
    marker = int(job["id"])
    if finished is not None and finished != marker:
        # The job ended while the page was open: show the version now in service (set here rather than declared
        # as outputs, so that the report never waits for this callback when the page opens).
        set_props("model-version", {"value": ""})
        set_props("model-job-done", {"data": marker})
    return 100, "", hidden, message, True, marker if finished != marker else no_update


@callback(Output("model-train-feedback", "children"), Output("model-train-feedback", "color"),
          Output("model-train-feedback", "is_open"), Output("model-job-poll", "disabled", allow_duplicate=True),
          Input("model-train", "n_clicks"), prevent_initial_call=True)
@guarded("model", "train")
def start_training(n_clicks: int | None) -> tuple:
    if not n_clicks:
        return no_update, no_update, no_update, no_update
    viewer = require("model", "train")
    try:
        job_id = launch_training(store(), viewer.username, app_root=ROOT, log_dir=INSTANCE / "logs")
    except TrainingError as error:
        return str(error), "warning", True, False
    return T.TRAIN_STARTED.format(job=job_id), "info", True, False


# ---- the report -------------------------------------------------------------------------------------------------


def _kpis(report: dict) -> list:
    champion = report["models"][report["champion"]]
    oracle = report.get("oracle_auc")
    psi = report["psi"]["psi"]
    return [
        T.ALGORITHMS_SHORT.get(report["algorithm"], report["algorithm"]),
        T.ALGORITHMS.get(report["algorithm"], report["algorithm"]),
        _number(report["auc"]),
        T.AUC_NOTE.format(as_of=report["as_of"], train_as_of=report["train_as_of"]),
        _number(oracle),
        T.ORACLE_NOTE.format(gap=report["oracle_gap"]) if oracle is not None else T.ORACLE_NONE,
        _number(report["ks"]),
        T.KS_NOTE.format(gini=report["gini"]) if report["gini"] is not None else "",
        _number(report["brier"], 4),
        T.BRIER_NOTE.format(rate=champion["observed_rate"]),
        _number(psi),
        T.PSI_NOTE.format(scored=report["scored_as_of"], level=_psi_level(psi)),
    ]


def compare_table(report: dict) -> html.Div:
    """Metrics of both models side by side, the champion's column marked, with the baseline, oracle and rule."""
    rows = []
    for metric in _COMPARE_METRICS:
        row = {"指标": T.METRIC_NAMES[metric]}
        for model in ("scorecard", "challenger"):
            value = report["models"][model].get(metric)
            digits = 4 if metric == "brier" else 3
            row[T.MODEL_COLUMNS[model]] = ("—" if value is None else f"{value:.2%}" if metric in _PERCENT_METRICS
                                           else f"{value:.{digits}f}")
        rows.append(row)
    champion = T.MODEL_COLUMNS["scorecard" if report["champion"] == "scorecard" else "challenger"]
    table = dbc.Table.from_dataframe(pd.DataFrame(rows), striped=True, bordered=False, hover=True, size="sm",
                                     className="mb-2")
    notes = [
        html.Div([html.Span(f"{T.KPI_CHAMPION}：", className="fw-semibold"), champion]),
        html.Div([html.Span(f"{T.MODEL_COLUMNS['baseline']} AUC：", className="fw-semibold"),
                  f"{_number(report['baseline_auc'])}（{report['baseline']}）"]),
        html.Div([html.Span(f"{T.MODEL_COLUMNS['oracle']} AUC：", className="fw-semibold"),
                  f"{_number(report.get('oracle_auc'))}（{report.get('oracle_subjects', 0):,} 个检验主体）"]),
        html.Div([html.Span(f"{T.TARGET}：", className="fw-semibold"), report["target"]]),
        html.Div([html.Span(f"{T.COMPARE_RULE}：", className="fw-semibold"), report["rule"]]),
    ]
    return html.Div([table, html.Div(notes, className="small")])


def distribution_frame(rows: list[dict], key: str) -> pd.DataFrame:
    """Report rows with per-grade counts -> long frame (group name, grade, subjects)."""
    records = [{"name": row["name"], key: row[key], "grade": grade, "subjects": count}
               for row in rows for grade, count in row["grades"].items()]
    return pd.DataFrame(records, columns=["name", key, "grade", "subjects"])


def _report(version_value: Any) -> dict | None:
    """The chosen version's report (cached: the report callbacks below share one read), None without one."""
    version_id = chosen_version(version_value)
    return queries.model_report(store(), version_id) if version_id else None


def _feature_rows(report: dict) -> list[dict]:
    features = pd.DataFrame(report["features"])
    if not features.empty:
        features["segment_name"] = features["segment"].map(T.SEGMENT_NAMES)
        features["selected_name"] = features["selected"].map({True: T.YES, False: T.NO})
        features = features.sort_values(["segment", "selected", "iv"], ascending=[False, False, False])
    return features.to_dict("records")


# The report is filled by several callbacks on the same input, each returning the texts, the tables or at most two
# figures, so that no single response builds and serialises every figure of the page.


@callback(
    Output("model-empty", "is_open"),
    *kpi_outputs("model-kpi-champion",
                 "model-kpi-auc",
                 "model-kpi-oracle",
                 "model-kpi-ks",
                 "model-kpi-brier",
                 "model-kpi-psi"),
    Output("model-compare", "children"),
    *VERSION,
)
@guarded("model")
def report_view(version_value: Any, _done: Any) -> tuple:
    """The report's KPIs and model comparison."""
    report = _report(version_value)
    if report is None:
        return (True, *(["—", ""] * 6), "")
    return (False, *_kpis(report), compare_table(report))


@callback(Output("model-features-grid", "rowData"), Output("model-bands-grid", "rowData"),
          Output("model-history-grid", "rowData"), *VERSION)
@guarded("model")
def report_tables(version_value: Any, _done: Any) -> tuple:
    """The report's feature and grade-band tables and the version history (a section drawn when scrolled to)."""
    history = history_rows(queries.model_versions(store(), queries.version_stamp(store())))
    report = _report(version_value)
    if report is None:
        return [], [], history
    return _feature_rows(report), pd.DataFrame(report["grade_bands"]).to_dict("records"), history


@callback(Output("model-calibration", "figure"), Output("model-histogram", "figure"), *VERSION)
@guarded("model")
def report_fit(version_value: Any, _done: Any) -> tuple:
    """Calibration of both models and the score histogram (training day against the scoring day)."""
    report = _report(version_value)
    if report is None:
        return figures.empty_figure(T.CALIBRATION_TITLE), figures.empty_figure(T.HISTOGRAM_TITLE)
    curves = {T.MODEL_COLUMNS[name]: report["models"][name]["calibration"] for name in ("scorecard", "challenger")}
    calibration = figures_model.calibration_curve(curves, T.CALIBRATION_TITLE, x_title=T.CALIBRATION_PREDICTED,
                                                  y_title=T.CALIBRATION_OBSERVED, diagonal=T.CALIBRATION_DIAGONAL)
    histogram = report["score_histogram"]
    series = {T.HISTOGRAM_TRAIN.format(date=report["train_as_of"]): histogram["train"],
              T.HISTOGRAM_CURRENT.format(date=report["scored_as_of"]): histogram["current"]}
    histogram_figure = figures_model.score_histogram(histogram["edges"], series, T.HISTOGRAM_TITLE,
                                                     x_title=T.UNIT_POINTS, y_title=T.SHARE)
    return calibration, histogram_figure


def _report_figure(version_value: Any, title: str, build: Callable[[dict], Any]) -> Any:
    """One chart of a version's report (an empty chart when there is no report)."""
    report = _report(version_value)
    return figures.empty_figure(title) if report is None else build(report)


@callback(Output("model-grades", "figure"), *VERSION)
@guarded("model")
def report_grades(version_value: Any, _done: Any) -> Any:
    """The grade distribution of the scored population."""
    return _report_figure(version_value, T.GRADES_TITLE, lambda report: figures_model.grade_bar(
        pd.DataFrame({"grade": list(report["grade_distribution"]),
                      "subjects": list(report["grade_distribution"].values())}), T.GRADES_TITLE, T.UNIT_SUBJECTS))


@callback(Output("model-kind-grades", "figure"), *VERSION)
@guarded("model")
def report_kind_grades(version_value: Any, _done: Any) -> Any:
    """The grade mix per kind of subject."""
    return _report_figure(version_value, T.KIND_GRADES_TITLE, lambda report: figures_model.grade_mix(
        distribution_frame(report["by_kind"], "kind"), "name", T.KIND_GRADES_TITLE, height=400))


@callback(Output("model-town-scores", "figure"), *VERSION)
@guarded("model")
def report_towns(version_value: Any, _done: Any) -> Any:
    """The mean score per town."""
    return _report_figure(version_value, T.TOWN_SCORE_TITLE, lambda report: figures_model.mean_score_bar(
        pd.DataFrame(report["by_town"]), "name", T.TOWN_SCORE_TITLE, T.UNIT_POINTS))


def history_rows(frame: pd.DataFrame) -> list[dict]:
    if frame.empty:
        return []
    rows = frame.copy()
    rows["created_at"] = pd.to_datetime(rows["created_at"]).dt.strftime("%Y-%m-%d %H:%M")
    rows["as_of"] = rows["as_of"].astype(str)
    rows["algorithm_name"] = rows["algorithm"].map(T.ALGORITHMS).fillna(rows["algorithm"])
    rows["in_service_name"] = rows["in_service"].map({True: T.YES, False: T.NO})
    return rows.drop(columns=["scored_as_of"]).to_dict("records")


@callback(Output("model-points-grid", "rowData"), Output("model-points-note", "children"),
          *VERSION, Input("model-points-segment", "value"))
@guarded("model")
def points_table(version_value: Any, _done: Any, segment: str | None) -> tuple[list[dict], str]:
    report = _report(version_value)
    if report is None:
        return [], ""
    table = pd.DataFrame(report["points_table"])
    table = table[table["segment"] == (segment if segment in T.SEGMENT_NAMES else "person")]
    scaling = report["scorecard_scaling"]
    note = T.POINTS_NOTE.format(base=scaling["base_points"], odds=scaling["base_odds"], pdo=scaling["pdo"])
    return table.round({"woe": 4, "points": 2}).to_dict("records"), note


@callback(Output("model-download", "data"), Input("model-export", "n_clicks"), State("model-version", "value"),
          prevent_initial_call=True)
@guarded("model", "export")
def export_report(n_clicks: int | None, version_value: Any) -> dict:
    version_id = chosen_version(version_value)
    if not n_clicks or not version_id:
        return no_update
    viewer = require("model", "export")
    report = queries.model_report(store(), version_id)
    if report is None:
        return no_update
    metrics = pd.DataFrame([
        {"指标": T.METRIC_NAMES[m], **{T.MODEL_COLUMNS[name]: report["models"][name].get(m)
                                      for name in ("scorecard", "challenger")}}
        for m in _COMPARE_METRICS
    ])
    notes = [f"模型版本 {version_id}，检验日 {report['as_of']}，训练日 {report['train_as_of']}",
             f"冠军：{T.ALGORITHMS.get(report['algorithm'])}；理论最优 AUC：{_number(report.get('oracle_auc'))}",
             f"{T.COMPARE_RULE}：{report['rule']}"]
    points = pd.DataFrame(report["points_table"])
    points["segment"] = points["segment"].map(T.SEGMENT_NAMES)
    features = pd.DataFrame(report["features"])
    features["segment"] = features["segment"].map(T.SEGMENT_NAMES)
    sheets = [
        Sheet("检验指标", metrics, f"{T.MODEL_TITLE}：{T.COMPARE_TITLE}", notes=notes),
        Sheet("分数表", points[["segment", "label", "bin", "count", "bads", "bad_rate", "woe", "points"]],
              T.POINTS_TITLE, headers={"segment": T.POINTS_SEGMENT, **T.POINTS_COLUMNS}),
        Sheet("变量", features[["segment", "label", "iv", "selected", "coefficient", "dropped"]], T.FEATURES_TITLE,
              headers={"segment": T.POINTS_SEGMENT, **T.FEATURE_COLUMNS}),
        Sheet("等级划分", pd.DataFrame(report["grade_bands"]), T.BANDS_TITLE, headers=T.BAND_COLUMNS),
    ]
    return excel_download(viewer, f"信用评价模型_版本{version_id}_{today():%Y%m%d}.xlsx", sheets,
                          target=f"model:{version_id}")
