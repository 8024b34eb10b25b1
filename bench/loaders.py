"""Bulk writers for generated comments: SQLite (``executemany``) and PostgreSQL (``COPY``).

Secondary indexes of the loaded tables are dropped while loading and rebuilt after from
the definitions the database itself reports, so the result matches the migrations.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

COMMENT_COLUMNS = (  # noqa: SIM905 - the column list reads as the SQL it becomes
    "id article_id author body state featured created_at updated_at editable_until "
    "edit_token_hash terms_version edited_by_moderator risk assessment author_key depth "
    "cluster_id language"
).split()


def stamp(moment: datetime) -> str:
    """How SQLAlchemy's SQLite dialect stores our (naive UTC) datetimes."""
    return moment.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


# --- Loading --------------------------------------------------------------------------


class Loader:
    """Bulk writes to one database, secondary indexes dropped meanwhile."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._indexes: list[tuple[str, str]] = []

    def drop_indexes(self, tables: Sequence[str]) -> None:
        raise NotImplementedError

    def restore_indexes(self) -> None:
        for _, create in self._indexes:
            self.execute(create)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def comments(self, rows: list[tuple[Any, ...]]) -> None:
        raise NotImplementedError

    def bands(self, rows: list[tuple[int, int, datetime]]) -> None:
        raise NotImplementedError

    def random_bands(self, since: datetime) -> None:
        """32 random band rows for each un-clustered comment created since ``since``."""
        raise NotImplementedError

    def finish(self) -> None:
        self.execute(
            "UPDATE articles SET published_count = (SELECT count(*) FROM comments "
            "WHERE comments.article_id = articles.id AND state = 'approved'), "
            "published_version = published_version + 1"
        )
        self.execute("ANALYZE")

    def close(self) -> None:
        raise NotImplementedError


class SQLiteLoader(Loader):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self._db = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("PRAGMA journal_mode=WAL")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._db.execute(sql.replace("%s", "?"), params).fetchall()

    def drop_indexes(self, tables: Sequence[str]) -> None:
        """Indexes, and the triggers that keep the text search index (migration 0012)."""
        marks = ",".join("?" * len(tables))
        self._indexes = self.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            f"AND sql IS NOT NULL AND tbl_name IN ({marks})",
            tables,
        )
        kinds = dict(self.execute("SELECT name, type FROM sqlite_master"))
        for name, _ in self._indexes:
            self.execute(f'DROP {kinds[name].upper()} "{name}"')

    def restore_indexes(self) -> None:
        super().restore_indexes()
        if self.execute("SELECT 1 FROM sqlite_master WHERE name = 'comments_text'"):
            self.execute("INSERT INTO comments_text(comments_text) VALUES ('rebuild')")

    def comments(self, rows: list[tuple[Any, ...]]) -> None:
        marks = ",".join("?" * len(COMMENT_COLUMNS))
        sql = f"INSERT INTO comments ({', '.join(COMMENT_COLUMNS)}) VALUES ({marks})"
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany(sql, (_stamped(row, (6, 7, 8)) for row in rows))

    def bands(self, rows: list[tuple[int, int, datetime]]) -> None:
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT INTO lsh_bands (band, comment_id, created_at) VALUES (?,?,?)",
                (_stamped(row, (2,)) for row in rows),
            )

    def random_bands(self, since: datetime) -> None:
        self.execute(
            "INSERT INTO lsh_bands (band, comment_id, created_at) "
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 32) "
            "SELECT random(), id, created_at FROM comments, n "
            "WHERE created_at >= ? AND cluster_id IS NULL ORDER BY id, i",
            (stamp(since),),
        )

    def close(self) -> None:
        self._db.close()


class PostgresLoader(Loader):
    def __init__(self, url: str) -> None:
        import psycopg

        super().__init__(url)
        self._db = psycopg.connect(url.replace("+psycopg", ""), autocommit=True)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = self._db.execute(sql, params)
        return cursor.fetchall() if cursor.description else []

    def drop_indexes(self, tables: Sequence[str]) -> None:
        self._indexes = self.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            (list(tables),),
        )
        for name, _ in self._indexes:
            self.execute(f'DROP INDEX "{name}"')

    def _copy(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        with (
            self._db.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(_naive(row))

    def comments(self, rows: list[tuple[Any, ...]]) -> None:
        self._copy("comments", COMMENT_COLUMNS, rows)

    def bands(self, rows: list[tuple[int, int, datetime]]) -> None:
        self._copy("lsh_bands", ("band", "comment_id", "created_at"), list(rows))

    def random_bands(self, since: datetime) -> None:
        self.execute(
            "INSERT INTO lsh_bands (band, comment_id, created_at) "
            "SELECT floor((random() - 0.5) * 1.8e19)::bigint, id, created_at "
            "FROM comments, generate_series(1, 32) WHERE created_at >= %s AND cluster_id IS NULL",
            (since.astimezone(UTC).replace(tzinfo=None),),
        )

    def finish(self) -> None:
        self.execute(
            "SELECT setval(pg_get_serial_sequence('comments', 'id'), max(id)) FROM comments"
        )
        super().finish()

    def close(self) -> None:
        self._db.close()


def _stamped(row: tuple[Any, ...], at: tuple[int, ...]) -> tuple[Any, ...]:
    return tuple(stamp(v) if i in at else v for i, v in enumerate(row))


def _naive(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(
        v.astimezone(UTC).replace(tzinfo=None) if isinstance(v, datetime) else v for v in row
    )


def loader_for(url: str) -> Loader:
    return SQLiteLoader(url) if url.startswith("sqlite") else PostgresLoader(url)
