"""Adversarial worst cases for triage: how long can one 5,000-character comment take?

Every body here is :data:`SIZE` characters, the submission limit (the issue's first
input is 4,999), and goes through the full :meth:`Triage.assess` with the starter lists,
as screening runs it. Three sources:

1. the two inputs of issue 14 that pinned a core for 12-15 s;
2. a catalogue of pathological shapes: long runs of one jamo class, alternating leet
   symbols, thousands of URLs, zero-width and combining marks between letters, spaced
   letters, one character repeated, mixed scripts, maximal Unicode expansions;
3. a hypothesis search that builds bodies from repeated short pieces and uses
   ``target()`` to climb towards the slowest, keeping the slowest it finds.

Each case is timed as the best of ``--repeat`` runs (CPU time of this process), so a
busy machine inflates figures less. The budget is :data:`BUDGET_MS` per body.

Usage: ``python bench/worst_case.py [--examples 300] [--output bench/results-worst-case.md]``.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings, target
from hypothesis import strategies as st

from commentdesk.triage.contacts import find_contacts
from commentdesk.triage.language import detect
from commentdesk.triage.links import assess_links
from commentdesk.triage.scoring import Triage, is_shouting
from commentdesk.triage.wordlists import starter_lists

SIZE = 5000
BUDGET_MS = 50.0
OUTPUT = Path(__file__).resolve().parent / "results-worst-case.md"


def fill(piece: str, size: int = SIZE) -> str:
    """``piece`` repeated and cut to exactly ``size`` characters."""
    return (piece * (size // len(piece) + 1))[:size]


ISSUE_14 = {
    "issue 14: ㅋㅎ run around one ㅅ": "ㅋㅎ" * 1250 + "ㅅ" + "ㅋㅎ" * 1249,
    "issue 14: a@$@$...@ leet chain": "a" + "@$" * 2499 + "@",
}

CATALOGUE = {
    # Hangul jamo and syllables
    "ㅋ repeated": fill("ㅋ"),
    "ㅅ repeated": fill("ㅅ"),
    "ㅅㅂ repeated": fill("ㅅㅂ"),
    "every initial cycled": fill("ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ"),
    "ㅋㅋ and one initial per 20": fill("ㅋㅎ" * 9 + "ㅅㅂ"),
    "initial runs of 11 (longest key)": fill("ㅇㄹㅇㅋㅈㄴㅅㅇㅌㅊㅊ "),
    "ㅂㅏ loose jamo syllables": fill("ㅂㅏ"),
    "ㅂㅏㅂ jamo with closing initials": fill("ㅂㅏㅂ"),
    "vowels only": fill("ㅏ"),
    "바보 repeated": fill("바보"),
    "시발점 (allowed around banned)": fill("시발점"),
    "씨1발 glued fillers": fill("씨1발"),
    "long syllable word + fillers": fill("온라인카1지노"),
    "listed word glued to a letter (search find)": fill("시바a"),
    "leet marks between laughs (search find)": fill("!ㅋ!ㅋㅎ|"),
    # leetspeak
    "@ repeated": fill("@"),
    "a then @ repeated": "a" + fill("@", SIZE - 1),
    "@ repeated then a": fill("@", SIZE - 1) + "a",
    "a@ alternating": fill("a@"),
    "$@ alternating, a at the end": fill("$@", SIZE - 1) + "a",
    "!1 alternating": fill("!1"),
    "1! alternating then a": fill("1!", SIZE - 1) + "a",
    "a+ alternating": fill("a+"),
    "digits then one letter": fill("4", SIZE - 1) + "a",
    "one letter then digits": "a" + fill("1", SIZE - 1),
    "!|!| alternating then 1": fill("!|", SIZE - 1) + "1",
    # repeats, spacing, invisible characters
    "a repeated": fill("a"),
    "ab repeated": fill("ab"),
    "spaced letters": fill("a "),
    "spaced s p a m": fill("s p a m "),
    "spaced Hangul 바 ": fill("바 "),
    "spaced jamo ㅂ ㅏ ": fill("ㅂ ㅏ "),
    "dotted letters a.b.": fill("a.b."),
    "zero-width between letters": fill("a\u200b"),
    "zero-width joiner in a word": fill("f\u200du\u200dc\u200dk "),
    "combining mark per letter": fill("a\u0301"),
    "zalgo: one letter, 4,999 marks": "a" + fill("\u0301", SIZE - 1),
    "soft hyphen spaced word": fill("s\u00adp\u00ada\u00adm\u00ad "),
    # scripts and expansions
    "Latin and Cyrillic mixed": fill("aа"),
    "Latin and Hangul mixed": fill("a바"),
    "full-width letters": fill("ｆｕｃｋ"),
    "ligature ﬁ repeated": fill("ﬁ"),
    "U+FDFA (18 characters each)": fill("\ufdfa"),
    "Arabic ligature U+FDFB": fill("\ufdfb"),
    "squared Latin ㎒ etc.": fill("㎒㎓㎔"),
    "squared kcal (4 characters each)": fill("㎉"),
    "parenthesised numbers ⑽": fill("⑽"),
    "emoji with modifiers": fill("👍🏽"),
    # words and matches
    "banned word repeated": fill("fuck "),
    "banned word glued": fill("fuck"),
    "whole-word entry glued": fill("ass"),
    "prefix entry then one long word": "fuck" + fill("a", SIZE - 4),
    "caps shouting": fill("SHUT UP "),
    # links
    "a.co links": fill("a.co "),
    "http links": fill("http://a.co/ "),
    "shortener links": fill("bit.ly/x "),
    "a. chain": fill("a."),
    "www. chain": fill("www."),
    "a:// repeated": fill("a://"),
    "letters then ://": fill("x", SIZE - 8) + "://a.co",
    "unclosed IPv6 bracket": "http://[" + fill(":", SIZE - 8),
    "obfuscated dots": fill("a[.]"),
    "raw IPs": fill("http://1.2.3.4/ "),
    "long dotted host": "http://" + fill("a.", SIZE - 7),
    "digits host": fill("http://12345678 "),
    # disguises (keyboard, puns, look-alikes, stretches, swaps) and match context
    "keystrokes glued: tlqkf repeated": fill("tlqkf"),
    "keystrokes as words: tlqkf ": fill("tlqkf "),
    "keystrokes failing at the very end": fill("rk", SIZE - 1) + "k",
    "compound vowel keys dhk repeated": fill("dhk"),
    "English words that decode as keys": fill("work the fish "),
    "shifted keys rotoRl repeated": fill("rotoRl"),
    "vowel stretch: 씨 + 4,998 이 + 발": "씨" + fill("이", SIZE - 2) + "발",
    "vowel stretch: 시이 repeated": fill("시이"),
    "vowel stretch with finals: 벼어엉": fill("벼어엉"),
    "digit soup: 18 repeated": fill("18 "),
    "digit soup: random digits": fill("1829374650"),
    "number puns 1ㅅ8 glued": fill("1ㅅ8"),
    "number puns 10새 / 십팔": fill("10새십팔"),
    "romanised syllables glued: 병sin": fill("병sin"),
    "romanised run glued to Hangul": "병" + fill("sin", SIZE - 1),
    "look-alikes ㅅl repeated": fill("ㅅl"),
    "look-alikes 5ㅐ repeated": fill("5ㅐ"),
    "romanised vowels ㅂyㅇ repeated": fill("ㅂyㅇ"),
    "letter swaps: fvck phuq ": fill("fvck phuq "),
    "letter swaps: ckq glued": fill("ckq"),
    "letter swaps: vyvy glued": fill("svyv"),
    "quoted slurs with cues": fill("'bitch' called "),
    "apostrophes": fill("don't "),
    "substring entry inside words": fill("xfuckx "),
    # contacts: phone numbers and messenger IDs (triage/contacts.py, phones.py)
    "one long digit run": fill("0"),
    "mobile numbers glued": fill("01012345678"),
    "mobile numbers spaced": fill("010-1234-5678 "),
    "spaced digit run": fill("0 1 0 "),
    "digits and double spaces": fill("1  5  8  8  "),
    "digit dash digit": fill("0-"),
    "plus then digits": fill("+82 10 "),
    "plus signs alone": fill("+"),
    "☎ repeated": fill("☎"),
    "☎ and a digit": fill("☎0"),
    "look-alike letters O l I": fill("OlI"),
    "look-alike letters spaced": fill("l 1 O "),
    "ㅇ and 1 (ㅇ1ㅇ)": fill("ㅇ1"),
    "Korean numeral words": fill("공일공일이삼사"),
    "Korean numerals spaced": fill("공 일 이 "),
    "circled digits": fill("⓪①⓪"),
    "full-width digits": fill("０１０"),
    "keycap digits": fill("1️⃣"),
    "카톡 repeated": fill("카톡 "),
    "텔ㄹㅔ jamo": fill("텔ㄹㅔ"),
    "ㅌㅔㄹ split finals": fill("ㅌㅔㄹ"),
    "T3legram look-alikes": fill("T3leg"),
    "line: handles": fill("line:"),
    "k a k a o spaced": fill("k a k a "),
    "hooks glued": fill("대출급전토토"),
    "contact and hooks": fill("카톡 대출 010-1234-5678 "),
}


@dataclass(frozen=True, slots=True)
class Timing:
    name: str
    text: str
    ms: float
    steps: dict[str, float]


def cpu_ms(call: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        call()
        best = min(best, time.process_time() - started)
    return best * 1000


def measure(triage: Triage, name: str, text: str, repeat: int) -> Timing:
    steps = {
        "match": cpu_ms(lambda: triage.matcher.find(text), repeat),
        "links": cpu_ms(lambda: assess_links(text, triage.links), repeat),
        "language": cpu_ms(lambda: detect(text) and is_shouting(text), repeat),
        "contacts": cpu_ms(lambda: find_contacts(text, (), triage.vouched_numbers), repeat),
    }
    return Timing(name, text, cpu_ms(lambda: triage.assess(text), repeat), steps)


PIECES = st.sampled_from(
    [
        *"ㅋㅎㅅㅂㄱㄴㅏㅗ바보씨발시점 a1!|@$+045.:/[]()\u200b\u0301аοﬁ",
        "http://",
        "www.",
        ".com",
        "ㅋㅎ",
        "@$",
        "fuck",
        "\ufdfa",
        "010",
        "☎",
        "텔ㄹㅔ",
        "카톡",
        "공일",
        "O1",
        "+82",
    ]
)
BODIES = st.lists(st.lists(PIECES, min_size=1, max_size=6).map("".join), min_size=1, max_size=3)


def search(triage: Triage, examples: int, keep: int, repeat: int) -> list[Timing]:
    """Hypothesis looks for the slowest body made of a few repeated pieces."""
    found: dict[str, Timing] = {}

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate, Phase.target],
        suppress_health_check=list(HealthCheck),
    )
    @seed(14)  # the same search on every run, so results compare across commits
    @given(BODIES)
    def slowest(pieces: list[str]) -> None:
        text = "".join(fill(piece, SIZE // len(pieces) + 1) for piece in pieces)[:SIZE]
        ms = cpu_ms(lambda: triage.assess(text), 1)
        target(ms, label="assess ms")
        if text not in found:
            found[text] = Timing("search: " + " + ".join(map(repr, pieces)), text, ms, {})

    slowest()
    worst = sorted(found.values(), key=lambda timing: timing.ms, reverse=True)[:keep]
    # The search timed once; time the keepers like every other case.
    return [measure(triage, t.name, t.text, repeat) for t in worst]


def revision() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or "unknown"


def table(timings: list[Timing]) -> list[str]:
    lines = [
        "| case | assess ms | match ms | links ms | language ms | contacts ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for t in timings:
        s, name = t.steps, t.name.replace("|", "\\|")
        lines.append(
            f"| {name} | {t.ms:.1f} | {s.get('match', 0):.1f} "
            f"| {s.get('links', 0):.1f} | {s.get('language', 0):.1f} "
            f"| {s.get('contacts', 0):.1f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300, help="hypothesis examples")
    parser.add_argument("--keep", type=int, default=5, help="slowest search finds to keep")
    parser.add_argument("--repeat", type=int, default=5, help="runs per case, best kept")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--only", default="", help="only cases whose name contains this")
    args = parser.parse_args()
    triage = Triage.from_lists(starter_lists())
    triage.assess("warm up: ㅅㅂ a@$ http://a.co 카톡 010-1234-5678 대출")
    cases = {**ISSUE_14, **CATALOGUE}
    timings = []
    for name, text in cases.items():
        if args.only in name:
            assert len(text) <= SIZE, (name, len(text))
            timings.append(measure(triage, name, text, args.repeat))
            print(f"{timings[-1].ms:10.1f} ms  {name}", flush=True)
    found = search(triage, args.examples, args.keep, args.repeat) if args.examples else []
    for timing in found:
        print(f"{timing.ms:10.1f} ms  {timing.name}", flush=True)
    every = timings + found
    worst = max(every, key=lambda timing: timing.ms)
    over = [t for t in every if t.ms > BUDGET_MS]
    summary = (
        f"Worst: {worst.ms:.1f} ms ({worst.name}); {len(over)} of {len(every)} cases over "
        f"the {BUDGET_MS:.0f} ms budget."
    )
    print(summary)
    lines = [
        "# Worst-case triage cost",
        "",
        f"`make bench-worst` at {revision()}, Python {platform.python_version()}: every body "
        f"is {SIZE:,} characters, timed through `Triage.assess` with the starter lists "
        f"(CPU ms, best of {args.repeat}); the step columns time the matcher, the links and "
        "the language/shouting checks on their own.",
        "",
        summary,
        "",
        "## Issue 14 inputs and the catalogue",
        "",
        *table(timings),
        "",
        f"## Slowest bodies a hypothesis search found ({args.examples} examples, target())",
        "",
        *table(found),
        "",
    ]
    args.output.write_text("\n".join(lines), "utf-8")


if __name__ == "__main__":
    main()
