"""The integrated credit store: SQLAlchemy 2 models shared by PostgreSQL and SQLite.

Every schema change goes through an Alembic migration in migrations/versions.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from data.reference import DOUBLE_PUBLICITY_TYPES, DOUBLE_PUBLICITY_WORKING_DAYS

# SQLite only auto-increments an INTEGER PRIMARY KEY, so big ids are BIGINT on PostgreSQL and INTEGER on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    pass


class Town(Base):
    __tablename__ = "towns"
    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(8))
    population: Mapped[int] = mapped_column(Integer)


class Bureau(Base):
    __tablename__ = "bureaus"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(8))


class RecordType(Base):
    __tablename__ = "record_types"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(40))
    polarity: Mapped[str] = mapped_column(String(8))
    has_severity: Mapped[bool] = mapped_column(Boolean)
    double_publicity: Mapped[bool] = mapped_column(Boolean)
    frequency: Mapped[str] = mapped_column(String(10))
    subject_scope: Mapped[str] = mapped_column(String(8))


class CatalogItem(Base):
    """A record type a bureau is responsible for reporting (the reporting catalog)."""

    __tablename__ = "catalog_items"
    bureau_code: Mapped[str] = mapped_column(ForeignKey("bureaus.code"), primary_key=True)
    record_type_code: Mapped[str] = mapped_column(ForeignKey("record_types.code"), primary_key=True)
    # Day of the month after the period by which a periodic submission is due (event catalogs: 7 working days).
    due_day: Mapped[int] = mapped_column(Integer, default=10)


class ListType(Base):
    __tablename__ = "list_types"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    color: Mapped[str] = mapped_column(String(8))
    issuer_code: Mapped[str] = mapped_column(ForeignKey("bureaus.code"))
    period_years: Mapped[int | None] = mapped_column(Integer)


class Subject(Base):
    """An enterprise, individual business, cooperative, person, agency, institution or social organisation."""

    __tablename__ = "subjects"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    # Unified social credit code for legal persons, resident identity number for natural persons.
    code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    town_code: Mapped[str | None] = mapped_column(ForeignKey("towns.code"), index=True)
    industry: Mapped[str | None] = mapped_column(String(1))
    # Registration date for legal persons, birth date for natural persons.
    registered_on: Mapped[dt.date | None] = mapped_column(Date)
    deregistered_on: Mapped[dt.date | None] = mapped_column(Date)
    legal_rep_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id"), index=True)


class Submission(Base):
    """One file (or generated batch) a bureau submitted for one catalog item and period."""

    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    bureau_code: Mapped[str] = mapped_column(ForeignKey("bureaus.code"), index=True)
    record_type_code: Mapped[str] = mapped_column(ForeignKey("record_types.code"))
    period: Mapped[str] = mapped_column(String(10))  # 2025-03, 2025Q1
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)
    due_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_accepted: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    rows_duplicate: Mapped[int] = mapped_column(Integer, default=0)
    fields_expected: Mapped[int] = mapped_column(Integer, default=0)  # mandatory cells in the file
    fields_filled: Mapped[int] = mapped_column(Integer, default=0)  # of which non-empty
    fingerprint: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(10), default="upload")  # upload / cli / generator
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    __table_args__ = (UniqueConstraint("bureau_code", "fingerprint", name="uq_submission_fingerprint"),)


class CreditRecord(Base):
    __tablename__ = "credit_records"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    bureau_code: Mapped[str] = mapped_column(ForeignKey("bureaus.code"))
    record_type_code: Mapped[str] = mapped_column(ForeignKey("record_types.code"))
    document_no: Mapped[str] = mapped_column(String(80))
    decision_date: Mapped[dt.date] = mapped_column(Date)
    publication_date: Mapped[dt.date | None] = mapped_column(Date)
    # Working days from decision to publication on the statutory calendar, computed when the record is stored.
    publish_delay_wd: Mapped[int | None] = mapped_column(Integer)
    amount: Mapped[float | None] = mapped_column(Float)  # 万元 (fines, confiscations, arrears)
    severity: Mapped[str | None] = mapped_column(String(10))  # minor / ordinary / serious
    grade: Mapped[str | None] = mapped_column(String(4))  # e.g. tax credit grade A/B/M/C/D
    publicity_end: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="active")
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    content: Mapped[str | None] = mapped_column(String(200))
    __table_args__ = (
        UniqueConstraint("bureau_code", "document_no", name="uq_record_bureau_document"),
        Index("ix_records_subject", "subject_id", "decision_date"),
        Index("ix_records_decision", "decision_date"),
        Index("ix_records_submission", "submission_id"),
    )


class ListEntry(Base):
    __tablename__ = "list_entries"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    list_type_code: Mapped[str] = mapped_column(ForeignKey("list_types.code"), index=True)
    color: Mapped[str] = mapped_column(String(8))  # red / black / warning (denormalised for fast filters)
    bureau_code: Mapped[str] = mapped_column(ForeignKey("bureaus.code"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_records.id"))
    reason: Mapped[str | None] = mapped_column(String(200))
    listed_on: Mapped[dt.date] = mapped_column(Date, index=True)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    removed_on: Mapped[dt.date | None] = mapped_column(Date)
    removal_reason: Mapped[str | None] = mapped_column(String(200))


class CampaignRecord(Base):
    """Civilisation-campaign honours and integrity activities (文明创城) by town/street."""

    __tablename__ = "campaign_records"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    town_code: Mapped[str] = mapped_column(ForeignKey("towns.code"), index=True)
    unit_type: Mapped[str] = mapped_column(String(20))  # community / village / enterprise / school / ...
    unit_name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10))  # honour / activity
    item: Mapped[str] = mapped_column(String(40))  # 文明社区, 诚信宣传活动, ...
    event_date: Mapped[dt.date] = mapped_column(Date)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id"))


class Objection(Base):
    """A subject's dispute of a published record (异议)."""

    __tablename__ = "objections"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_records.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    bureau_code: Mapped[str] = mapped_column(ForeignKey("bureaus.code"))  # the source bureau that verifies
    filed_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(400))
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(10))  # corrected / confirmed / removed
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Complaint(Base):
    """A public report of bad conduct (投诉), forwarded to the competent bureau."""

    __tablename__ = "complaints"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id"))
    subject_name: Mapped[str] = mapped_column(String(100))
    content: Mapped[str | None] = mapped_column(String(400))
    filed_on: Mapped[dt.date] = mapped_column(Date)
    forwarded_to: Mapped[str | None] = mapped_column(ForeignKey("bureaus.code"))
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(40))


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10))
    bureau_code: Mapped[str | None] = mapped_column(ForeignKey("bureaus.code"))
    display_name: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AuditEntry(Base):
    """Append-only audit trail; each entry's hash chains to the previous entry's."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[str | None] = mapped_column(String(10))
    action: Mapped[str] = mapped_column(String(30), index=True)
    target: Mapped[str | None] = mapped_column(String(120))
    detail: Mapped[str | None] = mapped_column(Text)
    ip: Mapped[str | None] = mapped_column(String(45))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class ModelVersion(Base):
    __tablename__ = "model_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    as_of: Mapped[dt.date] = mapped_column(Date)
    algorithm: Mapped[str] = mapped_column(String(40))
    in_service: Mapped[bool] = mapped_column(Boolean, default=False)
    report: Mapped[str | None] = mapped_column(Text)  # JSON
    artifact: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_by: Mapped[str | None] = mapped_column(String(64))


class Score(Base):
    __tablename__ = "scores"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    model_version_id: Mapped[int] = mapped_column(ForeignKey("model_versions.id"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    as_of: Mapped[dt.date] = mapped_column(Date)
    probability: Mapped[float] = mapped_column(Float)
    score: Mapped[float] = mapped_column(Float)
    grade: Mapped[str] = mapped_column(String(2))
    reasons: Mapped[str | None] = mapped_column(Text)  # JSON list
    __table_args__ = (
        UniqueConstraint("model_version_id", "subject_id", name="uq_score_version_subject"),
        Index("ix_scores_subject", "subject_id"),
        # The scored grid's default order (lowest score first) read as an index range of one version.
        Index("ix_scores_version_score", "model_version_id", "score", "subject_id"),
    )


class Setting(Base):
    """District-configurable values (assessment weights, thresholds, rules), JSON-encoded."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class RecordMonthly(Base):
    """Summary of credit records at chart grain (month x bureau x record type x town x subject kind x severity).

    Pages read this instead of scanning credit_records; it is refreshed after every submission.
    """

    __tablename__ = "summary_records_monthly"
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # decision month YYYY-MM
    bureau_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    record_type_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    town_code: Mapped[str] = mapped_column(String(9), primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    severity: Mapped[str] = mapped_column(String(10), primary_key=True)  # '' when not applicable
    records: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[float] = mapped_column(Float)
    published: Mapped[int] = mapped_column(BigInteger)  # records with a publication date
    published_late: Mapped[int] = mapped_column(BigInteger)  # published after 7 working days


class SubmissionRejection(Base):
    """One rejected row of a submission: its row number, the field and the reason, with the original cells."""

    __tablename__ = "submission_rejections"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    row_number: Mapped[int] = mapped_column(Integer)  # 1-based data row as the bureau sees it in its file
    field: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(String(200))
    original: Mapped[str | None] = mapped_column(Text)  # JSON object of the row's original cells


class ChangeHistory(Base):
    """Who changed what and when, before and after: objections, outcomes, repairs, list removals."""

    __tablename__ = "change_history"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(20))  # record / list_entry / objection / repair
    entity_id: Mapped[int] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(30))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    changed_by: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[str | None] = mapped_column(Text)  # JSON
    after: Mapped[str | None] = mapped_column(Text)  # JSON
    __table_args__ = (Index("ix_change_history_entity", "entity", "entity_id"),)


