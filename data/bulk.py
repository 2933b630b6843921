"""Bulk loading of many rows: PostgreSQL COPY, SQLite executemany in one transaction. Never row-by-row ORM."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

import pandas as pd
from sqlalchemy import Connection, text

_CHUNK = 200_000


def _copy_text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_frame(connection: Connection, table: str, frame: pd.DataFrame) -> None:
    """COPY a frame in text format through the psycopg2 connection under `connection` (same transaction)."""
    raw = connection.connection.driver_connection
    columns = ", ".join(frame.columns)
    with raw.cursor() as cursor:
        for start in range(0, len(frame), _CHUNK):
            part = frame.iloc[start : start + _CHUNK]
            buffer = io.StringIO()
            # to_csv with tab separator and \N for nulls is the fastest pure-pandas way to make COPY text;
            # strings are escaped beforehand because to_csv would quote rather than backslash-escape them.
            escaped = part.copy()
            for name in escaped.columns:
                column = escaped[name]
                if isinstance(column.dtype, pd.CategoricalDtype):
                    # Escaping the few categories escapes every value, at a fraction of the cost.
                    escaped[name] = column.cat.rename_categories([_copy_text(c) for c in column.cat.categories])
                elif column.dtype == object or isinstance(column.dtype, pd.StringDtype):
                    escaped[name] = column.astype(object).map(_copy_text, na_action="ignore")
            # No date_format: pandas writes a datetime column whose values are all midnight as YYYY-MM-DD and
            # any other as YYYY-MM-DD HH:MM:SS; a fixed "%Y-%m-%d" would silently drop the time of DateTime columns.
            escaped.to_csv(buffer, sep="\t", header=False, index=False, na_rep=r"\N", quoting=csv.QUOTE_NONE,
                           escapechar=None)
            buffer.seek(0)
            cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)


def insert_frame(connection: Connection, table: str, frame: pd.DataFrame) -> int:
    """Insert every row of `frame` (columns named as the table's) into `table` within the caller's transaction."""
    if frame.empty:
        return 0
    if connection.dialect.name == "postgresql":
        _copy_frame(connection, table, frame)
    else:
        insert_rows(connection, table, list(frame.columns), frame.itertuples(index=False, name=None))
    return len(frame)


def insert_rows(connection: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """executemany in chunks on the raw DBAPI cursor (SQLite path; also fine for small PostgreSQL inserts)."""
    placeholders = ", ".join("?" if connection.dialect.name == "sqlite" else "%s" for _ in columns)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
    raw = connection.connection.driver_connection
    cursor = raw.cursor()
    try:
        chunk: list[tuple] = []
        for row in rows:
            chunk.append(tuple(_plain(v) for v in row))
            if len(chunk) >= _CHUNK:
                cursor.executemany(sql, chunk)
                chunk.clear()
        if chunk:
            cursor.executemany(sql, chunk)
    finally:
        cursor.close()


def _plain(value: object) -> object:
    """Convert numpy / pandas scalars to what DBAPI drivers accept."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if value is pd.NaT or value is pd.NA:  # pd.NA: missing value of nullable dtypes such as Int64
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return value


def reset_sequence(connection: Connection, table: str, column: str = "id") -> None:
    """After inserting explicit ids on PostgreSQL, move the id sequence past the largest id."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                f"COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
            )
        )
