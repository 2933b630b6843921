"""CLI of the credit evaluation model: `flask --app app train` and `flask --app app score`.

Progress goes to stderr so that `--json` output on stdout stays one clean JSON object.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from pathlib import Path

import click
from threadpoolctl import threadpool_limits

from data.cache import invalidate
from data.db import Store

# Share of a page-started job's progress bar per stage (training, then optionally re-scoring).
_JOB_STAGES = {
    "训练日特征": (0.0, 0.2), "检验日特征": (0.2, 0.4), "评分卡": (0.4, 0.5), "挑战者模型": (0.5, 0.7),
    "检验与报告": (0.7, 0.8), "features": (0.8, 0.9), "评分": (0.9, 1.0),
}


def _threads() -> int:
    """OpenMP/BLAS threads: OMP_NUM_THREADS if set, else 1 (on 2 cores default threading ran 10x slower)."""
    try:
        return max(1, int(os.environ.get("OMP_NUM_THREADS", "1")))
    except ValueError:
        return 1


class _JobProgress:
    """Forwards progress to the console printer and, at most once a second, to the training job's row."""

    def __init__(self, store: Store, job_id: int | None, console: Callable[[str, int, int], None]) -> None:
        self.store, self.job_id, self.console = store, job_id, console
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.console(stage, done, total)
        if self.job_id is None:
            return
        now = time.monotonic()
        if now - self.last < 1.0 and done < total:
            return
        self.last = now
        start, end = _JOB_STAGES.get(stage, (0.0, 1.0))
        share = done / total if total else 1.0
        from scoring.train import update_job

        update_job(self.store, self.job_id, progress=start + (end - start) * share, message=stage)


@click.command("train", help="训练信用评价模型（评分卡与梯度提升挑战者），跨时间检验，登记模型版本并投入使用。")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="跨时间检验的观察日 YYYY-MM-DD（训练日为其前 12 个月；默认：结果期完整的最近日期）")
@click.option("--truth", "truth_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="生成器的真实概率文件（默认 instance/truth.csv，如存在），用于计算理论最优 AUC")
@click.option("--json", "as_json", is_flag=True, help="以一个 JSON 对象输出模型报告")
@click.option("--score", "then_score", is_flag=True, help="训练完成后用新模型为全部主体重新评分")
@click.option("--job", "job_id", type=int, default=None, hidden=True)
@click.option("--requested-by", "requested_by", default="cli", hidden=True)
def train_command(as_of: dt.datetime | None, truth_path: Path | None, as_json: bool, then_score: bool,
                  job_id: int | None, requested_by: str) -> None:
    from cli import _emit_json, _Progress, _store
    from config import INSTANCE
    from data.db import migrate
    from scoring.scores import ScoringError, score_all
    from scoring.train import TrainingError, train, update_job

    store = _store()
    migrate(store.engine)
    truth = truth_path or (INSTANCE / "truth.csv")
    progress = _JobProgress(store, job_id, _Progress())
    try:
        with threadpool_limits(limits=_threads()):
            result = train(store, as_of=as_of.date() if as_of else None, truth_path=truth if truth.exists() else None,
                           progress=progress, created_by=requested_by)
            summary = score_all(store, progress=progress, requested_by=requested_by) if then_score else None
    except (TrainingError, ScoringError) as error:
        if job_id is not None:
            update_job(store, job_id, status="failed", message=str(error))
        raise click.ClickException(str(error)) from error
    except Exception as error:
        if job_id is not None:
            update_job(store, job_id, status="failed", message=f"训练失败：{error.__class__.__name__}: {error}")
        raise
    if job_id is not None:
        update_job(store, job_id, status="done", progress=1.0, message="完成", model_version_id=result.version_id)
    invalidate()
    if as_json:
        _emit_json({**result.report, "scoring": summary})
        return
    report = result.report
    click.echo(f"模型版本 {result.version_id} 已投入使用：{report['algorithm']}，"
               f"检验日 {report['as_of']}，AUC {report['auc']:.4f}"
               + (f"，理论最优 AUC {report['oracle_auc']:.4f}" if report["oracle_auc"] is not None else ""))
    if summary:
        click.echo(f"已评分 {summary['subjects']:,} 个主体（{summary['seconds']} 秒）。")


@click.command("score", help="用在用模型为全部信用主体评分，写入分数、等级、违约概率和主要扣分原因。")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="评分日 YYYY-MM-DD（默认：今天，若数据截止更早则为数据截止日）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果摘要")
def score_command(as_of: dt.datetime | None, as_json: bool) -> None:
    from cli import _emit_json, _Progress, _store
    from scoring.scores import ScoringError, score_all

    store = _store()
    try:
        with threadpool_limits(limits=_threads()):
            summary = score_all(store, as_of=as_of.date() if as_of else None, progress=_Progress())
    except ScoringError as error:
        raise click.ClickException(str(error)) from error
    invalidate()
    if as_json:
        _emit_json(summary)
    else:
        click.echo(f"已用模型版本 {summary['model_version_id']} 为 {summary['subjects']:,} 个主体评分"
                   f"（评分日 {summary['as_of']}，用时 {summary['seconds']} 秒）。")
