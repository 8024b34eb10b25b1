"""Writes bench/results.md: machine, commands, the side-by-side table, targets, scale."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from collections.abc import Sequence
from pathlib import Path

from assess_latency import AssessLatency, section
from compare import Row, Wire
from publish_latency import PublishLatency
from publish_latency import section as publish_section
from scale import LEVELS, ScaleRow, TriageRow, label

SERVERS = ("ours", "isso", "nginx")


def _run(argv: Sequence[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return (
        (done.stdout or done.stderr).strip().splitlines()[0]
        if (done.stdout or done.stderr)
        else "?"
    )


def git_revision() -> str:
    """The commit, with ``-dirty`` when the checkout has uncommitted changes (it is shared)."""
    return _run(["git", "describe", "--always", "--dirty"])


def machine() -> list[str]:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 2**20
    return [
        f"- Machine: {os.cpu_count()} cores (`nproc`), {memory:.1f} GiB memory, CPU {cpu}, "
        f"Linux {platform.release()}",
        f"- Software: Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{_run(['psql', '--version'])}, {_run(['nginx', '-v'])}, "
        f"{_run(['wrk', '-v'])}",
    ]


def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _ratio(ours: float | None, other: float | None) -> str:
    if not ours or not other:
        return "–"
    return f"{ours / other:,.2f}x"


def side_by_side(rows: list[Row]) -> list[str]:
    lines = [
        "| case | c | ours req/s | ours p50 ms | ours p99 ms | ours peak RSS MiB/web process | "
        "Isso req/s | Isso p50 ms | Isso p99 ms | Isso peak RSS MiB/worker | "
        "nginx req/s | nginx p50 ms | nginx p99 ms | ours/Isso req/s | ours/nginx req/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: | ---: |",
    ]
    for row in rows:
        cells = [row.case, str(row.concurrency)]
        for server in SERVERS:
            cells += [
                _fmt(row.median(server, "rps")),
                _fmt(row.median(server, "p50_ms"), 2),
                _fmt(row.median(server, "p99_ms"), 2),
            ]
            if server != "nginx":
                cells.append(_fmt(row.peak(server), 0))
        ours = row.median("ours", "rps")
        nginx = row.median("nginx", "rps")
        share = f"{100 * ours / nginx:.1f}%" if ours and nginx else "–"
        cells += [_ratio(ours, row.median("isso", "rps")), share]
        lines.append("| " + " | ".join(cells) + " |")
    bad = [
        f"{row.case} c={row.concurrency} {server}: {sum(r.bad_status for r in runs)} "
        f"non-2xx, {sum(r.errors for r in runs)} socket errors"
        for row in rows
        for server, runs in row.results.items()
        if any(r.bad_status or r.errors for r in runs)
    ]
    if bad:
        lines += ["", "Errors during the runs (counted by wrk, not in req/s): " + "; ".join(bad)]
    return lines


def spread_table(rows: list[Row]) -> list[str]:
    """How evenly our worker processes shared the work, case by case, at c=16."""
    lines = ["| case | c | workers' shares of CPU, per round |", "| --- | ---: | --- |"]
    for row in rows:
        if row.concurrency > 1 and row.shares:
            shares = "; ".join(
                " / ".join(f"{100 * s:.0f}%" for s in round_) for round_ in row.shares if round_
            )
            lines.append(f"| {row.case} | {row.concurrency} | {shares} |")
    return lines if len(lines) > 2 else ["Not measured in this run."]


def wire_table(wire: list[Wire]) -> list[str]:
    if not wire:
        return ["Not measured in this run."]
    lines = ["| answer | Accept-Encoding | sent as | body bytes |", "| --- | --- | --- | ---: |"]
    for name, asked, size, sent in wire:
        lines.append(f"| {name} | {asked} | {sent} | {size:,} |")
    return lines


def _find(rows: list[Row], case: str, concurrency: int) -> Row | None:
    return next((r for r in rows if r.case == case and r.concurrency == concurrency), None)


def targets(
    rows: list[Row],
    scale: list[ScaleRow],
    triage: list[TriageRow],
    assess: AssessLatency | None = None,
) -> list[str]:
    lines = ["| target | measured | met |", "| --- | --- | :---: |"]

    def add(name: str, measured: str, met: bool | None) -> None:
        lines.append(f"| {name} | {measured} | {'–' if met is None else 'yes' if met else 'no'} |")

    def rps_ratio(case: str, other: str) -> float | None:
        row = _find(rows, case, 16)
        if row is None:
            return None
        ours, them = row.median("ours", "rps"), row.median(other, "rps")
        return ours / them if ours and them else None

    hundred = _find(rows, "thread of 100, JSON", 16)
    for title, case, other, goal in (
        ("thread of 100 as JSON, c=16: ≥ 50x Isso", "thread of 100, JSON", "isso", 50.0),
        ("thread of 100 as JSON, c=16: ≥ 25% of nginx", "thread of 100, JSON", "nginx", 0.25),
        ("thread of one comment, c=16: ≥ 5x Isso", "thread of 1, JSON", "isso", 5.0),
        ("counts for ten articles, c=16: ≥ 3x Isso", "counts for 10 articles", "isso", 3.0),
        ("posting incl. triage, c=16: ≥ 2x Isso", "post a comment (with triage)", "isso", 2.0),
    ):
        ratio = rps_ratio(case, other)
        shown = f"{100 * ratio:.1f}%" if other == "nginx" and ratio else f"{ratio or 0:,.2f}x"
        add(
            title,
            "–" if ratio is None else shown,
            None if ratio is None else ratio >= goal,
        )
    posting = _find(rows, "post a comment (with triage)", 16)
    post_p99 = posting.median("ours", "p99_ms") if posting else None
    add(
        "issue 14: posting incl. triage, c=16: p99 < 100 ms",
        f"{_fmt(post_p99, 1)} ms",
        None if post_p99 is None else post_p99 < 100,
    )
    if assess is not None:
        add(
            f"issue 14: 202 to assessment at a steady {assess.rate:g} posts/s: p99 < 2 s "
            "(all assessed)",
            f"p99 {assess.p99_s:.3f} s, {assess.assessed:,} of {assess.accepted:,} assessed",
            assess.p99_s < 2 and assess.not_assessed == 0,
        )
    p99 = hundred.median("ours", "p99_ms") if hundred else None
    add(
        "thread of 100 as JSON, c=16: p99 < 20 ms",
        f"{_fmt(p99, 1)} ms",
        None if p99 is None else p99 < 20,
    )
    page = _find(rows, "thread of 100, HTML page", 16)
    page_rps = page.median("ours", "rps") if page else None
    json_rps = hundred.median("ours", "rps") if hundred else None
    add(
        "issue 18: thread of 100 as the HTML page, c=16: ≥ 50% of ours as JSON",
        "–" if not (page_rps and json_rps) else f"{100 * page_rps / json_rps:.0f}%",
        None if not (page_rps and json_rps) else page_rps >= 0.5 * json_rps,
    )
    peaks = [row.peak("ours") for row in rows if row.peak("ours")]
    if peaks:
        megabytes = max(p for p in peaks if p) * 2**20 / 1e6
        add(
            "issue 18: peak resident memory per web process, side by side: ≤ 150 MB",
            f"{megabytes:.0f} MB",
            megabytes <= 150,
        )
    small, large = label(LEVELS[0]), label(LEVELS[-1])
    for curve in scale:
        for row in curve.rows:
            if row.concurrency != 1:
                continue
            growth = _growth(row, small, large, "p50_ms")
            if growth is not None:
                add(
                    f"{curve.backend}: {row.case}, p50 at c=1, {large} vs {small}: < 2x",
                    f"{growth:.2f}x",
                    growth < 2,
                )
        peak = curve.peaks_mib.get(large)
        if peak is not None:
            megabytes = peak * 2**20 / 1e6
            add(
                f"{curve.backend}: peak RSS of the worker at {large}: < 150 MB",
                f"{megabytes:.0f} MB",
                megabytes < 150,
            )
    if len(triage) == 2:
        for kind, text in (("fresh", "a fresh text"), ("campaign", "a campaign copy")):
            ratio = getattr(triage[1], kind)[0] / getattr(triage[0], kind)[0]
            add(
                f"issue 5: prepare + assess of {text}, p50 with 1M vs 10k in the index: within 2x",
                f"{ratio:.2f}x",
                ratio <= 2,
            )
    return lines


def _growth(row: Row, small: str, large: str, attribute: str) -> float | None:
    before, after = row.median(small, attribute), row.median(large, attribute)
    return after / before if before and after else None


#: What an empty section says (a run with --skip-scale or --skip-triage).
SKIPPED = "Not measured in this run; the last run that did is in this file's git history."


def scale_table(scale: list[ScaleRow]) -> list[str]:
    if not scale:
        return [SKIPPED]
    names = [label(count) for count in LEVELS]
    lines: list[str] = []
    for curve in scale:
        lines += [
            f"### {curve.backend}",
            "",
            "| case | c | "
            + " | ".join(f"{n}: req/s, p50 ms, p99 ms" for n in names)
            + f" | p50 {names[-1]} / {names[0]} | p99 {names[-1]} / {names[0]} |",
            "| --- | ---: |" + " ---: |" * (len(names) + 2),
        ]
        for row in curve.rows:
            cells = [row.case, str(row.concurrency)]
            for name in names:
                cells.append(
                    f"{_fmt(row.median(name, 'rps'))}, {_fmt(row.median(name, 'p50_ms'), 2)}, "
                    f"{_fmt(row.median(name, 'p99_ms'), 2)}"
                )
            for attribute in ("p50_ms", "p99_ms"):
                growth = _growth(row, names[0], names[-1], attribute)
                cells.append("–" if growth is None else f"{growth:.2f}x")
            lines.append("| " + " | ".join(cells) + " |")
        peaks = ", ".join(f"{n}: {curve.peaks_mib.get(n, 0):,.0f} MiB" for n in names)
        start = ", ".join(f"{n}: {curve.start_mib.get(n, 0):,.0f} MiB" for n in names)
        lines += [
            "",
            f"Peak RSS of the server process (one uvicorn worker) during the runs: {peaks}; "
            f"right after start, before the first English post loads scikit-learn: {start}.",
            "",
        ]
    return lines


def triage_table(triage: list[TriageRow]) -> list[str]:
    if not triage:
        return [SKIPPED]

    def pair(values: tuple[float, float]) -> str:
        return f"{values[0]:.2f} / {values[1]:.2f}"

    lines = [
        "| prior comments in the index | band rows | fresh text: prepare + assess | "
        "fresh text: assess() alone | campaign copy: prepare + assess | "
        "campaign copy: assess() alone |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for t in triage:
        lines.append(
            f"| {t.comments:,} | {t.band_rows:,} | {pair(t.fresh)} | {pair(t.fresh_assess)} | "
            f"{pair(t.campaign)} | {pair(t.campaign_assess)} |"
        )
    lines += ["", "Each cell: p50 / p99 in ms."]
    if len(triage) == 2:
        small, large = triage
        ratios = ", ".join(
            f"{name} {getattr(large, part)[0] / getattr(small, part)[0]:.2f}x"
            for part, name in (
                ("fresh", "fresh text, prepare + assess"),
                ("fresh_assess", "fresh text, assess() alone"),
                ("campaign", "campaign copy, prepare + assess"),
                ("campaign_assess", "campaign copy, assess() alone"),
            )
        )
        lines += ["", f"p50 at 1M / p50 at 10k: {ratios}."]
    return lines


def write(
    path: Path,
    *,
    header: list[str],
    rows: list[Row],
    commands: list[str],
    scale: list[ScaleRow],
    triage: list[TriageRow],
    analysis: str,
    assess: AssessLatency | None = None,
    wire: list[Wire] | None = None,
    published: PublishLatency | None = None,
) -> str:
    text = [
        "# Benchmarks: commentdesk beside Isso and nginx, and at scale",
        "",
        *machine(),
        *header,
        "",
        "## Side by side (same data, same load, same run; medians of the rounds)",
        "",
        *side_by_side(rows),
        "",
        "## Worker spread (ours, `--workers N`: each worker's share of the CPU; issue 18)",
        "",
        *spread_table(rows),
        "",
        "## Bytes on the wire (ours, by the encoding the client accepts; issue 18)",
        "",
        *wire_table(wire or []),
        "",
        "## Time from a decision to the published file (issue 18)",
        "",
        *(publish_section(published) if published else ["Not measured in this run."]),
        "",
        "## Targets (issue 8, issue 5's assess() line, issues 14 and 18)",
        "",
        *targets(rows, scale, triage, assess),
        "",
        "## Time from the 202 to the full assessment (issue 14)",
        "",
        *(section(assess) if assess else ["Not measured in this run (`--skip-assess`)."]),
        "",
        "## Scale curve (our server alone; medians of the rounds)",
        "",
        *scale_table(scale),
        "",
        "## Triage scale: prepare + assess with 10,000 and 1,000,000 prior comments",
        "",
        *triage_table(triage),
        "",
        "## wrk command lines (first round)",
        "",
        "```",
        *commands,
        "```",
        "",
        analysis.strip(),
        "",
    ]
    rendered = "\n".join(text)
    path.write_text(rendered)
    return rendered
