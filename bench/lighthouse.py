"""Lighthouse scores of the reader's page (English and Korean) and the console's queue.

Starts ``commentdesk serve --demo`` on a free loopback port with a fresh SQLite database,
signs the demo moderator in through the console's form (the session cookie goes to
Lighthouse as an extra header), runs the pinned Lighthouse of ``bench/lighthouse/`` with
Debian's Chromium on each page, and writes the four category scores to
``bench/results-lighthouse.md``. Not part of ``make test``; run it with
``make bench-lighthouse`` (it installs the npm package first).

The console's sign-in page, the only console page a robot can fetch, answers ``noindex``;
a signed-in page carries no robots tag (no robot holds a session), so the queue measured
here is scored on its own markup.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from servers import Server

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
RESULTS = HERE / "results-lighthouse.md"
CHROMIUM = "/usr/bin/chromium"
#: Runs per page: the median is reported (Lighthouse's own advice for a noisy machine).
RUNS = 3
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
#: The pages measured: a name, a path, and the cookies beyond none (the console's pages
#: need the moderator's session; ``cd_lang`` is the console's language switch).
PAGES = (
    ("Reader thread, English", "/articles/welcome?lang=en", None),
    ("Reader thread, Korean", "/articles/library-budget?lang=ko", None),
    ("Console queue, English", "/console", "cd_lang=en"),
    ("Console queue, Korean", "/console", "cd_lang=ko"),
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def demo_password(log: Path) -> str:
    """The demo moderator's password, as ``serve --demo`` printed it."""
    found = re.search(r"Login:\s+demo / (\S+)", log.read_text())
    if not found:
        raise RuntimeError(f"serve --demo printed no login; see {log}")
    return found.group(1)


def session_cookie(base: str, password: str) -> str:
    """Signs the demo moderator in through the form; the ``Cookie`` header that follows."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/console/login") as page:
        html = page.read().decode()
    token = re.search(r'name="csrf" value="([^"]+)"', html)
    assert token, "the sign-in form has no CSRF field"
    form = {"csrf": token.group(1), "name": "demo", "password": password}
    opener.open(f"{base}/console/login", data=urllib.parse.urlencode(form).encode()).close()
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "cd_session" not in cookies:
        raise RuntimeError("signing the demo moderator in gave no session cookie")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def check_language(url: str, cookies: str | None, name: str) -> None:
    """The page is in the language its row names (and signed in, for the console)."""
    wanted = "ko" if name.endswith("Korean") else "en"
    request = urllib.request.Request(url, headers={"Cookie": cookies} if cookies else {})
    with urllib.request.urlopen(request) as page:  # our own loopback server
        html = page.read().decode()
    if f'<html lang="{wanted}"' not in html or "/console/login" in page.url:
        raise RuntimeError(f"{name}: {url} is not the page to measure")


def lighthouse(url: str, out: Path, cookie: str | None) -> dict[str, object]:
    """One Lighthouse run (desktop-free default: mobile emulation, simulated throttling)."""
    argv = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        "--chrome-flags=--headless=new --no-sandbox",
        "--only-categories=" + ",".join(CATEGORIES),
    ]
    if cookie:
        argv.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    subprocess.run(argv, check=True, env={"CHROME_PATH": CHROMIUM, "PATH": "/usr/bin:/bin"})
    report: dict[str, object] = json.loads(out.read_text())
    return report


def failing(report: dict[str, object], category: str) -> list[str]:
    """The audits of ``category`` that scored under 1 (weighted ones first)."""
    categories = report["categories"]
    audits = report["audits"]
    assert isinstance(categories, dict)
    assert isinstance(audits, dict)
    refs = categories[category]["auditRefs"]
    found = []
    for ref in sorted(refs, key=lambda r: -r["weight"]):
        audit = audits[ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            found.append(f"{ref['id']} ({audit['score']:.2f})")
    return found


def main() -> None:
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `make bench-lighthouse`.")
    with tempfile.TemporaryDirectory(prefix="cd-lighthouse-") as work:
        port = free_port()
        log = Path(work) / "serve.log"
        server = Server(
            "commentdesk",
            [sys.executable, "-m", "commentdesk", "serve", "--demo", "--port", str(port)],
            port,
            "/articles/welcome",
            env={"COMMENTDESK_DATABASE_URL": f"sqlite:///{work}/lighthouse.db"},
            log=log,
        )
        server.start()
        rows: list[Row] = []
        try:
            cookie = session_cookie(server.base, demo_password(log))
            for n, (name, path, language) in enumerate(PAGES):
                cookies = f"{cookie}; {language}" if language else None
                check_language(server.base + path, cookies, name)
                reports = [
                    lighthouse(server.base + path, Path(work) / f"{n}-{run}.json", cookies)
                    for run in range(RUNS)
                ]
                runs = [scores_of(report) for report in reports]
                median = {c: statistics.median_low(r[c] for r in runs) for c in CATEGORIES}
                # The audits of the run whose performance was the median one.
                middle = reports[[r["performance"] for r in runs].index(median["performance"])]
                misses = [f"{c}: {', '.join(failing(middle, c))}" for c in CATEGORIES]
                rows.append((name, median, runs, [m for m in misses if not m.endswith(": ")]))
                print(name, median, runs, flush=True)
        finally:
            server.stop()
    version = subprocess.run(
        [str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    RESULTS.write_text(render(rows, version))


def scores_of(report: dict[str, object]) -> dict[str, int]:
    categories = report["categories"]
    assert isinstance(categories, dict)
    return {c: round(categories[c]["score"] * 100) for c in CATEGORIES}


Row = tuple[str, dict[str, int], list[dict[str, int]], list[str]]


def render(rows: list[Row], version: str) -> str:
    lines = [
        "# Lighthouse",
        "",
        f"Lighthouse {version} (npm, `bench/lighthouse/`), Debian's Chromium in headless mode,",
        "Lighthouse's default mobile emulation and simulated throttling, on `commentdesk serve",
        "--demo` with a fresh SQLite database; the console pages signed in as the demo admin.",
        "Made by `make bench-lighthouse` (`cd bench && python lighthouse.py`).",
        "",
        f"Each page is measured {RUNS} times; the table gives the median score of each",
        "category, and the runs' scores follow it (performance is timed: on a busy machine",
        "one run's total-blocking-time can fall, and the median keeps that run from deciding).",
        "",
        "| Page | Performance | Accessibility | Best practices | SEO | Runs (P/A/BP/SEO) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, scores, runs, _ in rows:
        each = ", ".join("/".join(str(r[c]) for c in CATEGORIES) for r in runs)
        lines.append(
            f"| {name} | " + " | ".join(str(scores[c]) for c in CATEGORIES) + f" | {each} |"
        )
    lines += ["", "Audits under 1 (weighted) in the median run, per page:", ""]
    for name, _, _, misses in rows:
        lines.append(f"- {name}: " + ("; ".join(misses) if misses else "none"))
    lines += [
        "",
        "The console is private by its session, not by a robots tag: a visitor without one",
        'is sent to the sign-in page, which carries `<meta name="robots" content="noindex">`',
        "(and would fail Lighthouse's is-crawlable audit on purpose); a signed-in page such",
        "as the queue measured here has no robots tag, since no robot can fetch it.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
