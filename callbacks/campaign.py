"""Callbacks of the civilisation-campaign integrity statistics (文明创城诚信统计)."""

from __future__ import annotations

import math
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, html, no_update
from flask import request

from callbacks.common import default_first, excel_download, store, today
from data.cache import memoize
from data.db import Store
from data.queries import campaign as queries
from data.queries import grid
from data.queries.overview import subject_kinds, valid_year
from data.reference import CAMPAIGN_UNIT_TYPES, SUBJECT_KINDS
from security.access import allowed, guarded, require
from security.masking import mask_subjects
from ui import figures
from ui import grid as ui_grid
from ui import text_campaign as TC
from ui import text_overview as TO
from ui.components import kpi_outputs
from ui.export import Sheet

KIND_NAMES = {"honour": TC.KIND_HONOUR, "activity": TC.KIND_ACTIVITY}
KIND_COLORS = {TC.KIND_HONOUR: figures.RED, TC.KIND_ACTIVITY: figures.PRIMARY}
FILTERS = [Input("campaign-year", "value"), Input("campaign-unit-type", "value"),
           Input("campaign-subject-type", "value"), Input("campaign-weights-version", "data")]


def _default_year() -> int:
    years = [y for y in queries.campaign_years(store()) if y <= today().year]
    return years[-1] if years else today().year


def _filters(year: str | int | None, unit_type: str | None,
             subject_type: str | None) -> tuple[int, str | None, tuple[str, ...] | None]:
    """Validated filters; a missing or unknown value means the newest year / every unit type / every subject."""
    chosen = valid_year(year, today()) or _default_year()
    try:
        kinds = subject_kinds(subject_type)
    except ValueError:
        kinds = None
    return chosen, unit_type if unit_type in CAMPAIGN_UNIT_TYPES else None, kinds


def _labels(unit_type: str | None, subject_type: str | None) -> tuple[str, str]:
    unit_label = CAMPAIGN_UNIT_TYPES.get(unit_type or "", TC.ALL_UNIT_TYPES)
    if subject_type == "legal":
        return unit_label, TO.LEGAL
    return unit_label, SUBJECT_KINDS.get(subject_type or "", TO.ALL_TYPES)


def _statistics(year: int, unit_type: str | None, kinds: tuple[str, ...] | None) -> pd.DataFrame:
    """The town table of `year` with the change against the year before."""
    stats = queries.town_statistics(store(), year, unit_type, kinds, today())
    change = queries.town_index_change(store(), year, unit_type, kinds, today())
    return stats.merge(change[["town_code", "index_change", "rank_change"]], on="town_code", how="left")


def _rate(count: float, base: float, scale: float) -> float | None:
    return count / base * scale if base > 0 else None


def _number(value: float | None, digits: int = 2) -> str:
    return TC.NO_VALUE if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:,.{digits}f}"


@callback(Output("campaign-year", "options"), Input("url", "pathname"))
@guarded("campaign")
def year_options(_path: str | None) -> list[dict]:
    """The years to choose from. The page starts on the value "" (the newest year, `_default_year`), so the charts
    ask in the same round as this callback instead of waiting for it; the newest year's option keeps that value."""
    years = set(queries.campaign_years(store())) | {today().year}
    return default_first([(str(y), TC.YEAR_OPTION.format(year=y)) for y in sorted(years, reverse=True)],
                         str(_default_year()))


@callback(
    Output("campaign-weights-table", "children"),
    Output("campaign-weights-source", "children"),
    Output("campaign-weights-edit-area", "hidden"),
    *(Output(f"campaign-weight-{c}", "value") for c in queries.INDEX_COMPONENTS),
    Input("url", "pathname"),
    Input("campaign-weights-version", "data"),
)
@guarded("campaign")
def weights_panel(_path: str | None, _version: int | None) -> tuple:
    """The weights in force, shown to every reader; the editor only to the roles that may change them."""
    viewer = require("campaign")
    weights = queries.index_weights(store())
    table = dbc.Table(
        [html.Thead(html.Tr([html.Th(TC.WEIGHTS_COMPONENT), html.Th(TC.WEIGHTS_WEIGHT, className="text-end")])),
         html.Tbody([html.Tr([html.Td(queries.INDEX_COMPONENT_NAMES[c]), html.Td(f"{weights[c]:.0%}",
                                                                                  className="text-end")])
                     for c in queries.INDEX_COMPONENTS])],
        size="sm", bordered=False, striped=True, className="mb-1", id="campaign-weights-values",
    )
    source = TC.WEIGHTS_SOURCE_DEFAULT if weights == queries.DEFAULT_INDEX_WEIGHTS else TC.WEIGHTS_SOURCE_SETTING
    may_edit = allowed(viewer.role, "campaign", "weights")
    return (table, source, not may_edit, *(round(weights[c] * 100, 1) for c in queries.INDEX_COMPONENTS))


