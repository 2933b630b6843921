"""Callbacks of the leadership overview (领导驾驶舱): filters -> read models -> KPI texts, figures, tables."""

from __future__ import annotations

import pandas as pd
from dash import Input, Output, State, callback, ctx, no_update

from callbacks.common import default_first, excel_download, store, today
from data.queries import assessment as assessment_queries
from data.queries import campaign as campaign_queries
from data.queries import home as home_queries
from data.queries import overview as queries
from data.reference import DOUBLE_PUBLICITY_WORKING_DAYS, SUBJECT_KINDS
from security.access import guarded, require
from security.masking import mask_subjects
from ui import figures
from ui import text as T
from ui import text_overview as TO
from ui.components import kpi_outputs
from ui.export import Sheet

# Where each figure's explanation lives: clicking the figure (or its link) opens that page.
CLICK_TARGETS: dict[str, str] = {
    "overview-records-trend": "/assessment",
    "overview-subjects": "/",
    "overview-lists": "/lists",
    "overview-on-time": "/assessment",
    "overview-objections": "/lists",
    "overview-risks-grid": "/lists",
    "overview-honours-grid": "/lists",
}
GRADE_COLORS = {"A": figures.GOOD, "B": figures.PRIMARY, "C": figures.WARNING, "D": figures.RED}


def _grades_target(model: pd.DataFrame) -> str:
    """Scored subjects once a model has scored them; the model page (to train one) before that."""
    return "/model" if model.empty else "/scored"


def _default_year() -> int:
    """The newest year with records (not beyond this year); this year when the store is empty."""
    years = [int(y) for y in home_queries.record_years(store()) if int(y) <= today().year]
    return years[-1] if years else today().year


def _filters(year: str | int | None, subject_type: str | None) -> tuple[int, tuple[str, ...] | None, str]:
    """The year, the subject kinds and the filter's label; missing or unknown values fall back to all/newest."""
    chosen = queries.valid_year(year, today()) or _default_year()
    try:
        kinds = queries.subject_kinds(subject_type)
    except ValueError:
        subject_type, kinds = "", None
    if not subject_type:
        label = TO.ALL_TYPES
    elif subject_type == "legal":
        label = TO.LEGAL
    else:
        label = SUBJECT_KINDS[subject_type]
    return chosen, kinds, label


def _as_of(year: int) -> str:
    return f"{queries.period_bounds(year, today())[1]:%Y-%m-%d}"


@callback(Output("overview-year", "options"), Input("url", "pathname"))
@guarded("overview")
def year_options(_path: str | None) -> list[dict]:
    """The years to choose from. The page starts on the value "" (the newest year, `_default_year`), so the charts
    ask in the same round as this callback instead of waiting for it; the newest year's option keeps that value."""
    years = {int(y) for y in home_queries.record_years(store())} | {today().year}
    return default_first([(str(y), TO.YEAR_OPTION.format(year=y)) for y in sorted(years, reverse=True)],
                         str(_default_year()))


@callback(
    *kpi_outputs("overview-kpi-subjects", "overview-kpi-records", "overview-kpi-black", "overview-kpi-red"),
    Input("overview-year", "value"),
    Input("overview-subject-type", "value"),
)
@guarded("overview")
def key_figures(year: str | None, subject_type: str | None) -> tuple:
    """Subjects, records and the lists. The other four cards come from a second callback that runs alongside."""
    chosen, kinds, _label = _filters(year, subject_type)
    day = _as_of(chosen)
    subjects = queries.subjects_by_kind(store(), chosen, kinds)
    persons = int(subjects.loc[subjects["kind"] == "person", "subjects"].sum())
    legal = int(subjects["subjects"].sum()) - persons

    records, previous = queries.records_year_on_year(queries.records_by_month(store(), chosen, kinds), chosen)
    records_note = (TO.NOTE_RECORDS_YOY.format(year=chosen, change=records / previous - 1, previous=previous)
                    if previous else TO.NOTE_RECORDS_NO_YOY.format(year=chosen))

    lists = queries.list_movement(store(), chosen, kinds, today())

    def list_kpi(color: str) -> tuple[str, str]:
        part = lists[lists["color"] == color]
        return f"{int(part['active_end'].sum()):,}", TO.NOTE_LIST.format(
            day=day, net=int(part["net_change"].sum()), listed=int(part["listed"].sum()),
            exited=int(part["exited"].sum()))

    return (
        f"{legal + persons:,}", TO.NOTE_SUBJECTS.format(day=day, legal=legal, persons=persons),
        f"{records:,}", records_note,
        *list_kpi("black"),
        *list_kpi("red"),
    )


