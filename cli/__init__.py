"""The Flask CLI (`flask --app app <command>`): migrate, generate, bureaus, users, audit, and the demo start."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sys
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from config import INSTANCE
from data import audit
from data.cache import invalidate
from data.db import Store, migrate, store_is_empty
from data.models import Bureau, User
from data.reference import ROLES
from data.users import UserError, create_user

DEMO_ACCOUNTS = INSTANCE / "demo-accounts.txt"


def _store() -> Store:
    return current_app.extensions["credit_store"]


def _emit_json(payload: object) -> None:
    click.echo(json.dumps(payload, ensure_ascii=False, default=str))


class _Progress:
    """Prints one line per stage with percentage and rate to stderr, so --json output on stdout stays clean."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.stage: str | None = None
        self.started = time.monotonic()
        self.last = 0.0
        self.line_open = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if stage != self.stage:
            if self.line_open:
                click.echo("", err=True)
            self.stage, self.started, self.line_open = stage, now, False
        if done < total and now - self.last < 0.5:
            return
        self.last = now
        share = done / total if total else 1.0
        self.line_open = done < total
        click.echo(f"\r  {stage:<24} {share:6.1%}  {done:>12,}/{total:,}  {now - self.started:6.1f}s",
                   nl=not self.line_open, err=True)


@click.command("migrate", help="创建或升级数据库结构并写入参考数据（街乡、委办局、目录、名单类型）。")
def migrate_command() -> None:
    migrate(_store().engine)
    invalidate()  # reference data (towns, bureaus, catalogue, list types) may have changed
    click.echo("数据库已是最新结构。")


@click.command("generate", help="生成模拟的通州区信用数据（演示或性能测试用）。")
@click.option("--persons", type=click.IntRange(min=0), default=15_000, show_default=True, help="自然人数量")
@click.option("--enterprises", type=click.IntRange(min=0), default=5_000, show_default=True,
              help="法人及其他组织数量（含个体工商户）")
