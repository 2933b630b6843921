"""Callbacks of the landing page."""

from __future__ import annotations

import pandas as pd
from dash import Input, Output, callback, no_update

from callbacks.common import excel_download, store, today
from data.queries import home as queries
from security.access import guarded, require
from ui import figures
from ui import text as T
from ui.components import kpi_outputs
from ui.export import Sheet


@callback(Output("home-year", "options"), Input("url", "pathname"))
@guarded("home")
def year_options(_path: str) -> list[dict]:
    """The years with records. The value stays as the page set it (every year), so the charts do not wait for
    this answer: they ask in the same round as this callback."""
    years = queries.record_years(store())
    return [{"label": T.ALL, "value": ""}] + [{"label": f"{y} 年", "value": y} for y in years]


# The landing page is split so that each request costs a few times what one small figure does: the KPIs, the
# lists table (drawn when it comes into view), and two callbacks of two figures each. They ask the same memoised
# queries, so a year change still computes each query once.


def _period(year: str | None) -> str:
    return f"{year} 年" if year else "全部年度"


def _records_of(year: str | None) -> pd.DataFrame:
    """Records by category and bureau of the chosen year (every year when none is chosen)."""
    return queries.records_by_type_and_bureau(store(), year or None)


@callback(
    *kpi_outputs("home-kpi-subjects", "home-kpi-records", "home-kpi-black", "home-kpi-red"),
    Input("home-year", "value"),
)
@guarded("home")
def landing_kpis(year: str | None) -> tuple:
    subjects = queries.subjects_by_kind_and_town(store())
    records = _records_of(year)
    lists = queries.list_entries_by_type(store(), today())

    legal = subjects[subjects["kind"] != "person"]["subjects"].sum()
    persons = subjects[subjects["kind"] == "person"]["subjects"].sum()
    black = int(lists.loc[lists["color"] == "black", "active"].sum())
    red = int(lists.loc[lists["color"] == "red", "active"].sum())
    return (
        f"{int(subjects['subjects'].sum()):,}",
        f"法人及其他组织 {int(legal):,} · 自然人 {int(persons):,}",
        f"{int(records['records'].sum()):,}",
        f"{_period(year)}，{records['record_type_code'].nunique()} 类信息",
        f"{black:,}",
        f"截至 {today():%Y-%m-%d} 在列主体",
        f"{red:,}",
        f"截至 {today():%Y-%m-%d} 在列主体",
    )


@callback(Output("home-lists-grid", "rowData"), Input("home-lists-grid", "id"))
@guarded("home")
def landing_lists(_id: str | None) -> list[dict]:
    """Entries in force, listed, removed and expired per list, when the grid is drawn (the lists are not by year, so
    a year change leaves it)."""
    return queries.list_entries_by_type(store(), today()).to_dict("records")


@callback(Output("home-subjects-kind", "figure"), Output("home-subjects-town", "figure"), Input("home-year", "value"))
@guarded("home")
def landing_subjects(_year: str | None) -> tuple:
    subjects = queries.subjects_by_kind_and_town(store())
    by_kind = subjects.groupby("kind_name", as_index=False)["subjects"].sum().sort_values("subjects", ascending=False)
    by_town = subjects.groupby("town_name", as_index=False)["subjects"].sum()
    return (
        figures.donut(by_kind, "kind_name", "subjects", T.HOME_SUBJECTS_BY_KIND, T.UNIT_COUNT),
        figures.ranked_bar(by_town, "town_name", "subjects", T.HOME_SUBJECTS_BY_TOWN, T.UNIT_COUNT),
    )


@callback(Output("home-records-type", "figure"), Output("home-records-bureau", "figure"), Input("home-year", "value"))
@guarded("home")
def landing_records(year: str | None) -> tuple:
    records = _records_of(year)
    period = _period(year)
    by_type = records.groupby("record_type", as_index=False)["records"].sum()
    by_bureau = records.groupby("bureau", as_index=False)["records"].sum().nlargest(15, "records")
    return (
        figures.ranked_bar(by_type, "record_type", "records", f"{T.HOME_RECORDS_BY_CATEGORY}（{period}）",
                           T.UNIT_RECORDS, height=420),
        figures.ranked_bar(by_bureau, "bureau", "records", f"{T.HOME_RECORDS_BY_BUREAU}（{period}，前 15 位）",
                           T.UNIT_RECORDS, height=420),
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


