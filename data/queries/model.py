"""Questions the model and scored-population pages ask: versions, reports, training jobs, scores and migrations.

Model versions and scores are written by training and scoring processes outside the web server, whose cache
they cannot clear, so memoised results are keyed by a cheap, un-memoised `version_stamp` (newest version, the one
in service, newest score row): a new version or a re-score means new keys. A version's report never changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, and_, func, select, text

from data.cache import memoize
from data.db import Store
from data.models import ModelVersion, Score, ScoreSummary, Subject, TrainingJob
from data.queries import grid
from data.reference import INDUSTRIES, SUBJECT_KINDS, TOWN_NAMES

GRADES = ("A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D")


@dataclass(frozen=True)
class ScoreFilter:
    """Filters of the scored population; empty tuples mean no restriction (hashable, so it can key the cache)."""

    grades: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    towns: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()

    @classmethod
    def of(cls, grades: Any = None, kinds: Any = None, towns: Any = None, industries: Any = None) -> ScoreFilter:
        """From raw control values: anything that is not a known code is ignored."""

        def known(values: Any, allowed: Any) -> tuple[str, ...]:
            if isinstance(values, str):
                values = [values]
            return tuple(sorted({str(v) for v in values or [] if str(v) in allowed}))

        return cls(known(grades, GRADES), known(kinds, SUBJECT_KINDS), known(towns, TOWN_NAMES),
                   known(industries, INDUSTRIES))

    def conditions(self) -> list[ColumnElement]:
        conditions = []
        for values, column in ((self.grades, Score.grade), (self.kinds, Subject.kind), (self.towns, Subject.town_code),
                               (self.industries, Subject.industry)):
            if values:
                conditions.append(column.in_(values))
        return conditions

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The same filter on a frame with grade, kind, town_code and industry columns."""
        mask = pd.Series(True, index=frame.index)
        for values, column in ((self.grades, "grade"), (self.kinds, "kind"), (self.towns, "town_code"),
                               (self.industries, "industry")):
            if values:
                mask &= frame[column].isin(values)
        return frame[mask]


Stamp = tuple[int | None, int | None, int | None]


def version_stamp(store: Store) -> Stamp:
    """(newest model version, version in service, newest score row): three index lookups in one statement, never
    cached (a training job elsewhere changes them); it keys the cached questions below."""
    with store.engine.connect() as connection:
        newest, in_service, newest_score = connection.execute(select(
            select(func.max(ModelVersion.id)).scalar_subquery(),
            select(ModelVersion.id).where(ModelVersion.in_service.is_(True)).order_by(ModelVersion.id.desc())
            .limit(1).scalar_subquery(),
            select(func.max(Score.id)).scalar_subquery(),
        )).one()
    return newest, in_service, newest_score


@memoize()
def model_versions(store: Store, stamp: Stamp) -> pd.DataFrame:
    """Every version, newest first, with its headline metrics and the number of subjects it scored."""
    columns = ["id", "created_at", "as_of", "algorithm", "in_service", "created_by", "auc", "oracle_auc", "psi",
               "scored", "scored_as_of"]
    with store.engine.connect() as connection:
        versions = connection.execute(select(ModelVersion.id, ModelVersion.created_at, ModelVersion.as_of,
                                             ModelVersion.algorithm, ModelVersion.in_service,
                                             ModelVersion.created_by, ModelVersion.report)
                                      .order_by(ModelVersion.id.desc())).all()
        # From the chart-grain summary written with the scores (a count over millions of scores otherwise).
        totals = connection.execute(select(ScoreSummary.model_version_id, func.sum(ScoreSummary.subjects),
                                           func.max(ScoreSummary.as_of))
                                    .group_by(ScoreSummary.model_version_id)).all()
        scored = {version: subjects for version, subjects, _day in totals}
        scored_as_of = {version: day for version, _subjects, day in totals}
    rows = []
    for v in versions:
        report = json.loads(v.report) if v.report else {}
        rows.append({"id": v.id, "created_at": v.created_at, "as_of": v.as_of, "algorithm": v.algorithm,
                     "in_service": bool(v.in_service), "created_by": v.created_by, "auc": report.get("auc"),
                     "oracle_auc": report.get("oracle_auc"), "psi": (report.get("psi") or {}).get("psi"),
                     "scored": int(scored.get(v.id, 0)), "scored_as_of": scored_as_of.get(v.id)})
    return pd.DataFrame(rows, columns=columns)


def shown_version(versions: pd.DataFrame) -> int | None:
    """The version pages show by default: the one in service if it has scores, else the newest scored one."""
    if versions.empty:
        return None
    in_service = versions[versions["in_service"] & (versions["scored"] > 0)]
    if not in_service.empty:
        return int(in_service["id"].iloc[0])
    scored = versions[versions["scored"] > 0]
    if not scored.empty:
        return int(scored["id"].iloc[0])
    return int(versions["id"].iloc[0])


