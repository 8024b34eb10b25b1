"""``one_of(column, values)``: a list of values as one parameter, so a query has one shape.

``column.in_(values)`` writes one placeholder per value, so a list of 7 and a list of 8
are two different SQL statements. Each is prepared and kept by every connection's
statement cache, and a server that looks up near-duplicates, reports and authors by
lists whose length follows the traffic fills those caches with hundreds of variants:
the reliability soak's SQLite server grew 10 % in ten minutes from prepared
statements alone (``sqlite3_db_status`` STMT_USED 2 -> 9 MiB), and it was still
growing. Here the whole list is one parameter: a JSON array read by ``json_each`` on
SQLite, an array compared with ``= ANY`` on PostgreSQL. Both use the column's index.

Lists of constants (``state.in_([...])``) have one shape already and stay as they are.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator, TypeEngine


class _ValueList(TypeDecorator[list[Any]]):
    """A Python list bound as a PostgreSQL array, or as JSON text elsewhere."""

    impl = sa.Text
    cache_ok = True

    def __init__(self, item_type: TypeEngine[Any]) -> None:
        super().__init__()
        self.item_type = item_type

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.ARRAY(self.item_type))
        return dialect.type_descriptor(sa.Text())

    def process_bind_param(self, value: list[Any] | None, dialect: Dialect) -> Any:
        values = list(value or ())
        return values if dialect.name == "postgresql" else json.dumps(values)


class _OneOf(FunctionElement[bool]):
    """``column`` equals one of the list parameter's values."""

    name = "one_of"
    type = sa.Boolean()
    inherit_cache = True
    # A comparison already: SQLite must not be sent "... IN (...) = 1", which hides
    # the column from its index.
    _is_implicitly_boolean = True


@compiles(_OneOf)
def _one_of_json(element: _OneOf, compiler: SQLCompiler, **kw: Any) -> str:
    column, values = element.clauses.clauses
    listed: sa.Select[Any] = sa.select(sa.literal_column("value")).select_from(
        sa.func.json_each(values)
    )
    return compiler.process(column.in_(listed), **kw)


@compiles(_OneOf, "postgresql")
def _one_of_array(element: _OneOf, compiler: SQLCompiler, **kw: Any) -> str:
    column, values = element.clauses.clauses
    return compiler.process(column == sa.any_(values), **kw)


def one_of(column: ColumnElement[Any], values: Iterable[Any]) -> ColumnElement[bool]:
    """True where ``column`` is one of ``values``; false for no values."""
    listed = sa.literal(list(values), type_=_ValueList(column.type))
    return _OneOf(column, listed)


def none_of(column: ColumnElement[Any], values: Iterable[Any]) -> ColumnElement[bool]:
    """True where ``column`` is none of ``values``, with SQL's NOT IN treatment of NULL."""
    return sa.not_(one_of(column, values))