@callback(Output("campaign-weights-editor", "is_open"), Input("campaign-weights-toggle", "n_clicks"),
          State("campaign-weights-editor", "is_open"), prevent_initial_call=True)
@guarded("campaign", "weights")
def toggle_weights_editor(n_clicks: int | None, is_open: bool | None) -> bool:
    return not is_open if n_clicks else no_update


@callback(
    Output("campaign-weights-feedback", "children"),
    Output("campaign-weights-feedback", "color"),
    Output("campaign-weights-feedback", "is_open"),
    Output("campaign-weights-version", "data"),
    Input("campaign-weights-save", "n_clicks"),
    *(State(f"campaign-weight-{c}", "value") for c in queries.INDEX_COMPONENTS),
    State("campaign-weights-version", "data"),
    prevent_initial_call=True,
)
@guarded("campaign", "weights")
def save_weights(n_clicks: int | None, *values: object) -> tuple:
    if not n_clicks:
        return no_update, no_update, no_update, no_update
    viewer = require("campaign", "weights")
    *weights, version = values
    try:
        queries.save_index_weights(store(), dict(zip(queries.INDEX_COMPONENTS, weights, strict=True)),
                                   user_id=viewer.user_id, username=viewer.username, role=viewer.role,
                                   ip=request.remote_addr)
    except queries.WeightsError as error:
        return TC.WEIGHTS_FAILED.format(reason=error), "danger", True, no_update
    return TC.WEIGHTS_SAVED, "success", True, (version or 0) + 1


# The statistics are split so that each request costs a few times what one small figure does: the KPIs, the towns
# table, and figure callbacks of at most two figures each (a town figure costs ~5-10 ms to build and serialise). The
# parts ask the same memoised queries, so a filter change still computes each query once.


@callback(
    *kpi_outputs("campaign-kpi-honours", "campaign-kpi-activities", "campaign-kpi-adverse-residents",
                 "campaign-kpi-adverse-legal", "campaign-kpi-black", "campaign-kpi-top"),
    *FILTERS,
)
@guarded("campaign")
def key_figures(year: str | None, unit_type: str | None, subject_type: str | None, _version: int | None) -> tuple:
    chosen, units, kinds = _filters(year, unit_type, subject_type)
    stats = queries.town_statistics(store(), chosen, units, kinds, today())
    previous = queries.town_statistics(store(), chosen - 1, units, kinds, today())

    def count_kpi(column: str) -> tuple[str, str]:
        now, before = int(stats[column].sum()), int(previous[column].sum())
        note = TC.NOTE_YOY.format(change=now - before, previous=before) if before else TC.NOTE_NO_PREVIOUS
        return f"{now:,}", note

    population = int(stats["population"].sum())
    legal = int(stats["legal_persons"].sum())
    persons_selected = stats["adverse_per_10k"].notna().any()
    legal_selected = stats["adverse_per_1k"].notna().any()
    adverse_residents = int(stats["adverse_residents"].sum())
    adverse_legal = int(stats["adverse_legal"].sum())
    black_residents, black_legal = int(stats["black_residents"].sum()), int(stats["black_legal"].sum())
    per_10k = _rate(black_residents, population, 1e4) if persons_selected else None
    per_1k = _rate(black_legal, legal, 1e3) if legal_selected else None
    ranked = stats.dropna(subset=["index"]).sort_values(["rank", "town_code"])
    top = ranked.iloc[0] if len(ranked) else None
    return (
        *count_kpi("honours"),
        *count_kpi("activities"),
        _number(_rate(adverse_residents, population, 1e4)) if persons_selected else TC.NOT_SELECTED,
        TC.NOTE_ADVERSE_RESIDENTS.format(count=adverse_residents, population=population),
        _number(_rate(adverse_legal, legal, 1e3)) if legal_selected else TC.NOT_SELECTED,
        TC.NOTE_ADVERSE_LEGAL.format(count=adverse_legal, legal=legal),
        f"{black_residents + black_legal:,}",
        TC.NOTE_BLACK.format(persons=black_residents, legal=black_legal, per_10k=_number(per_10k),
                             per_1k=_number(per_1k)),
        top["town_name"] if top is not None else TC.NO_VALUE,
        TC.NOTE_TOP.format(index=top["index"], second=ranked.iloc[1]["town_name"] if len(ranked) > 1
                           else TC.NO_VALUE) if top is not None else "",
    )


