"""Credit features as of an observation date: only what was public that day counts; nothing later leaks in."""

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from data import lists, models
from data.publicity import publicity_end, records_public_mask
from data.reference import RECORD_TYPES
from scoring.features import FEATURE_NAMES, build_features, public_on
from scoring.target import serious_event_target

AS_OF = dt.date(2025, 6, 30)
ADMIN = SimpleNamespace(user_id=None, username="t_admin", role="admin", bureau_code=None)
NEGATIVE = [rt.code for rt in RECORD_TYPES if rt.polarity == "negative"]
ISSUER = {"CF": "SCJG", "SFZX": "FY", "JYYC": "SCJG", "ZLCC": "SCJG", "JTWF": "GA", "XZJL": "GA", "SBQF": "RS",
          "GJJQJ": "GJJ", "SFQF": "SWJ", "CNWY": "FGW", "AQSG": "YJ", "XK": "ZJ", "NSPJ": "SW", "HTLY": "FGW",
          "ZZRY": "KW", "ZYFW": "KX", "WMCJ": "CCB"}
TOWNS = ["110112001", "110112104", "110112109"]


def _person_code(i: int) -> str:
    """Valid identity numbers are not needed by the feature builder; unique codes are."""
    return f"1101121980{i:04d}{i % 10}{i % 7}{i % 3}X"[:18]


def _day(rng: np.random.Generator, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=int(rng.integers(0, (last - first).days + 1)))


class World:
    """A hand-built district of a few dozen subjects with random records around the observation date."""

    def __init__(self, store, seed: int = 1) -> None:
        self.store = store
        self.rng = np.random.default_rng(seed)
        self.documents = 0
        with store.session() as db:
            persons = [models.Subject(kind="person", code=_person_code(i), name=f"人员{i}",
                                      town_code=TOWNS[i % 3], registered_on=dt.date(1960 + i, 3, 1))
                       for i in range(20)]
            db.add_all(persons)
            db.flush()
            entities = [models.Subject(kind="enterprise" if i % 3 else "individual_business",
                                       code=f"91110112{i:09d}X", name=f"企业{i}", town_code=TOWNS[i % 3],
                                       industry="CFH"[i % 3], registered_on=dt.date(2005 + i % 15, 5, 1),
                                       legal_rep_id=persons[i % 12].id)
                        for i in range(20)]
            db.add_all(entities)
            db.flush()
            self.persons = [p.id for p in persons]
            self.entities = [e.id for e in entities]

    def records(self, count: int, first: dt.date, last: dt.date) -> list[int]:
        ids = []
        with self.store.session() as db:
            for _ in range(count):
                code = str(self.rng.choice([*NEGATIVE, "XK", "NSPJ", "HTLY", "ZZRY", "ZYFW", "CF", "CF"]))
                subject = int(self.rng.choice(self.entities if code not in ("JTWF", "XZJL") else self.persons))
                decided = _day(self.rng, first, last)
                severity = str(self.rng.choice(["minor", "ordinary", "serious"])) if code in NEGATIVE else None
                self.documents += 1
                record = models.CreditRecord(
                    subject_id=subject, bureau_code=ISSUER[code], record_type_code=code,
                    document_no=f"DOC-{self.documents}", decision_date=decided,
                    publication_date=decided + dt.timedelta(days=int(self.rng.integers(0, 20))),
                    amount=float(self.rng.gamma(1.0, 2.0)) if code == "CF" else None, severity=severity,
                    grade=str(self.rng.choice(list("ABMCD"))) if code == "NSPJ" else None,
                    publicity_end=publicity_end(decided, severity), status="active")
                db.add(record)
                db.flush()
                ids.append(record.id)
        return ids

    def list_entries(self, count: int, first: dt.date, last: dt.date) -> None:
        with self.store.session() as db:
            for i in range(count):
                listed = _day(self.rng, first, last)
                color, code, bureau = [("black", "SXBZX", "FY"), ("red", "AJNSR", "SW"),
                                       ("warning", "JYYC", "SCJG")][i % 3]
                db.add(models.ListEntry(
                    list_type_code=code, color=color, bureau_code=bureau,
                    subject_id=int(self.rng.choice(self.entities + self.persons)), listed_on=listed,
                    expires_on=listed + dt.timedelta(days=730),
                    removed_on=listed + dt.timedelta(days=200) if i % 4 == 0 else None))

    def campaign_honours(self, count: int, first: dt.date, last: dt.date) -> None:
        with self.store.session() as db:
            for _ in range(count):
                db.add(models.CampaignRecord(town_code=TOWNS[0], unit_type="enterprise", unit_name="企业",
                                             kind="honour", item="诚信企业", event_date=_day(self.rng, first, last),
                                             subject_id=int(self.rng.choice(self.entities))))

    def repair(self, record_ids: list[int], decided_on: dt.date) -> int:
        """Grant repair (data.lists) to those of the records that are public and repairable on `decided_on`."""
        granted = 0
        for record_id in record_ids:
            try:
                with self.store.session() as db:
                    lists.repair_record(db, record_id, applied_on=decided_on, decided_on=decided_on,
                                        conduct_corrected=True, obligations_met=True, commitment_signed=True,
                                        grant=True, reason=None, actor=ADMIN)
                granted += 1
            except lists.ListsError:
                continue
        return granted

    def objection_removed(self, record_id: int, filed_on: dt.date, resolved_on: dt.date) -> None:
        with self.store.session() as db:
            objection = lists.file_objection(db, record_id, reason="非本单位行为", filed_on=filed_on, actor=ADMIN)
            lists.resolve_objection(db, objection.id, outcome="removed", resolved_on=resolved_on, actor=ADMIN,
                                    note="核查后撤销")


