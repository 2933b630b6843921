"""Questions the civilisation-campaign integrity statistics (文明创城诚信统计) ask, per town/street, unit type and
year, and the composite integrity index with its district-configurable weights (settings campaign.index_weights).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

import numpy as np
import pandas as pd

from data import audit
from data.cache import invalidate, memoize
from data.db import Store
from data.models import Setting
from data.queries.overview import frame, kind_filter, period_bounds, whole_counts
from data.reference import CAMPAIGN_UNIT_TYPES, TOWN_NAMES

INDEX_WEIGHTS_KEY = "campaign.index_weights"
# Components of the integrity index, each a rate per town; honours and activities count for a town, adverse
# records and black-list entries against it. Residents' rates are per 10,000 residents, legal persons' per 1,000
# legal persons registered in the town.
INDEX_COMPONENTS: tuple[str, ...] = (
    "honours_per_10k",
    "activities_per_10k",
    "adverse_per_10k",
    "adverse_per_1k",
    "black_per_10k",
    "black_per_1k",
)
POSITIVE_COMPONENTS = frozenset({"honours_per_10k", "activities_per_10k"})
DEFAULT_INDEX_WEIGHTS: dict[str, float] = {
    "honours_per_10k": 0.25,
    "activities_per_10k": 0.15,
    "adverse_per_10k": 0.20,
    "adverse_per_1k": 0.20,
    "black_per_10k": 0.10,
    "black_per_1k": 0.10,
}
INDEX_COMPONENT_NAMES: dict[str, str] = {
    "honours_per_10k": "每万人文明荣誉",
    "activities_per_10k": "每万人诚信活动",
    "adverse_per_10k": "每万人自然人失信记录",
    "adverse_per_1k": "每千户法人失信记录",
    "black_per_10k": "每万人自然人新增黑名单",
    "black_per_1k": "每千户法人新增黑名单",
}


class WeightsError(ValueError):
    """Index weights a user entered that cannot be saved (message in Chinese, naming the field and the reason)."""


@memoize()
def campaign_years(store: Store) -> list[int]:
    """Years with campaign records or credit records, newest last."""
    years = frame(
        store,
        """SELECT DISTINCT substr(month, 1, 4) AS year FROM summary_records_monthly
           UNION SELECT DISTINCT substr(CAST(event_date AS VARCHAR(10)), 1, 4) FROM campaign_records""",
    )
    return sorted({int(y) for y in years["year"].dropna()})


@memoize()
def towns(store: Store) -> pd.DataFrame:
    """The 22 township-level units from the store: town_code, town_name, town_kind, population."""
    result = frame(store, "SELECT code AS town_code, name AS town_name, kind AS town_kind, population FROM towns")
    return result.sort_values("town_code").reset_index(drop=True)


@memoize()
def campaign_counts(store: Store, year: int, unit_type: str | None) -> pd.DataFrame:
    """Honours and integrity activities in `year`: town_code, unit_type, kind (honour/activity), item, records."""
    params: dict = {"start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31)}
    where = ""
    if unit_type:
        where, params["unit_type"] = " AND unit_type = :unit_type", unit_type
    result = frame(
        store,
        f"""SELECT town_code, unit_type, kind, item, COUNT(*) AS records FROM campaign_records
            WHERE event_date >= :start AND event_date <= :end{where}
            GROUP BY town_code, unit_type, kind, item""",
        params,
    )
    result["records"] = result["records"].astype("int64")
    result["unit_type_name"] = result["unit_type"].map(CAMPAIGN_UNIT_TYPES).fillna(result["unit_type"])
    result["town_name"] = result["town_code"].map(TOWN_NAMES).fillna("未知")
    return result


@memoize()
def campaign_by_quarter(store: Store, unit_type: str | None) -> pd.DataFrame:
    """Honours and activities per quarter over all years: quarter (2025Q1), kind, records."""
    params: dict = {}
    where = ""
    if unit_type:
        where, params["unit_type"] = " WHERE unit_type = :unit_type", unit_type
    rows = frame(store, f"SELECT event_date, kind FROM campaign_records{where}", params)
    if rows.empty:
        return pd.DataFrame(columns=["quarter", "kind", "records"])
    rows["quarter"] = pd.PeriodIndex(pd.to_datetime(rows["event_date"]), freq="Q").astype(str)
    result = rows.groupby(["quarter", "kind"], as_index=False).size().rename(columns={"size": "records"})
    return result.sort_values("quarter").reset_index(drop=True)


@memoize()
def campaign_events(store: Store, year: int, unit_type: str | None) -> pd.DataFrame:
    """Every honour and activity of `year`, newest first: event_date, town_code, town_name, unit_type,
    unit_type_name, unit_name, kind, item, subject_kind (of the linked subject, when any)."""
    params: dict = {"start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31)}
    where = ""
    if unit_type:
        where, params["unit_type"] = " AND c.unit_type = :unit_type", unit_type
    rows = frame(
        store,
        f"""SELECT c.event_date, c.town_code, c.unit_type, c.unit_name, c.kind, c.item, s.kind AS subject_kind
            FROM campaign_records c LEFT JOIN subjects s ON s.id = c.subject_id
            WHERE c.event_date >= :start AND c.event_date <= :end{where}
            ORDER BY c.event_date DESC, c.id DESC""",
        params,
    )
    rows["event_date"] = pd.to_datetime(rows["event_date"]).dt.date
    rows["town_name"] = rows["town_code"].map(TOWN_NAMES).fillna("未知")
    rows["unit_type_name"] = rows["unit_type"].map(CAMPAIGN_UNIT_TYPES).fillna(rows["unit_type"])
    rows["subject_kind"] = rows["subject_kind"].fillna("")
    return rows


@memoize()
def legal_persons_by_town(store: Store, year: int, kinds: tuple[str, ...] | None) -> pd.DataFrame:
    """Legal persons (every non-person kind, or the given kinds) registered in each town at the end of `year`:
    town_code, legal_persons. From summary_subjects."""
    params: dict = {"year": year}
    where, expanding = kind_filter(kinds, "kind", params)
    result = frame(
        store,
        f"""SELECT town_code, SUM(subjects) AS legal_persons FROM summary_subjects
            WHERE kind <> 'person' AND registered_year <= :year
              AND (deregistered_year = 0 OR deregistered_year > :year){where}
            GROUP BY town_code""",
        params, expanding=expanding,
    )
    result["legal_persons"] = result["legal_persons"].astype("int64")
    return result


@memoize()
def adverse_records_by_town(store: Store, year: int, kinds: tuple[str, ...] | None) -> pd.DataFrame:
    """Adverse (失信) records decided in `year` per town, natural persons' and legal persons' apart:
    town_code, adverse_residents, adverse_legal. From summary_records_monthly."""
    params: dict = {"first": f"{year}-01", "last": f"{year}-12"}
    where, expanding = kind_filter(kinds, "s.subject_kind", params)
    result = frame(
        store,
        f"""SELECT s.town_code,
                   SUM(CASE WHEN s.subject_kind = 'person' THEN s.records ELSE 0 END) AS adverse_residents,
                   SUM(CASE WHEN s.subject_kind <> 'person' THEN s.records ELSE 0 END) AS adverse_legal
            FROM summary_records_monthly s JOIN record_types t ON t.code = s.record_type_code
            WHERE t.polarity = 'negative' AND s.month >= :first AND s.month <= :last{where}
            GROUP BY s.town_code""",
        params, expanding=expanding,
    )
    for column in ("adverse_residents", "adverse_legal"):
        result[column] = result[column].astype("int64")
    return result


@memoize()
def black_list_entries_by_town(store: Store, year: int, kinds: tuple[str, ...] | None,
                               as_of: dt.date) -> pd.DataFrame:
    """Black-list entries listed in `year` per town of the listed subject, natural and legal persons apart:
    town_code, black_residents, black_legal."""
    start, end = period_bounds(year, as_of)
    params: dict = {"start": start, "end": end}
    where, expanding = kind_filter(kinds, "s.kind", params)
    result = frame(
        store,
        f"""SELECT COALESCE(s.town_code, '') AS town_code,
                   SUM(CASE WHEN s.kind = 'person' THEN 1 ELSE 0 END) AS black_residents,
                   SUM(CASE WHEN s.kind <> 'person' THEN 1 ELSE 0 END) AS black_legal
            FROM list_entries l JOIN subjects s ON s.id = l.subject_id
            WHERE l.color = 'black' AND l.listed_on > :start AND l.listed_on <= :end{where}
            GROUP BY COALESCE(s.town_code, '')""",
        params, expanding=expanding,
    )
    for column in ("black_residents", "black_legal"):
        result[column] = result[column].astype("int64")
    return result


@memoize()
def index_weights(store: Store) -> dict[str, float]:
    """The integrity index weights in force: the stored setting, else the defaults; always summing to 1."""
    stored = frame(store, "SELECT value FROM settings WHERE key = :key", {"key": INDEX_WEIGHTS_KEY})
    if stored.empty:
        return dict(DEFAULT_INDEX_WEIGHTS)
    try:
        return normalised_weights(json.loads(stored["value"].iloc[0]))
    except (ValueError, TypeError):
        # A hand-edited setting that does not parse must not take the page down: fall back to the defaults.
        return dict(DEFAULT_INDEX_WEIGHTS)


def normalised_weights(weights: Mapping[str, object]) -> dict[str, float]:
    """Check weights entered for every component (non-negative numbers, not all zero) and scale them to sum 1.

    Raises WeightsError naming the component and the reason.
    """
    values: dict[str, float] = {}
    for component in INDEX_COMPONENTS:
        name = INDEX_COMPONENT_NAMES[component]
        raw = weights.get(component)
        if raw is None or raw == "":
            raise WeightsError(f"“{name}”的权重未填写")
        try:
            value = float(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError) as error:
            raise WeightsError(f"“{name}”的权重“{raw}”不是数字") from error
        if not np.isfinite(value) or value < 0:
            raise WeightsError(f"“{name}”的权重须为不小于 0 的数字（当前为 {raw}）")
        values[component] = value
    total = sum(values.values())
    if total <= 0:
        raise WeightsError("权重不能全部为 0")
    return {component: value / total for component, value in values.items()}


def save_index_weights(store: Store, weights: Mapping[str, object], *, user_id: int | None, username: str | None,
                       role: str | None, ip: str | None) -> dict[str, float]:
    """Validate and store new index weights, with their audit entry in the same transaction; returns them scaled.

    Nothing is written when any weight is invalid (WeightsError).
    """
    scaled = normalised_weights(weights)
    previous = index_weights(store)
    with store.session() as session:
        session.merge(Setting(key=INDEX_WEIGHTS_KEY, value=json.dumps(scaled), updated_at=dt.datetime.now()))
        audit.record(session, "settings", user_id=user_id, username=username, role=role, target="campaign",
                     detail={"key": INDEX_WEIGHTS_KEY, "before": previous, "after": scaled}, ip=ip)
    invalidate()
    return scaled


def integrity_index(rates: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Add component scores (score_<component>, 0-100), the weighted index and the rank (1 = best) to per-town rates.

    Each component is scaled across the towns from worst (0) to best (100); when every town has the same value
    the component does not separate them and all get 100. A component without data (e.g. legal-person rates when
    only natural persons are selected) is left out and the other weights are scaled up to compensate.
    """
    result = rates.copy()
    weighted = pd.Series(0.0, index=result.index)
    weight_used = pd.Series(0.0, index=result.index)
    for component in INDEX_COMPONENTS:
        values = result[component].astype(float)
        low, high = values.min(), values.max()
        if values.isna().all():
            score = pd.Series(np.nan, index=result.index)
        elif high == low:
            score = pd.Series(100.0, index=result.index).where(values.notna())
        elif component in POSITIVE_COMPONENTS:
            score = 100.0 * (values - low) / (high - low)
        else:
            score = 100.0 * (high - values) / (high - low)
        result[f"score_{component}"] = score
        weight = float(weights.get(component, 0.0))
        weighted += score.fillna(0.0) * weight
        weight_used += score.notna() * weight
    result["index"] = (weighted / weight_used).where(weight_used > 0)
    result["rank"] = result["index"].rank(ascending=False, method="min").astype("Int64")
    return result


