"""What triage catches on labelled comments, replayed through the real desk.

Each set is replayed in arrival order (minute, then id) through a ``Desk`` on a fresh
SQLite file with the shipped defaults, except that rate limits are out of the way (a
replay posts far faster than readers do) and the server does not assess: after each
submission ``desk.assessor.drain()`` runs the worker's full assessment, as production
does after the 202, with the clock at the comment's minute. Every comment is then read
back from the store: its risk, its reasons, its cluster id (read at the end, since a
later copy can pull an earlier one into its cluster).

What counts as a prediction:

- *flagged*: a moderator would see the comment raised, not merely waiting: its risk is
  at or above the policy's ``hold_at`` (the point where a post-moderated site stops
  publishing at once; under pre-moderation everything is held, so the action alone says
  nothing), or it has a spam-kind or abuse-kind reason below;
- *spam reason*: ``banned_spam``/``suspect_spam``, a denied, shortened or raw-IP link,
  too many links, or any code containing "contact" or "spam";
- *abuse reason*: ``banned_word``/``suspect_word``, or any code containing "threat",
  "abuse" or "exemplar";
- *campaign*: the comment's cluster id. Two items are *joined* when both have the same
  cluster id.
- a comment the screen *refuses* at the door (``422 refused``: risk 0.97 or more from
  the text alone) is recorded as flagged with the code ``refused`` and no cluster.

Spam and abusive recall count an item when it is flagged at all (for any reason): that
is what puts it in front of a moderator. The share flagged *with* a spam or abuse
reason is printed beside it. Campaign figures are over pairs: every pair of items of one
campaign, same-language (both en or both ko) and cross-language (one en, one ko),
joined / all; pair precision is, over every pair of items (any label) sharing a
cluster, the share that belong to the same campaign.

Usage: ``python bench/triage_eval.py [--part dev|test|authored] [--show-errors] [--write]``.
``--show-errors`` is refused on the test part: it is reported, never tuned on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path

from argon2 import PasswordHasher

from commentdesk.desk import Desk
from commentdesk.desk.comments import Draft
from commentdesk.errors import Refused
from commentdesk.model import Moderation
from commentdesk.settings import Settings
from commentdesk.store import Store
from commentdesk.store.records import get_comment
from commentdesk.triage.policy import Policy

ROOT = Path(__file__).resolve().parent.parent
PARTS = {
    "dev": ROOT / "bench" / "data" / "triage-unseen" / "dev.jsonl",
    "test": ROOT / "bench" / "data" / "triage-unseen" / "test.jsonl",
    "authored": ROOT / "tests" / "data" / "triage_eval.jsonl",
}
RESULTS = ROOT / "bench" / "results-triage.md"
START = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)
SPAM_CODES = frozenset(
    {"banned_spam", "suspect_spam", "shortened_link", "denied_link", "ip_link", "many_links"}
)
ABUSE_CODES = frozenset({"banned_word", "suspect_word"})
REFUSED = "refused"
#: Issue 20's targets, by figure name: (bound, at least?).
TARGETS = {
    "spam flagged": (0.90, True),
    "abusive flagged": (0.95, True),
    "disguised abusive flagged": (0.90, True),
    "same-language pairs joined": (0.97, True),
    "cross-language pairs joined": (0.80, True),
    "pair precision": (0.97, True),
    "clean flagged": (0.05, False),
}


@dataclass(frozen=True)
class Row:
    id: int
    lang: str
    label: str
    author: str
    article: str
    minute: int
    text: str
    kind: str = ""
    disguise: str | None = None
    campaign: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What the desk made of one row."""

    row: Row
    risk: float
    codes: tuple[str, ...]
    cluster: int | None

    @property
    def spam_reason(self) -> bool:
        return any(c in SPAM_CODES or "contact" in c or "spam" in c for c in self.codes)

    @property
    def abuse_reason(self) -> bool:
        return any(
            c in ABUSE_CODES or any(w in c for w in ("threat", "abuse", "exemplar"))
            for c in self.codes
        )

    @property
    def flagged(self) -> bool:
        return self.risk >= Policy().hold_at or self.spam_reason or self.abuse_reason


def load(path: Path) -> list[Row]:
    rows = [Row(**json.loads(line)) for line in path.read_text("utf-8").splitlines() if line]
    return sorted(rows, key=lambda row: (row.minute, row.id))


