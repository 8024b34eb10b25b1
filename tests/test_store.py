"""The store: migrations match the tables, and concurrent writers never see a lock."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from commentdesk.desk import Desk
from commentdesk.store import Store
from commentdesk.store.search import UNDECLARED_PREFIXES
from commentdesk.store.tables import metadata
from tests.support import submit_comment


def test_the_migrations_build_exactly_the_declared_tables(database_url: str) -> None:
    store = Store(database_url)
    with store.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_name": lambda name, *_: not _search_index(name)}
        )
        differences = compare_metadata(context, metadata)
    store.close()
    assert differences == []


def _search_index(name: str | None) -> bool:
    """The search index's own tables and index (store/search.py) are the migration's."""
    return bool(name) and str(name).startswith(UNDECLARED_PREFIXES)


def test_migrating_twice_changes_nothing(database_url: str) -> None:
    store = Store(database_url)
    store.migrate()
    store.migrate()
    store.close()


@pytest.mark.usefixtures("article_key")
def test_many_concurrent_writers_all_succeed(desk: Desk) -> None:
    def post(n: int) -> int:
        return submit_comment(desk, f"comment {n}", author="Writer")

    with ThreadPoolExecutor(max_workers=16) as pool:
        ids = list(pool.map(post, range(200)))
    assert len(set(ids)) == 200


def test_the_secret_is_made_once_and_kept(database_url: str) -> None:
    from commentdesk.desk.context import load_secret
    from commentdesk.settings import Settings

    store = Store(database_url)
    settings = Settings(database_url=database_url)
    first = load_secret(store, settings)
    assert load_secret(store, settings) == first
    assert len(first) == 64
    store.close()
