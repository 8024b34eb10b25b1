"""Moving comments in and out: ``import`` (Disqus, WordPress, Isso, or a restore),
``export`` and ``publish``. Each reports with rich; the import draws its progress on a
terminal."""

from __future__ import annotations

import os
import tempfile
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from commentdesk.cli.common import (
    DatabaseOption,
    desk_for,
    err,
    failing,
    open_desk,
    out,
    read_settings,
    say,
)

if TYPE_CHECKING:
    from commentdesk.porting.run import ImportSummary

import_app = typer.Typer(
    help="Import comments from Disqus, WordPress or Isso, or restore an export.",
    no_args_is_help=True,
)
SiteOption = Annotated[
    str | None,
    typer.Option(help="The site to import into (default: the only site, or a new one)."),
]
FileArgument = Annotated[Path, typer.Argument(help="The export file.")]


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


def _import(
    source: str, file: Path, site: str | None, base_url: str | None, db: str | None
) -> None:
    from commentdesk.desk.porting import Importer
    from commentdesk.porting.run import run_import

    with closing(desk_for(db)) as desk, failing(), RichProgress() as progress:
        summary = run_import(
            Importer(desk.context),
            source,
            file,
            site=site,
            base_url=base_url,
            progress=progress,
        )
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

    with closing(desk_for(database)) as desk, failing():
        try:
            with file.open(encoding="utf-8") as lines:
                rows = Archive(desk.context).restore(lines)
        except OSError as exc:
            say(f"error: cannot read {file}: {exc.strerror}", error=True)
            raise typer.Exit(1) from None
        except UnicodeDecodeError:
            say("error: the export is not UTF-8 text; nothing was restored.", error=True)
            raise typer.Exit(1) from None
    say(f"Restored {rows:,} rows.")


def export(
    file: Annotated[Path, typer.Argument(help="Where to write the JSON Lines.")],
    database: DatabaseOption = None,
) -> None:
    """Writes everything (sites, articles, comments, events, people...) as JSON Lines."""
    from commentdesk.desk.archive import Archive

    desk = desk_for(database)
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


def publish(
    directory: Annotated[
        Path | None, typer.Argument(help="Folder to write into (default: publish_dir).")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Writes every article's published thread as JSON and an HTML fragment, atomically."""
    from commentdesk.web.publish import Publisher

    settings = read_settings(database)
    target = directory or settings.publish_dir
    if target is None:
        say("error: name a folder, or set COMMENTDESK_PUBLISH_DIR.", error=True)
        raise typer.Exit(2)
    with closing(open_desk(settings)) as desk:
        count = Publisher(desk, target).publish_all()
    say(f"Published {count:,} threads into {target}.")
