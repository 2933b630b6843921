"""Callbacks of 评分主体: versions, filtered distributions, the server-side grid, grade migration, export."""

from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd
from dash import Input, Output, State, callback, no_update

from callbacks.common import excel_download, store, today
from callbacks.model import chosen_version, shown_versions, version_label, version_options
from data.queries import model as queries
from security.access import Viewer, allowed, guarded, require
from security.auth import audit_event
from security.masking import mask_subjects
from ui import figures, figures_model
from ui import grid as ui_grid
from ui import text_model as T
from ui.components import kpi_outputs
from ui.export import Sheet

EXPORT_LIMIT = 100_000
FILTERS = (State("scored-grade", "value"), State("scored-kind", "value"), State("scored-town", "value"),
           State("scored-industry", "value"))
FILTER_INPUTS = (Input("scored-version", "value"), Input("scored-grade", "value"), Input("scored-kind", "value"),
                 Input("scored-town", "value"), Input("scored-industry", "value"))
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>])")
_A_GRADES = ("A", "A-")
_CD_GRADES = ("C+", "C", "C-", "D")


def _version(value: Any) -> int | None:
    """The chosen scored version's id ("" is the one shown by default), None when no version has scores."""
    return chosen_version(value, scored_only=True)


def _markdown_text(value: str | None) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", value or "")


def present(frame: pd.DataFrame, viewer: Viewer) -> pd.DataFrame:
    """Persons masked unless the viewer may unmask; names link to the subject's profile."""
    if frame.empty:
        return frame
    frame = mask_subjects(frame, unmask=viewer.may_unmask)
    link = allowed(viewer.role, "profile")
    frame["name"] = [f"[{_markdown_text(name)}](/profile?subject={subject})" if link else name
                     for name, subject in zip(frame["name"], frame["subject_id"], strict=True)]
    return frame


def _audit_unmasked(viewer: Viewer, frame: pd.DataFrame, target: str) -> None:
    if viewer.may_unmask and not frame.empty and (frame["kind"] == "person").any():
        persons = frame.loc[frame["kind"] == "person", "subject_id"]
        audit_event("unmask", target=target, detail={"subjects": sorted(int(s) for s in persons.unique())[:500]})


@callback(Output("scored-version", "options"), Input("url", "pathname"))
@guarded("scored")
def versions(_path: str | None) -> list[dict]:
    """The scored versions. The page starts on the value "" (the version shown by default), so the charts and the
    grid ask in the same round as this callback instead of waiting for it; that version's option keeps the value."""
    return version_options(shown_versions(scored_only=True))


@callback(Output("scored-compare", "options"), Output("scored-compare", "value"), Input("scored-version", "value"))
@guarded("scored")
def compare_versions(version_value: Any) -> tuple[list[dict], int | None]:
    version_id = _version(version_value)
    frame = queries.model_versions(store(), queries.version_stamp(store()))
    others = frame[(frame["scored"] > 0) & (frame["id"] != version_id)]
    options = [{"label": version_label(row), "value": int(row["id"])} for _, row in others.iterrows()]
    older = others[others["id"] < (version_id or 0)]
    return options, int(older["id"].iloc[0]) if not older.empty else None


def _filtered(version_id: int, stamp: queries.Stamp, grades: Any, kinds: Any, towns: Any,
              industries: Any) -> pd.DataFrame:
    """The version's chart-grain summary (cached: the distribution callbacks share one query) under the filters."""
    summary = queries.score_summary(store(), version_id, stamp)
    return queries.ScoreFilter.of(grades, kinds, towns, industries).apply(summary)


def _chart_frame(version_value: Any, *filters: Any) -> pd.DataFrame | None:
    """The filtered summary the distribution charts draw; None without a version or without a subject."""
    version_id = _version(version_value)
    if version_id is None:
        return None
    frame = _filtered(version_id, queries.version_stamp(store()), *filters)
    return frame if int(frame["subjects"].sum()) else None


