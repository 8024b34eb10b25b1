"""Lists as one parameter: the same answers as IN, and one statement whatever the length."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Connection

from commentdesk.desk import Desk, Draft
from commentdesk.store import Store
from commentdesk.store.database import normalise_url
from commentdesk.store.lists import none_of, one_of

_metadata = sa.MetaData()
_things = sa.Table(
    "list_probe",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(40)),
    sa.Column("band", sa.BigInteger),
)
NAMES = ["plain", "it's", '"quoted"', "[1,2]", "선거", "", "NULL"]
BANDS = [-(2**63), -1, 0, 2**63 - 1]


@pytest.fixture
def connection(database_url: str) -> Iterator[Connection]:
    store = Store(database_url)
    _metadata.create_all(store.engine)
    with store.engine.begin() as made:
        made.execute(
            _things.insert(),
            [
                {"id": n, "name": NAMES[n % len(NAMES)], "band": BANDS[n % len(BANDS)]}
                for n in range(1, 41)
            ],
        )
    try:
        with store.engine.connect() as open_connection:
            yield open_connection
    finally:
        _metadata.drop_all(store.engine)
        store.close()


def ids_where(connection: Connection, condition: sa.ColumnElement[bool]) -> set[int]:
    return set(connection.execute(sa.select(_things.c.id).where(condition)).scalars())


list_settings = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@list_settings
@given(st.lists(st.integers(min_value=-5, max_value=50), max_size=60))
def test_one_of_and_none_of_split_rows_as_in_and_not_in_do(
    connection: Connection, wanted: list[int]
) -> None:
    assert ids_where(connection, one_of(_things.c.id, wanted)) == set(wanted) & set(range(1, 41))
    assert ids_where(connection, none_of(_things.c.id, wanted)) == set(range(1, 41)) - set(wanted)


@list_settings
@given(st.lists(st.sampled_from([*NAMES, "absent", "it''s"]), max_size=10))
def test_text_values_match_exactly_quotes_and_all(
    connection: Connection, wanted: list[str]
) -> None:
    expected = {n for n in range(1, 41) if NAMES[n % len(NAMES)] in wanted}
    assert ids_where(connection, one_of(_things.c.name, wanted)) == expected


def test_64_bit_values_at_both_ends_match(connection: Connection) -> None:
    expected = {n for n in range(1, 41) if BANDS[n % len(BANDS)] in (-(2**63), 2**63 - 1)}
    assert ids_where(connection, one_of(_things.c.band, [-(2**63), 2**63 - 1])) == expected


def test_an_empty_list_matches_nothing_and_excludes_nothing(connection: Connection) -> None:
    assert ids_where(connection, one_of(_things.c.id, [])) == set()
    assert ids_where(connection, none_of(_things.c.id, [])) == set(range(1, 41))


def test_a_list_is_one_statement_whatever_its_length(database_url: str) -> None:
    dialect = sa.create_engine(normalise_url(database_url)).dialect
    shapes = {
        str(sa.select(_things.c.id).where(one_of(_things.c.id, range(n))).compile(dialect=dialect))
        for n in range(0, 300, 7)
    }
    assert len(shapes) == 1


@pytest.mark.usefixtures("article_key")
def test_a_growing_flood_prepares_no_new_statements(desk: Desk) -> None:
    """Each new SQL text is prepared and cached by every connection: a server whose
    statements follow the size of a campaign grows its memory with it."""
    statements: set[str] = set()

    def seen(*args: object) -> None:
        statements.add(str(args[2]))

    text = "Share this before they delete it, the council is lying to all of you, copy {n}"

    def flood(numbers: range) -> None:
        for n in numbers:
            draft = Draft(
                author=f"Patriot{n}",
                body=text.format(n=n),
                accept_terms=True,
                commenter_key=secrets.token_urlsafe(18),
            )
            desk.comments.submit("a1", draft)
            desk.moderation.queue(limit=50)

    # This desk's engines only (SQLite has a reader and a writer), only while we watch.
    engines = desk.context.store.engines
    for engine in engines:
        sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        flood(range(4))
        after_a_few = set(statements)
        flood(range(4, 40))
    finally:
        for engine in engines:
            sa.event.remove(engine, "before_cursor_execute", seen)
    assert after_a_few
    assert statements - after_a_few == set()
