"""Private servers for fault tests: a PostgreSQL cluster, a Redis, a small filesystem.

Never the machine's shared PostgreSQL or Redis (other tests use those): each of these is
started for one test from Debian's binaries, on a free loopback port, in a folder of its
own, and removed afterwards. PostgreSQL's ``initdb`` refuses to run as root, so as root
the cluster runs as the ``postgres`` user (``runuser``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.livesrv import free_port


def _postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


@dataclass
class PrivateCluster:
    """A PostgreSQL cluster of our own: ``url`` names its database ``cd``."""

    bin: Path
    data: Path
    port: int
    log: Path
    as_user: list[str]

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/cd"

    def ctl(self, *args: str) -> None:
        options = f"-p {self.port} -h 127.0.0.1 -k {self.data.parent}"
        command = [
            *self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
            "-o", options, "-w", "-t", "60", *args,
        ]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True)

    def stop(self) -> None:
        self.ctl("stop", "-m", "fast")

    def start(self) -> None:
        self.ctl("start")


@contextmanager
def private_postgres() -> Iterator[PrivateCluster]:
    """Skips the test, saying why, when Debian's PostgreSQL binaries are not installed."""
    binaries = _postgres_bin()
    if binaries is None:
        pytest.skip("no PostgreSQL binaries under /usr/lib/postgresql (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="cd-pg-"))
    folder.chmod(0o755)
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres", "postgres")
    cluster = PrivateCluster(binaries, folder / "data", free_port(), folder / "log", as_user)
    try:
        subprocess.run(
            [*as_user, str(binaries / "initdb"), "-D", str(cluster.data), "-A", "trust",
             "-U", "postgres", "-E", "UTF8", "--no-sync"],
            check=True, capture_output=True,
        )  # fmt: skip
        cluster.start()
        admin = f"postgresql://postgres@127.0.0.1:{cluster.port}/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute("CREATE DATABASE cd")
        yield cluster
    finally:
        subprocess.run(
            [*as_user, str(binaries / "pg_ctl"), "-D", str(cluster.data), "stop", "-m",
             "immediate"],
            capture_output=True, check=False,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class PrivateRedis:
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True,
                              check=False).stdout.strip() == b"PONG":  # fmt: skip
                return
            time.sleep(0.05)
        raise RuntimeError("the private redis-server did not answer in 10 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = PrivateRedis(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def small_filesystem(size: str = "6m") -> Iterator[Path]:
    """A tmpfs of ``size``; skipped, saying why, where mounting is not allowed."""
    folder = Path(tempfile.mkdtemp(prefix="cd-full-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        folder.rmdir()