@click.option("--years", type=click.IntRange(1, 10), default=3, show_default=True, help="历史年数")
@click.option("--seed", type=int, default=20261129, show_default=True, help="随机种子（相同种子结果相同）")
@click.option("--truth", "truth_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="真实概率文件路径（默认 instance/truth.csv）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果摘要")
def generate_command(persons: int, enterprises: int, years: int, seed: int, truth_path: Path | None,
                     as_json: bool) -> None:
    from data.generator import generate

    store = _store()
    migrate(store.engine)
    if not store_is_empty(store.engine):
        raise click.ClickException("数据库中已有信用主体；请使用空数据库（或删除 instance/credit.db 后重试）。")
    summary = generate(store.engine, persons=persons, enterprises=enterprises, years=years, seed=seed,
                       truth_path=truth_path or INSTANCE / "truth.csv", progress=_Progress())
    invalidate()  # a server already running over the empty store has cached empty pages
    if as_json:
        _emit_json(summary)
    else:
        click.echo(f"已生成：{summary}")


@click.command("bureaus", help="列出委办局（报送单位）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 数组输出")
def bureaus_command(as_json: bool) -> None:
    store = _store()
    migrate(store.engine)
    with store.read() as db:
        rows = [{"code": b.code, "name": b.name, "kind": b.kind}
                for b in db.scalars(select(Bureau).order_by(Bureau.code))]
    if as_json:
        _emit_json(rows)
    else:
        for row in rows:
            click.echo(f"{row['code']:<6} {row['name']}（{row['kind']}）")


users = AppGroup("users", help="用户管理。")


@users.command("add", help="新建用户；密码交互输入，或用 --password-stdin 从标准输入读取。")
@click.argument("username")
@click.option("--role", type=click.Choice(sorted(ROLES)), required=True, help="角色")
@click.option("--bureau", "bureau_code", default=None, help="所属委办局代码（bureau 角色必填）")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码")
@click.option("--json", "as_json", is_flag=True)
def users_add(username: str, role: str, bureau_code: str | None, password_stdin: bool, as_json: bool) -> None:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")
    store = _store()
    migrate(store.engine)
    try:
        with store.session() as db:
            user = create_user(db, username, password, role, bureau_code)
            audit.record(db, "user_created", username="cli", target=f"user:{user.username}",
                         detail={"role": role, "bureau": bureau_code})
            result = {"id": user.id, "username": user.username, "role": user.role, "bureau": user.bureau_code}
    except UserError as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        _emit_json(result)
    else:
        click.echo(f"已创建用户 {username}（{ROLES[role]}）")


@users.command("list", help="列出用户。")
@click.option("--json", "as_json", is_flag=True)
def users_list(as_json: bool) -> None:
    store = _store()
    with store.read() as db:
        rows = [{"username": u.username, "role": u.role, "bureau": u.bureau_code, "active": u.active}
                for u in db.scalars(select(User).order_by(User.username))]
    if as_json:
        _emit_json(rows)
    else:
        for row in rows:
            click.echo(f"{row['username']:<20} {ROLES[row['role']]:<10} {row['bureau'] or ''}")


audit_group = AppGroup("audit", help="审计日志。")


@audit_group.command("verify", help="校验审计日志哈希链；完好时退出码 0，否则非 0 并指出第一条异常记录。")
@click.option("--json", "as_json", is_flag=True)
def audit_verify(as_json: bool) -> None:
    with _store().read() as db:
        result = audit.verify(db)
    if as_json:
        _emit_json({"ok": result.ok, "entries": result.entries, "first_bad_id": result.first_bad_id,
                    "reason": result.reason})
    elif result.ok:
        click.echo(f"审计日志完好：共 {result.entries} 条记录。")
    else:
        click.echo(f"审计日志异常：第一条异常记录 id={result.first_bad_id}，{result.reason}", err=True)
    if not result.ok:
        sys.exit(1)


def _train_demo_model(store: Store) -> None:
    """Train, register and score the demo model so that the evaluator pages have something to show at once."""
    from threadpoolctl import threadpool_limits

    from scoring.scores import score_all
    from scoring.train import train

    truth = INSTANCE / "truth.csv"
    with threadpool_limits(limits=1):
        result = train(store, truth_path=truth if truth.exists() else None, progress=_Progress(), created_by="demo")
        score_all(store, progress=_Progress(), requested_by="demo")
    click.echo(f"模型版本 {result.version_id} 已投入使用（检验期 AUC {result.report['auc']:.3f}）。")


def prepare_demo(server: Flask) -> None:
    """On an empty store: migrate, generate the demo district and create one account per role (python app.py)."""
    from data.generator import generate

    store: Store = server.extensions["credit_store"]
    config = server.extensions["credit_config"]
    migrate(store.engine)
    if store_is_empty(store.engine):
        click.echo(f"首次启动：正在生成演示数据（{config.demo_persons:,} 名自然人，"
                   f"{config.demo_enterprises:,} 个法人）…")
        started = time.monotonic()
        generate(store.engine, persons=config.demo_persons, enterprises=config.demo_enterprises,
                 years=config.demo_years, seed=config.demo_seed, truth_path=INSTANCE / "truth.csv",
                 progress=_Progress())
        invalidate()
        click.echo(f"演示数据已生成，用时 {time.monotonic() - started:.1f} 秒。正在训练信用评价模型并评分…")
        _train_demo_model(store)
        lines = ["# 演示账户（仅存在于本机自动生成的演示库中）", f"# 生成时间 {dt.datetime.now():%Y-%m-%d %H:%M}"]
        with store.session() as db:
            for role in ROLES:
                password = secrets.token_urlsafe(9) + "7a"
                create_user(db, f"demo_{role}", password, role, "ZJ" if role == "bureau" else None,
                            display_name=f"演示{ROLES[role]}")
                lines.append(f"demo_{role}\t{password}\t{ROLES[role]}")
            audit.record(db, "demo_created", username="system", detail={"accounts": len(ROLES)})
        DEMO_ACCOUNTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
        DEMO_ACCOUNTS.chmod(0o600)
    if DEMO_ACCOUNTS.exists():
        click.echo(f"\n演示账户（用户名\t密码\t角色），另存于 {DEMO_ACCOUNTS}：")
        click.echo("\n".join(line for line in DEMO_ACCOUNTS.read_text(encoding="utf-8").splitlines()
                             if not line.startswith("#")))
    click.echo(f"\n请在浏览器打开 http://{config.host}:{config.port}/login 登录。\n")


def register(server: Flask) -> None:
    from cli.ingest import ingest_command
    from cli.model import score_command, train_command

    for command in (migrate_command, generate_command, bureaus_command, users, audit_group, ingest_command,
                    train_command, score_command):
        server.cli.add_command(command)
