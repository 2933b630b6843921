"""User accounts: creation with a password policy, authentication with lock-out after repeated failures."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from data.models import Bureau, User
from data.reference import ROLES

MAX_FAILED_LOGINS = 12
LOCK_MINUTES = 15
# A hash to compare against when the username is unknown, so both paths cost the same time.
_DUMMY_HASH = generate_password_hash("dummy-password-0", method="scrypt")


class UserError(ValueError):
    """A user-facing error (message in Chinese)."""


def check_password_policy(password: str) -> None:
    if len(password) < 10:
        raise UserError("密码至少 10 位")
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        raise UserError("密码须同时包含字母和数字")


def create_user(session: Session, username: str, password: str, role: str, bureau_code: str | None = None,
                display_name: str | None = None) -> User:
    if not re.fullmatch(r"[A-Za-z0-9_.-]{3,64}", username or ""):
        raise UserError("用户名须为 3-64 位字母、数字、下划线、点或连字符")
    if role not in ROLES:
        raise UserError(f"未知角色：{role}（可选：{', '.join(ROLES)}）")
    if role == "bureau":
        if not bureau_code:
            raise UserError("委办局用户必须指定所属委办局（--bureau）")
        if session.get(Bureau, bureau_code) is None:
            raise UserError(f"未知委办局代码：{bureau_code}")
    elif bureau_code:
        raise UserError("只有委办局用户可以指定所属委办局")
    check_password_policy(password)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UserError(f"用户名已存在：{username}")
    user = User(
        username=username,
        password_hash=generate_password_hash(password, method="scrypt"),
        role=role,
        bureau_code=bureau_code,
        display_name=display_name or username,
        active=True,
        failed_logins=0,
        created_at=dt.datetime.now(),
    )
    session.add(user)
    session.flush()
    return user


@dataclass
class LoginResult:
    user: User | None
    reason: str | None = None  # Chinese message when refused


def authenticate(session: Session, username: str, password: str, now: dt.datetime | None = None) -> LoginResult:
    """Check credentials; count failures; lock the account for LOCK_MINUTES after MAX_FAILED_LOGINS in a row."""
    now = now or dt.datetime.now()
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return LoginResult(None, "用户名或密码错误")
    if user.locked_until and user.locked_until > now:
        return LoginResult(None, f"连续登录失败次数过多，账户已锁定至 {user.locked_until:%H:%M}")
    if not user.active:
        return LoginResult(None, "账户已停用")
    if not check_password_hash(user.password_hash, password or ""):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
            user.failed_logins = 0
        return LoginResult(None, "用户名或密码错误")
    user.failed_logins = 0
    user.locked_until = None
    return LoginResult(user)