class CreditRepair(Base):
    """An application for credit repair (信用修复) of one record and the deciding bureau's decision."""

    __tablename__ = "credit_repairs"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("credit_records.id"), index=True)
    applied_on: Mapped[dt.date] = mapped_column(Date)
    conduct_corrected: Mapped[bool] = mapped_column(Boolean, default=False)
    obligations_met: Mapped[bool] = mapped_column(Boolean, default=False)
    commitment_signed: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(10))  # granted / refused
    reason: Mapped[str | None] = mapped_column(String(200))
    decided_by: Mapped[str | None] = mapped_column(String(64))


class TrainingJob(Base):
    """A model training run in the background: progress the model page polls, and its outcome."""

    __tablename__ = "training_jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(10))  # running / done / failed
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str | None] = mapped_column(String(200))
    requested_by: Mapped[str | None] = mapped_column(String(64))
    model_version_id: Mapped[int | None] = mapped_column(ForeignKey("model_versions.id"))


class SubjectSummary(Base):
    """Summary of subjects at chart grain (town x kind x registration year x deregistration year).

    Counting subjects in force at the end of any year reads this instead of scanning subjects (millions of
    natural persons at district scale); it is rebuilt after every submission and after the generator's load.
    """

    __tablename__ = "summary_subjects"
    town_code: Mapped[str] = mapped_column(String(9), primary_key=True)  # '' when unknown
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    # Year of registered_on (birth year for natural persons); 0 when unknown.
    registered_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    deregistered_year: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0 while still registered
    subjects: Mapped[int] = mapped_column(BigInteger)