def _per(count: pd.Series, base: pd.Series, scale: float) -> pd.Series:
    return (count / base * scale).where(base > 0)


@memoize()
def town_statistics(store: Store, year: int, unit_type: str | None, kinds: tuple[str, ...] | None,
                    as_of: dt.date) -> pd.DataFrame:
    """One row per town for `year`: population, legal persons, honours, activities, adverse records and new
    black-list entries (natural and legal persons apart), their rates, component scores, index and rank.

    Natural persons' rates are per 10,000 residents, legal persons' per 1,000 legal persons registered in the town.
    When the subject-type filter leaves out natural or legal persons, their rates are empty rather than zero.
    """
    result = towns(store).copy()
    counts = campaign_counts(store, year, unit_type)
    for kind, column in (("honour", "honours"), ("activity", "activities")):
        per_town = counts[counts["kind"] == kind].groupby("town_code")["records"].sum()
        result[column] = whole_counts(result["town_code"].map(per_town))
    result = result.merge(legal_persons_by_town(store, year, kinds), on="town_code", how="left")
    result = result.merge(adverse_records_by_town(store, year, kinds), on="town_code", how="left")
    result = result.merge(black_list_entries_by_town(store, year, kinds, as_of), on="town_code", how="left")
    for column in ("legal_persons", "adverse_residents", "adverse_legal", "black_residents", "black_legal"):
        result[column] = whole_counts(result[column])
    residents = result["population"].astype(float)
    legal = result["legal_persons"].astype(float)
    result["honours_per_10k"] = _per(result["honours"], residents, 1e4)
    result["activities_per_10k"] = _per(result["activities"], residents, 1e4)
    persons_selected = kinds is None or "person" in kinds
    legal_selected = kinds is None or any(kind != "person" for kind in kinds)
    empty = pd.Series(np.nan, index=result.index)
    result["adverse_per_10k"] = _per(result["adverse_residents"], residents, 1e4) if persons_selected else empty
    result["black_per_10k"] = _per(result["black_residents"], residents, 1e4) if persons_selected else empty
    result["adverse_per_1k"] = _per(result["adverse_legal"], legal, 1e3) if legal_selected else empty
    result["black_per_1k"] = _per(result["black_legal"], legal, 1e3) if legal_selected else empty
    return integrity_index(result, index_weights(store))


