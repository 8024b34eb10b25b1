"""The ``commentdesk`` command: serve, init, moderators, tokens and articles."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import socket
import sys
from collections.abc import Iterator
from typing import Annotated, Any

import typer

from commentdesk.cli_errors import USAGE_STATUS, explain
from commentdesk.desk import Desk
from commentdesk.errors import CommentdeskError, InvalidInput, NotFound
from commentdesk.logs import configure_logging
from commentdesk.memory import limit_malloc_arenas
from commentdesk.model import Moderation, Role
from commentdesk.porting import cli as porting_cli
from commentdesk.settings import Settings, SettingsError, load_settings
from commentdesk.store import Store

app = typer.Typer(
    help="commentdesk: reader comments, held for review by a newsroom's moderators.",
    no_args_is_help=True,
    add_completion=False,
)
moderator_app = typer.Typer(help="Manage moderators.", no_args_is_help=True)
token_app = typer.Typer(help="Manage API tokens.", no_args_is_help=True)
article_app = typer.Typer(help="Manage articles.", no_args_is_help=True)
app.add_typer(moderator_app, name="moderator")
app.add_typer(token_app, name="token")
app.add_typer(article_app, name="article")

DatabaseOption = Annotated[
    str | None,
    typer.Option("--database", help="Database URL (default: COMMENTDESK_DATABASE_URL or sqlite)."),
]
DEMO_SITE = "demo"
DEMO_ARTICLE = "welcome"
DEMO_MODERATOR = "demo"
#: What each ``serve --workers N`` process imports and calls to build its app.
WORKER_APP = "commentdesk.web:create_app_from_environment"


class _Invocation:
    """What ``main`` needs to know when a command fails: set by the callback and _settings."""

    debug = False
    database_url: str | None = None


@app.callback()
def _options(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback when a command fails.")
    ] = False,
) -> None:
    _Invocation.debug = debug


def _settings(database: str | None) -> Settings:
    try:
        settings = load_settings(database_url=database)
    except SettingsError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(USAGE_STATUS) from None
    _Invocation.database_url = settings.database_url
    return settings


def open_desk(settings: Settings) -> Desk:
    """Creates or migrates the database, then opens the desk on it."""
    store = Store(
        settings.database_url,
        busy_timeout_ms=settings.sqlite_busy_timeout_ms,
        statement_timeout_ms=settings.statement_timeout_ms,
    )
    store.migrate()
    return Desk.open(settings, store=store)


def _fail(exc: CommentdeskError) -> typer.Exit:
    typer.echo(f"error: {exc.message}", err=True)
    return typer.Exit(1)


@app.command()
def init(database: DatabaseOption = None) -> None:
    """Creates the database, or migrates it to this version."""
    desk = open_desk(_settings(database))
    desk.close()
    typer.echo("Database ready.")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
    database: DatabaseOption = None,
    demo: Annotated[bool, typer.Option(help="Add a demo site, article and moderator.")] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1, help="Worker processes sharing the port; one per core is a good start."
        ),
    ] = 1,
) -> None:
    """Creates or migrates the database, then serves the app."""
    settings = _settings(database)
    configure_logging(settings)  # plain or JSON lines, never an address
    limit_malloc_arenas()  # before uvicorn starts its threads (memory.py)
    # Migrates, and makes the secret when none is configured, once, before any worker
    # starts: workers only open the database, so they never race to do either.
    desk = open_desk(settings)
    if demo:
        _print_demo(desk, host, port)
    if workers == 1:
        import uvicorn

        from commentdesk.web import create_app

        try:
            listener = listen(host, port)
            config = uvicorn.Config(
                create_app(settings, desk=desk), **_uvicorn_options(settings, host, port)
            )
            # uvicorn names the address only when it binds itself; say it as it would.
            logging.getLogger("uvicorn.error").info(
                "Uvicorn running on http://%s (Press CTRL+C to quit)", _shown(listener)
            )
            uvicorn.Server(config).run(sockets=[listener])
        finally:
            desk.close()
        return
    desk.close()  # each worker opens its own
    # Workers are spawned afresh and read their settings as we did; --database is the
    # one value that lives only on our command line.
    with _environment("COMMENTDESK_DATABASE_URL", database):
        status = _serve_workers(settings, host, port, workers)
    if status:
        raise typer.Exit(status)


def _uvicorn_options(settings: Settings, host: str, port: int) -> dict[str, Any]:
    """The same for one process and for N workers."""
    return {
        "host": host,
        "port": port,
        # uvicorn's access log prints client addresses; ours (AccessLog) does not.
        "access_log": False,
        "proxy_headers": False,  # believed only from trusted_proxies (web/middleware/proxy.py)
        "log_config": None,  # uvicorn's lines go through our handler (logs.py) too
        "log_level": settings.log_level,
        "server_header": False,
    }


def _serve_workers(settings: Settings, host: str, port: int, workers: int) -> int:
    """Runs uvicorn's supervisor over ``workers`` processes until it is stopped; returns
    the exit status (uvicorn's startup-failure status when a worker could not start)."""
    import uvicorn
    from uvicorn.config import STARTUP_FAILURE
    from uvicorn.supervisors import Multiprocess

    # What uvicorn.run(..., workers=N) does, but with our listener (see ``listen``).
    config = uvicorn.Config(
        WORKER_APP, factory=True, workers=workers, **_uvicorn_options(settings, host, port)
    )
    listener = listen(host, port)
    listener.set_inheritable(True)  # handed to each spawned worker
    # libuv's switch for processes sharing one socket: accept one connection per turn of
    # the loop, so a burst of new connections is not all taken by whichever wakes first.
    os.environ.setdefault("UV_TCP_SINGLE_ACCEPT", "1")
    supervisor = Multiprocess(config, sockets=[listener])
    supervisor.run()
    failed = any(process.exitcode == STARTUP_FAILURE for process in supervisor.processes)
    return STARTUP_FAILURE if failed else 0


def listen(host: str, port: int) -> socket.socket:
    """The server's listening socket, bound here rather than by uvicorn.

    A port in use is then an ``OSError`` that ``main`` explains in a line (uvicorn would
    log it and exit 1). And the socket's protocol is IPPROTO_TCP: uvicorn binds with
    protocol 0, and asyncio turns Nagle off (TCP_NODELAY) only on accepted sockets of
    protocol IPPROTO_TCP, so every keep-alive answer after the first would wait ~40 ms
    for the client's delayed ACK (uvicorn issue #3149).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(2048)
    except OSError:
        listener.close()
        raise
    return listener


def _shown(listener: socket.socket) -> str:
    host, port = listener.getsockname()[:2]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


@contextlib.contextmanager
def _environment(name: str, value: str | None) -> Iterator[None]:
    """Sets one environment variable for the block (``None`` leaves it as it is)."""
    if value is None:
        yield
        return
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            del os.environ[name]
        else:
            os.environ[name] = before


def _print_demo(desk: Desk, host: str, port: int) -> None:
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
    typer.echo(
        "\ncommentdesk demo is ready.\n"
        f"  Reader page:  {base}/articles/{DEMO_ARTICLE}\n"
        f"  Console:      {base}/console\n"
        f"  Login:        {DEMO_MODERATOR} / {password}\n"
        f"  API docs:     {base}/openapi.json\n"
    )
    sys.stdout.flush()


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
    desk = open_desk(_settings(database))
    try:
        desk.accounts.add_moderator(name, _read_password(), role)
    except CommentdeskError as exc:
        raise _fail(exc) from None
    finally:
        desk.close()
    typer.echo(f"Moderator {name} added as {role.value}.")


@token_app.command("create")
def token_create(
    name: str,
    label: Annotated[str, typer.Option(help="What the token is for.")] = "api",
    database: DatabaseOption = None,
) -> None:
    """Prints a new API token for moderator NAME (shown once; only its hash is kept)."""
    desk = open_desk(_settings(database))
    try:
        typer.echo(desk.accounts.create_token(name, label))
    except NotFound as exc:
        raise _fail(exc) from None
    finally:
        desk.close()


@article_app.command("add")
def article_add(
    key: str,
    url: Annotated[str, typer.Option(help="The article's canonical URL.")],
    title: Annotated[str, typer.Option(help="The article's title.")],
    site: Annotated[str, typer.Option(help="The site's slug.")] = DEMO_SITE,
    database: DatabaseOption = None,
) -> None:
    """Adds an article with KEY to a site."""
    desk = open_desk(_settings(database))
    try:
        desk.catalog.add_article(site, key, url=url, title=title)
    except CommentdeskError as exc:
        raise _fail(exc) from None
    finally:
        desk.close()
    typer.echo(f"Article {key} added.")


@app.command("site")
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
    desk = open_desk(_settings(database))
    try:
        desk.catalog.ensure_site(slug, name=name, language=language, origins=tuple(origin or ()))
    except CommentdeskError as exc:
        raise _fail(exc) from None
    finally:
        desk.close()
    typer.echo(f"Site {slug} ready.")


@app.command()
def worker(
    database: DatabaseOption = None,
    once: Annotated[bool, typer.Option(help="Send what is due, then exit.")] = False,
) -> None:
    """Assesses new comments, sends queued mail and webhooks, and applies retention, until
    stopped (Ctrl-C, SIGTERM)."""
    import signal
    import threading

    from commentdesk.assessing import AssessmentWorker
    from commentdesk.notify.worker import Worker

    settings = _settings(database)
    configure_logging(settings)
    desk = open_desk(settings)
    runner = Worker(desk)
    assessing = AssessmentWorker(desk)
    try:
        if once:
            assessed = desk.assessor.drain(settings.assess_batch)
            typer.echo(f"{assessed} comments assessed, {runner.run_once()} deliveries attempted.")
            return
        stopping = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stopping.set())
        assessing.start()
        runner.start()
        typer.echo("commentdesk worker running; Ctrl-C stops it.")
        sys.stdout.flush()
        stopping.wait()
        runner.stop()
        assessing.stop()
    finally:
        desk.close()


porting_cli.register(app)  # import, export, backup, publish, check-config


def main() -> None:
    """The command: a mistake the operator can fix ends in a line or two and status 2."""
    try:
        app()
    except Exception as exc:
        message = explain(exc, _Invocation.database_url)
        if message is None or _Invocation.debug:
            raise
        typer.echo(f"error: {message}", err=True)
        typer.echo("(run again with --debug for the traceback)", err=True)
        sys.exit(USAGE_STATUS)
