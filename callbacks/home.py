"""Callbacks of the landing page."""

from __future__ import annotations

from dash import Input, Output, callback, no_update

from callbacks.common import excel_download, store, today
from data.queries import home as queries
from security.access import guarded, require
from ui import figures
from ui import text as T
from ui.components import kpi_outputs
from ui.export import Sheet


@callback(Output("home-year", "options"), Output("home-year", "value"), Input("url", "pathname"))
@guarded("home")
def year_options(_path: str) -> tuple[list[dict], str]:
    years = queries.record_years(store())
    options = [{"label": T.ALL, "value": ""}] + [{"label": f"{y} 年", "value": y} for y in years]
    return options, ""


@callback(
    *kpi_outputs("home-kpi-subjects", "home-kpi-records", "home-kpi-black", "home-kpi-red"),
    Output("home-subjects-kind", "figure"),
    Output("home-subjects-town", "figure"),
    Output("home-records-type", "figure"),
    Output("home-records-bureau", "figure"),
    Output("home-lists-grid", "rowData"),
    Input("home-year", "value"),
)
@guarded("home")
def landing(year: str | None) -> tuple:
    subjects = queries.subjects_by_kind_and_town(store())
    records = queries.records_by_type_and_bureau(store(), year or None)
    lists = queries.list_entries_by_type(store(), today())

    by_kind = subjects.groupby("kind_name", as_index=False)["subjects"].sum().sort_values("subjects", ascending=False)
    by_town = subjects.groupby("town_name", as_index=False)["subjects"].sum()
    legal = subjects[subjects["kind"] != "person"]["subjects"].sum()
    persons = subjects[subjects["kind"] == "person"]["subjects"].sum()
    period = f"{year} 年" if year else "全部年度"
    by_type = records.groupby("record_type", as_index=False)["records"].sum()
    by_bureau = records.groupby("bureau", as_index=False)["records"].sum().nlargest(15, "records")
    black = int(lists.loc[lists["color"] == "black", "active"].sum())
    red = int(lists.loc[lists["color"] == "red", "active"].sum())
    return (
        f"{int(subjects['subjects'].sum()):,}",
        f"法人及其他组织 {int(legal):,} · 自然人 {int(persons):,}",
        f"{int(records['records'].sum()):,}",
        f"{period}，{records['record_type_code'].nunique()} 类信息",
        f"{black:,}",
        f"截至 {today():%Y-%m-%d} 在列主体",
        f"{red:,}",
        f"截至 {today():%Y-%m-%d} 在列主体",
        figures.donut(by_kind, "kind_name", "subjects", T.HOME_SUBJECTS_BY_KIND, T.UNIT_COUNT),
        figures.ranked_bar(by_town, "town_name", "subjects", T.HOME_SUBJECTS_BY_TOWN, T.UNIT_COUNT),
        figures.ranked_bar(by_type, "record_type", "records", f"{T.HOME_RECORDS_BY_CATEGORY}（{period}）",
                           T.UNIT_RECORDS, height=420),
        figures.ranked_bar(by_bureau, "bureau", "records", f"{T.HOME_RECORDS_BY_BUREAU}（{period}，前 15 位）",
                           T.UNIT_RECORDS, height=420),
        lists.to_dict("records"),
    )


@callback(Output("home-lists-download", "data"), Input("home-lists-export", "n_clicks"),
          prevent_initial_call=True)
@guarded("home", "export")
def export_lists(n_clicks: int | None) -> dict:
    if not n_clicks:
        return no_update
    viewer = require("home", "export")
    lists = queries.list_entries_by_type(store(), today())
    columns = ["list_type", "color_name", "issuer", "active", "listed_total", "removed", "expired"]
    headers = {c: T.COLUMN_NAMES.get(c.replace("color_name", "color"), c) for c in columns}
    sheet = Sheet("红黑名单", lists[columns], f"{T.HOME_LIST_TABLE}", notes=[f"统计日期：{today():%Y-%m-%d}"],
                  headers=headers)
    return excel_download(viewer, f"红黑名单统计_{today():%Y%m%d}.xlsx", [sheet], target="home:lists")


