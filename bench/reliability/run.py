"""``make reliability``: the slow half of the reliability tests, the soak, and the report.

1. pytest over ``tests/reliability`` with the whole hostile corpus, schemathesis at 50
   examples per operation, and the slow faults (disk full, PostgreSQL restart, kill -9),
   plus the durability, Redis and proxy tests that live elsewhere; every test appends
   its figures to ``test-artifacts/reliability/results.jsonl``.
2. The soak: ten minutes on SQLite, then ten on PostgreSQL (``SOAK_SECONDS``,
   ``SOAK_RATE`` to change them; ``SOAK_SECONDS=0`` skips it, and
   ``COMMENTDESK_RELIABILITY_FULL=0`` takes the sample corpus, for a quick look).
3. ``docs/reliability.md``, written from those results alone, then bandit's verdict.

Exits non-zero when anything failed; the report says what.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import subprocess
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from defusedxml import ElementTree

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "reliability"
RESULTS = ARTIFACTS / "results.jsonl"
JUNIT = ARTIFACTS / "junit.xml"
REPORT = ROOT / "docs" / "reliability.md"
PYTHON = sys.executable
#: The borrowed tests first: tests/reliability drives chromium through Playwright, whose
#: event loop stays up for the session, and test_proxy calls asyncio.run().
TESTS = [
    "tests/ops/test_proxy.py",
    "tests/test_durability.py",
    "tests/throttle/test_redis.py",
    "tests/reliability",
]
#: Faults tested outside tests/reliability, with what they expect (their own words).
ELSEWHERE = {
    "tests/test_durability.py::test_acknowledged_comments_survive_kill_9_mid_burst": (
        "kill -9 of the server mid-burst, on SQLite and on PostgreSQL: every comment "
        "acknowledged with 202 is stored; SQLite's integrity_check says ok."
    ),
    "tests/throttle/test_redis.py::test_when_redis_is_down_limits_hold_per_process": (
        "Redis that does not answer: limits hold per process, a warning is logged once."
    ),
}


def sh(command: list[str], env: dict[str, str] | None = None) -> int:
    print("$", " ".join(command), flush=True)
    return subprocess.run(
        command, cwd=ROOT, env={**os.environ, **(env or {})}, check=False
    ).returncode


def run_tests() -> int:
    env = {
        "COMMENTDESK_RELIABILITY": "1",
        "COMMENTDESK_RELIABILITY_FULL": os.environ.get("COMMENTDESK_RELIABILITY_FULL", "1"),
        "COMMENTDESK_FUZZ_EXAMPLES": os.environ.get("COMMENTDESK_FUZZ_EXAMPLES", "50"),
        "COMMENTDESK_RELIABILITY_RESULTS": str(RESULTS),
    }
    command = [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={JUNIT}"]
    return sh([*command, *TESTS], env)


def run_soaks() -> list[int]:
    seconds = os.environ.get("SOAK_SECONDS", "600")
    rate = os.environ.get("SOAK_RATE", "20")
    script = str(ROOT / "bench" / "reliability" / "soak.py")
    return [
        sh([PYTHON, script, "--database", kind, "--seconds", seconds, "--rate", rate,
            "--results", str(RESULTS), "--log", str(ARTIFACTS)])
        for kind in ("sqlite", "postgresql")
    ]  # fmt: skip


def bandit() -> tuple[int, str]:
    found = subprocess.run(
        [str(Path(PYTHON).with_name("bandit")), "-q", "-r", "src", "-c", "pyproject.toml",
         "-f", "json"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    issues = json.loads(found.stdout or "{}").get("results", [])
    return len(issues), "; ".join(
        f"{i['filename']}:{i['line_number']} {i['test_id']}" for i in issues
    )


def outcomes() -> dict[str, str]:
    """Test id → passed, failed or skipped, from the JUnit file."""
    found: dict[str, str] = {}
    if not JUNIT.exists():
        return found
    for case in ElementTree.parse(JUNIT).iter("testcase"):
        module = case.get("classname", "").replace(".", "/")
        test_id = f"{module}.py::{case.get('name')}"
        verdict = "passed"
        for child in case:
            if child.tag in ("failure", "error"):
                verdict = "FAILED"
            elif child.tag == "skipped":
                verdict = "skipped: " + (child.get("message") or "")
        found[test_id] = verdict
    return found


def load() -> list[dict[str, Any]]:
    if not RESULTS.exists():
        return []
    return [json.loads(line) for line in RESULTS.read_text("utf-8").splitlines() if line]


def doc_of(test_id: str) -> str:
    """The first paragraph of a test's docstring: what it expects."""
    if test_id in ELSEWHERE:
        return ELSEWHERE[test_id]
    path, name = test_id.split("::")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    text = getattr(module, name.split("[")[0]).__doc__ or ""
    return " ".join(text.split())