def _mean_score_bar(frame: pd.DataFrame, column: str, title: str) -> Any:
    """Mean score per value of `column`, ranked, the axis fitted to the range of the means."""
    means = frame.groupby(column, as_index=False)[["subjects", "score_sum"]].sum()
    means["mean_score"] = (means["score_sum"] / means["subjects"]).round(1)
    return figures_model.mean_score_bar(means, column, title, T.UNIT_POINTS)


# The filtered distribution is filled by five callbacks on the same inputs: the KPIs, then one figure each, so
# that no single response builds and serialises every chart of the page.


@callback(
    Output("scored-empty", "is_open"),
    *kpi_outputs("scored-kpi-subjects", "scored-kpi-mean", "scored-kpi-a", "scored-kpi-cd"),
    *FILTER_INPUTS,
)
@guarded("scored")
def distribution_kpis(version_value: Any, grades: Any, kinds: Any, towns: Any, industries: Any) -> tuple:
    version_id = _version(version_value)
    if version_id is None:
        return (True, *(["—", ""] * 4))
    stamp = queries.version_stamp(store())
    frame = _filtered(version_id, stamp, grades, kinds, towns, industries)
    subjects = int(frame["subjects"].sum())
    versions_frame = queries.model_versions(store(), stamp)
    row = versions_frame[versions_frame["id"] == version_id]
    note = T.SCORED_NOTE.format(version=version_id, as_of=row["scored_as_of"].iloc[0] if not row.empty else "")
    if subjects == 0:
        return (False, "0", note, "—", "", "—", "", "—", "")
    mean = float(frame["score_sum"].sum()) / subjects
    a_subjects = int(frame.loc[frame["grade"].isin(_A_GRADES), "subjects"].sum())
    cd_subjects = int(frame.loc[frame["grade"].isin(_CD_GRADES), "subjects"].sum())
    mean_probability = float(frame["probability_sum"].sum()) / subjects
    return (
        False,
        f"{subjects:,}", note,
        f"{mean:.1f}", f"平均违约概率 {mean_probability:.2%}",
        f"{a_subjects / subjects:.1%}", f"A、A- 级 {a_subjects:,} 个",
        f"{cd_subjects / subjects:.1%}", f"C+ 至 D 级 {cd_subjects:,} 个",
    )


def _chart(build, empty_title: str, version_value: Any, *filters: Any) -> Any:
    """One chart of the scored population under the page's filters (an empty chart without data)."""
    frame = _chart_frame(version_value, *filters)
    return figures.empty_figure(empty_title) if frame is None else build(frame)


@callback(Output("scored-grades", "figure"), *FILTER_INPUTS)
@guarded("scored")
def distribution_grades(*values: Any) -> Any:
    return _chart(lambda f: figures_model.grade_bar(f, T.SCORED_GRADES_TITLE, T.UNIT_SUBJECTS),
                  T.SCORED_GRADES_TITLE, *values)


@callback(Output("scored-kinds", "figure"), *FILTER_INPUTS)
@guarded("scored")
def distribution_kinds(*values: Any) -> Any:
    return _chart(lambda f: figures_model.grade_mix(f, "kind_name", T.SCORED_KIND_TITLE, height=380),
                  T.SCORED_KIND_TITLE, *values)


@callback(Output("scored-towns", "figure"), *FILTER_INPUTS)
@guarded("scored")
def distribution_towns(*values: Any) -> Any:
    return _chart(lambda f: _mean_score_bar(f, "town_name", T.SCORED_TOWN_TITLE), T.SCORED_TOWN_TITLE, *values)


@callback(Output("scored-industries", "figure"), *FILTER_INPUTS)
@guarded("scored")
def distribution_industries(*values: Any) -> Any:
    return _chart(lambda f: _mean_score_bar(f, "industry_name", T.SCORED_INDUSTRY_TITLE), T.SCORED_INDUSTRY_TITLE,
                  *values)