@callback(
    *kpi_outputs("overview-kpi-on-time", "overview-kpi-below", "overview-kpi-objections", "overview-kpi-honours"),
    Input("overview-year", "value"),
    Input("overview-subject-type", "value"),
)
@guarded("overview")
def duty_figures(year: str | None, subject_type: str | None) -> tuple:
    """Double publicity, the bureau assessment, objections and campaign honours."""
    chosen, kinds, _label = _filters(year, subject_type)
    publicity = queries.double_publicity_by_bureau(store(), chosen, kinds)
    rate = queries.double_publicity_on_time_rate(publicity)
    on_time_note = (TO.NOTE_ON_TIME.format(year=chosen, published=int(publicity["published"].sum()),
                                           working_days=DOUBLE_PUBLICITY_WORKING_DAYS,
                                           on_time=int(publicity["on_time"].sum()),
                                           unpublished=int(publicity["unpublished"].sum()))
                    if rate is not None else TO.NOTE_ON_TIME_EMPTY.format(year=chosen))

    below = queries.bureaus_below_assessment_threshold(store(), chosen, today())
    threshold = assessment_queries.settings(store()).threshold
    below_note = (TO.NOTE_BELOW.format(year=chosen, threshold=threshold,
                                       names="、".join(below["bureau"].head(3)) + ("等" if len(below) > 3 else ""))
                  if len(below) else TO.NOTE_BELOW_NONE.format(year=chosen, threshold=threshold))

    objections = queries.open_objections(store(), kinds, today())
    if objections.empty:
        objections_value, objections_note = "0", TO.NOTE_OBJECTIONS_NONE
    else:
        oldest = objections.sort_values("oldest_days", ascending=False).iloc[0]
        objections_value = f"{int(objections['open'].sum()):,}"
        objections_note = TO.NOTE_OBJECTIONS.format(days=int(oldest["oldest_days"]), bureau=oldest["bureau"])

    campaign = campaign_queries.campaign_counts(store(), chosen, None)
    honours = int(campaign.loc[campaign["kind"] == "honour", "records"].sum())
    activities = int(campaign.loc[campaign["kind"] == "activity", "records"].sum())
    return (
        f"{rate:.1%}" if rate is not None else TO.NO_RATE, on_time_note,
        f"{len(below)}", below_note,
        objections_value, objections_note,
        f"{honours:,}", TO.NOTE_HONOURS.format(year=chosen, activities=activities),
    )


@callback(
    Output("overview-records-trend", "figure"),
    Output("overview-subjects", "figure"),
    Input("overview-year", "value"),
    Input("overview-subject-type", "value"),
)
@guarded("overview")
def records_and_subjects(year: str | None, subject_type: str | None) -> tuple:
    chosen, kinds, _label = _filters(year, subject_type)
    monthly = queries.records_by_month(store(), chosen, kinds)
    per_month = monthly.groupby(["year", "month_no"], as_index=False)["records"].sum()
    per_month["series"] = per_month["year"].map(lambda y: TO.SERIES_YEAR.format(year=y))
    per_month["month_label"] = per_month["month_no"].map(lambda m: f"{m} 月")
    per_month = per_month.sort_values(["year", "month_no"], ascending=[False, True])
    trend = figures.line_chart(
        per_month, "month_label", "series", "records", TO.CHART_RECORDS_TREND.format(year=chosen), T.UNIT_RECORDS,
        colors={TO.SERIES_YEAR.format(year=chosen): figures.PRIMARY,
                TO.SERIES_YEAR.format(year=chosen - 1): figures.MUTED},
        x_title=TO.MONTH_AXIS, x_order=[f"{m} 月" for m in range(1, 13)],
    )
    subjects = queries.subjects_by_kind(store(), chosen, kinds)
    composition = figures.ranked_bar(subjects, "kind_name", "subjects",
                                     TO.CHART_SUBJECTS.format(day=_as_of(chosen)), T.UNIT_COUNT)
    return trend, composition


