"""AG Grid requests served from a cached frame (data.queries.grid.frame_page) answer as the SQL form does."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Column, Date, Float, Integer, MetaData, String, Table, select

from data.queries import grid

ROWS = pd.DataFrame({
    "id": range(1, 9),
    "name": ["张*丰", "新华西社区", "通州榜样", "中仓街道", "永顺镇", "新华东社区", "", "新华_社区"],
    "amount": [0.5, 12.0, 3.0, None, 7.5, 12.0, 1.0, 2.0],
    "day": ["2025-01-05", "2025-03-01", "2025-03-31", "2025-06-30", "2025-12-31", "2025-03-15", "2024-12-31",
            "2025-07-01"],
})
COLUMNS = {"name": "text", "amount": "number", "day": "date"}
REQUESTS = [
    {},
    {"filterModel": {"name": {"filterType": "text", "type": "contains", "filter": "新华"}}},
    {"filterModel": {"name": {"filterType": "text", "type": "contains", "filter": "_"}}},  # no LIKE wildcard
    {"filterModel": {"name": {"filterType": "text", "type": "startsWith", "filter": "新"}}},
    {"filterModel": {"name": {"filterType": "text", "type": "endsWith", "filter": "社区"}}},
    {"filterModel": {"name": {"filterType": "text", "type": "notContains", "filter": "新华"}}},
    {"filterModel": {"name": {"filterType": "text", "type": "equals", "filter": "永顺镇"}}},
    {"filterModel": {"amount": {"filterType": "number", "type": "greaterThan", "filter": 2}}},
    {"filterModel": {"amount": {"filterType": "number", "type": "inRange", "filter": 1, "filterTo": 7.5}}},
    {"filterModel": {"amount": {"filterType": "number", "type": "notEqual", "filter": 12}}},
    {"filterModel": {"amount": {"filterType": "number", "type": "blank"}}},
    {"filterModel": {"day": {"filterType": "date", "type": "inRange", "dateFrom": "2025-03-01 00:00:00",
                             "dateTo": "2025-06-30 00:00:00"}}},
    {"filterModel": {"day": {"filterType": "date", "type": "lessThan", "dateFrom": "2025-03-01"}}},
    {"filterModel": {"name": {"filterType": "text", "operator": "OR", "conditions": [
        {"filterType": "text", "type": "contains", "filter": "社区"},
        {"filterType": "text", "type": "equals", "filter": "永顺镇"}]},
        "amount": {"filterType": "number", "type": "greaterThanOrEqual", "filter": 7.5}}},
    {"filterModel": {"amount": {"filterType": "number", "type": "lessThan", "filter": "3x"}}},  # half-typed
    {"filterModel": {"id": {"filterType": "number", "type": "equals", "filter": 1}}},  # not whitelisted
    {"sortModel": [{"colId": "amount", "sort": "desc"}, {"colId": "name", "sort": "asc"}]},
    {"sortModel": [{"colId": "day", "sort": "asc"}], "startRow": 2, "endRow": 5},
]


@pytest.fixture
def sql_rows(empty_store):
    table = Table("grid_rows", MetaData(), Column("id", Integer, primary_key=True), Column("name", String(20)),
                  Column("amount", Float), Column("day", Date))
    with empty_store.engine.begin() as connection:
        table.create(connection)
        connection.execute(table.insert(), [
            {**row, "name": row["name"] or None, "amount": None if pd.isna(row["amount"]) else row["amount"],
             "day": dt.date.fromisoformat(row["day"])} for row in ROWS.to_dict("records")])
    return empty_store, table


@pytest.mark.parametrize("request_", REQUESTS)
def test_grid001_frame_page_answers_as_the_sql_form(sql_rows, request_):
    store, table = sql_rows
    sql_columns = {"name": table.c.name, "amount": table.c.amount, "day": table.c.day}
    with store.engine.connect() as connection:
        expected, expected_total = grid.page(connection, select(table.c.id), sql_columns, request_,
                                             default_order=[table.c.id])
    frame, total = grid.frame_page(ROWS, COLUMNS, request_)
    assert total == expected_total
    if request_.get("sortModel"):
        # Missing values sort first or last depending on the database (the frame puts them last) and ties in any
        # order: compare the order of the present sort keys.
        key = request_["sortModel"][0]["colId"]
        assert frame[key].dropna().tolist() == ROWS.set_index("id").loc[expected["id"], key].dropna().tolist()
    else:
        assert frame["id"].tolist() == expected["id"].tolist()


def test_grid002_frame_page_pages_and_caps_the_block():
    big = pd.DataFrame({"n": range(2000)})
    frame, total = grid.frame_page(big, {"n": "number"}, {"startRow": 100, "endRow": 200})
    assert total == 2000 and frame["n"].tolist() == list(range(100, 200))
    frame, _ = grid.frame_page(big, {"n": "number"}, {"startRow": 0, "endRow": 100_000})
    assert len(frame) == grid.MAX_BLOCK