@callback(Output("scored-migration", "figure"), Input("scored-compare", "value"), *FILTER_INPUTS)
@guarded("scored")
def migration(compare_value: Any, version_value: Any, grades: Any, kinds: Any, towns: Any, industries: Any) -> Any:
    version_id, old_id = _version(version_value), _version(compare_value)
    if version_id is None or old_id is None or old_id == version_id:
        return figures.empty_figure(T.MIGRATION_NONE.split("以")[0], T.MIGRATION_NONE)
    filters = queries.ScoreFilter.of(grades, kinds, towns, industries)
    frame = queries.grade_migration(store(), old_id, version_id, filters, queries.version_stamp(store()))
    return figures_model.migration_heatmap(frame, T.MIGRATION_TITLE.format(old=old_id, new=version_id),
                                           x_title=T.MIGRATION_TO.format(new=version_id),
                                           y_title=T.MIGRATION_FROM.format(old=old_id))


def _rows(frame: pd.DataFrame) -> list[dict]:
    columns = ["subject_id", "name", "code", "kind_name", "town_name", "industry_name", "score", "grade",
               "probability", "top_reason"]
    return json.loads(frame[columns].to_json(orient="records", force_ascii=False)) if not frame.empty else []


@callback(Output("scored-grid", "getRowsResponse"), Input("scored-grid", "getRowsRequest"),
          State("scored-version", "value"), *FILTERS, prevent_initial_call=True)
@guarded("scored")
def grid_rows(grid_request: dict | None, version_value: Any, grades: Any, kinds: Any, towns: Any,
              industries: Any) -> dict:
    viewer = require("scored")
    version_id = _version(version_value)
    if version_id is None:
        return {"rowData": [], "rowCount": 0}
    frame, total = queries.scored_subjects(store(), version_id, queries.ScoreFilter.of(grades, kinds, towns,
                                                                                        industries),
                                           ui_grid.block_request(grid_request), name_filter=viewer.may_unmask)
    _audit_unmasked(viewer, frame, "scored:grid")
    return {"rowData": _rows(present(frame, viewer)), "rowCount": total}


@callback(Output("scored-grid", "filterModel"), *FILTER_INPUTS, State("scored-grid", "filterModel"),
          State("scored-grid", "getRowsRequest"), prevent_initial_call=True)
@guarded("scored")
def refresh_grid(*values: Any) -> Any:
    """A filter changed: change the hidden column's filter so the grid drops its blocks and asks again."""
    *inputs, current, requested = values
    return ui_grid.refresh_filter(current, requested, *inputs)


@callback(Output("scored-download", "data"), Input("scored-export", "n_clicks"), State("scored-version", "value"),
          *FILTERS, State("scored-grid", "filterModel"), prevent_initial_call=True)
@guarded("scored", "export")
def export_scored(n_clicks: int | None, version_value: Any, grades: Any, kinds: Any, towns: Any, industries: Any,
                  filter_model: dict | None) -> Any:
    version_id = _version(version_value)
    if not n_clicks or version_id is None:
        return no_update
    viewer = require("scored", "export")
    request = ui_grid.block_request({"startRow": 0, "endRow": EXPORT_LIMIT, "filterModel": filter_model or {}})
    frame, total = queries.scored_subjects(store(), version_id, queries.ScoreFilter.of(grades, kinds, towns,
                                                                                        industries),
                                           request, name_filter=viewer.may_unmask, max_rows=EXPORT_LIMIT)
    _audit_unmasked(viewer, frame, "scored:export")
    frame = mask_subjects(frame, unmask=viewer.may_unmask)
    columns = list(T.SCORED_COLUMNS)
    notes = [f"模型版本 {version_id}，导出日期 {today():%Y-%m-%d}",
             f"符合条件的主体：{total:,} 个" + (f"（仅导出前 {EXPORT_LIMIT:,} 个）" if total > EXPORT_LIMIT else "")]
    data = frame[columns] if not frame.empty else pd.DataFrame(columns=columns)
    sheet = Sheet(T.SCORED_TITLE, data, T.SCORED_TABLE, notes=notes, headers=T.SCORED_COLUMNS)
    return excel_download(viewer, f"评分主体_版本{version_id}_{today():%Y%m%d}.xlsx", [sheet],
                          target=f"scored:{version_id}")
