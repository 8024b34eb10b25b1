"""``site`` and ``article add``: the publications comments belong to, and their articles."""

from __future__ import annotations

from contextlib import closing
from typing import Annotated

import typer

from commentdesk.cli.common import DatabaseOption, desk_for, failing
from commentdesk.cli.demo import DEMO_SITE

article_app = typer.Typer(help="Manage articles.", no_args_is_help=True)


def site_add(
    slug: str,
    name: Annotated[str, typer.Option(help="The publication's name.")],
    origin: Annotated[
        list[str] | None, typer.Option(help="An origin it embeds on (repeat).")
    ] = None,
    language: Annotated[str, typer.Option(help="Language code, e.g. en or ko.")] = "en",
    database: DatabaseOption = None,
) -> None:
    """Adds a site (a publication) if it does not exist."""
    with closing(desk_for(database)) as desk, failing():
        desk.catalog.ensure_site(slug, name=name, language=language, origins=tuple(origin or ()))
    typer.echo(f"Site {slug} ready.")


@article_app.command("add")
def article_add(
    key: str,
    url: Annotated[str, typer.Option(help="The article's canonical URL.")],
    title: Annotated[str, typer.Option(help="The article's title.")],
    site: Annotated[str, typer.Option(help="The site's slug.")] = DEMO_SITE,
    database: DatabaseOption = None,
) -> None:
    """Adds an article with KEY to a site."""
    with closing(desk_for(database)) as desk, failing():
        desk.catalog.add_article(site, key, url=url, title=title)
    typer.echo(f"Article {key} added.")
