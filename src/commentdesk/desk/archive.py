"""Everything out (``export``) and back in (``restore``), as JSON Lines.

``restore`` is not an import: it rebuilds a database as it was, audit log included,
so it writes rows as they were exported (adding ``import`` events would make the copy
differ from the original). It therefore only runs on an empty database, in one
transaction: a bad line anywhere leaves the database empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk.context import Context
from commentdesk.porting import jsonl
from commentdesk.porting.records import UnreadableSource
from commentdesk.store.migrate import schema_revision
from commentdesk.store.tables import meta, metadata

_CHUNK = 1000


class Archive:
    def __init__(self, context: Context) -> None:
        self._context = context

    @contextmanager
    def _snapshot(self) -> Iterator[Connection]:
        """One consistent view of every table, while the app keeps writing."""
        store = self._context.store
        if store.dialect == "sqlite":
            with store.read() as connection:
                yield connection
            return
        with (
            store.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn,
            conn.begin(),
        ):
            yield conn

    def export(
        self, write: Callable[[str], Any], *, on_row: Callable[[], None] | None = None
    ) -> int:
        """Writes the header and every row of every table; returns the number of rows."""
        rows = 0
        with self._snapshot() as connection:
            revision = str(schema_revision(connection))  # the desk's database is always migrated
            write(jsonl.header(revision, self._context.clock()) + "\n")
            for table in metadata.sorted_tables:
                query = sa.select(table).order_by(*table.primary_key.columns)
                result = connection.execution_options(yield_per=_CHUNK).execute(query)
                for row in result.mappings():
                    write(jsonl.encode_row(table, dict(row)) + "\n")
                    rows += 1
                    if on_row:
                        on_row()
        return rows

    def restore(self, lines: Iterable[str]) -> int:
        """Inserts an export into this (empty) database; returns the number of rows.

        Raises ``UnreadableSource`` for another schema, a bad line or a database that
        already holds comments, sites or people; nothing is kept then.
        """
        iterator = iter(lines)
        schema = jsonl.read_header(next(iterator, ""))
        count = 0
        with self._context.store.write() as connection:
            current = schema_revision(connection)
            if schema != current:
                raise UnreadableSource(
                    f"This export is of schema {schema}, this database of {current}: restore "
                    "it with the commentdesk version that made it, then upgrade."
                )
            _check_empty(connection)
            connection.execute(meta.delete())  # the secret made on opening: the export's wins
            pending: list[dict[str, Any]] = []
            table: sa.Table | None = None
            for number, line in enumerate(iterator, start=2):
                if not line.strip():
                    continue
                row_table, row = jsonl.decode_row(line, number)
                if row_table is not table or len(pending) >= _CHUNK:
                    _flush(connection, table, pending)
                    table, pending = row_table, []
                pending.append(row)
                count += 1
            _flush(connection, table, pending)
            _reset_sequences(connection)
        return count


def _check_empty(connection: Connection) -> None:
    for table in metadata.sorted_tables:
        if table is meta:
            continue
        if connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first():
            raise UnreadableSource(
                f"This database is not empty (table {table.name!r} has rows): restore an "
                "export into a new, empty database."
            )


def _flush(connection: Connection, table: sa.Table | None, rows: list[dict[str, Any]]) -> None:
    if table is not None and rows:
        try:
            connection.execute(table.insert(), rows)
        except sa.exc.IntegrityError as exc:
            raise UnreadableSource(
                f"Rows of {table.name!r} do not fit together ({exc.orig}); nothing was restored."
            ) from None


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL hands out ids from sequences, which inserted ids do not move."""
    if connection.dialect.name != "postgresql":
        return
    for table in metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key:
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608 - our table names  # nosec
                f"coalesce(max(id), 1), max(id) IS NOT NULL) FROM {table.name}"
            )
