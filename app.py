"""信用通州: the Tongzhou public credit analytics dashboard. Builds the Flask server, sign-in, the Dash app, the CLI.

Run `python app.py` for the demo (SQLite, generated district) or serve `app:server` with gunicorn.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

import dash
from flask import Flask

import callbacks
import cli
from config import INSTANCE, Config
from data.cache import cache, start_warmer
from data.db import Store
from security.auth import init_auth
from ui import shell
from ui import text as T


def create_app(config: Config | None = None) -> dash.Dash:
    config = config or Config()
    server = Flask(__name__, instance_path=str(INSTANCE))
    server.config.update(
        SECRET_KEY=config.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.secure_cookies,
        SESSION_COOKIE_NAME="tzcredit_session",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=config.secure_cookies,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=config.idle_timeout_minutes),
        IDLE_TIMEOUT_MINUTES=config.idle_timeout_minutes,
        CACHE_TYPE=config.cache_type,
        CACHE_DIR=config.cache_dir,
        CACHE_THRESHOLD=5000,
        CACHE_DEFAULT_TIMEOUT=config.cache_timeout,
        MAX_CONTENT_LENGTH=60 * 1024 * 1024,
        TESTING=config.testing,
    )
    server.extensions["credit_store"] = Store(config.database_url)
    server.extensions["credit_config"] = config
    cache.init_app(server)
    if config.cache_warm and not config.testing:

        @server.before_request
        def _warm_after_writes() -> None:  # started by the first request of each worker process
            start_warmer(server)

    app = dash.Dash(
        __name__,
        server=server,
        use_pages=True,
        title=T.APP_TITLE,
        update_title=None,
        suppress_callback_exceptions=True,
        serve_locally=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.layout = shell.layout
    init_auth(server, shell.page_access_by_path())
    for module in pkgutil.iter_modules(callbacks.__path__):
        importlib.import_module(f"callbacks.{module.name}")
    cli.register(server)
    return app


dash_app = create_app()
server = dash_app.server

if __name__ == "__main__":
    cli.prepare_demo(server)
    config = server.extensions["credit_config"]
    dash_app.run(host=config.host, port=config.port, debug=False)
