"""``moderator add`` and ``token create``: the people who moderate, and their API tokens."""

from __future__ import annotations

import sys
from contextlib import closing
from typing import Annotated

import typer

from commentdesk.cli.common import DatabaseOption, desk_for, failing
from commentdesk.errors import NotFound
from commentdesk.model import Role

moderator_app = typer.Typer(help="Manage moderators.", no_args_is_help=True)
token_app = typer.Typer(help="Manage API tokens.", no_args_is_help=True)


def _read_password() -> str:
    if sys.stdin.isatty():
        password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        return password
    return sys.stdin.readline().rstrip("\r\n")


@moderator_app.command("add")
def moderator_add(
    name: str,
    role: Annotated[Role, typer.Option(help="admin or moderator.")] = Role.MODERATOR,
    database: DatabaseOption = None,
) -> None:
    """Adds a moderator; the password is read from standard input when it is not a terminal."""
    with closing(desk_for(database)) as desk, failing():
        desk.accounts.add_moderator(name, _read_password(), role)
    typer.echo(f"Moderator {name} added as {role.value}.")


@token_app.command("create")
def token_create(
    name: str,
    label: Annotated[str, typer.Option(help="What the token is for.")] = "api",
    database: DatabaseOption = None,
) -> None:
    """Prints a new API token for moderator NAME (shown once; only its hash is kept)."""
    with closing(desk_for(database)) as desk, failing(NotFound):
        typer.echo(desk.accounts.create_token(name, label))
