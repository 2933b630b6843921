"""Is the store reachable? Used by the shell's status banner."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from data.db import Store


def store_available(store: Store) -> bool:
    try:
        with store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except DBAPIError:
        return False