@memoize()
def model_report(store: Store, version_id: int) -> dict[str, Any] | None:
    with store.engine.connect() as connection:
        report = connection.execute(select(ModelVersion.report).where(ModelVersion.id == version_id)).scalar()
    return json.loads(report) if report else None


def latest_training_job(store: Store) -> dict[str, Any] | None:
    """The newest training job (polled while a run is in progress, so never cached)."""
    with store.engine.connect() as connection:
        row = connection.execute(select(TrainingJob).order_by(TrainingJob.id.desc()).limit(1)).mappings().first()
    return dict(row) if row else None


@memoize()
def score_summary(store: Store, version_id: int, stamp: Stamp) -> pd.DataFrame:
    """Subjects, score sum and probability sum per grade x kind x town x industry for a version (chart grain), from
    the summary written with the scores."""
    sql = """SELECT grade, kind, town_code, industry, subjects, score_sum, probability_sum
             FROM summary_scores WHERE model_version_id = :version"""
    with store.engine.connect() as connection:
        frame = pd.read_sql_query(text(sql), connection, params={"version": version_id})
    frame["subjects"] = frame["subjects"].astype("int64")
    frame["kind_name"] = frame["kind"].map(SUBJECT_KINDS)
    frame["town_name"] = frame["town_code"].map(TOWN_NAMES).fillna("未登记")
    frame["industry_name"] = frame["industry"].map(INDUSTRIES).fillna("无（自然人等）")
    return frame


SCORED_COLUMNS: dict[str, ColumnElement] = {
    "subject_id": Subject.id,
    "name": Subject.name,
    "code": Subject.code,
    "kind": Subject.kind,
    "town_code": Subject.town_code,
    "industry": Subject.industry,
    "score": Score.score,
    "grade": Score.grade,
    "probability": Score.probability,
    "reasons": Score.reasons,
}
# Columns the grid may filter and sort on (identity numbers are not searchable from the grid: masked values
# would otherwise leak through filters).
_GRID_COLUMNS = {key: SCORED_COLUMNS[key] for key in ("name", "score", "grade", "probability")}


def scored_subjects(store: Store, version_id: int, filters: ScoreFilter, request: dict | None, *,
                    name_filter: bool = False, max_rows: int = grid.MAX_BLOCK) -> tuple[pd.DataFrame, int]:
    """One page of the scored population under the filters, lowest score first unless the grid sorts.

    Filtering by name is offered only to viewers who see persons' names unmasked (`name_filter`): a text filter on
    masked names would confirm who is in the population.
    """
    statement = (select(*[column.label(name) for name, column in SCORED_COLUMNS.items()])
                 .select_from(Score).join(Subject, Subject.id == Score.subject_id)
                 .where(Score.model_version_id == version_id, *filters.conditions()))
    columns = _GRID_COLUMNS if name_filter else {k: v for k, v in _GRID_COLUMNS.items() if k != "name"}
    def summary_count() -> int:
        # Only the page's own filters: a sum over the (cached) chart-grain summary, not a count of millions of
        # joined rows.
        return int(filters.apply(score_summary(store, version_id, version_stamp(store)))["subjects"].sum())

    with store.engine.connect() as connection:
        # Score.subject_id (= Subject.id) breaks ties, so the default order is the (version, score, subject) index.
        frame, total = grid.page(connection, statement, columns, request,
                                 default_order=[Score.score.asc(), Score.subject_id.asc()], max_rows=max_rows,
                                 unfiltered_count=summary_count)
    frame["kind_name"] = frame["kind"].map(SUBJECT_KINDS)
    frame["town_name"] = frame["town_code"].map(TOWN_NAMES)
    frame["industry_name"] = frame["industry"].map(INDUSTRIES)
    frame["top_reason"] = [(json.loads(r)[0]["text"] if r and r != "[]" else "") for r in frame["reasons"]]
    return frame, total


@memoize()
def grade_migration(store: Store, old_version: int, new_version: int, filters: ScoreFilter, stamp: Stamp
                    ) -> pd.DataFrame:
    """Subjects per (grade in the old version, grade in the new one), over subjects scored by both."""
    old = Score.__table__.alias("old")
    new = Score.__table__.alias("new")
    statement = (select(old.c.grade.label("old_grade"), new.c.grade.label("new_grade"),
                        func.count().label("subjects"))
                 .select_from(new.join(old, and_(old.c.subject_id == new.c.subject_id,
                                                  old.c.model_version_id == old_version))
                              .join(Subject, Subject.id == new.c.subject_id))
                 .where(new.c.model_version_id == new_version)
                 .group_by(old.c.grade, new.c.grade))
    conditions = ScoreFilter(kinds=filters.kinds, towns=filters.towns, industries=filters.industries).conditions()
    if filters.grades:
        conditions.append(new.c.grade.in_(filters.grades))
    statement = statement.where(*conditions)
    with store.engine.connect() as connection:
        result = connection.execute(statement)
        frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    if frame.empty:
        return pd.DataFrame(columns=["old_grade", "new_grade", "subjects"])
    frame["subjects"] = frame["subjects"].astype("int64")
    return frame
