"""commentdesk beside Isso and nginx: the same data, the same load, the same run.

Seeds both with a thread of 100 and one of 1,000 published comments and ten articles of
one comment each (the same authors and texts): ours through the desk (submit, then a
moderator approves), Isso through its own database layer. nginx serves the bytes our
server answers, as static files. Then wrk drives every case at concurrency 1 and 16,
round by round (each round runs every case on every server, so a change of load on the
machine falls on all of them alike); figures are the medians of the rounds.
"""

from __future__ import annotations

import random
import statistics
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import load
import peers
from dataset import PASSWORD, SECRET, sentence
from load import Case, Result
from servers import Server

from commentdesk.cli.common import open_desk
from commentdesk.desk import Desk, Draft
from commentdesk.model import Action, Moderation, Role
from commentdesk.settings import Settings

HIGH_RATE = "1000000/1"
#: The rate limits raised for the run, on both servers alike.
RATE_NAMES = ("COMMENTER", "ADDRESS", "ARTICLE", "SITE")
RATE_ENV = {f"COMMENTDESK_RATE_{name}": HIGH_RATE for name in RATE_NAMES}
THREADS = {"thread-100": 100, "thread-1000": 1000, **{f"a{n}": 1 for n in range(10)}}
COUNT_KEYS = [f"a{n}" for n in range(10)]
POSTING = "posting"
PORTS = {"ours": 18080, "isso": 18081, "nginx": 18082}


def our_cases() -> dict[str, Case]:
    api = "/api/v1/articles"
    query = "&".join(f"article={key}" for key in COUNT_KEYS)
    json_type = (("Content-Type", "application/json"),)
    return {
        "thread of 1, JSON": Case("GET", f"{api}/a0/comments"),
        "thread of 100, JSON": Case("GET", f"{api}/thread-100/comments"),
        "thread of 1,000, JSON": Case("GET", f"{api}/thread-1000/comments", duration_factor=3),
        "thread of 100, HTML page": Case("GET", "/articles/thread-100"),
        "counts for 10 articles": Case("GET", f"/api/v1/counts?{query}"),
        "post a comment (with triage)": Case(
            "POST",
            f"{api}/{POSTING}/comments",
            json_type,
            post_template='{"author": "%s", "body": "%s", "accept_terms": true}',
        ),
    }


def isso_cases() -> dict[str, Case]:
    def thread(key: str, factor: float = 1) -> Case:
        return Case("GET", f"/?uri={quote('/' + key, safe='')}", duration_factor=factor)

    uris = ", ".join(f'"/{key}"' for key in COUNT_KEYS)
    json_type = (("Content-Type", "application/json"),)
    return {
        "thread of 1, JSON": thread("a0"),
        "thread of 100, JSON": thread("thread-100"),
        "thread of 1,000, JSON": thread("thread-1000", 3),
        "counts for 10 articles": Case("POST", "/count", json_type, body=f"[{uris}]"),
        "post a comment (with triage)": Case(
            "POST",
            f"/new?uri={quote('/' + POSTING, safe='')}",
            json_type,
            post_template='{"author": "%s", "text": "%s"}',
        ),
    }


def nginx_cases() -> dict[str, Case]:
    return {name: case for name, case in our_cases().items() if case.method == "GET"}


def comments_for(key: str, count: int) -> list[dict[str, str]]:
    rng = random.Random(key)
    return [{"author": f"Reader {n}", "text": sentence(rng)} for n in range(count)]


def seed_ours(url: str) -> None:
    settings = Settings(
        database_url=url,
        secret_key=SECRET,
        rate_commenter=HIGH_RATE,
        rate_address=HIGH_RATE,
        rate_article=HIGH_RATE,
        rate_site=HIGH_RATE,
    )
    desk = open_desk(settings)
    try:
        _seed(desk)
    finally:
        desk.close()


