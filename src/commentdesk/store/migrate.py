"""Runs the Alembic revisions shipped in ``commentdesk/store/migrations``, and says which
revision a database is at and which one this version needs."""

from __future__ import annotations

import functools

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

SCRIPT_LOCATION = "commentdesk.store:migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Applies every revision up to ``revision`` on ``connection``, then commits."""
    command.upgrade(alembic_config(connection), revision)
    connection.commit()


@functools.cache  # the shipped revisions do not change while the process runs
def head_revision() -> str:
    """The newest revision shipped: the one ``upgrade`` leaves a database at."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None  # the package ships its revisions
    return head


def schema_revision(connection: Connection) -> str | None:
    """The revision the database on ``connection`` is at, ``None`` when it was never
    migrated; raises what the connection raises when the database does not answer.

    Read here rather than through Alembic's ``MigrationContext``, which logs two lines
    each time it is made: ``/readyz`` asks on every probe.
    """
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    row = connection.execute(sa.text("SELECT version_num FROM alembic_version")).first()
    return str(row[0]) if row else None
