"""The long-running commands: ``serve`` (the app, in one process or N workers) and
``worker`` (assessment, mail, webhooks and retention, apart from the server)."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import sys
from collections.abc import Iterator
from typing import Annotated, Any

import typer

from commentdesk.cli.common import DatabaseOption, open_desk, read_settings
from commentdesk.cli.demo import print_demo
from commentdesk.logs import configure_logging
from commentdesk.memory import freeze_startup_heap, limit_malloc_arenas
from commentdesk.settings import Settings

#: What each ``serve --workers N`` process imports and calls to build its app.
WORKER_APP = "commentdesk.web:create_app_from_environment"


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
    settings = read_settings(database)
    configure_logging(settings)  # plain or JSON lines, never an address
    limit_malloc_arenas()  # before uvicorn starts its threads (memory.py)
    # Migrates, and makes the secret when none is configured, once, before any worker
    # starts: workers only open the database, so they never race to do either.
    desk = open_desk(settings)
    if demo:
        print_demo(desk, host, port)
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
            freeze_startup_heap()  # memory.py: no full collection walks the startup heap
            uvicorn.Server(config).run(sockets=[listener])
        finally:
            desk.close()
        return
    desk.close()  # each worker opens its own
    # Workers are spawned afresh and read their settings as we did; --database is the
    # one value that lives only on our command line.
    with _environment("COMMENTDESK_DATABASE_URL", database):
        status = serve_workers(settings, host, port, workers)
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


def serve_workers(settings: Settings, host: str, port: int, workers: int) -> int:
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

    settings = read_settings(database)
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
