"""Configuration from environment variables with safe defaults; nothing secret is committed."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTANCE = Path(os.environ.get("INSTANCE_PATH", ROOT / "instance"))


def _secret_key() -> str:
    """SECRET_KEY from the environment; otherwise one generated once into instance/ (demo and development)."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    INSTANCE.mkdir(parents=True, exist_ok=True)
    path = INSTANCE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


@dataclass
class Config:
    database_url: str = field(
        default_factory=lambda: os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'credit.db'}")
    )
    secret_key: str = field(default_factory=_secret_key)
    host: str = field(default_factory=lambda: os.environ.get("HOST", "127.0.0.1"))
    port: int = field(default_factory=lambda: int(os.environ.get("PORT", "8050")))
    # Cookie "Secure" flag: on when the app is served over HTTPS.
    secure_cookies: bool = field(default_factory=lambda: os.environ.get("SECURE_COOKIES", "0") == "1")
    idle_timeout_minutes: int = field(default_factory=lambda: int(os.environ.get("IDLE_TIMEOUT_MINUTES", "30")))
    # The read-model cache. FileSystemCache under instance/ is shared by every worker process of one machine, so a
    # submission's invalidate() clears it for all of them and one worker's answer serves the others; several
    # machines share RedisCache (CACHE_TYPE=RedisCache, CACHE_REDIS_URL=..., with the redis package installed).
    cache_type: str = field(default_factory=lambda: os.environ.get("CACHE_TYPE", "FileSystemCache"))
    cache_dir: str = field(default_factory=lambda: os.environ.get("CACHE_DIR", str(INSTANCE / "cache")))
    # Every write clears the cache (data.cache.invalidate), so entries need not expire to stay correct; an hour
    # bounds what a write made outside the app (plain SQL) could leave. At district scale a cold scored-population
    # summary costs 1.5-2.5 s, a warm one milliseconds: a short timeout would make every quiet page cold.
    cache_timeout: int = field(default_factory=lambda: int(os.environ.get("CACHE_TIMEOUT", "3600")))
    # Refresh-ahead (data.cache.Warmer): after any write, and every 5 minutes for what expired, each server process
    # computes again in the background the entries its pages used in the last hour, so the first visitor after a
    # submission finds them (CACHE_WARM=0: off).
    cache_warm: bool = field(default_factory=lambda: os.environ.get("CACHE_WARM", "1") == "1")
    # Demo district size used when the app starts on an empty store.
    demo_persons: int = field(default_factory=lambda: int(os.environ.get("DEMO_PERSONS", "15000")))
    demo_enterprises: int = field(default_factory=lambda: int(os.environ.get("DEMO_ENTERPRISES", "5000")))
    demo_years: int = field(default_factory=lambda: int(os.environ.get("DEMO_YEARS", "3")))
    demo_seed: int = field(default_factory=lambda: int(os.environ.get("DEMO_SEED", "20261129")))
    testing: bool = False