@callback(Output("campaign-ranking", "figure"), Output("campaign-treemap", "figure"), *FILTERS)
@guarded("campaign")
def index_ranking(year: str | None, unit_type: str | None, subject_type: str | None, _version: int | None) -> tuple:
    chosen, units, kinds = _filters(year, unit_type, subject_type)
    stats = queries.town_statistics(store(), chosen, units, kinds, today()).dropna(subset=["index"])
    ranking = figures.ranked_bar(stats, "town_name", "index", TC.CHART_RANKING.format(year=chosen), TC.UNIT_INDEX,
                                 height=600)
    treemap = figures.treemap(stats, "town_name", "town_kind", "population", "index",
                              TC.CHART_TREEMAP.format(year=chosen),
                              TC.UNIT_PEOPLE, TC.UNIT_INDEX, height=600)
    return ranking, treemap


@callback(Output("campaign-change", "figure"), Output("campaign-movers", "children"), *FILTERS)
@guarded("campaign")
def index_change(year: str | None, unit_type: str | None, subject_type: str | None, _version: int | None) -> tuple:
    chosen, units, kinds = _filters(year, unit_type, subject_type)
    change = queries.town_index_change(store(), chosen, units, kinds, today())
    change = change.dropna(subset=["index_change"]).copy()
    change["rank_label"] = change["rank_change"].map(lambda n: TC.RANK_CHANGE.format(change=int(n)))
    change_figure = figures.diverging_bar(change, "town_name", "index_change",
                                          TC.CHART_CHANGE.format(year=chosen, previous=chosen - 1), TC.UNIT_POINTS,
                                          text="rank_label", height=600)
    return change_figure, _movers(change)


def _movers(change: pd.DataFrame) -> list:
    if change.empty:
        return [html.Div(TC.MOVERS_NONE)]

    def names(part: pd.DataFrame) -> str:
        return "、".join(TC.MOVER_ITEM.format(town=row.town_name, change=int(row.rank_change))
                        for row in part.itertuples())

    up = change[change["rank_change"] > 0].sort_values("rank_change", ascending=False).head(3)
    down = change[change["rank_change"] < 0].sort_values("rank_change").head(3)
    return [html.Div(TC.MOVERS_UP.format(names=names(up) or TC.NO_VALUE), className="text-success"),
            html.Div(TC.MOVERS_DOWN.format(names=names(down) or TC.NO_VALUE), className="text-danger")]


def _kind_names(frame: pd.DataFrame) -> pd.DataFrame:
    """Honour or activity counts with the kind's display name beside the kind."""
    frame["kind_name"] = frame["kind"].map(KIND_NAMES)
    return frame


@callback(Output("campaign-honours-town", "figure"), *FILTERS)
@guarded("campaign")
def honours_by_town(year: str | None, unit_type: str | None, subject_type: str | None, _version: int | None) -> Any:
    chosen, units, _kinds = _filters(year, unit_type, subject_type)
    counts = _kind_names(queries.campaign_counts(store(), chosen, units))
    towns = queries.towns(store())
    order = (counts.groupby("town_name")["records"].sum().reindex(towns["town_name"], fill_value=0)
             .sort_values().index.tolist())
    return figures.stacked_bar(counts, "town_name", "kind_name", "records",
                               TC.CHART_HONOURS_TOWN.format(year=chosen), TC.UNIT_ITEMS, colors=KIND_COLORS,
                               order=order, horizontal=True, height=600)


