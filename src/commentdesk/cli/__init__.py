"""The ``commentdesk`` command, declared in one place from its families of commands.

``common`` holds what they share (``--database``, settings, opening the desk, failing);
``database`` (init, backup, check-config), ``serve`` (serve, worker), ``sites`` (site,
article), ``accounts`` (moderator, token) and ``porting`` (import, export, publish) hold
the commands. ``main`` turns an operator's mistake into a line or two and status 2.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from commentdesk.cli import accounts, database, porting, serve, sites
from commentdesk.cli.common import USAGE_STATUS, Invocation, explain

app = typer.Typer(
    help="commentdesk: reader comments, held for review by a newsroom's moderators.",
    no_args_is_help=True,
    add_completion=False,
)
# In the order ``--help`` lists them.
app.command()(database.init)
app.command()(serve.serve)
app.command("site")(sites.site_add)
app.command()(serve.worker)
app.command("export")(porting.export)
app.command("backup")(database.backup)
app.command("publish")(porting.publish)
app.command("check-config")(database.check_config)
app.add_typer(accounts.moderator_app, name="moderator")
app.add_typer(accounts.token_app, name="token")
app.add_typer(sites.article_app, name="article")
app.add_typer(porting.import_app, name="import")


@app.callback()
def _options(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback when a command fails.")
    ] = False,
) -> None:
    Invocation.debug = debug


def main() -> None:
    """The command: a mistake the operator can fix ends in a line or two and status 2."""
    try:
        app()
    except Exception as exc:
        message = explain(exc, Invocation.database_url)
        if message is None or Invocation.debug:
            raise
        typer.echo(f"error: {message}", err=True)
        typer.echo("(run again with --debug for the traceback)", err=True)
        sys.exit(USAGE_STATUS)
