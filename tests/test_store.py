"""The integrated store: migrations, reference data and constraints, on SQLite and PostgreSQL."""

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from data import models, reference
from data.db import migrate
from data.models import Base


def test_store001_migrations_create_every_model_table(empty_store):
    tables = set(inspect(empty_store.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_store002_migrations_match_models(empty_store):
    """Autogenerate finds nothing to do: the migrations describe exactly the models."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with empty_store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_store003_reference_data_seeded_and_idempotent(empty_store):
    migrate(empty_store.engine)  # a second run changes nothing
    with empty_store.read() as db:
        assert db.scalar(select(func.count()).select_from(models.Town)) == 22
        assert db.scalar(select(func.count()).select_from(models.Bureau)) == len(reference.BUREAUS)
        assert db.get(models.Town, "110112109").name == "马驹桥镇"
        catalog = db.scalars(select(models.CatalogItem.record_type_code)
                             .where(models.CatalogItem.bureau_code == "FY")).all()
        assert catalog == ["SFZX"]


def test_store004_document_number_unique_per_bureau(empty_store):
    with empty_store.session() as db:
        subject = models.Subject(kind="enterprise", code="914403001922038216", name="测试有限公司",
                                 town_code="110112001", industry="F")
        db.add(subject)
        db.flush()
        common = dict(subject_id=subject.id, record_type_code="CF", decision_date=dt.date(2025, 3, 3),
                      status="active")
        db.add(models.CreditRecord(bureau_code="SCJG", document_no="京通市监罚〔2025〕1号", **common))
        db.add(models.CreditRecord(bureau_code="ZJ", document_no="京通市监罚〔2025〕1号", **common))
    with pytest.raises(IntegrityError), empty_store.session() as db:
        db.add(models.CreditRecord(bureau_code="SCJG", document_no="京通市监罚〔2025〕1号", **common))
    with empty_store.read() as db:
        assert db.scalar(select(func.count()).select_from(models.CreditRecord)) == 2


def test_store005_subject_code_unique(empty_store):
    with empty_store.session() as db:
        db.add(models.Subject(kind="person", code="11010519491231002X", name="张三", town_code="110112001"))
    with pytest.raises(IntegrityError), empty_store.session() as db:
        db.add(models.Subject(kind="person", code="11010519491231002X", name="张三", town_code="110112002"))


def test_store006_big_identifiers_round_trip(empty_store):
    with empty_store.session() as db:
        person = models.Subject(kind="person", code="440524188001010014", name="李四", town_code="110112104")
        db.add(person)
        db.flush()
        company = models.Subject(kind="enterprise", code="91440300708461136T", name="通州某公司",
                                 town_code="110112104", legal_rep_id=person.id)
        db.add(company)
    with empty_store.read() as db:
        company = db.scalar(select(models.Subject).where(models.Subject.code == "91440300708461136T"))
        assert db.get(models.Subject, company.legal_rep_id).name == "李四"


def test_store007_vacuum_analyze_vacuums_and_leaves_statistics(empty_store):
    """After a bulk load the planner needs statistics and, on PostgreSQL, the visibility map (without it a covering
    index is priced like the table and the planner picks a worse index)."""
    from sqlalchemy import text

    from data.bulk import insert_frame
    from data.db import vacuum_analyze

    frame = pd.DataFrame({"code": [f"T{i:05d}" for i in range(2000)], "name": "测试", "kind": "enterprise"})
    with empty_store.engine.begin() as connection:
        connection.execute(text("CREATE TABLE bulk_probe (code VARCHAR(20), name VARCHAR(20), kind VARCHAR(20))"))
        insert_frame(connection, "bulk_probe", frame)
    vacuum_analyze(empty_store.engine, "bulk_probe")
    with empty_store.engine.connect() as connection:
        if empty_store.dialect == "postgresql":
            # Whether pages become all-visible depends on the oldest transaction of the whole server (the other
            # test workers'), so the test asks PostgreSQL whether the table was vacuumed and analysed.
            vacuums, analyses, tuples = connection.execute(text(
                "SELECT s.vacuum_count, s.analyze_count, c.reltuples FROM pg_stat_user_tables s"
                " JOIN pg_class c ON c.oid = s.relid WHERE s.relname = 'bulk_probe'")).one()
            assert vacuums == 1 and analyses == 1 and tuples == 2000
        else:
            stat = connection.execute(text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'bulk_probe'")).scalar()
            assert stat is not None and stat.split()[0] == "2000"