@callback(Output("campaign-by-unit-type", "figure"), Output("campaign-quarters", "figure"), *FILTERS)
@guarded("campaign")
def honours_by_unit_type_and_quarter(year: str | None, unit_type: str | None, subject_type: str | None,
                                     _version: int | None) -> tuple:
    chosen, units, _kinds = _filters(year, unit_type, subject_type)
    counts = _kind_names(queries.campaign_counts(store(), chosen, units))
    by_unit = figures.stacked_bar(counts, "unit_type_name", "kind_name", "records",
                                  TC.CHART_UNIT_TYPE.format(year=chosen), TC.UNIT_ITEMS, colors=KIND_COLORS,
                                  order=list(CAMPAIGN_UNIT_TYPES.values()), height=290)
    quarters = _kind_names(queries.campaign_by_quarter(store(), units))
    by_quarter = figures.stacked_bar(quarters, "quarter", "kind_name", "records", TC.CHART_QUARTERS, TC.UNIT_ITEMS,
                                     colors=KIND_COLORS, order=sorted(quarters["quarter"].unique()), height=290)
    return by_unit, by_quarter


@callback(Output("campaign-resident-rates", "figure"), Output("campaign-legal-rates", "figure"), *FILTERS)
@guarded("campaign")
def town_rates(year: str | None, unit_type: str | None, subject_type: str | None, _version: int | None) -> tuple:
    chosen, units, kinds = _filters(year, unit_type, subject_type)
    stats = queries.town_statistics(store(), chosen, units, kinds, today())
    residents = figures.bar_panels(
        stats, "town_name", [("adverse_per_10k", TC.SERIES_ADVERSE, TC.UNIT_PER_10K, figures.WARNING),
                             ("black_per_10k", TC.SERIES_BLACK, TC.UNIT_PER_10K, figures.BLACK)],
        TC.CHART_RESIDENT_RATES.format(year=chosen))
    legal = figures.bar_panels(
        stats, "town_name", [("adverse_per_1k", TC.SERIES_ADVERSE, TC.UNIT_PER_1K, figures.WARNING),
                             ("black_per_1k", TC.SERIES_BLACK, TC.UNIT_PER_1K, figures.BLACK)],
        TC.CHART_LEGAL_RATES.format(year=chosen))
    return residents, legal


@callback(Output("campaign-years", "figure"), *FILTERS)
@guarded("campaign")
def district_rates(year: str | None, unit_type: str | None, subject_type: str | None, _version: int | None) -> Any:
    _chosen, _units, kinds = _filters(year, unit_type, subject_type)
    by_year = queries.district_rates_by_year(store(), kinds, today())
    by_year["label"] = [TC.YEAR_PARTIAL.format(year=y, months=m) if m < 12 else TC.YEAR_OPTION.format(year=y)
                        for y, m in zip(by_year["year"], by_year["months"], strict=True)]
    return figures.line_panels(
        by_year, "label", [("adverse_per_10k", TC.SERIES_ADVERSE_10K, TC.UNIT_PER_10K, figures.WARNING),
                           ("black_per_10k", TC.SERIES_BLACK_10K, TC.UNIT_PER_10K, figures.BLACK),
                           ("adverse_per_1k", TC.SERIES_ADVERSE_1K, TC.UNIT_PER_1K, figures.WARNING),
                           ("black_per_1k", TC.SERIES_BLACK_1K, TC.UNIT_PER_1K, figures.BLACK)],
        TC.CHART_YEARS)


def _town_rows(year: int, units: str | None, kinds: tuple[str, ...] | None) -> pd.DataFrame:
    rows = _statistics(year, units, kinds).sort_values(["rank", "town_code"], na_position="last")
    rows = rows[list(TC.TOWN_COLUMNS)].copy()
    for column in ("index", "index_change", *queries.INDEX_COMPONENTS):
        rows[column] = rows[column].astype(float).round(2)
    return rows


@memoize()
def _event_rows(data_store: Store, year: int, units: str | None) -> pd.DataFrame:
    """A year's honours and activities as the events grid and its export present them, memoised like the queries:
    the grid asks for a block at a time and each block only filters, sorts and slices this frame. The same for every
    reader (nothing here depends on the viewer), so the store, year and unit type are the whole key."""
    events = queries.campaign_events(data_store, year, units)
    # Honours can name a natural person (通州榜样): masked here for every role, as on every aggregate page.
    events = mask_subjects(events, unmask=False, kind_col="subject_kind", code_col="subject_code",
                           name_col="unit_name")
    events["kind_name"] = events["kind"].map(KIND_NAMES).fillna(events["kind"])
    events["event_date"] = events["event_date"].map(lambda d: f"{d:%Y-%m-%d}")
    return events[list(TC.EVENT_COLUMNS)]