def table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def report(results: list[dict[str, Any]], verdicts: dict[str, str], issues: tuple[int, str],
           started: datetime, minutes: float) -> str:  # fmt: skip
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in results:
        by_kind[line["kind"]].append(line)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True, check=False).stdout.strip()  # fmt: skip
    out = [
        "# Reliability: hostile input, API fuzzing, faults and a soak",
        "",
        f"Written by `make reliability` (`bench/reliability/run.py`) from its own results on "
        f"{started:%Y-%m-%d %H:%M} UTC, commit `{commit}`, in {minutes:.0f} minutes on "
        f"{os.cpu_count()} cores, Python {platform.python_version()}. Do not edit by hand: "
        "run `make reliability` again. The fast half of the same tests runs in `make test` "
        "with a fixed sample of the corpus.",
        "",
    ]
    doors = by_kind["door"]
    windows = by_kind["window"]
    failed = [t for t, v in verdicts.items() if v == "FAILED"]
    shown = sum(w["shown"] for w in windows)
    unsafe = sum(w["unsafe"] for w in windows)
    mismatched = sum(w["mismatched"] for w in windows)
    fuzz = by_kind["fuzz"]
    soaks = by_kind["soak"]
    strings = max((d["tried"] for d in doors), default=0)
    out += ["## Summary", ""]
    out += table(
        ["what", "figure"],
        [
            ["hostile strings (Big List of Naughty Strings + ours)", strings],
            ["doors × windows checked", f"{len(doors)} doors, {len(windows)} (door, window) pairs"],
            ["texts shown and checked (strings × places shown)", f"{shown:,}"],
            ["unsafe outputs", unsafe],
            ["texts not shown exactly as stored", mismatched],
            ["schemathesis cases run", f"{sum(f['cases'] for f in fuzz):,}"],
            ["5xx answers to schemathesis", sum(f["server_errors"] for f in fuzz)],
            ["faults tested", len(by_kind["fault"]) + len(ELSEWHERE)],
            [
                "soak",
                "; ".join(
                    f"{s['database']}: {s['rate']:g}/s × {s['seconds'] / 60:g} min, "
                    f"{s['server_errors']} 5xx, RSS {s['rss_growth_percent']:+}%, "
                    f"{s['present']}/{s['acknowledged']} acknowledged present"
                    for s in soaks
                ),
            ],
            ["bandit findings in src", issues[0]],
            ["tests failed", len(failed)],
        ],
    )
    if failed:
        out += ["", "Failed: " + ", ".join(f"`{t}`" for t in failed)]
    out += ["", "## Hostile input: every door, every window", ""]
    out += [
        "Each string goes in through each door as a person would send it; each window's "
        "output is parsed the way its reader parses it (html5lib for pages, chromium's DOM "
        "for embed.js, `json`, the `csv` module, an XML parser for Atom, `email` for mail). "
        "Unsafe means an element or attribute no template writes, a script that is not "
        "ours, an `on*` attribute, a non-http(s) link, a formula cell, or script that "
        "actually ran in the browser. Exact means the text a reader sees equals the stored "
        "text (stored = the documented cleaning: NFC, control and bidi characters stripped, "
        "trimmed). Refused strings got a clean 4xx naming the field; skipped ones cannot be "
        "sent through that door at all (a lone surrogate in a form, a control character in "
        "XML).",
        "",
    ]
    out += table(
        ["door", "tried", "placed", "refused (4xx)", "skipped", "findings"],
        [[d["door"], d["tried"], d["placed"], d["refused"], d["skipped"], d["findings"]]
         for d in doors],
    )  # fmt: skip
    out += [""]
    out += table(
        ["door", "window", "strings", "shown", "unsafe", "not exact"],
        [[w["door"], w["window"], w["tried"], w["shown"], w["unsafe"], w["mismatched"]]
         for w in windows],
    )  # fmt: skip
    requests = {t: v for t, v in verdicts.items() if "test_hostile_requests" in t}
    passed = sum(v == "passed" for v in requests.values())
    out += [
        "",
        "Hostile requests (bytes that are not text, JSON 100,000 deep, lone surrogates, junk "
        f"cookies and addresses, ids past 64 bits): {passed} of {len(requests)} passed.",
    ]
    out += ["", "## API fuzzing (schemathesis)", ""]
    out += table(
        ["mode", "operations", "examples each", "cases", "5xx", "failing operations",
         "no such cases possible"],
        [[f["mode"], f["operations"], f["examples_per_operation"], f["cases"],
          f["server_errors"], f["failing_operations"], f["without_such_cases"]] for f in fuzz],
    )  # fmt: skip
    out += [
        "",
        "Checks: no 5xx, status codes, content types, headers and bodies as the schema "
        "documents, invalid requests refused. Not checked: that every schema-valid request "
        "is accepted, since the desk's rules go past a JSON schema (a pseudonym's "
        "characters, `accept_terms` true) and answer 422 naming the field.",
    ]
    out += ["", "## Faults", ""]
    rows = []
    for fault in by_kind["fault"]:
        figures = {k: v for k, v in fault.items() if k not in ("kind", "test", "fault")}
        if "statuses" in figures:  # 0 is load.py's mark for a request that got no answer
            figures["statuses"] = {("no answer" if k == "0" else k): v
                                   for k, v in figures["statuses"].items()}  # fmt: skip
        rows.append([fault["fault"], doc_of(fault["test"]), verdicts.get(fault["test"], "?"),
                     ", ".join(f"{k}: {v}" for k, v in figures.items())])  # fmt: skip
    for test_id, expected in ELSEWHERE.items():
        verdict = next((v for t, v in verdicts.items() if t.startswith(test_id)), "?")
        rows.append([test_id.split("::")[0], expected, verdict, "see the test"])
    out += table(["fault", "expected", "outcome", "figures"], rows)
    out += ["", "## Soak", ""]
    out += table(
        ["database", "rate × duration", "requests", "statuses", "5xx", "transport errors",
         "p50 / p99 ms", "RSS start → end (MiB)", "acknowledged / present", "integrity"],
        [[s["database"], f"{s['rate']:g}/s × {s['seconds'] / 60:g} min", f"{s['requests']:,}",
          ", ".join(f"{k}: {v}" for k, v in s["statuses"].items()), s["server_errors"],
          s["transport_errors"], f"{s['p50_ms']} / {s['p99_ms']}",
          f"{s['rss_start_kib'] / 1024:.0f} → {s['rss_end_kib'] / 1024:.0f} "
          f"({s['rss_growth_percent']:+}%)", f"{s['acknowledged']} / {s['present']}",
          s["integrity"]] for s in soaks],
    )  # fmt: skip
    refusals = [f"{s['database']}: " + ", ".join(f"{k} × {v}" for k, v in s["refusals"].items())
                for s in soaks if s.get("refusals")]  # fmt: skip
    out += [
        "",
        "Which rule answered each 4xx: " + ("; ".join(refusals) or "none") + ". A `refused` is "
        "triage turning away a near-copy of the soak's one template once hundreds of copies "
        "are in (risk 0.97 or more, as the moderation guide says); the reader keeps the text.",
    ]
    out += [
        "",
        "Mix: 40 % thread JSON, 15 % thread page, 15 % posts, 10 % moderation queue, 10 % "
        "approve/reject, 5 % counts, 5 % Atom; an open-loop schedule from 24 threads on "
        "loopback; RSS measured from the end of a one-minute warm-up (model, pools).",
        "",
        "## Spoofing and code scanning",
        "",
    ]
    spoofing = {t: v for t, v in verdicts.items() if "test_spoofing" in t or "test_proxy" in t}
    out += [f"X-Forwarded-For and Host from untrusted peers (rate limits, redirects, feed "
            f"links) and the trusted-proxy rules: {sum(v == 'passed' for v in spoofing.values())}"
            f" of {len(spoofing)} tests passed.", "",
            f"bandit over `src` (see docs/bandit.md): {issues[0]} findings"
            + (f" ({issues[1]})" if issues[0] else "") + ".", ""]  # fmt: skip
    return "\n".join(out)


def main() -> int:
    started = datetime.now(UTC)
    clock = time.monotonic()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    RESULTS.unlink(missing_ok=True)
    JUNIT.unlink(missing_ok=True)
    tests = run_tests()
    soaks = run_soaks() if os.environ.get("SOAK_SECONDS", "600") != "0" else []
    issues = bandit()
    text = report(load(), outcomes(), issues, started, (time.monotonic() - clock) / 60)
    REPORT.write_text(text, encoding="utf-8")
    print(f"wrote {REPORT.relative_to(ROOT)}")
    return 1 if tests or any(soaks) or issues[0] else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