@callback(
    Output("overview-lists", "figure"),
    Output("overview-on-time", "figure"),
    Input("overview-year", "value"),
    Input("overview-subject-type", "value"),
)
@guarded("overview")
def lists_and_publicity(year: str | None, subject_type: str | None) -> tuple:
    chosen, kinds, _label = _filters(year, subject_type)
    lists = queries.list_movement(store(), chosen, kinds, today())
    # Lists that never had an entry in the period carry no information for a two-minute reader.
    lists = lists[(lists["active_end"] > 0) | (lists["active_start"] > 0) | (lists["listed"] > 0)].copy()
    lists = lists.sort_values(["color", "active_end"], ascending=[True, False])
    lists["net_label"] = lists["net_change"].map(lambda n: TO.NET_CHANGE.format(net=int(n)))
    lists_figure = figures.category_bar(
        lists, "list_type", "active_end", TO.CHART_LISTS.format(day=_as_of(chosen)), T.UNIT_COUNT,
        colors=[figures.LIST_COLORS.get(c, figures.PRIMARY) for c in lists["color"]], text="net_label",
        horizontal=True, height=400,
    )
    publicity = queries.double_publicity_by_bureau(store(), chosen, kinds).dropna(subset=["on_time_rate"])
    # The district's own rate is the reference: red bars are the bureaus that pull it down.
    district = queries.double_publicity_on_time_rate(publicity) or 0.0
    on_time_figure = figures.target_bar(publicity, "bureau", "on_time_rate", TO.CHART_ON_TIME.format(year=chosen),
                                        T.UNIT_PERCENT, district, TO.DISTRICT_RATE_LABEL.format(rate=district),
                                        height=400)
    return lists_figure, on_time_figure


@callback(
    Output("overview-grades", "figure"),
    Output("overview-grades-link", "href"),
    Output("overview-objections", "figure"),
    Input("overview-year", "value"),
    Input("overview-subject-type", "value"),
)
@guarded("overview")
def grades_and_objections(year: str | None, subject_type: str | None) -> tuple:
    _chosen, kinds, _label = _filters(year, subject_type)
    model = queries.scoring_model(store())
    grades_link = _grades_target(model)
    if model.empty:
        grades_figure = figures.empty_figure(TO.CHART_GRADES_EMPTY_TITLE, TO.GRADES_EMPTY)
    else:
        grades = queries.credit_grade_distribution(store(), kinds)
        grades["label"] = grades["share"].map(lambda s: f"{s:.1%}")
        model_label = TO.MODEL_LABEL.format(id=int(model["id"].iloc[0]),
                                            as_of=pd.Timestamp(model["as_of"].iloc[0]).strftime("%Y-%m-%d"))
        grades_figure = figures.category_bar(grades, "grade", "subjects", TO.CHART_GRADES.format(model=model_label),
                                             T.UNIT_COUNT, colors=[GRADE_COLORS[g[0]] for g in grades["grade"]],
                                             text="label", height=340)
    objections = queries.open_objections(store(), kinds, today())
    objections_figure = (figures.ranked_bar(objections, "bureau", "open", TO.CHART_OBJECTIONS, "件",
                                            color=figures.WARNING, height=340)
                         if not objections.empty else
                         figures.empty_figure(TO.CHART_OBJECTIONS, TO.OBJECTIONS_EMPTY))
    return grades_figure, grades_link, objections_figure


def _risk_rows(year: int, kinds: tuple[str, ...] | None) -> pd.DataFrame:
    """Recent black-list entries and serious penalties as one table, newest first, persons' names masked."""
    black = queries.recent_list_entries(store(), "black", year, kinds, today())
    penalties = queries.recent_serious_penalties(store(), year, kinds, today())
    black_rows = pd.DataFrame({
        "date": black["listed_on"],
        "category": black["list_type"].map(lambda name: TO.RISK_BLACK.format(list_type=name)),
        "subject_name": black["subject_name"], "subject_kind": black["subject_kind"],
        "kind_name": black["kind_name"], "town": black["town"], "bureau": black["bureau"],
        "detail": black["reason"].fillna(""),
        "status": black["in_force"].map({True: TO.IN_FORCE, False: TO.NOT_IN_FORCE}),
    })
    penalty_rows = pd.DataFrame({
        "date": penalties["decision_date"],
        "category": TO.RISK_PENALTY,
        "subject_name": penalties["subject_name"], "subject_kind": penalties["subject_kind"],
        "kind_name": penalties["kind_name"], "town": penalties["town"], "bureau": penalties["bureau"],
        "detail": [TO.DETAIL_PENALTY.format(amount=a, document=d) if pd.notna(a)
                   else TO.DETAIL_PENALTY_NO_AMOUNT.format(document=d)
                   for a, d in zip(penalties["amount"], penalties["document_no"], strict=True)],
        "status": "",
    })
    parts = [part for part in (black_rows, penalty_rows) if not part.empty]
    return _finish_rows(pd.concat(parts, ignore_index=True) if parts else black_rows)