@pytest.fixture
def world(empty_store) -> World:
    world = World(empty_store)
    world.records(400, dt.date(2022, 1, 1), AS_OF)
    world.list_entries(30, dt.date(2023, 1, 1), AS_OF)
    world.campaign_honours(10, dt.date(2023, 1, 1), AS_OF)
    return world


def test_features001_later_records_never_change_features(world):
    before = build_features(world.store.engine, AS_OF)
    assert list(before.columns) == list(FEATURE_NAMES)
    assert before["adverse_public"].sum() > 50  # the world is not trivially empty

    after_day = AS_OF + dt.timedelta(days=1)
    late = world.records(300, after_day, dt.date(2026, 10, 31))
    world.list_entries(30, after_day, dt.date(2026, 10, 31))
    world.campaign_honours(10, after_day, dt.date(2026, 10, 31))
    # Decisions taken later about earlier records: repairs and removals that take effect after AS_OF.
    with world.store.read() as db:
        early = [r.id for r in db.query(models.CreditRecord).filter(
            models.CreditRecord.decision_date <= AS_OF, models.CreditRecord.decision_date >= dt.date(2025, 1, 1),
            models.CreditRecord.severity.in_(["ordinary", "serious"])).order_by(models.CreditRecord.id)]
    assert world.repair(early[:-1], dt.date(2026, 2, 2)) >= 5
    world.objection_removed(early[-1], after_day, dt.date(2025, 9, 5))
    with world.store.session() as db:
        db.add(models.Subject(kind="enterprise", code="91110112999999999X", name="新设企业", town_code=TOWNS[0],
                              industry="F", registered_on=after_day))
    assert late

    pd.testing.assert_frame_equal(build_features(world.store.engine, AS_OF), before)


def test_features002_changes_up_to_the_observation_date_do_count(world):
    subject = world.entities[3]
    with world.store.session() as db:
        record = models.CreditRecord(subject_id=subject, bureau_code="SCJG", record_type_code="CF",
                                     document_no="REPAIRED-1", decision_date=dt.date(2025, 2, 1),
                                     publication_date=dt.date(2025, 2, 6), severity="serious",
                                     publicity_end=publicity_end(dt.date(2025, 2, 1), "serious"))
        db.add(record)
    before = build_features(world.store.engine, AS_OF)
    assert world.repair([record.id], AS_OF) == 1
    after = build_features(world.store.engine, AS_OF)
    assert after.loc[subject, "adverse_public"] == before.loc[subject, "adverse_public"] - 1
    assert after.loc[subject, "penalties_public"] == before.loc[subject, "penalties_public"] - 1


