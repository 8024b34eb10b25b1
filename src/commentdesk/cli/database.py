"""The database and the configuration: ``init``, ``backup`` and ``check-config``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from commentdesk.cli.common import DatabaseOption, desk_for, failing, read_settings, say


def init(database: DatabaseOption = None) -> None:
    """Creates the database, or migrates it to this version."""
    desk_for(database).close()
    typer.echo("Database ready.")


def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the copy.")],
    database: DatabaseOption = None,
) -> None:
    """Copies a live SQLite database consistently (PostgreSQL: use pg_dump)."""
    from commentdesk.porting.backup import backup_sqlite

    settings = read_settings(database)
    with failing():
        result = backup_sqlite(
            settings.database_url, file, busy_timeout_s=settings.sqlite_busy_timeout_ms / 1000
        )
    say(f"Backed up {result.comments:,} comments ({result.size:,} bytes) to {result.path}.")


def check_config(
    database: DatabaseOption = None,
    connect: Annotated[
        bool, typer.Option(help="Also open the database and compare its schema.")
    ] = False,
) -> None:
    """Validates the configuration (environment, TOML file) and prints it, secrets hidden."""
    settings = read_settings(database)  # exits 2 naming the setting when one is wrong
    for name, value in settings.model_dump().items():
        shown = _shown(name, value)
        say(f"{name} = {shown}")
    if connect:
        _check_database(settings.database_url)
    say("Configuration is valid.")


def _shown(name: str, value: object) -> str:
    if name == "secret_key":
        return "(set)" if value is not None else "(made on first start)"
    if name == "database_url" and isinstance(value, str):
        from sqlalchemy.engine import make_url

        return make_url(value).render_as_string(hide_password=True)
    return repr(value)


def _check_database(url: str) -> None:
    from commentdesk.store import Store
    from commentdesk.store.migrate import head_revision, schema_revision

    store = Store(url)
    try:
        with failing(), store.read() as connection:
            revision = schema_revision(connection)
    finally:
        store.close()
    head = head_revision()
    if revision != head:
        say(
            f"error: the database has schema {revision}; this version needs {head} "
            "(`commentdesk init` migrates it).",
            error=True,
        )
        raise typer.Exit(1)
    say(f"Database answers, schema {revision}.")