def _records(frame: pd.DataFrame) -> list[dict]:
    """Grid rows with missing numbers as empty cells (JSON has no NaN)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


@callback(Output("campaign-towns-grid", "rowData"), *FILTERS)
@guarded("campaign")
def tables(year: str | None, unit_type: str | None, subject_type: str | None, _version: int | None) -> list[dict]:
    chosen, units, kinds = _filters(year, unit_type, subject_type)
    return _records(_town_rows(chosen, units, kinds))


_EVENT_FILTERS = {**dict.fromkeys(TC.EVENT_COLUMNS, "text"), "event_date": "date"}


@callback(Output("campaign-events-grid", "getRowsResponse"), Input("campaign-events-grid", "getRowsRequest"),
          State("campaign-year", "value"), State("campaign-unit-type", "value"), prevent_initial_call=True)
@guarded("campaign")
def event_rows(grid_request: dict | None, year: str | None, unit_type: str | None) -> dict:
    """A year's honours and activities block by block (about 10,000 a year at district scale), from the cache."""
    chosen, units, _kinds = _filters(year, unit_type, None)
    frame, total = grid.frame_page(_event_rows(store(), chosen, units), _EVENT_FILTERS, grid_request)
    return {"rowData": _records(frame), "rowCount": total}


@callback(Output("campaign-events-grid", "filterModel"), Input("campaign-year", "value"),
          Input("campaign-unit-type", "value"), State("campaign-events-grid", "filterModel"),
          State("campaign-events-grid", "getRowsRequest"), prevent_initial_call=True)
@guarded("campaign")
def refresh_events(year: str | None, unit_type: str | None, current: dict | None, requested: dict | None) -> Any:
    """The year or unit type changed: the grid drops its blocks and asks again."""
    return ui_grid.refresh_filter(current, requested, year, unit_type)


def _export_notes(year: int, unit_type: str | None, subject_type: str | None) -> list[str]:
    unit_label, subject_label = _labels(unit_type, subject_type)
    weights = queries.index_weights(store())
    return [TC.EXPORT_NOTE.format(year=year, unit_type=unit_label, subject_type=subject_label,
                                  day=f"{today():%Y-%m-%d}"),
            TC.EXPORT_NOTE_WEIGHTS.format(weights="；".join(f"{queries.INDEX_COMPONENT_NAMES[c]} {weights[c]:.0%}"
                                                           for c in queries.INDEX_COMPONENTS))]


@callback(Output("campaign-towns-download", "data"), Input("campaign-towns-export", "n_clicks"),
          State("campaign-year", "value"), State("campaign-unit-type", "value"),
          State("campaign-subject-type", "value"), prevent_initial_call=True)
@guarded("campaign", "export")
def export_towns(n_clicks: int | None, year: str | None, unit_type: str | None, subject_type: str | None) -> dict:
    if not n_clicks:
        return no_update
    viewer = require("campaign", "export")
    chosen, units, kinds = _filters(year, unit_type, subject_type)
    sheet = Sheet(TC.EXPORT_TOWNS, _town_rows(chosen, units, kinds), f"{TC.TOWN_TABLE}（{chosen} 年）",
                  notes=_export_notes(chosen, units, subject_type), headers=TC.TOWN_COLUMNS)
    return excel_download(viewer, f"{TC.EXPORT_TOWNS}_{chosen}_{today():%Y%m%d}.xlsx", [sheet],
                          target="campaign:towns")


@callback(Output("campaign-events-download", "data"), Input("campaign-events-export", "n_clicks"),
          State("campaign-year", "value"), State("campaign-unit-type", "value"),
          State("campaign-subject-type", "value"), prevent_initial_call=True)
@guarded("campaign", "export")
def export_events(n_clicks: int | None, year: str | None, unit_type: str | None, subject_type: str | None) -> dict:
    if not n_clicks:
        return no_update
    viewer = require("campaign", "export")
    chosen, units, _kinds = _filters(year, unit_type, subject_type)
    sheet = Sheet(TC.EXPORT_EVENTS, _event_rows(store(), chosen, units), f"{TC.EVENTS_TABLE}（{chosen} 年）",
                  notes=[*_export_notes(chosen, units, subject_type), TC.EXPORT_NOTE_MASK],
                  headers=TC.EVENT_COLUMNS)
    return excel_download(viewer, f"{TC.EXPORT_EVENTS}_{chosen}_{today():%Y%m%d}.xlsx", [sheet],
                          target="campaign:events")