def town_index_change(store: Store, year: int, unit_type: str | None, kinds: tuple[str, ...] | None,
                      as_of: dt.date) -> pd.DataFrame:
    """Each town's index and rank in `year` beside the year before: town_code, town_name, index, rank,
    index_previous, rank_previous, index_change, rank_change (positive = moved up). Biggest movers
    first: by places moved, then by index points."""
    current = town_statistics(store, year, unit_type, kinds, as_of)[["town_code", "town_name", "index", "rank"]]
    previous = town_statistics(store, year - 1, unit_type, kinds, as_of)[["town_code", "index", "rank"]]
    result = current.merge(previous.rename(columns={"index": "index_previous", "rank": "rank_previous"}),
                           on="town_code", how="left")
    result["index_change"] = result["index"] - result["index_previous"]
    result["rank_change"] = (result["rank_previous"] - result["rank"]).astype("Int64")
    result["_rank_moved"] = result["rank_change"].abs().astype(float)
    result["_index_moved"] = result["index_change"].abs()
    result = result.sort_values(["_rank_moved", "_index_moved"], ascending=False, na_position="last")
    return result.drop(columns=["_rank_moved", "_index_moved"]).reset_index(drop=True)


@memoize()
def district_rates_by_year(store: Store, kinds: tuple[str, ...] | None, as_of: dt.date) -> pd.DataFrame:
    """District-wide rates per year with data: year, months (months of that year with credit records, so that a
    partial first or running year is recognisable), honours_per_10k, activities_per_10k, adverse_per_10k,
    adverse_per_1k, black_per_10k, black_per_1k."""
    rows = []
    population = float(towns(store)["population"].sum())
    months = frame(store, "SELECT DISTINCT month FROM summary_records_monthly")["month"]
    months_per_year = months.str[:4].astype(int).value_counts() if not months.empty else pd.Series(dtype="int64")
    for year in campaign_years(store):
        stats = town_statistics(store, year, None, kinds, as_of)
        legal = float(stats["legal_persons"].sum())
        row = {"year": year, "months": int(months_per_year.get(year, 0))}
        for column, count, base, scale in (
            ("honours_per_10k", "honours", population, 1e4),
            ("activities_per_10k", "activities", population, 1e4),
            ("adverse_per_10k", "adverse_residents", population, 1e4),
            ("black_per_10k", "black_residents", population, 1e4),
            ("adverse_per_1k", "adverse_legal", legal, 1e3),
            ("black_per_1k", "black_legal", legal, 1e3),
        ):
            available = stats[column].notna().any()
            row[column] = float(stats[count].sum()) / base * scale if available and base > 0 else np.nan
        rows.append(row)
    return pd.DataFrame(rows, columns=["year", "months", *INDEX_COMPONENTS])
