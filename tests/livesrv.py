"""Starting a real ``commentdesk serve`` process on a free loopback port, for tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


#: Limits out of the way, for tests that are about something else.
NO_LIMITS = {
    "COMMENTDESK_RATE_COMMENTER": "100000/1",
    "COMMENTDESK_RATE_ADDRESS": "100000/1",
    "COMMENTDESK_RATE_ARTICLE": "100000/1",
    "COMMENTDESK_RATE_SITE": "100000/1",
}


def start_server(
    database_url: str, log: Path, *extra: str, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """Starts the server and waits until /healthz answers; returns the process and base URL."""
    port = free_port()
    env = {**os.environ, "COMMENTDESK_DATABASE_URL": database_url, **(env or {})}
    with log.open("wb") as output:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            [sys.executable, "-m", "commentdesk", "serve", "--port", str(port), *extra],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()}")
        try:
            if httpx2.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx2.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"server did not answer in 30 s:\n{log.read_text()}")


@contextmanager
def two_servers(
    database_url: str, folder: Path, env: dict[str, str] | None = None
) -> Iterator[tuple[str, str]]:
    """Two server processes on one database (logs ``a.log`` and ``b.log`` in ``folder``);
    yields their base URLs and stops both on the way out."""
    started: list[subprocess.Popen[bytes]] = []
    try:
        bases = []
        for name in ("a", "b"):
            process, base = start_server(database_url, folder / f"{name}.log", env=env)
            started.append(process)
            bases.append(base)
        yield bases[0], bases[1]
    finally:
        for process in started:
            process.terminate()
            process.wait(timeout=20)
