"""``serve --demo``: a site, articles and an admin to try commentdesk with at once, and
on a database with no comment yet, a small invented world to look at (``demo_world``)."""

from __future__ import annotations

import contextlib
import secrets
import sys

import typer

from commentdesk.cli.demo_world import is_fresh, seed_world
from commentdesk.desk import Desk
from commentdesk.errors import InvalidInput
from commentdesk.model import Moderation, Role

DEMO_SITE = "demo"
DEMO_ARTICLE = "welcome"
DEMO_MODERATOR = "demo"


def print_demo(desk: Desk, host: str, port: int) -> None:
    """Makes the demo site, article and moderator (again: a new password) and prints them."""
    base = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"  # noqa: S104 - compares, binds nothing  # nosec
    desk.catalog.ensure_site(
        DEMO_SITE,
        name="Demo newsroom",
        origins=("http://127.0.0.1:*", "http://localhost:*"),
        moderation=Moderation.PRE,
        auto_create_articles=True,
    )
    with contextlib.suppress(InvalidInput):  # made by an earlier demo run
        desk.catalog.add_article(
            DEMO_SITE, DEMO_ARTICLE, url=f"{base}/", title="Welcome to commentdesk"
        )
    password = secrets.token_urlsafe(12)
    try:
        desk.accounts.add_moderator(DEMO_MODERATOR, password, Role.ADMIN)
    except InvalidInput:
        desk.accounts.set_password(DEMO_MODERATOR, password)
    if is_fresh(desk):
        seeded = seed_world(desk, DEMO_SITE, desk.accounts.get(DEMO_MODERATOR), base)
        typer.echo(
            f"\nAdded a small invented world: {seeded.published} published comments, "
            f"{seeded.pending} waiting in the queue (a campaign, spam, insults, a report)."
        )
    typer.echo(
        "\ncommentdesk demo is ready.\n"
        f"  Reader page:  {base}/articles/{DEMO_ARTICLE}\n"
        f"  Console:      {base}/console\n"
        f"  Login:        {DEMO_MODERATOR} / {password}\n"
        f"  API docs:     {base}/openapi.json\n"
    )
    sys.stdout.flush()