def test_features003_counts_follow_the_publicity_rules(empty_store):
    world = World(empty_store)
    subject = world.entities[1]
    rep = world.persons[1]
    with empty_store.session() as db:
        def add(code: str, decided: dt.date, severity: str | None, published: dt.date | None = None,
                end: dt.date | None = None, subject_id: int = subject, grade: str | None = None,
                amount: float | None = None) -> None:
            world.documents += 1
            db.add(models.CreditRecord(subject_id=subject_id, bureau_code=ISSUER[code], record_type_code=code,
                                       document_no=f"D{world.documents}", decision_date=decided,
                                       publication_date=published, severity=severity, grade=grade,
                                       amount=amount, publicity_end=end or publicity_end(decided, severity)))

        add("CF", dt.date(2025, 3, 1), "serious", dt.date(2025, 3, 5), amount=2.5)  # public, recent
        add("CF", dt.date(2023, 3, 1), "minor", dt.date(2023, 3, 3))  # publicity (3 months) long over
        add("CF", dt.date(2025, 6, 25), "ordinary", dt.date(2025, 7, 8))  # decided, not yet published
        add("SFZX", dt.date(2024, 9, 10), "ordinary", None)  # no publication date: public from its decision
        add("NSPJ", dt.date(2024, 4, 1), None, grade="A")
        add("NSPJ", dt.date(2025, 4, 1), None, grade="C")  # the latest grade counts
        add("ZZRY", dt.date(2020, 1, 1), None)  # honours have no publicity limit
        add("JTWF", dt.date(2025, 5, 1), "minor", subject_id=rep)  # the legal representative's own record
        db.add(models.ListEntry(list_type_code="SXBZX", color="black", bureau_code="FY", subject_id=rep,
                                listed_on=dt.date(2025, 1, 1), expires_on=dt.date(2027, 1, 1)))
        db.add(models.ListEntry(list_type_code="SXBZX", color="black", bureau_code="FY", subject_id=subject,
                                listed_on=dt.date(2024, 1, 1), expires_on=dt.date(2026, 1, 1),
                                removed_on=dt.date(2024, 9, 1)))
    features = build_features(empty_store.engine, AS_OF)
    row = features.loc[subject]
    assert row["adverse_public"] == 2
    assert row["serious_public"] == 1 and row["ordinary_public"] == 1 and row["minor_public"] == 0
    assert row["penalties_public"] == 1 and row["penalties_12m"] == 1
    assert row["fines_12m"] == pytest.approx(2.5)
    assert row["judicial_public"] == 1
    assert row["months_since_adverse"] == 3 and row["months_since_serious"] == 3
    assert row["adverse_bureaus"] == 2
    assert row["tax_grade"] == "C"
    assert row["honours_public"] == 1
    assert row["black_active"] == 0 and np.isnan(row["months_since_black"])  # removed: no longer public
    assert features.loc[rep, "black_active"] == 1 and features.loc[rep, "months_since_black"] == 5
    assert row["rep_adverse_public"] == 1 and row["rep_black_active"] == 1
    assert row["kind"] == "enterprise" and row["town"] == TOWNS[1] and row["industry"] == "F"
    assert row["age_years"] == pytest.approx(19.1)


def test_features004_entities_sharing_a_representative_see_each_others_records(empty_store):
    world = World(empty_store)
    rep = world.persons[0]  # represents entities 0 and 12 (i % 12 == 0)
    first, second = world.entities[0], world.entities[12]
    with empty_store.session() as db:
        for n, subject in enumerate([first, first, second]):
            db.add(models.CreditRecord(subject_id=subject, bureau_code="SCJG", record_type_code="CF",
                                       document_no=f"R{n}", decision_date=dt.date(2025, 2, 1),
                                       severity="ordinary", publicity_end=dt.date(2026, 1, 31)))
    features = build_features(empty_store.engine, AS_OF)
    assert features.loc[first, "related_adverse_public"] == 1
    assert features.loc[second, "related_adverse_public"] == 2
    assert features.loc[rep, "related_adverse_public"] == 3  # the person: all entities he represents
    assert np.isnan(features.loc[world.persons[15], "related_adverse_public"])  # represents nothing


def test_features005_public_on_is_the_publicity_rule():
    day = dt.date(2025, 6, 30)
    decided = np.array([20000, 20000, 20000, 20000, 20270], dtype=np.float64)  # 2024-10-04 ... 2025-07-01
    until = np.array([np.nan, 20200, 20269, np.nan, np.nan])
    published = np.array([np.nan, 20005, 20005, 20300, np.nan])
    assert public_on(decided, until, published, day).tolist() == [True, False, True, False, False]
    dates = pd.DataFrame({"decision_date": pd.to_datetime(decided, unit="D"),
                          "publicity_end": pd.to_datetime(until, unit="D"),
                          "publication_date": pd.to_datetime(published, unit="D")})
    assert public_on(decided, until, published, day).tolist() == records_public_mask(dates, day).tolist()


def test_features006_target_is_the_next_twelve_months_only(world):
    features = build_features(world.store.engine, AS_OF)
    with world.store.session() as db:
        subject = world.entities[5]
        db.add(models.ListEntry(list_type_code="SXBZX", color="black", bureau_code="FY", subject_id=subject,
                                listed_on=dt.date(2026, 6, 30), expires_on=dt.date(2028, 6, 30)))
        other = world.entities[6]
        db.add(models.CreditRecord(subject_id=other, bureau_code="SCJG", record_type_code="CF", document_no="T1",
                                   decision_date=dt.date(2026, 7, 1), severity="serious",
                                   publicity_end=dt.date(2029, 6, 30)))
    y = serious_event_target(world.store.engine, features.index, AS_OF)
    late = serious_event_target(world.store.engine, features.index, dt.date(2025, 7, 1))
    assert y.loc[subject] == 1 and late.loc[subject] == 1  # 2026-06-30 is inside both windows
    assert late.loc[other] == 1
    assert y.loc[other] == 0  # 2026-07-01 is one day beyond AS_OF's window
    assert y.sum() == 1  # the world has nothing else after AS_OF