class ScoreSummary(Base):
    """A version's scores at chart grain (grade x subject kind x town x industry), written with the scores.

    The scored page's charts, KPIs and grid count read this instead of aggregating millions of scores joined to
    their subjects (about a second at district scale, after every write emptied the read-model cache).
    """

    __tablename__ = "summary_scores"
    model_version_id: Mapped[int] = mapped_column(ForeignKey("model_versions.id"), primary_key=True)
    grade: Mapped[str] = mapped_column(String(2), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    town_code: Mapped[str] = mapped_column(String(9), primary_key=True)  # '' when unknown
    industry: Mapped[str] = mapped_column(String(1), primary_key=True)  # '' for natural persons and unknown
    subjects: Mapped[int] = mapped_column(BigInteger)
    score_sum: Mapped[float] = mapped_column(Float)
    probability_sum: Mapped[float] = mapped_column(Float)
    as_of: Mapped[dt.date] = mapped_column(Date)  # the scoring day (the latest, should a group hold several)


# The overview's "recent serious penalties" reads only serious records newest first; a partial index keeps that
# lookup small (serious records are a fraction of a percent of all records).
# The assessment's drill-down lists a bureau's double-publicity records (licences, penalties) published late, more
# than 7 working days after the decision: under 2 % of all records; a partial index holds just those.
_LATE_DOUBLE_PUBLICITY = and_(CreditRecord.publish_delay_wd > DOUBLE_PUBLICITY_WORKING_DAYS,
                              CreditRecord.record_type_code.in_(DOUBLE_PUBLICITY_TYPES))
# On PostgreSQL it covers the drill-down's columns, so a page of a year's late records is read from the index alone.
Index("ix_records_late", CreditRecord.bureau_code, CreditRecord.decision_date,
      postgresql_where=_LATE_DOUBLE_PUBLICITY, sqlite_where=_LATE_DOUBLE_PUBLICITY,
      postgresql_include=["publish_delay_wd", "id", "record_type_code", "subject_id", "document_no",
                          "publication_date", "severity"])
Index("ix_records_serious_decision", CreditRecord.decision_date,
      postgresql_where=CreditRecord.severity == "serious", sqlite_where=CreditRecord.severity == "serious")
# Statistics by town, industry or subject kind join entries, scores or records to millions of subjects for three
# short columns; on PostgreSQL this index holds them beside the id, so the join is an index-only lookup per row
# (lists in force at district scale: 116 ms, against 355 ms hashing every subject).
Index("ix_subjects_attributes", Subject.id, postgresql_include=["town_code", "industry", "kind"])
