"""Runs the Alembic revisions shipped in ``commentdesk/store/migrations``."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
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