def _stable(author: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{author}".encode()).hexdigest()


def _address(author: str) -> str:
    digest = bytes.fromhex(_stable(author, "address"))
    return f"10.{digest[0]}.{digest[1]}.{digest[2]}"


class _Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def replay(rows: list[Row], folder: Path) -> tuple[list[Outcome], float]:
    """Replays ``rows`` through a fresh desk in ``folder``; the outcomes and items/second."""
    path = folder / "replay.db"
    store = Store(f"sqlite:///{path}")
    store.migrate()
    store.close()
    unlimited = "100000/1"
    settings = Settings(
        database_url=f"sqlite:///{path}",
        secret_key="bench-triage-replay",
        assess_in_server=False,
        rate_commenter=unlimited,
        rate_address=unlimited,
        rate_article=unlimited,
        rate_site=unlimited,
    )
    clock = _Clock()
    desk = Desk.open(settings, clock=clock, hasher=PasswordHasher(time_cost=1, memory_cost=1024))
    try:
        desk.catalog.ensure_site(
            "news", name="The News", origins=("https://news.example",), moderation=Moderation.PRE
        )
        for key in sorted({row.article for row in rows}):
            desk.catalog.add_article("news", key, url=f"https://news.example/{key}", title=key)
        ids: list[int | None] = []
        in_minute: Counter[int] = Counter()
        started = time.perf_counter()
        for row in rows:
            # Comments of one minute arrive a second apart, in order.
            clock.now = START + timedelta(minutes=row.minute, seconds=in_minute[row.minute])
            in_minute[row.minute] += 1
            draft = Draft(
                author=row.author,
                body=row.text,
                accept_terms=True,
                commenter_key=_stable(row.author, "key")[:32],
                address=_address(row.author),
            )
            try:
                ids.append(desk.comments.submit(row.article, draft).comment.id)
            except Refused:  # the screen refused it at the door: the strongest flag
                ids.append(None)
            desk.assessor.drain()
        rate = len(rows) / (time.perf_counter() - started)
        outcomes = []
        with desk.context.store.read() as connection:
            for row, comment_id in zip(rows, ids, strict=True):
                if comment_id is None:
                    outcomes.append(Outcome(row, 1.0, (REFUSED,), None))
                    continue
                comment = get_comment(connection, comment_id)
                assert comment is not None
                codes = tuple(reason.code for reason in comment.assessment.reasons)
                outcomes.append(Outcome(row, comment.assessment.risk, codes, comment.cluster_id))
        return outcomes, rate
    finally:
        desk.close()


@dataclass(frozen=True)
class Figure:
    name: str
    hits: int
    total: int
    extra: str = ""

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None


def _share(name: str, items: Iterable[Outcome], test: Callable[[Outcome], bool]) -> Figure:
    chosen = list(items)
    return Figure(name, sum(test(o) for o in chosen), len(chosen))


def pair_figures(outcomes: list[Outcome]) -> list[Figure]:
    """Same- and cross-language campaign pairs joined, and the precision of all joins."""
    pairs: Counter[str] = Counter()
    joined: Counter[str] = Counter()
    by_campaign: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        if outcome.row.campaign:
            by_campaign[outcome.row.campaign].append(outcome)
    for members in by_campaign.values():
        for a, b in combinations(members, 2):
            langs = "-".join(sorted((a.row.lang, b.row.lang)))
            if langs in ("en-en", "ko-ko", "en-ko"):
                pairs[langs] += 1
                joined[langs] += a.cluster is not None and a.cluster == b.cluster
    clustered: dict[int, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        if outcome.cluster is not None:
            clustered[outcome.cluster].append(outcome)
    together = right = 0
    for members in clustered.values():
        for a, b in combinations(members, 2):
            together += 1
            right += a.row.campaign is not None and a.row.campaign == b.row.campaign
    same = ("en-en", "ko-ko")
    return [
        Figure(
            "same-language pairs joined", sum(joined[k] for k in same), sum(pairs[k] for k in same)
        ),
        Figure("  en-en pairs", joined["en-en"], pairs["en-en"]),
        Figure("  ko-ko pairs", joined["ko-ko"], pairs["ko-ko"]),
        Figure("cross-language pairs joined", joined["en-ko"], pairs["en-ko"]),
        Figure("pair precision", right, together, f"{len(clustered)} clusters"),
    ]


def figures(outcomes: list[Outcome]) -> list[Figure]:
    """Every figure of one part, in the order the table prints them."""
    of: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        of[outcome.row.label].append(outcome)
    flagged: Callable[[Outcome], bool] = lambda o: o.flagged  # noqa: E731
    found = [_share("spam flagged", of["spam"], flagged)]
    found.append(_share("  spam with a spam reason", of["spam"], lambda o: o.spam_reason))
    for kind in sorted({o.row.kind for o in of["spam"]} - {""}):
        found.append(
            _share(f"  spam {kind}", (o for o in of["spam"] if o.row.kind == kind), flagged)
        )
    found.append(_share("abusive flagged", of["abusive"], flagged))
    found.append(_share("  abusive with an abuse reason", of["abusive"], lambda o: o.abuse_reason))
    for kind in sorted({o.row.kind for o in of["abusive"]} - {""}):
        chosen = (o for o in of["abusive"] if o.row.kind == kind)
        found.append(_share(f"  abusive {kind}", chosen, flagged))
    disguised = [o for o in of["abusive"] if o.row.disguise]
    if disguised:
        found.append(_share("disguised abusive flagged", disguised, flagged))
        for disguise in sorted({o.row.disguise or "" for o in disguised}):
            chosen = (o for o in disguised if o.row.disguise == disguise)
            found.append(_share(f"  disguise {disguise}", chosen, flagged))
    found.append(_share("campaign copies flagged", of["campaign"], flagged))
    for kind in sorted({o.row.kind for o in of["campaign"]} - {""}):
        chosen = (o for o in of["campaign"] if o.row.kind == kind)
        found.append(
            _share(f"  {kind} copies in a cluster", chosen, lambda o: o.cluster is not None)
        )
    found += pair_figures(outcomes)
    found.append(_share("clean flagged", of["clean"], flagged))
    for kind in sorted({o.row.kind for o in of["clean"]} - {""}):
        chosen = (o for o in of["clean"] if o.row.kind == kind)
        found.append(_share(f"  clean {kind}", chosen, flagged))
    return found


def table(title: str, found: list[Figure], rate: float) -> str:
    lines = [f"### {title}", "", "| figure | value | count | target |", "|---|---:|---:|---|"]
    for figure in found:
        value = "–" if figure.value is None else f"{figure.value:.2f}"
        target = ""
        if figure.name in TARGETS:
            bound, at_least = TARGETS[figure.name]
            target = f"{'>=' if at_least else '<='} {bound:.2f}"
        count = f"{figure.hits}/{figure.total}" + (f" ({figure.extra})" if figure.extra else "")
        lines.append(f"| {figure.name} | {value} | {count} | {target} |")
    lines += ["", f"replay through the desk: {rate:.1f} items/s", ""]
    return "\n".join(lines)


def errors(outcomes: list[Outcome]) -> list[str]:
    """Misses: labelled items not flagged, clean items flagged, campaign copies unclustered."""
    found = []
    for o in outcomes:
        row = o.row
        wrong = (row.label in ("spam", "abusive") and not o.flagged) or (
            row.label == "clean" and o.flagged
        )
        if row.label == "campaign" and o.cluster is None:
            wrong = True
        if wrong:
            codes = ",".join(o.codes) or "-"
            tag = "/".join(x for x in (row.label, row.kind, row.disguise, row.campaign) if x)
            found.append(f"  [{tag}] risk {o.risk:.2f} ({codes}) {row.text[:90]}")
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--part", choices=tuple(PARTS), help="one part only (default: all)")
    parser.add_argument("--show-errors", action="store_true", help="list misses (dev only)")
    parser.add_argument("--write", action="store_true", help=f"write the tables to {RESULTS}")
    args = parser.parse_args(argv)
    parts = [args.part] if args.part else list(PARTS)
    if args.show_errors and "test" in parts:
        parser.error("--show-errors is refused on the test part: pass --part dev")
    written = ["# Triage on labelled comments (bench/triage_eval.py)", ""]
    for part in parts:
        with tempfile.TemporaryDirectory(prefix=f"triage-{part}-") as folder:
            outcomes, rate = replay(load(PARTS[part]), Path(folder))
        shown = table(f"{part}: {PARTS[part].relative_to(ROOT)}", figures(outcomes), rate)
        print(shown, flush=True)
        written.append(shown)
        if args.show_errors:
            print("\n".join(["misses:", *errors(outcomes), ""]))
    if args.write:
        RESULTS.write_text("\n".join(written), "utf-8")
        print(f"wrote {RESULTS.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
