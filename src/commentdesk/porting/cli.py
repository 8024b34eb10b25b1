"""The operator's commands for moving data: import, export, backup, publish, check-config.

``register(app)`` adds them to the ``commentdesk`` command. Each opens the desk the same
way ``serve`` does (creating or migrating the database), reports with rich, and ends
with exit status 1 and one clear sentence on stderr when it cannot do its job.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from commentdesk.errors import CommentdeskError

if TYPE_CHECKING:
    from commentdesk.desk import Desk
    from commentdesk.porting.run import ImportSummary

import_app = typer.Typer(
    help="Import comments from Disqus, WordPress or Isso, or restore an export.",
    no_args_is_help=True,
)
DatabaseOption = Annotated[
    str | None,
    typer.Option("--database", help="Database URL (default: COMMENTDESK_DATABASE_URL or sqlite)."),
]
SiteOption = Annotated[
    str | None,
    typer.Option(help="The site to import into (default: the only site, or a new one)."),
]
FileArgument = Annotated[Path, typer.Argument(help="The export file.")]
out = Console()
err = Console(stderr=True)


def say(text: str, *, error: bool = False) -> None:
    """One plain line (no markup, no wrapping) on stdout, or stderr for errors."""
    (err if error else out).print(text, markup=False, highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
    app.command("export")(export)
    app.command("backup")(backup)
    app.command("publish")(publish)
    app.command("check-config")(check_config)


class RichProgress:
    """The ``Progress`` the importer reports to, drawn only on a terminal."""

    def __init__(self) -> None:
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            disable=not err.is_terminal,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> RichProgress:
        self._bar.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._bar.stop()

    def phase(self, description: str, total: int | None) -> None:
        if self._task is not None:
            self._bar.update(self._task, visible=False)
        self._task = self._bar.add_task(description, total=total)

    def advance(self, amount: int) -> None:
        if self._task is not None:
            self._bar.advance(self._task, amount)


def _open(database: str | None) -> Desk:
    from commentdesk.cli import _settings, open_desk

    return open_desk(_settings(database))


def _fail(exc: CommentdeskError) -> typer.Exit:
    say(f"error: {exc.message}", error=True)
    return typer.Exit(1)


def _import(
    source: str, file: Path, site: str | None, base_url: str | None, db: str | None
) -> None:
    from commentdesk.desk.porting import Importer
    from commentdesk.porting.run import run_import

    desk = _open(db)
    try:
        with RichProgress() as progress:
            summary = run_import(
                Importer(desk.context),
                source,
                file,
                site=site,
                base_url=base_url,
                progress=progress,
            )
    except CommentdeskError as exc:
        raise _fail(exc) from None
    finally:
        desk.close()
    _print_summary(summary)


def _print_summary(summary: ImportSummary) -> None:
    tally = summary.tally
    say(
        f"Imported {tally.imported:,} comments from {summary.source} into site "
        f"{summary.site!r}; {tally.articles_created:,} articles created; "
        f"{tally.already:,} already there."
    )
    if tally.skipped:
        table = Table("skipped", "reason", title=f"Skipped {sum(tally.skipped.values()):,}")
        for reason, count in tally.skipped.most_common():
            table.add_row(f"{count:,}", reason)
        out.print(table)
    for note, count in summary.notes.most_common():
        say(f"note: {note} ({count:,})")


@import_app.command("disqus")
def import_disqus(
    file: FileArgument, site: SiteOption = None, database: DatabaseOption = None
) -> None:
    """Imports a Disqus export (XML); running it again adds nothing twice."""
    _import("disqus", file, site, None, database)


@import_app.command("wordpress")
def import_wordpress(
    file: FileArgument, site: SiteOption = None, database: DatabaseOption = None
) -> None:
    """Imports a WordPress export (WXR); running it again adds nothing twice."""
    _import("wordpress", file, site, None, database)


@import_app.command("isso")
def import_isso(
    file: FileArgument,
    site: SiteOption = None,
    base_url: Annotated[
        str | None,
        typer.Option(help="Where Isso's thread paths live (default: the site's origin)."),
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Imports an Isso database (SQLite) or Isso's generic JSON; again adds nothing twice."""
    _import("isso", file, site, base_url, database)


@import_app.command("jsonl")
def import_jsonl(file: FileArgument, database: DatabaseOption = None) -> None:
    """Restores a `commentdesk export` file into an empty database, all or nothing."""
    from commentdesk.desk.archive import Archive

    desk = _open(database)
    try:
        with file.open(encoding="utf-8") as lines:
            rows = Archive(desk.context).restore(lines)
    except OSError as exc:
        say(f"error: cannot read {file}: {exc.strerror}", error=True)
        raise typer.Exit(1) from None
    except UnicodeDecodeError:
        say("error: the export is not UTF-8 text; nothing was restored.", error=True)
        raise typer.Exit(1) from None
    except CommentdeskError as exc:
        raise _fail(exc) from None
    finally:
        desk.close()
    say(f"Restored {rows:,} rows.")


def export(
    file: Annotated[Path, typer.Argument(help="Where to write the JSON Lines.")],
    database: DatabaseOption = None,
) -> None:
    """Writes everything (sites, articles, comments, events, people...) as JSON Lines."""
    from commentdesk.desk.archive import Archive

    desk = _open(database)
    descriptor, partial = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as output:
            rows = Archive(desk.context).export(output.write)
            output.flush()
            os.fsync(output.fileno())
        os.replace(partial, file)
    finally:
        Path(partial).unlink(missing_ok=True)
        desk.close()
    say(f"Exported {rows:,} rows to {file}.")


def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the copy.")],
    database: DatabaseOption = None,
) -> None:
    """Copies a live SQLite database consistently (PostgreSQL: use pg_dump)."""
    from commentdesk.cli import _settings
    from commentdesk.porting.backup import backup_sqlite

    settings = _settings(database)
    try:
        result = backup_sqlite(
            settings.database_url, file, busy_timeout_s=settings.sqlite_busy_timeout_ms / 1000
        )
    except CommentdeskError as exc:
        raise _fail(exc) from None
    say(f"Backed up {result.comments:,} comments ({result.size:,} bytes) to {result.path}.")


def publish(
    directory: Annotated[
        Path | None, typer.Argument(help="Folder to write into (default: publish_dir).")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Writes every article's published thread as JSON and an HTML fragment, atomically."""
    from commentdesk.cli import _settings, open_desk
    from commentdesk.publish import Publisher

    settings = _settings(database)
    target = directory or settings.publish_dir
    if target is None:
        say("error: name a folder, or set COMMENTDESK_PUBLISH_DIR.", error=True)
        raise typer.Exit(2)
    desk = open_desk(settings)
    try:
        count = Publisher(desk, target).publish_all()
    finally:
        desk.close()
    say(f"Published {count:,} threads into {target}.")


def check_config(
    database: DatabaseOption = None,
    connect: Annotated[
        bool, typer.Option(help="Also open the database and compare its schema.")
    ] = False,
) -> None:
    """Validates the configuration (environment, TOML file) and prints it, secrets hidden."""
    from commentdesk.cli import _settings

    settings = _settings(database)  # exits 2 naming the setting when one is wrong
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
        with store.read() as connection:
            revision = schema_revision(connection)
    except CommentdeskError as exc:
        raise _fail(exc) from None
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