def _honour_rows(year: int, kinds: tuple[str, ...] | None) -> pd.DataFrame:
    red = queries.recent_list_entries(store(), "red", year, kinds, today())
    rows = pd.DataFrame({
        "date": red["listed_on"], "category": red["list_type"], "subject_name": red["subject_name"],
        "subject_kind": red["subject_kind"], "kind_name": red["kind_name"], "town": red["town"],
        "bureau": red["bureau"], "detail": red["reason"].fillna(""),
        "status": red["in_force"].map({True: TO.IN_FORCE, False: TO.NOT_IN_FORCE}),
    })
    return _finish_rows(rows)


def _finish_rows(rows: pd.DataFrame) -> pd.DataFrame:
    # The overview is an aggregate screen: natural persons' names stay masked for every role here; the subject
    # profile page is where an entitled role unmasks them (audited).
    rows = mask_subjects(rows, unmask=False, kind_col="subject_kind", code_col="subject_code",
                         name_col="subject_name")
    rows = rows.sort_values("date", ascending=False, kind="stable").reset_index(drop=True)
    rows["date"] = rows["date"].map(lambda d: f"{d:%Y-%m-%d}" if pd.notna(d) else "")
    return rows[list(TO.COLUMNS)]


@callback(
    Output("overview-risks-grid", "rowData"),
    Output("overview-honours-grid", "rowData"),
    Input("overview-year", "value"),
    Input("overview-subject-type", "value"),
)
@guarded("overview")
def risks_and_honours(year: str | None, subject_type: str | None) -> tuple:
    chosen, kinds, _label = _filters(year, subject_type)
    return _risk_rows(chosen, kinds).to_dict("records"), _honour_rows(chosen, kinds).to_dict("records")


def _export(year: str | None, subject_type: str | None, which: str) -> dict:
    viewer = require("overview", "export")
    chosen, kinds, label = _filters(year, subject_type)
    rows, title = ((_risk_rows(chosen, kinds), TO.RISKS_TABLE) if which == "risks"
                   else (_honour_rows(chosen, kinds), TO.HONOURS_TABLE))
    name = TO.EXPORT_RISKS if which == "risks" else TO.EXPORT_HONOURS
    notes = [TO.EXPORT_NOTE_PERIOD.format(year=chosen, subject_type=label, day=f"{today():%Y-%m-%d}"),
             TO.EXPORT_NOTE_MASK]
    sheet = Sheet(name, rows, title, notes=notes, headers=TO.COLUMNS)
    return excel_download(viewer, f"{name}_{chosen}_{today():%Y%m%d}.xlsx", [sheet], target=f"overview:{which}")


@callback(Output("overview-risks-download", "data"), Input("overview-risks-export", "n_clicks"),
          State("overview-year", "value"), State("overview-subject-type", "value"), prevent_initial_call=True)
@guarded("overview", "export")
def export_risks(n_clicks: int | None, year: str | None, subject_type: str | None) -> dict:
    if not n_clicks:
        return no_update
    return _export(year, subject_type, "risks")


@callback(Output("overview-honours-download", "data"), Input("overview-honours-export", "n_clicks"),
          State("overview-year", "value"), State("overview-subject-type", "value"), prevent_initial_call=True)
@guarded("overview", "export")
def export_honours(n_clicks: int | None, year: str | None, subject_type: str | None) -> dict:
    if not n_clicks:
        return no_update
    return _export(year, subject_type, "honours")


def _follow(clicks: tuple[dict | None, ...]) -> str:
    """A click on a figure or a table row opens the page that explains it."""
    source = ctx.triggered_id
    if not any(clicks) or source is None:
        return no_update
    if source == "overview-grades":
        return _grades_target(queries.scoring_model(store()))
    return CLICK_TARGETS.get(source, no_update)


# One navigation callback per section of the page (the lower two are drawn when scrolled to), so that each one's
# inputs exist together.
@callback(Output("overview-nav", "href", allow_duplicate=True),
          Input("overview-records-trend", "clickData"), Input("overview-subjects", "clickData"),
          Input("overview-lists", "clickData"), Input("overview-on-time", "clickData"), prevent_initial_call=True)
@guarded("overview")
def follow_click(*clicks: dict | None) -> str:
    return _follow(clicks)


@callback(Output("overview-nav", "href", allow_duplicate=True),
          Input("overview-grades", "clickData"), Input("overview-objections", "clickData"), prevent_initial_call=True)
@guarded("overview")
def follow_lower_click(*clicks: dict | None) -> str:
    return _follow(clicks)


@callback(Output("overview-nav", "href", allow_duplicate=True),
          Input("overview-risks-grid", "cellClicked"), Input("overview-honours-grid", "cellClicked"),
          prevent_initial_call=True)
@guarded("overview")
def follow_table_click(*clicks: dict | None) -> str:
    return _follow(clicks)
