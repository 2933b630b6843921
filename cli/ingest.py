"""`flask --app app ingest FILE --bureau CODE [--kind ...] [--json]`: validate and store one bureau submission."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import pandas as pd

from data.db import migrate
from data.ingest import IngestError, IngestResult, ingest
from data.reference import BUREAU_NAMES, RECORD_TYPE_NAMES, RECORD_TYPES

_KINDS = {rt.category: rt.name for rt in RECORD_TYPES}
# Files above this size print stage progress on stderr (stdout stays clean for --json).
_PROGRESS_BYTES = 2_000_000
_SHOWN_ERRORS = 20

_HELP = (
    "校验并导入一个委办局报送文件：CSV（UTF-8、带 BOM 的 UTF-8、GBK/GB18030，自动识别编码）或 XLSX；"
    "接受双公示新旧两代表头（XK_*/CF_* 字段代码与中文表头）及本区其他目录模板。"
    "合格的行入库，不合格的行列入错误报告（行号、字段、原因）；同一文件重复报送不做任何更改。"
    "文件无法读取、为空、不是表格、类型不符或缺少必填列时不写入任何数据，退出码非 0。"
)


def _summary(result: IngestResult) -> str:
    title = f"{BUREAU_NAMES.get(result.bureau, result.bureau)} · {RECORD_TYPE_NAMES[result.record_type]} · " \
            f"{result.period}"
    if result.resubmitted:
        return (f"该文件此前已报送（提交批次 #{result.submission_id}，{title}，接收于 {result.received_at}），"
                "本次未做任何更改。")
    header_kind = "字段代码（XK_*/CF_*）" if result.template == "current" else "中文表头"
    lines = [f"已入库：提交批次 #{result.submission_id}（{title}）",
             f"  共 {result.total:,} 行：接受 {result.accepted:,}，拒绝 {result.rejected:,}，"
             f"重复 {result.duplicates:,}；新建信用主体 {result.subjects_created:,} 个",
             f"  文件编码 {result.encoding}，表头为{header_kind}"]
    if result.due_at:
        state = "按时" if result.on_time else "逾期"
        lines.append(f"  应报送截止 {result.due_at}，接收于 {result.received_at}（{state}）")
    for error in result.errors[:_SHOWN_ERRORS]:
        lines.append(f"  第 {error['row']} 行  {error['field']}：{error['reason']}")
    if len(result.errors) > _SHOWN_ERRORS:
        lines.append(f"  ……另有 {len(result.errors) - _SHOWN_ERRORS:,} 条错误，完整报告请用 --report 或 --json")
    if result.warnings:
        lines.append(f"  提示 {len(result.warnings):,} 条（不影响入库），详见 --json")
    return "\n".join(lines)


def _write_report(path: Path, result: IngestResult) -> None:
    from ui.export import Sheet, excel_bytes

    title = f"{BUREAU_NAMES.get(result.bureau, result.bureau)}报送错误报告（提交批次 #{result.submission_id}）"
    notes = [f"信息类别：{RECORD_TYPE_NAMES[result.record_type]}；报送期间：{result.period}",
             f"共 {result.total} 行，接受 {result.accepted}，拒绝 {result.rejected}，重复 {result.duplicates}",
             "文件行号按原文件计（表头所在行之后依次编号）"]
    frame = result.report if result.report is not None else pd.DataFrame()
    path.write_bytes(excel_bytes([Sheet("错误报告", frame, title, notes=notes)]))


@click.command("ingest", help=_HELP)
@click.help_option("--help", "-h", help="显示本帮助并退出")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--bureau", "bureau_code", required=True, metavar="CODE",
              help="报送单位（委办局）代码，如 SCJG；用 `flask --app app bureaus` 查看全部代码")
@click.option("--kind", type=click.Choice(sorted(_KINDS), case_sensitive=False), default=None,
              help="信息类别（不指定时按表头自动识别）：" + "，".join(f"{k} {v}" for k, v in _KINDS.items()))
@click.option("--period", default=None, metavar="PERIOD",
              help="报送期间，如 2025-03 或 2025Q1（不指定时取文件中最晚决定日期所在的月或季度）")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None,
              help="把错误报告（原始各列 + 文件行号、出错字段、原因）写入该 Excel 文件")
@click.option("--json", "as_json", is_flag=True,
              help="以一个 JSON 对象输出结果：submission_id、accepted、rejected、duplicates、errors 等")
def ingest_command(file: Path, bureau_code: str, kind: str | None, period: str | None, report_path: Path | None,
                   as_json: bool) -> None:
    from cli import _Progress, _store

    store = _store()
    migrate(store.engine)
    try:
        content = file.read_bytes()
    except OSError as error:
        _fail(f"无法读取文件：{error.strerror or error}", as_json)
    progress = _Progress(quiet=len(content) < _PROGRESS_BYTES)
    try:
        result = ingest(store, content, bureau_code.upper(), kind=kind, file_name=file.name, source="cli",
                        period=period, progress=progress)
    except IngestError as error:
        _fail(str(error), as_json)
    if report_path is not None:
        _write_report(report_path, result)
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, default=str))
    else:
        click.echo(_summary(result))


def _fail(message: str, as_json: bool) -> None:
    """A file-level refusal: the reason in Chinese, exit status 1, nothing written."""
    if as_json:
        click.echo(json.dumps({"submission_id": None, "error": message}, ensure_ascii=False))
    click.echo(f"报送失败：{message}", err=True)
    sys.exit(1)
