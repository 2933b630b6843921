"""The synthetic district generator: valid identifiers, realistic rates, consistent records, lists and truth file.

A small district is generated once per backend (SQLite always, PostgreSQL when TEST_DATABASE_URL is set).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, create_engine, select, text

from data import models, reference
from data.db import make_engine, migrate
from data.generator import generate
from data.identifiers import id_birth_date, is_valid_id_number, is_valid_org_code, is_valid_uscc
from data.publicity import publicity_end_dates, special_sectors
from data.workdays import working_days_between

SEED = 20261129
PERSONS, ENTERPRISES, YEARS = 3000, 1000, 3
BACKENDS = ["sqlite", *(["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])]
LOADED_TABLES = ("subjects", "submissions", "credit_records", "list_entries", "campaign_records", "objections",
                 "credit_repairs", "complaints")


@dataclass
class District:
    engine: Engine
    summary: dict
    truth_path: Path

    def query(self, sql: str, **params: object) -> pd.DataFrame:
        with self.engine.connect() as connection:
            return pd.read_sql(text(sql), connection, params=params)

    @property
    def end_date(self) -> dt.date:
        return self.summary["end_date"]


@pytest.fixture(scope="module")
def postgres_schema() -> Iterator[callable]:
    """Makes engines on fresh schemas of the shared test database and drops the schemas at the end."""
    url = os.environ.get("TEST_DATABASE_URL")
    made: list[tuple[Engine, str]] = []

    def make() -> Engine:
        schema = f"gen_test_{uuid.uuid4().hex[:10]}"
        admin = create_engine(url)
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        admin.dispose()
        engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
        made.append((engine, schema))
        return engine

    yield make
    for engine, schema in made:
        engine.dispose()
        admin = create_engine(url)
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def _engine(backend: str, directory: Path, postgres_schema: callable) -> Engine:
    engine = make_engine(f"sqlite:///{directory / 'credit.db'}") if backend == "sqlite" else postgres_schema()
    migrate(engine)
    return engine


@pytest.fixture(scope="module", params=BACKENDS)
def district(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
             postgres_schema: callable) -> District:
    directory = tmp_path_factory.mktemp(f"district_{request.param}")
    engine = _engine(request.param, directory, postgres_schema)
    truth_path = directory / "truth.csv"
    summary = generate(engine, persons=PERSONS, enterprises=ENTERPRISES, years=YEARS, seed=SEED,
                       truth_path=truth_path)
    return District(engine, summary, truth_path)


def _store_digest(engine: Engine) -> str:
    """A checksum of every generated row, read through the models so that both dialects give the same values."""
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for name in LOADED_TABLES:
            table = models.Base.metadata.tables[name]
            for row in connection.execute(select(table).order_by(table.c.id)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _small_district(engine: Engine, seed: int, truth_path: Path) -> str:
    generate(engine, persons=400, enterprises=150, years=2, seed=seed, truth_path=truth_path)
    return _store_digest(engine)


# --- determinism ---------------------------------------------------------------------------------------------


def test_same_seed_gives_identical_store_and_truth_file(tmp_path: Path) -> None:
    first = _small_district(_engine("sqlite", tmp_path / "a", None), 11, tmp_path / "a" / "truth.csv")
    second = _small_district(_engine("sqlite", tmp_path / "b", None), 11, tmp_path / "b" / "truth.csv")
    assert first == second
    assert (tmp_path / "a" / "truth.csv").read_bytes() == (tmp_path / "b" / "truth.csv").read_bytes()
    assert (tmp_path / "a" / "truth.json").read_bytes() == (tmp_path / "b" / "truth.json").read_bytes()


def test_different_seed_gives_a_different_store(tmp_path: Path) -> None:
    first = _small_district(_engine("sqlite", tmp_path / "a", None), 11, tmp_path / "a" / "truth.csv")
    second = _small_district(_engine("sqlite", tmp_path / "b", None), 12, tmp_path / "b" / "truth.csv")
    assert first != second


@pytest.mark.skipif("postgresql" not in BACKENDS, reason="TEST_DATABASE_URL not set")
def test_postgresql_copy_stores_the_same_rows_as_sqlite(tmp_path: Path, postgres_schema: callable) -> None:
    on_sqlite = _small_district(_engine("sqlite", tmp_path, None), 11, tmp_path / "sqlite.csv")
    on_postgresql = _small_district(_engine("postgresql", tmp_path, postgres_schema), 11, tmp_path / "pg.csv")
    assert on_sqlite == on_postgresql


def test_refuses_a_store_that_already_has_subjects(district: District) -> None:
    with pytest.raises(ValueError, match="already has subjects"):
        generate(district.engine, persons=10, enterprises=5, years=1, seed=1)


def test_summary_counts_what_was_stored(district: District) -> None:
    for table, count in district.summary["counts"].items():
        assert district.query(f"SELECT COUNT(*) AS n FROM {table}")["n"].iloc[0] == count
    assert district.summary["counts"]["subjects"] == PERSONS + ENTERPRISES


# --- subjects ------------------------------------------------------------------------------------------------


def test_social_credit_codes_are_valid_unique_and_match_the_kind(district: District) -> None:
    legal = district.query("SELECT kind, code FROM subjects WHERE kind <> 'person'")
    assert len(legal) == ENTERPRISES
    assert legal["code"].is_unique
    assert legal["code"].map(is_valid_uscc).all()
    assert legal["code"].str.slice(8, 17).map(is_valid_org_code).all()
    assert (legal["code"].str.slice(2, 8) == reference.DISTRICT_CODE).all()
    assert all(code[:2] in reference.USCC_PREFIX[kind] for kind, code in zip(legal["kind"], legal["code"], strict=True))
    foundations = district.query("SELECT name FROM subjects WHERE code LIKE '53%'")["name"]
    assert foundations.str.endswith("基金会").all()


def test_identity_numbers_are_valid_unique_and_belong_to_adults(district: District) -> None:
    persons = district.query("SELECT code, registered_on FROM subjects WHERE kind = 'person'")
    assert len(persons) == PERSONS
    assert persons["code"].is_unique
    assert persons["code"].map(lambda c: is_valid_id_number(c, district.end_date)).all()
    births = persons["code"].map(id_birth_date)
    assert (births == pd.to_datetime(persons["registered_on"]).dt.date).all()
    ages = births.map(lambda b: (district.end_date - b).days / 365.25)
    assert ages.min() >= 18 and ages.max() < 81
    address = persons["code"].str.slice(0, 6)
    assert (address == reference.DISTRICT_CODE).mean() > 0.6
    assert address.str.startswith("1101").mean() > (address == reference.DISTRICT_CODE).mean()


def test_subjects_live_in_the_22_towns_weighted_by_population(district: District) -> None:
    counts = district.query("SELECT town_code, COUNT(*) AS n FROM subjects GROUP BY town_code").set_index(
        "town_code")["n"]
    assert set(counts.index) <= {t.code for t in reference.TOWNS}
    assert counts["110112109"] > counts["110112002"]  # 马驹桥镇 has four times 新华街道's population
    population = pd.Series({t.code: t.population for t in reference.TOWNS})
    assert counts.corr(population[counts.index], method="spearman") > 0.6


def test_individual_businesses_are_about_two_thirds_of_legal_persons(district: District) -> None:
    kinds = district.query("SELECT kind FROM subjects WHERE kind <> 'person'")["kind"]
    assert 0.55 <= (kinds == "individual_business").mean() <= 0.70
    assert {"enterprise", "cooperative", "public_institution", "social_organisation"} <= set(kinds)


def test_legal_persons_have_a_person_as_representative_and_some_represent_several(district: District) -> None:
    reps = district.query(
        "SELECT s.legal_rep_id, r.kind AS rep_kind FROM subjects s LEFT JOIN subjects r ON r.id = s.legal_rep_id "
        "WHERE s.kind <> 'person'")
    assert reps["legal_rep_id"].notna().all()
    assert (reps["rep_kind"] == "person").all()
    assert reps["legal_rep_id"].value_counts().max() >= 2
    assert district.query("SELECT COUNT(*) AS n FROM subjects WHERE kind = 'person' AND legal_rep_id IS NOT NULL"
                          )["n"].iloc[0] == 0


def test_names_are_chinese(district: District) -> None:
    names = district.query("SELECT kind, name FROM subjects")
    persons = names[names["kind"] == "person"]["name"]
    assert persons.str.fullmatch(r"[\u4e00-\u9fff]{2,3}").all()
    companies = names[names["kind"] == "enterprise"]["name"]
    assert companies.str.endswith("公司").all()
    assert names[names["kind"] == "individual_business"]["name"].str.contains("通州区").all()


# --- records -------------------------------------------------------------------------------------------------


def test_most_subjects_have_no_adverse_record(district: District) -> None:
    adverse = district.query(
        "SELECT COUNT(DISTINCT r.subject_id) AS n FROM credit_records r "
        "JOIN record_types t ON t.code = r.record_type_code WHERE t.polarity = 'negative'")["n"].iloc[0]
    assert 0 < adverse / (PERSONS + ENTERPRISES) < 0.5


def test_legal_persons_carry_more_routine_records_than_persons(district: District) -> None:
    per_subject = district.query(
        "SELECT CASE WHEN s.kind = 'person' THEN 'person' ELSE 'legal' END AS side, "
        "COUNT(r.id) * 1.0 / COUNT(DISTINCT s.id) AS records FROM subjects s "
        "LEFT JOIN credit_records r ON r.subject_id = s.id GROUP BY CASE WHEN s.kind = 'person' THEN 'person' "
        "ELSE 'legal' END").set_index("side")["records"]
    assert per_subject["legal"] > 1.5 * per_subject["person"]


def test_market_regulation_fines_are_plausible_amounts_in_wan_yuan(district: District) -> None:
    fines = district.query(
        "SELECT amount FROM credit_records WHERE record_type_code = 'CF' AND bureau_code = 'SCJG' "
        "AND amount IS NOT NULL")["amount"]
    assert len(fines) >= 20
    assert 0.05 <= fines.median() <= 2.0
    assert fines.max() > 5 * fines.median()  # heavy tail
    traffic = district.query("SELECT amount FROM credit_records WHERE record_type_code = 'JTWF'")["amount"]
    assert traffic.max() <= 0.05  # 万元: at most a few hundred yuan


def test_severity_only_on_types_that_have_one_and_mostly_not_serious(district: District) -> None:
    severity = district.query(
        "SELECT t.has_severity, r.severity FROM credit_records r JOIN record_types t ON t.code = r.record_type_code")
    with_severity = severity["has_severity"].astype(bool)
    assert severity.loc[with_severity, "severity"].notna().all()
    assert severity.loc[~with_severity, "severity"].isna().all()
    shares = severity.loc[with_severity, "severity"].value_counts(normalize=True)
    assert shares.get("serious", 0) < 0.1 < shares["minor"] + shares["ordinary"]


def test_chronically_late_bureau_publishes_late_more_often(district: District) -> None:
    late = district.query(
        "SELECT bureau_code, AVG(CASE WHEN publish_delay_wd > 7 THEN 1.0 ELSE 0.0 END) AS late "
        "FROM credit_records WHERE record_type_code IN ('XK', 'CF') GROUP BY bureau_code").set_index(
        "bureau_code")["late"]
    assert late["ZJ"] > late["SW"]
    licences = district.query(
        "SELECT record_type_code, AVG(CASE WHEN publish_delay_wd > 7 THEN 1.0 ELSE 0.0 END) AS late "
        "FROM credit_records WHERE record_type_code IN ('XK', 'CF') GROUP BY record_type_code").set_index(
        "record_type_code")["late"]
    assert licences["XK"] > licences["CF"]


def test_publish_delay_is_the_working_days_between_decision_and_publication(district: District) -> None:
    records = district.query("SELECT decision_date, publication_date, publish_delay_wd FROM credit_records")
    delay = working_days_between(pd.to_datetime(records["decision_date"]).to_numpy().astype("datetime64[D]"),
                                 pd.to_datetime(records["publication_date"]).to_numpy().astype("datetime64[D]"))
    assert (delay == records["publish_delay_wd"].to_numpy()).all()


def test_decisions_dip_at_spring_festival_and_peak_in_december(district: District) -> None:
    months = district.query("SELECT decision_date FROM credit_records WHERE record_type_code = 'XK'")
    month = pd.to_datetime(months["decision_date"]).dt.month.value_counts()
    assert month[12] > month.median() > month[2]


def test_publicity_end_and_status_follow_the_publicity_rules(district: District) -> None:
    records = district.query(
        "SELECT id, bureau_code, record_type_code, content, decision_date, severity, publicity_end, status "
        "FROM credit_records WHERE severity IS NOT NULL")
    statutory = publicity_end_dates(pd.to_datetime(records["decision_date"]), records["severity"],
                                    special_sectors(records["bureau_code"], records["record_type_code"],
                                                    records["content"]))
    end = pd.to_datetime(records["publicity_end"])
    ended_early = records["status"].isin(["repaired", "removed"])
    assert (end[~ended_early] == statutory[~ended_early]).all()
    assert (end[ended_early] <= statutory[ended_early]).all()  # removal may come after the statutory end
    repaired = records["status"] == "repaired"
    assert (end[repaired] < statutory[repaired]).all()
    untouched = records["status"].isin(["active", "expired"])
    expired = statutory < pd.Timestamp(district.end_date)
    assert (records.loc[untouched, "status"] == np.where(expired, "expired", "active")[untouched]).all()
    assert set(records["status"]) >= {"active", "expired", "repaired"}
    # Special sectors (work safety, fire safety) are public for at least a year under the old regime.
    safety = records[(records["bureau_code"] == "YJ") & (records["severity"] == "minor")
                     & (pd.to_datetime(records["decision_date"]) < pd.Timestamp("2026-04-01"))]
    assert ((pd.to_datetime(safety["publicity_end"]) - pd.to_datetime(safety["decision_date"])).dt.days >= 365).all()


def test_repairs_end_publicity_and_list_entries_on_the_decision_day(district: District) -> None:
    repairs = district.query(
        "SELECT c.record_id, c.applied_on, c.decided_on, c.outcome, r.status, r.publicity_end, r.decision_date "
        "FROM credit_repairs c JOIN credit_records r ON r.id = c.record_id")
    granted = repairs[repairs["outcome"] == "granted"]
    assert len(granted) > 0 and (granted["status"] == "repaired").all()
    assert (pd.to_datetime(granted["publicity_end"]) == pd.to_datetime(granted["decided_on"])
            - pd.Timedelta(days=1)).all()
    assert (pd.to_datetime(repairs["applied_on"]) <= pd.to_datetime(repairs["decided_on"])).all()
    assert (pd.to_datetime(repairs["decided_on"]) <= pd.Timestamp(district.end_date)).all()
    repaired = district.query("SELECT COUNT(*) AS n FROM credit_records WHERE status = 'repaired'")["n"].iloc[0]
    assert repaired == len(granted)
    entries = district.query(
        "SELECT l.listed_on, l.expires_on, l.removed_on, l.removal_reason, c.decided_on FROM list_entries l "
        "JOIN credit_repairs c ON c.record_id = l.record_id AND c.outcome = 'granted'")
    on_list = pd.to_datetime(entries["expires_on"]).isna() | (
        pd.to_datetime(entries["expires_on"]) >= pd.to_datetime(entries["decided_on"]))
    taken_off = pd.to_datetime(entries["removed_on"]) <= pd.to_datetime(entries["decided_on"])
    assert (taken_off[on_list]).all()


def test_tax_ratings_have_realistic_grade_shares(district: District) -> None:
    grades = district.query("SELECT grade FROM credit_records WHERE record_type_code = 'NSPJ'")["grade"]
    shares = grades.value_counts(normalize=True)
    assert set(shares.index) == {"A", "B", "M", "C", "D"}
    assert 0.04 <= shares["A"] <= 0.14
    assert 0.02 <= shares["D"] <= 0.10
    assert shares["B"] == shares.max()


# --- submissions ---------------------------------------------------------------------------------------------


def test_every_record_belongs_to_a_submission_of_its_bureau_and_type(district: District) -> None:
    mismatched = district.query(
        "SELECT COUNT(*) AS n FROM credit_records r LEFT JOIN submissions s ON s.id = r.submission_id "
        "WHERE s.id IS NULL OR s.bureau_code <> r.bureau_code OR s.record_type_code <> r.record_type_code")
    assert mismatched["n"].iloc[0] == 0
    counts = district.query(
        "SELECT s.rows_accepted, COUNT(r.id) AS records FROM submissions s "
        "LEFT JOIN credit_records r ON r.submission_id = s.id GROUP BY s.id, s.rows_accepted")
    assert (counts["rows_accepted"] == counts["records"]).all()


def test_every_catalog_bureau_submits_with_consistent_row_counts(district: District) -> None:
    submissions = district.query("SELECT * FROM submissions")
    assert {b for b, _ in reference.CATALOG} == set(submissions["bureau_code"])
    assert (submissions["rows_total"] == submissions["rows_accepted"] + submissions["rows_rejected"]
            + submissions["rows_duplicate"]).all()
    assert (submissions["fields_filled"] <= submissions["fields_expected"]).all()
    assert submissions["fingerprint"].str.fullmatch("[0-9a-f]{64}").all()
    assert (submissions["source"] == "generator").all()
    rejected = submissions.groupby("bureau_code")[["rows_rejected", "rows_total"]].sum()
    assert rejected.loc["ZJ", "rows_rejected"] / rejected.loc["ZJ", "rows_total"] > (
        rejected.loc["SW", "rows_rejected"] / rejected.loc["SW", "rows_total"])


def test_periodic_submissions_are_late_more_often_for_chronically_late_bureaus(district: District) -> None:
    periodic = district.query(
        "SELECT s.bureau_code, s.received_at, s.due_at FROM submissions s "
        "JOIN record_types t ON t.code = s.record_type_code WHERE t.frequency <> 'event'")
    periodic["late"] = pd.to_datetime(periodic["received_at"]) > pd.to_datetime(periodic["due_at"])
    late = periodic.groupby("bureau_code")["late"].mean()
    assert late["ZJ"] > late["SW"]
    assert (pd.to_datetime(periodic["received_at"]).dt.hour >= 8).all()  # a time of day, not midnight


# --- lists, campaign, objections -----------------------------------------------------------------------------


def test_dishonest_debtor_entries_follow_serious_court_enforcement_records(district: District) -> None:
    entries = district.query(
        "SELECT l.subject_id, l.listed_on, l.expires_on, r.subject_id AS record_subject, r.record_type_code, "
        "r.severity, r.decision_date FROM list_entries l LEFT JOIN credit_records r ON r.id = l.record_id "
        "WHERE l.list_type_code = 'SXBZX'")
    assert len(entries) > 0
    assert (entries["record_type_code"] == "SFZX").all() and (entries["severity"] == "serious").all()
    assert (entries["subject_id"] == entries["record_subject"]).all()
    assert (pd.to_datetime(entries["listed_on"]) == pd.to_datetime(entries["decision_date"])).all()
    period = pd.to_datetime(entries["expires_on"]) - pd.to_datetime(entries["listed_on"])
    assert period.dt.days.between(730, 731).all()  # two years


def test_black_list_subjects_are_mostly_persons(district: District) -> None:
    kinds = district.query(
        "SELECT DISTINCT l.subject_id, s.kind FROM list_entries l JOIN subjects s ON s.id = l.subject_id "
        "WHERE l.color = 'black'")["kind"]
    assert (kinds == "person").mean() > 0.5


def test_list_entries_are_consistent_with_their_records_and_periods(district: District) -> None:
    entries = district.query(
        "SELECT l.*, r.record_type_code, r.bureau_code AS record_bureau, r.severity, r.grade, r.content "
        "FROM list_entries l LEFT JOIN credit_records r ON r.id = l.record_id")
    by_type = {code: entries[entries["list_type_code"] == code] for code in entries["list_type_code"].unique()}
    assert (by_type["AJNSR"]["grade"] == "A").all()
    zdss = by_type.get("ZDSS", entries.iloc[:0])
    assert ((zdss["record_bureau"] == "SW") & (zdss["severity"] == "serious")).all()
    assert (by_type["MFGR"].merge(district.query("SELECT id, kind FROM subjects"), left_on="subject_id",
                                  right_on="id")["kind"] == "person").all()
    listed, removed = pd.to_datetime(entries["listed_on"]), pd.to_datetime(entries["removed_on"])
    assert (removed.dropna() > listed[removed.notna()]).all()
    assert (removed.dropna() <= pd.Timestamp(district.end_date)).all()
    assert entries.loc[removed.notna(), "removal_reason"].notna().all()
    assert entries[entries["list_type_code"] != "HGGJ"]["record_id"].notna().all()
    colors = {lt.code: lt.color for lt in reference.LIST_TYPES}
    assert (entries["color"] == entries["list_type_code"].map(colors)).all()


def test_campaign_records_rank_towns_differently(district: District) -> None:
    campaign = district.query("SELECT town_code, unit_type, kind, item FROM campaign_records")
    assert set(campaign["unit_type"]) <= set(reference.CAMPAIGN_UNIT_TYPES)
    assert set(campaign["item"]) <= set(reference.CAMPAIGN_HONOURS) | set(reference.CAMPAIGN_ACTIVITIES)
    assert {"honour", "activity"} == set(campaign["kind"])
    per_town = campaign.groupby("town_code").size()
    assert len(per_town) == len(reference.TOWNS)
    population = pd.Series({t.code: t.population for t in reference.TOWNS})
    per_capita = per_town / population[per_town.index]
    assert per_capita.max() > 2 * per_capita.min()


def test_objections_follow_publication_and_most_are_resolved(district: District) -> None:
    objections = district.query(
        "SELECT o.*, r.publication_date, r.publicity_end, r.bureau_code AS record_bureau, r.status, t.polarity "
        "FROM objections o JOIN credit_records r ON r.id = o.record_id "
        "JOIN record_types t ON t.code = r.record_type_code")
    adverse = district.query("SELECT COUNT(*) AS n FROM credit_records r JOIN record_types t "
                             "ON t.code = r.record_type_code WHERE t.polarity = 'negative'")["n"].iloc[0]
    assert 0.001 <= len(objections) / adverse <= 0.01
    assert (objections["polarity"] == "negative").all()
    assert (objections["bureau_code"] == objections["record_bureau"]).all()
    assert (pd.to_datetime(objections["filed_on"]) > pd.to_datetime(objections["publication_date"])).all()
    resolved = objections["resolved_on"].notna()
    assert resolved.mean() > 0.5
    assert (objections.loc[~resolved, "status"] == "objection").all()
    assert (pd.to_datetime(objections.loc[resolved, "resolved_on"])
            > pd.to_datetime(objections.loc[resolved, "filed_on"])).all()
    assert set(objections.loc[resolved, "outcome"]) <= {"corrected", "confirmed", "removed"}
    removed = objections["outcome"] == "removed"
    assert (objections.loc[removed, "status"] == "removed").all()
    assert (pd.to_datetime(objections.loc[removed, "publicity_end"])
            < pd.to_datetime(objections.loc[removed, "resolved_on"])).all()


def test_monthly_summary_is_refreshed(district: District) -> None:
    summarised = district.query("SELECT SUM(records) AS n FROM summary_records_monthly")["n"].iloc[0]
    assert summarised == district.summary["counts"]["credit_records"]


# --- truth file ----------------------------------------------------------------------------------------------


def test_truth_file_has_one_row_per_living_subject_and_observation_date(district: District) -> None:
    truth = pd.read_csv(district.truth_path, dtype={"code": str})
    assert list(truth.columns) == ["subject_id", "code", "kind", "observation_date", "true_probability"]
    dates = [d.isoformat() for d in district.summary["observation_dates"]]
    assert sorted(truth["observation_date"].unique()) == dates
    assert not truth.duplicated(["subject_id", "observation_date"]).any()
    assert truth["true_probability"].between(0, 1, inclusive="neither").all()
    at_end = truth[truth["observation_date"] == dates[-1]]
    registered = district.query(
        "SELECT id FROM subjects WHERE (kind = 'person' OR registered_on <= :end) AND "
        "(deregistered_on IS NULL OR deregistered_on > :end)", end=district.end_date)
    assert set(at_end["subject_id"]) == set(registered["id"])
    meta = json.loads(district.truth_path.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["seed"] == SEED and meta["end_date"] == district.end_date.isoformat()
    assert meta["observation_dates"] == dates


def test_truth_probabilities_match_the_serious_events_stored_after_the_observation_date(district: District) -> None:
    truth = pd.read_csv(district.truth_path, dtype={"code": str})
    observed = district.summary["observation_dates"][-2]  # end - 12 months: its window is all stored
    truth = truth[truth["observation_date"] == observed.isoformat()]
    events = district.query(
        "SELECT subject_id FROM credit_records WHERE severity = 'serious' AND decision_date > :t AND "
        "decision_date <= :end UNION SELECT subject_id FROM list_entries WHERE color = 'black' AND "
        "listed_on > :t AND listed_on <= :end", t=observed, end=district.end_date)
    realised = truth["subject_id"].isin(events["subject_id"]).sum()
    p = truth["true_probability"]
    expected, sd = p.sum(), math.sqrt((p * (1 - p)).sum())
    assert abs(realised - expected) < 4 * sd + 1
    # Higher stated probabilities must come true more often.
    high = truth["true_probability"] >= truth["true_probability"].quantile(0.9)
    hit = truth["subject_id"].isin(events["subject_id"])
    assert hit[high].mean() > hit[~high].mean()
