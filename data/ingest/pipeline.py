"""One bureau submission from bytes to store: read, recognise, validate, deduplicate, resolve subjects, store.

Everything a submission writes (its submission row, records, new subjects, rejections, the refreshed summary months
and the audit entry) happens in one transaction: a submission is stored whole or not at all. The same file sent
again by the same bureau (same SHA-256) is recognised and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data import audit
from data.bulk import insert_frame
from data.cache import invalidate
from data.db import Store
from data.ingest import headers as H
from data.ingest.readers import IngestError, RawTable, read_table
from data.ingest.validate import Validated, validate
from data.models import Bureau, CatalogItem, Submission, SubmissionRejection
from data.publicity import publicity_end_dates, special_sectors
from data.reference import DOUBLE_PUBLICITY_WORKING_DAYS, RECORD_TYPES, RecordType
from data.summaries import add_records, add_subjects
from data.workdays import add_working_days, is_workday, working_days_between

Progress = Callable[[str, int, int], None]
_RECORD_TYPES = {rt.code: rt for rt in RECORD_TYPES}
_CHUNK = 100_000
# Ingestions are serialised on PostgreSQL: subject creation, duplicate detection and the fingerprint check then see
# every earlier submission, and two bureaus sending the same new subject never collide on its unique code.
_INGEST_LOCK = 727003


@dataclass
class Submitter:
    """Who sends the file (for the audit trail); None fields for the command line."""

    user_id: int | None = None
    username: str | None = None
    role: str | None = None
    ip: str | None = None


@dataclass
class IngestResult:
    submission_id: int
    bureau: str
    record_type: str
    period: str
    total: int
    accepted: int
    rejected: int
    duplicates: int
    errors: list[dict]  # {row, field, reason}
    warnings: list[dict] = field(default_factory=list)
    subjects_created: int = 0
    resubmitted: bool = False
    encoding: str = ""
    template: str = ""
    fingerprint: str = ""
    received_at: str = ""
    due_at: str | None = None
    on_time: bool | None = None
    report: pd.DataFrame | None = field(default=None, repr=False)

    def as_json(self) -> dict:
        payload = asdict(self)
        payload.pop("report")
        return payload


def fingerprint(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _noop(_stage: str, _done: int, _total: int) -> None:
    return None


def resolve_kind(headers: list[str], kind: str | None) -> RecordType:
    """The catalog of a file: the --kind given (checked against the headers) or the one its headers identify."""
    recognised, candidates = H.recognise(headers)
    if kind:
        code = H.KIND_BY_NAME.get(kind.strip().lower())
        if code is None:
            raise IngestError(f"未知的信息类别：{kind}（可选：{', '.join(rt.category for rt in RECORD_TYPES)}）")
        if recognised is not None and recognised != code:
            raise IngestError(f"文件类型不符：表头是「{_RECORD_TYPES[recognised].name}」的格式，"
                              f"与指定的「{_RECORD_TYPES[code].name}」不一致。")
        return _RECORD_TYPES[code]
    if recognised is None:
        if candidates:
            names = "、".join(_RECORD_TYPES[c].name for c in candidates)
            raise IngestError(f"无法仅凭表头确定信息类别（可能是：{names}），请指定报送类型。")
        raise IngestError("无法从表头识别信息类别：表头不属于任何报送模板，请核对表头或指定报送类型。")
    return _RECORD_TYPES[recognised]


def prepare(store: Store, content: bytes, bureau_code: str, kind: str | None) -> tuple[RawTable, RecordType,
                                                                                      H.HeaderMap, int]:
    """File-level checks that need no write: bureau, readable table, catalog and its mandatory columns."""
    with store.read() as db:
        bureau = db.get(Bureau, bureau_code)
        if bureau is None:
            raise IngestError(f"未知的委办局代码：{bureau_code}")
        catalog = {item.record_type_code: item.due_day for item in
                   db.scalars(select(CatalogItem).where(CatalogItem.bureau_code == bureau_code))}
    table = read_table(content, H.header_score)
    record_type = resolve_kind(table.headers, kind)
    if record_type.code not in catalog:
        raise IngestError(f"{bureau.name}不负责报送「{record_type.name}」（不在其报送目录中）。")
    mapping = H.map_headers(table.headers, H.TEMPLATES[record_type.code])
    missing = H.missing_required(mapping)
    if missing:
        raise IngestError(f"缺少必填列：{'；'.join(missing)}。")
    return table, record_type, mapping, catalog[record_type.code]


def ingest(store: Store, content: bytes, bureau_code: str, *, kind: str | None = None, file_name: str | None = None,
           source: str = "cli", submitter: Submitter | None = None, received_at: dt.datetime | None = None,
           period: str | None = None, progress: Progress | None = None) -> IngestResult:
    """Validate and store one file of one bureau; raise IngestError (nothing written) for file-level problems."""
    progress = progress or _noop
    submitter = submitter or Submitter()
    received_at = (received_at or dt.datetime.now()).replace(microsecond=0)
    digest = fingerprint(content)
    if period is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])|\d{4}Q[1-4]", period):
        raise IngestError(f"报送期间格式错误：{period}（应为 2025-03 或 2025Q1）")
    earlier = _earlier_submission(store, bureau_code, digest)
    if earlier is not None:
        return earlier
    progress("读取文件", 0, len(content))
    table, record_type, mapping, due_day = prepare(store, content, bureau_code, kind)
    progress("读取文件", len(content), len(content))
    n = len(table.frame)
    progress("逐行校验", 0, n)
    checked = validate(table, mapping, record_type, received_at.date())
    progress("逐行校验", n, n)
    try:
        with store.session() as db:
            result = _store_submission(db, table, checked, record_type, bureau_code, due_day, received_at, period,
                                       file_name, source, submitter, digest, progress)
    except (_AlreadyStored, IntegrityError):
        # Stored meanwhile by another process (SQLite has no advisory lock: the unique fingerprint catches it).
        earlier = _earlier_submission(store, bureau_code, digest)
        if earlier is None:
            raise
        return earlier
    invalidate("submission")
    result.encoding = table.encoding
    result.template = H.generation(table.headers)
    return result


class _AlreadyStored(Exception):
    """Another process stored the same file while this one validated it."""


def _earlier_submission(store: Store, bureau_code: str, digest: str) -> IngestResult | None:
    with store.read() as db:
        earlier = db.scalar(select(Submission).where(Submission.bureau_code == bureau_code,
                                                     Submission.fingerprint == digest))
        if earlier is None:
            return None
        rejections = db.execute(select(SubmissionRejection.row_number, SubmissionRejection.field,
                                       SubmissionRejection.reason, SubmissionRejection.original)
                                .where(SubmissionRejection.submission_id == earlier.id)
                                .order_by(SubmissionRejection.id)).all()
    return IngestResult(
        submission_id=earlier.id, bureau=bureau_code, record_type=earlier.record_type_code, period=earlier.period,
        total=earlier.rows_total, accepted=earlier.rows_accepted, rejected=earlier.rows_rejected,
        duplicates=earlier.rows_duplicate, errors=[{"row": r, "field": f, "reason": m} for r, f, m, _ in rejections],
        resubmitted=True, fingerprint=digest, received_at=earlier.received_at.isoformat(sep=" "),
        due_at=earlier.due_at.isoformat(sep=" ") if earlier.due_at else None,
        on_time=None if earlier.due_at is None else earlier.received_at <= earlier.due_at,
        report=report_frame(None, [o for *_, o in rejections], [r for r, *_ in rejections],
                            [f for _, f, *_ in rejections], [m for _, _, m, _ in rejections]),
    )


def _store_submission(db: Session, table: RawTable, checked: Validated, record_type: RecordType, bureau_code: str,
                      due_day: int, received_at: dt.datetime, period: str | None, file_name: str | None,
                      source: str, submitter: Submitter, digest: str, progress: Progress) -> IngestResult:
    connection = db.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _INGEST_LOCK})
    if db.scalar(select(Submission.id).where(Submission.bureau_code == bureau_code,
                                             Submission.fingerprint == digest)) is not None:
        raise _AlreadyStored

    values = checked.values
    errors = checked.errors
    accepted = checked.valid.copy()
    stored = _stored_documents(connection, bureau_code, values.loc[accepted, "document_no"])
    if stored.any():
        positions = np.flatnonzero(accepted)[stored]
        accepted[positions] = False
        errors = pd.concat([errors, pd.DataFrame({"position": positions, "field": H.LABELS["document_no"],
                                                  "reason": "重复：该文书号此前已报送入库"})],
                           ignore_index=True).sort_values("position", kind="stable", ignore_index=True)
    n = len(values)
    duplicates = int(checked.duplicate.sum() + stored.sum())
    rejected = n - int(accepted.sum()) - duplicates
    decision = values["decision_date"]
    period = period or _period_of(decision[accepted] if accepted.any() else decision.dropna(), record_type,
                                  received_at)
    due_at = _due_at(record_type, period, due_day)

    submission = Submission(
        bureau_code=bureau_code, record_type_code=record_type.code, period=period, received_at=received_at,
        due_at=due_at, rows_total=n, rows_accepted=int(accepted.sum()), rows_rejected=rejected,
        rows_duplicate=duplicates, fields_expected=checked.fields_expected, fields_filled=checked.fields_filled,
        fingerprint=digest, file_name=(file_name or "")[:255] or None, source=source[:10],
        submitted_by=submitter.user_id,
    )
    db.add(submission)
    db.flush()

    rows = values.loc[accepted]
    progress("匹配信用主体", 0, len(rows))
    subject_ids, created = _resolve_subjects(connection, rows)
    progress("匹配信用主体", len(rows), len(rows))
    records = _record_frame(rows, subject_ids, bureau_code, record_type, submission.id, received_at)
    for start in range(0, len(records), _CHUNK):
        progress("写入信用记录", start, len(records))
        insert_frame(connection, "credit_records", records.iloc[start:start + _CHUNK])
    progress("写入信用记录", len(records), len(records))
    originals = _originals(table, errors["position"].to_numpy())
    row_numbers = table.row_numbers[errors["position"].to_numpy()]
    insert_frame(connection, "submission_rejections", pd.DataFrame({
        "submission_id": submission.id, "row_number": row_numbers, "field": errors["field"].str.slice(0, 60),
        "reason": errors["reason"].astype(str).str.slice(0, 200), "original": originals,
    }))
    progress("刷新汇总", 0, 1)
    if len(records):
        add_records(connection, submission_id=submission.id)
    progress("刷新汇总", 1, 1)
    on_time = None if due_at is None else received_at <= due_at
    detail = {"bureau": bureau_code, "record_type": record_type.code, "period": period, "file": file_name,
              "total": n, "accepted": int(accepted.sum()), "rejected": rejected, "duplicates": duplicates,
              "subjects_created": created, "fingerprint": digest, "due_at": due_at.isoformat() if due_at else None,
              "received_at": received_at.isoformat(), "source": source}
    audit.record(db, "ingest", user_id=submitter.user_id, username=submitter.username or "cli",
                 role=submitter.role, target=f"submission:{submission.id}", detail=detail, ip=submitter.ip)
    error_list = [{"row": int(r), "field": f, "reason": m}
                  for r, f, m in zip(row_numbers, errors["field"], errors["reason"], strict=True)]
    warning_rows = table.row_numbers[checked.warnings["position"].to_numpy()]
    warning_list = [{"row": int(r), "field": f, "reason": m}
                    for r, f, m in zip(warning_rows, checked.warnings["field"], checked.warnings["reason"],
                                       strict=True)]
    return IngestResult(
        submission_id=submission.id, bureau=bureau_code, record_type=record_type.code, period=period, total=n,
        accepted=int(accepted.sum()), rejected=rejected, duplicates=duplicates, errors=error_list,
        warnings=warning_list, subjects_created=created, fingerprint=digest, received_at=received_at.isoformat(sep=" "),
        due_at=due_at.isoformat(sep=" ") if due_at else None, on_time=on_time,
        report=report_frame(table.headers, originals, row_numbers, errors["field"], errors["reason"]),
    )


def _period_of(decisions: pd.Series, record_type: RecordType, received_at: dt.datetime) -> str:
    """The period a file reports: the month (or quarter) of its latest decision, else of its arrival."""
    latest = decisions.max() if len(decisions) else pd.NaT
    day = received_at.date() if pd.isna(latest) else latest.date()
    if record_type.frequency == "quarterly":
        return f"{day.year}Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def due_date(record_type: RecordType, period: str, due_day: int) -> dt.date:
    """When a submission of a period falls due.

    Event catalogs (double publicity) are reported month by month: due 7 working days after the month's last day
    (each record's own 7-day limit is measured separately, by its publish delay). Periodic catalogs: day `due_day`
    of the month after the period, moved to the next working day when it falls on a weekend or holiday.
    """
    year = int(period[:4])
    last_month = int(period[5:7]) if "-" in period else int(period[-1]) * 3
    after = dt.date(year + (last_month == 12), last_month % 12 + 1, 1)
    if record_type.frequency == "event":
        return add_working_days(after - dt.timedelta(days=1), DOUBLE_PUBLICITY_WORKING_DAYS)
    day = after.replace(day=min(max(due_day, 1), 28))
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def _due_at(record_type: RecordType, period: str, due_day: int) -> dt.datetime:
    return dt.datetime.combine(due_date(record_type, period, due_day), dt.time(23, 59, 59))


def _temp_keys(connection: Connection, name: str, keys: pd.Series) -> None:
    """A temporary one-column table of keys to join against (instead of a query with a million parameters)."""
    connection.execute(text(f"CREATE TEMPORARY TABLE {name} (k VARCHAR(100))"))
    count = insert_frame(connection, name, pd.DataFrame({"k": keys.drop_duplicates().to_numpy()}))
    if connection.dialect.name == "postgresql" and count > 10_000:
        # A fresh temporary table has no statistics; without them the planner misjudges the join.
        connection.execute(text(f"ANALYZE {name}"))


def _stored_documents(connection: Connection, bureau_code: str, documents: pd.Series) -> np.ndarray:
    """Which of the documents the bureau has already stored.

    Whichever is smaller travels: the bureau's stored numbers when it has fewer than the file, otherwise the
    file's numbers, loaded into a temporary table and joined on the (bureau, document) unique index.
    """
    stored = connection.execute(text("SELECT COUNT(*) FROM credit_records WHERE bureau_code = :bureau"),
                                {"bureau": bureau_code}).scalar_one()
    if documents.empty or not stored:
        return np.zeros(len(documents), dtype=bool)
    if stored <= len(documents):
        found = connection.execute(text("SELECT document_no FROM credit_records WHERE bureau_code = :bureau"),
                                   {"bureau": bureau_code}).scalars().all()
    else:
        _temp_keys(connection, "ingest_documents", documents)
        found = connection.execute(text(
            "SELECT r.document_no FROM credit_records r JOIN ingest_documents d ON d.k = r.document_no "
            "WHERE r.bureau_code = :bureau"), {"bureau": bureau_code}).scalars().all()
        connection.execute(text("DROP TABLE ingest_documents"))
    return documents.isin(set(found)).to_numpy()


def _resolve_subjects(connection: Connection, rows: pd.DataFrame) -> tuple[np.ndarray, int]:
    """Subject id per row: existing subjects matched by code, the others created in bulk first."""
    if rows.empty:
        return np.zeros(0, dtype=np.int64), 0
    firsts = rows.drop_duplicates("subject_code")
    known = _subject_ids(connection, firsts["subject_code"])
    new = firsts[~firsts["subject_code"].isin(known.keys())]
    if not new.empty:
        persons = new["subject_kind"] == "person"
        birth = pd.to_datetime(new["subject_code"].str[6:14].where(persons), format="%Y%m%d", errors="coerce")
        created = pd.DataFrame({
            "kind": pd.Categorical(new["subject_kind"]), "code": new["subject_code"].to_numpy(),
            "name": new["subject_name"].to_numpy(), "town_code": pd.Categorical(new["town_code"]),
            "registered_on": _date_text(birth).to_numpy(),
        })
        insert_frame(connection, "subjects", created)
        add_subjects(connection, created)
        known = _subject_ids(connection, firsts["subject_code"])
    ids = rows["subject_code"].map(known)
    return ids.to_numpy(dtype=np.int64), len(new)


def _subject_ids(connection: Connection, codes: pd.Series) -> dict[str, int]:
    """Ids of the subjects with these codes, by one query: the whole (small) table, or a join against the codes."""
    stored = connection.execute(text("SELECT COUNT(*) FROM subjects")).scalar_one()
    if not stored:
        return {}
    if stored <= len(codes):
        wanted = set(codes)
        return {code: id_ for code, id_ in connection.execute(text("SELECT code, id FROM subjects")) if code in wanted}
    _temp_keys(connection, "ingest_subjects", codes)
    found = dict(connection.execute(text(
        "SELECT s.code, s.id FROM subjects s JOIN ingest_subjects k ON k.k = s.code")).all())
    connection.execute(text("DROP TABLE ingest_subjects"))
    return found


def _date_text(dates: pd.Series) -> pd.Series:
    """ISO dates as a categorical: each distinct day is formatted once; COPY and SQLite both take the text."""
    codes, uniques = pd.factorize(pd.to_datetime(dates).dt.normalize())
    labels = pd.DatetimeIndex(uniques).strftime("%Y-%m-%d")
    return pd.Series(pd.Categorical.from_codes(codes, categories=labels), index=dates.index)


def _record_frame(rows: pd.DataFrame, subject_ids: np.ndarray, bureau_code: str, record_type: RecordType,
                  submission_id: int, received_at: dt.datetime) -> pd.DataFrame:
    decision = rows["decision_date"]
    received = np.datetime64(received_at.date(), "D")
    delay = working_days_between(decision.to_numpy(dtype="datetime64[D]"), np.full(len(rows), received))
    severity = rows["severity"] if record_type.has_severity else pd.Series(None, index=rows.index, dtype=object)
    special = special_sectors(pd.Series(bureau_code, index=rows.index), pd.Series(record_type.code, index=rows.index),
                              rows["content"])
    ends = publicity_end_dates(decision, severity, special)
    expired = (ends < pd.Timestamp(received_at.date())).to_numpy()
    return pd.DataFrame({
        "subject_id": subject_ids,
        "bureau_code": pd.Categorical([bureau_code] * len(rows)),
        "record_type_code": pd.Categorical([record_type.code] * len(rows)),
        "document_no": rows["document_no"].to_numpy(),
        "decision_date": _date_text(decision).to_numpy(),
        "publication_date": pd.Categorical([received_at.date().isoformat()] * len(rows)),
        "publish_delay_wd": delay,
        "amount": rows["amount"].to_numpy(dtype=float),
        "severity": pd.Categorical(severity.to_numpy()),
        "grade": rows["grade"].to_numpy(),
        "publicity_end": _date_text(ends).to_numpy(),
        "status": pd.Categorical(np.where(expired, "expired", "active")),
        "submission_id": submission_id,
        "content": _compact(rows["content"]),
    })


def _compact(texts: pd.Series) -> pd.Series | pd.Categorical:
    """Repetitive text as a categorical: the bulk loader then escapes each distinct value once, not every row."""
    codes, uniques = pd.factorize(texts)
    if len(uniques) > len(texts) // 2:
        return texts.to_numpy()
    return pd.Categorical.from_codes(codes, categories=uniques)


def display_headers(headers: list[str]) -> list[str]:
    """Header texts made unique (a repeated header gets （2）, （3） ...) so rows can be kept as JSON objects."""
    seen: dict[str, int] = {}
    result = []
    for index, header in enumerate(headers):
        name = header or f"第{index + 1}列"
        seen[name] = seen.get(name, 0) + 1
        result.append(name if seen[name] == 1 else f"{name}（{seen[name]}）")
    return result


def _originals(table: RawTable, positions: np.ndarray) -> np.ndarray:
    """The original cells of each rejected row as a JSON object (once per row, repeated for its other errors)."""
    names = display_headers(table.headers)
    unique = np.unique(positions)
    cells = table.frame.iloc[unique].to_numpy(dtype=object)
    texts = {int(p): json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False)
             for p, row in zip(unique, cells, strict=True)}
    return np.array([texts[int(p)] for p in positions], dtype=object)


REPORT_ROW, REPORT_FIELD, REPORT_REASON = "文件行号", "出错字段", "原因"


def report_frame(headers: list[str] | None, originals, row_numbers, fields, reasons) -> pd.DataFrame:
    """The error report a bureau downloads: its original columns, then row number, field and reason."""
    parsed = [json.loads(o) if isinstance(o, str) and o else {} for o in originals]
    columns = display_headers(headers) if headers else list(dict.fromkeys(k for row in parsed for k in row))
    frame = pd.DataFrame(parsed, columns=columns).fillna("")
    frame.insert(0, REPORT_ROW, np.asarray(row_numbers, dtype=np.int64))
    frame[REPORT_FIELD] = list(fields)
    frame[REPORT_REASON] = list(reasons)
    return frame
