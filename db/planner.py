"""Nudges for SQLite's query planner, where a query must not start from an index that
looks good to it and is not (the planner has no statistics on a new book)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import ColumnElement, UnaryExpression


def unindexed(column: QueryableAttribute[Any]) -> ColumnElement[Any]:
    """`column` as SQLite's unary `+column`: the same value, but no index on the column
    can drive the query (a test on `status` alone would visit every open follow-up)."""
    return UnaryExpression(column.expression, operator=operators.custom_op("+"), type_=column.type)