def _seed(desk: Desk) -> None:
    desk.catalog.ensure_site(
        "news", name="The News", moderation=Moderation.PRE, origins=("http://127.0.0.1:*",)
    )
    chief = desk.accounts.add_moderator("chief", PASSWORD, Role.ADMIN)
    for key in [*THREADS, POSTING]:
        desk.catalog.add_article("news", key, url=f"https://news.example/{key}", title=key)
    for key, count in THREADS.items():
        for comment in comments_for(key, count):
            draft = Draft(author=comment["author"], body=comment["text"], accept_terms=True)
            submitted = desk.comments.submit(key, draft)
            desk.moderation.decide(chief, submitted.comment.id, Action.APPROVE)
    # The seeds' full assessments now, not in the server's worker during the first cases.
    desk.assessor.drain()


def isso_threads() -> list[dict[str, object]]:
    threads: list[dict[str, object]] = [
        {"uri": f"/{key}", "title": key, "comments": comments_for(key, count)}
        for key, count in THREADS.items()
    ]
    return [*threads, {"uri": f"/{POSTING}", "title": POSTING, "comments": []}]


def publish_static(ours: Server, root: Path) -> None:
    """Copies what our server answers for each read into nginx's root, byte for byte."""
    for case in nginx_cases().values():
        with urllib.request.urlopen(ours.base + case.path) as answer:
            data = answer.read()
        target = root / case.path.split("?", 1)[0].lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


@dataclass
class Row:
    case: str
    concurrency: int
    results: dict[str, list[Result]]
    peaks: dict[str, list[float]]
    #: Our worker processes' shares of the server's CPU time, per round (the spread).
    shares: list[list[float]] = field(default_factory=list)

    def median(self, server: str, attribute: str) -> float | None:
        runs = self.results.get(server)
        if not runs:
            return None
        return float(statistics.median(getattr(run, attribute) for run in runs))

    def peak(self, server: str) -> float | None:
        runs = self.peaks.get(server)
        return max(runs) if runs else None


def commentdesk_command() -> str:
    """The checkout's ``.venv/bin/commentdesk``, else the one beside this Python (a git
    worktree has no venv of its own; ``PYTHONPATH`` then picks the worktree's code)."""
    own = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "commentdesk"
    return str(own if own.exists() else Path(sys.executable).parent / "commentdesk")


