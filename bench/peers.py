"""The peers we compare with: Isso 0.14.0 (PyPI, its own venv) and nginx (Debian).

Isso runs the way its documentation deploys it: gunicorn, sync workers, ``--preload``
of ``isso.run``. On this 2-core machine we give it ``2 * cores + 1`` workers, gunicorn's
own rule for sync workers (Isso's docs show ``-w 4``; the extra worker keeps a core
busy while another waits on SQLite). Its configuration matches ours: SQLite, every
comment held for moderation, the same 15-minute edit window, rate limits raised to a
million per minute like ours for the run, no notifications, no admin interface.

nginx serves the bytes our server answered as static files: the ceiling for a read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from servers import Server

HERE = Path(__file__).resolve().parent
PEERS = HERE / ".peers"
ISSO_VENV = PEERS / "isso"
ISSO_VERSION = "0.14.0"


def isso_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


def install_isso() -> Path:
    """Creates ``bench/.peers/isso`` with Isso and gunicorn, unless already there."""
    python = ISSO_VENV / "bin" / "python"
    stamp = ISSO_VENV / f".isso-{ISSO_VERSION}"
    if not stamp.exists():
        subprocess.run([sys.executable, "-m", "venv", str(ISSO_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", f"isso=={ISSO_VERSION}", "gunicorn"],
            check=True,
        )
        stamp.touch()
    return python


ISSO_CONFIG = """\
[general]
dbpath = {db}
host = http://127.0.0.1:{port}
max-age = 15m
notify =
reply-notifications = false
gravatar = false

[admin]
enabled = false

[moderation]
enabled = true
approve-if-email-previously-approved = false
purge-after = 30d

[server]
listen = http://127.0.0.1:{port}

[guard]
enabled = true
ratelimit = 1000000
direct-reply = 1000000
reply-to-self = true
require-author = false
require-email = false

[hash]
salt = benchbenchbenchbench
algorithm = pbkdf2
"""

SEED_ISSO = """
import json, sys, time
from isso import config
from isso.db import SQLite3
conf = config.load(config.default_file(), sys.argv[1])
db = SQLite3(conf.get("general", "dbpath"), conf)
for thread in json.load(sys.stdin):
    db.threads.new(thread["uri"], thread["title"])
    for comment in thread["comments"]:
        db.comments.add(thread["uri"], {
            "text": comment["text"], "author": comment["author"], "email": None,
            "website": None, "parent": None, "mode": 1, "remote_addr": "127.0.0.0",
            "created": time.time(), "notification": 0})
"""


def isso_server(work: Path, port: int) -> Server:
    python = install_isso()
    config = work / "isso.cfg"
    config.write_text(ISSO_CONFIG.format(db=work / "isso.db", port=port))
    return Server(
        name="isso",
        argv=[
            str(python.parent / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(isso_workers()),
            "--preload",
            "--timeout",
            "120",
            "isso.run",
        ],
        port=port,
        ready_path="/config",
        env={"ISSO_SETTINGS": str(config)},
        log=work / "isso.log",
    )


def seed_isso(work: Path, threads: list[dict[str, object]]) -> None:
    """Writes threads and published comments through Isso's own database layer."""
    (work / "isso.db").unlink(missing_ok=True)
    subprocess.run(
        [str(install_isso()), "-c", SEED_ISSO, str(work / "isso.cfg")],
        input=json.dumps(threads).encode(),
        check=True,
    )


NGINX_CONFIG = """\
worker_processes {workers};
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    fastcgi_temp_path {work}/nginx-fastcgi;
    uwsgi_temp_path {work}/nginx-uwsgi;
    scgi_temp_path {work}/nginx-scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location /api/ {{ default_type application/json; }}
        location /articles/ {{ default_type "text/html; charset=utf-8"; }}
    }}
}}
"""


def nginx_server(work: Path, port: int, root: Path) -> Server:
    """nginx as Debian ships it, one worker per core (``auto``), serving ``root``."""
    config = work / "nginx.conf"
    config.write_text(NGINX_CONFIG.format(workers="auto", work=work, port=port, root=root))
    return Server(
        name="nginx",
        argv=["nginx", "-c", str(config), "-p", str(work)],
        port=port,
        ready_path="/",
        log=work / "nginx.log",
    )
