"""One import from start to end: read and check the whole file, then write it in batches."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from commentdesk.model import Site
from commentdesk.porting.disqus import read_disqus
from commentdesk.porting.isso import read_isso
from commentdesk.porting.records import SourceItem, UnreadableSource
from commentdesk.porting.staging import StagedComment, Staging
from commentdesk.porting.wordpress import read_wordpress
from commentdesk.porting.xmlstream import LeadingJunkSkipped

SOURCES = ("disqus", "wordpress", "isso")
BATCH = 2000


class Progress(Protocol):
    """What a progress bar needs to hear; ``total`` None means unknown."""

    def phase(self, description: str, total: int | None) -> None: ...

    def advance(self, amount: int) -> None: ...


class Silent:
    def phase(self, description: str, total: int | None) -> None:
        pass

    def advance(self, amount: int) -> None:
        pass


@dataclass(slots=True)
class Tally:
    """What a batch (or a whole run) did."""

    imported: int = 0
    already: int = 0
    articles_created: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.imported += other.imported
        self.already += other.already
        self.articles_created += other.articles_created
        self.skipped.update(other.skipped)


class Destination(Protocol):
    """Where an import writes: the desk's ``Importer`` (porting imports nothing from desk).

    ``find_site`` raises ``NotFound`` or ``InvalidInput``; ``write`` takes one batch,
    parents first, in one transaction.
    """

    def find_site(self, slug: str | None) -> Site | None: ...

    def default_site(self) -> Site: ...

    def write(self, site: Site, source: str, batch: Sequence[StagedComment]) -> Tally: ...


@dataclass(slots=True)
class ImportSummary:
    """What an import did, for the operator: imported, skipped with reasons, articles."""

    source: str
    site: str
    tally: Tally = field(default_factory=Tally)
    notes: Counter[str] = field(default_factory=Counter)


def run_import(
    importer: Destination,
    source: str,
    path: Path,
    *,
    site: str | None = None,
    base_url: str | None = None,
    batch: int = BATCH,
    progress: Progress | None = None,
) -> ImportSummary:
    """Imports ``path``; raises ``UnreadableSource`` (database untouched) if it can't."""
    progress = progress or Silent()
    target = importer.find_site(site)
    base = base_url or (_base_of(target) if target else None)
    with ExitStack() as stack:
        staging = stack.enter_context(Staging(base_url=base))
        items = _items(source, path, stack, progress)
        for item in items:
            staging.add(item)
        staging.finish()
        target = target or importer.default_site()
        summary = ImportSummary(source, target.slug, notes=staging.notes)
        summary.tally.skipped.update(staging.skipped)
        progress.phase("Writing", staging.count)
        for comments in staging.batches(batch):
            summary.tally.add(importer.write(target, source, comments))
            progress.advance(len(comments))
    return summary


def _items(source: str, path: Path, stack: ExitStack, progress: Progress) -> Iterator[SourceItem]:
    if not path.is_file():
        raise UnreadableSource(f"There is no file {str(path)!r}.")
    if source == "isso":
        progress.phase("Reading", None)
        return _counted(read_isso(path), progress.advance)
    readers = {"disqus": read_disqus, "wordpress": read_wordpress}
    if source not in readers:
        raise UnreadableSource(f"Unknown source {source!r}; use one of {', '.join(SOURCES)}.")
    progress.phase("Reading", path.stat().st_size)
    stream = stack.enter_context(path.open("rb"))
    return readers[source](LeadingJunkSkipped(stream, on_read=progress.advance))


def _counted(items: Iterator[SourceItem], advance: Callable[[int], None]) -> Iterator[SourceItem]:
    for item in items:
        advance(1)
        yield item


def _base_of(site: Site) -> str | None:
    """The site's first fixed origin: where Isso's path-only thread URIs live."""
    for origin in site.origins:
        if not origin.endswith(":*"):
            return origin
    return None