def our_server(work: Path, url: str, port: int = PORTS["ours"], workers: int = 1) -> Server:
    """``commentdesk serve``; ``workers`` > 1 runs that many processes on the one port."""
    return Server(
        name="ours",
        argv=[
            commentdesk_command(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--database",
            url,
            "--workers",
            str(workers),
        ],
        port=port,
        ready_path="/healthz",
        env={**RATE_ENV, "COMMENTDESK_SECRET_KEY": SECRET, "COMMENTDESK_LOG_LEVEL": "warning"},
        log=work / f"ours-{port}.log",
    )


def warm(server: Server, case: Case) -> None:
    """One request first: our classifier (scikit-learn) loads on the first English post."""
    load.run(server.base, case, concurrency=1, duration=5, max_requests=3)


def measure(
    servers: dict[str, Server],
    cases: dict[str, dict[str, Case]],
    *,
    rounds: int,
    duration: float,
    max_requests: int,
    concurrencies: tuple[int, ...] = (1, 16),
) -> tuple[list[Row], list[str]]:
    names = list(next(iter(cases.values())))
    rows = {(n, c): Row(n, c, {}, {}) for n in names for c in concurrencies}
    commands: list[str] = []
    for number in range(rounds):
        for name in names:
            for concurrency in concurrencies:
                row = rows[(name, concurrency)]
                for server_name, server in servers.items():
                    case = cases[server_name].get(name)
                    if case is None:
                        continue
                    server.reset_peaks()
                    before = server.cpu_of_children()
                    result, argv = load.run(
                        server.base,
                        case,
                        concurrency=concurrency,
                        duration=duration * case.duration_factor,
                        max_requests=max_requests,
                    )
                    server.wait_idle()
                    if server_name == "ours":
                        row.shares.append(_shares(before, server.cpu_of_children()))
                    row.results.setdefault(server_name, []).append(result)
                    row.peaks.setdefault(server_name, []).append(server.peak_rss_mib())
                    if number == 0:
                        commands.append(f"{' '.join(argv[:-3])} <{name}> {argv[-1]}{case.path}")
                    print(
                        f"  round {number + 1} {name} c={concurrency} {server_name}: "
                        f"{result.rps:,.0f} req/s p50 {result.p50_ms:.1f} ms "
                        f"p99 {result.p99_ms:.1f} ms ({result.bad_status} bad, "
                        f"{result.errors} errors)",
                        flush=True,
                    )
    return list(rows.values()), commands


def _shares(before: dict[int, float], after: dict[int, float]) -> list[float]:
    """Each worker's part of the CPU time its siblings spent, largest first."""
    spent = [after[pid] - before.get(pid, 0.0) for pid in after]
    total = sum(spent)
    return sorted((s / total for s in spent), reverse=True) if total > 0 else []


#: What a reader's browser downloads, by encoding asked for (issue 18).
WIRE = (
    ("thread of 100, JSON", "/api/v1/articles/thread-100/comments"),
    ("thread of 100, HTML page", "/articles/thread-100"),
    ("embed.js", "/embed.js"),
)
Wire = tuple[str, str, int, str]


def wire_sizes(base: str) -> list[Wire]:
    """Bytes of the body as sent, for each of ``WIRE`` and each encoding a client asks."""
    sizes = []
    for name, path in WIRE:
        for asked in ("identity", "gzip", "br"):
            request = urllib.request.Request(base + path, headers={"Accept-Encoding": asked})
            with urllib.request.urlopen(request, timeout=30) as response:
                body = response.read()  # urllib decodes nothing: these are the wire bytes
                sent = response.headers.get("Content-Encoding", "identity")
            sizes.append((name, asked, len(body), sent))
    return sizes


def run(
    work: Path,
    *,
    rounds: int,
    duration: float,
    max_requests: int,
    only: tuple[str, ...] = (),
    workers: int = 1,
) -> tuple[list[Row], list[str], list[Wire]]:
    """Every case, or only those named in ``only`` (nginx is left out when none of them
    is a read); ours with ``workers`` processes."""
    work = work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    for stale in ("ours.db", "ours.db-wal", "ours.db-shm"):
        (work / stale).unlink(missing_ok=True)
    url = f"sqlite:///{work / 'ours.db'}"
    seed_ours(url)
    ours = our_server(work, url, workers=workers)
    isso = peers.isso_server(work, PORTS["isso"])
    peers.seed_isso(work, isso_threads())
    static = work / "static"
    nginx = peers.nginx_server(work, PORTS["nginx"], static)
    cases = {"ours": our_cases(), "isso": isso_cases(), "nginx": nginx_cases()}
    if only:
        unknown = set(only) - set(cases["ours"])
        if unknown:
            raise SystemExit(f"no such case: {', '.join(sorted(unknown))}")
        cases = {
            server: {name: case for name, case in named.items() if name in only}
            for server, named in cases.items()
        }
    servers = {"ours": ours, "isso": isso, "nginx": nginx}
    if not cases["nginx"]:
        del servers["nginx"], cases["nginx"]
    try:
        ours.start()
        if "nginx" in servers:
            publish_static(ours, static)
            nginx.start()
        isso.start()
        warm(ours, our_cases()["post a comment (with triage)"])
        warm(isso, isso_cases()["post a comment (with triage)"])
        wire = wire_sizes(ours.base)
        rows, commands = measure(
            servers, cases, rounds=rounds, duration=duration, max_requests=max_requests
        )
        return rows, commands, wire
    finally:
        for server in servers.values():
            server.stop()
