"""Assemble the hand-written sources into bench/data/triage-unseen/{dev,test}.jsonl.

The texts are written by hand in the sibling modules; this script only adds what a
reader's arrival looks like (pseudonym, article, minute), derives each campaign's copies
from its hand-written base and paraphrase (exact, word substitutions, reordering, typos,
framing lines), assigns ids in arrival order, and splits the set. Everything is drawn
from one seeded generator, so a rerun writes the same files byte for byte.

Split rule: groups that must stay together go to one side (a campaign with all its
copies; the after-flood comments with the flood's campaign; a repeat author's comments);
inside each stratum (label and lang for single comments, bilingual/flood/one-language
for campaigns) the groups are shuffled with the seed and dealt alternately, so each
stratum is halved. The two flood campaigns are dealt to different sides.

Usage: ``python -m evalset.build`` from bench/ (or ``python bench/evalset/build.py``).
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evalset import abusive, campaigns, clean_hard, clean_plain, spam

SEED = 20
OUT = Path(__file__).resolve().parent.parent / "data" / "triage-unseen"
DAY = 24 * 60
SPAN = 3 * DAY

ARTICLES = (
    "nk-defectors-2026", "budget-vote", "seoul-housing", "election-debate", "typhoon-busan",
    "kospi-rally", "chip-exports", "un-sanctions", "kaesong", "military-drill",
    "pension-reform", "doctors-strike", "fine-dust", "climate-summit", "baseball-finals",
    "kpop-tour", "subway-fare", "birthrate", "jeju-tourism", "border-broadcast",
    "defector-memoir", "food-prices", "cyber-attack", "press-freedom", "olympic-bid",
    "ai-law", "drought", "refugee-policy", "satellite-launch", "school-vaccines",
)  # fmt: skip
FLOODS = {"c03": ("military-drill", 1510), "c06": ("defector-memoir", 2905)}

EN_NAMES = (
    "truth", "patriot", "seoul", "han", "real", "free", "kim", "lee", "park", "eagle",
    "tiger", "voice", "citizen", "watcher", "jin", "minho", "sora", "daniel", "grace",
    "mark", "june", "busan", "reader", "night", "blue", "north", "river", "sky",
)  # fmt: skip
EN_TAILS = ("", "_k", "77", "2026", "_j", "_seoul", "88", "_real", "01", "_x", "1004")
KO_NAMES = (
    "진실", "애국", "서울", "한강", "자유", "국민", "독수리", "호랑이", "시민", "깨어있는",
    "바다", "하늘", "들꽃", "소나무", "별빛", "부산", "대구", "제주", "강물", "새벽",
)  # fmt: skip
KO_TAILS = ("시민", "맘", "아빠", "77", "2026", "지킴이", "사랑", "", "러버", "123")


@dataclass(frozen=True)
class Item:
    id: int
    lang: str
    label: str
    kind: str
    disguise: str | None
    campaign: str | None
    author: str
    article: str
    minute: int
    text: str


class Maker:
    """Draws pseudonyms, articles and minutes from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used: set[str] = set()

    def pseudonym(self, lang: str) -> str:
        for _ in range(1000):
            if lang == "ko" or (lang == "mixed" and self.rng.random() < 0.5):
                name = self.rng.choice(KO_NAMES) + self.rng.choice(KO_TAILS)
            else:
                name = self.rng.choice(EN_NAMES) + self.rng.choice(EN_TAILS)
            if name in self.used:
                name += str(self.rng.randrange(2, 99))
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("ran out of pseudonyms")

    def article(self) -> str:
        return self.rng.choice(ARTICLES)

    def minute(self) -> int:
        return self.rng.randrange(SPAN)

    def single(self, lang: str, label: str, kind: str, disguise: str | None, text: str) -> Item:
        return Item(0, lang, label, kind, disguise, None, self.pseudonym(lang), self.article(),
                    self.minute(), text)  # fmt: skip


def _typo(text: str, rng: random.Random) -> str:
    """One slip of the finger: a doubled or dropped letter inside a word."""
    spots = [i for i, ch in enumerate(text) if ch.isalpha()]
    i = rng.choice(spots[2:-2])
    return (
        text[:i] + text[i] * 2 + text[i + 1 :] if rng.random() < 0.5 else text[:i] + text[i + 1 :]
    )


def _substitute(text: str, lang: str, rng: random.Random) -> str:
    pairs = [(a, b) for a, b in campaigns.SUBSTITUTIONS[lang] if a in text]
    rng.shuffle(pairs)
    for old, new in pairs[:2]:
        text = text.replace(old, new, 1)
    return text


def _reorder(text: str) -> str:
    """Swap the first sentence to the end (copiers shuffle sentences)."""
    parts = [p.strip() for p in text.replace("? ", "?|").replace(". ", ".|").split("|")]
    return " ".join(parts[1:] + parts[:1]) if len(parts) > 1 else text


def copies(lang: str, texts: list[str], n: int, rng: random.Random) -> list[tuple[str, str]]:
    """n copies of a talking point, each with its shape: exact, edited or paraphrase."""
    base, para = texts
    pre, suf = campaigns.PREFIXES[lang], campaigns.SUFFIXES[lang]
    shapes: list[tuple[str, Callable[[], str]]] = [
        ("exact", lambda: base),
        ("exact", lambda: base),
        ("paraphrase", lambda: para),
        ("edited", lambda: _substitute(base, lang, rng)),
        ("edited", lambda: rng.choice(pre) + base + rng.choice(suf)),
        ("edited", lambda: _typo(_reorder(base), rng)),
        ("paraphrase", lambda: _substitute(para, lang, rng)),
        ("edited", lambda: _typo(base, rng)),
        ("paraphrase", lambda: rng.choice(pre) + para),
    ]
    return [(shapes[i % 9][0], shapes[i % 9][1]()) for i in range(n)]


def campaign_items(maker: Maker) -> list[Item]:
    rng = maker.rng
    items = []
    ids = sorted(campaigns.CAMPAIGNS)
    for number, cid in enumerate(ids):
        versions = campaigns.CAMPAIGNS[cid]
        langs = sorted(versions)
        flood = FLOODS.get(cid)
        if len(langs) == 2:
            big = 8 if flood else 6
            first, second = ("en", "ko") if number % 2 == 0 else ("ko", "en")
            plan = [(first, big), (second, big - 1)]
        else:
            plan = [(langs[0], 6)]
        texts = [(lang, *c) for lang, n in plan for c in copies(lang, versions[lang], n, rng)]
        # Arrival order: the first language's first copy starts it; the rest interleave.
        head, rest = texts[0], texts[1:]
        rng.shuffle(rest)
        texts = [head, *rest]
        pool = rng.sample(ARTICLES, 4)
        minute = rng.randrange(60, SPAN - 40 * 60)
        authors: list[str] = []
        for k, (lang, shape, text) in enumerate(texts):
            if flood and 1 <= k <= 9:
                article, minute = flood[0], flood[1] + (k - 1) // 2
            else:
                article = pool[k % len(pool)]
                minute += rng.randrange(15, 240) if k else 0
            # Mostly a fresh pseudonym per copy; now and then one reused within the campaign.
            if authors and rng.random() < 0.1:
                author = rng.choice(authors)
            else:
                author = maker.pseudonym(lang)
            authors.append(author)
            kind = "first" if k == 0 else shape
            items.append(Item(0, lang, "campaign", kind, None, cid, author, article,
                              min(minute, SPAN - 1), text))  # fmt: skip
    return items


def clean_items(maker: Maker) -> list[Item]:
    items = [maker.single("en", "clean", "plain", None, t) for t in clean_plain.EN]
    items += [maker.single("ko", "clean", "plain", None, t) for t in clean_plain.KO]
    items += [maker.single("mixed", "clean", "plain", None, t) for t in clean_plain.MIXED]
    items += [maker.single(lang, "clean", "plain", None, t) for lang, t in clean_plain.MORE]
    for kind, rows in (
        ("reputable_link", clean_hard.REPUTABLE_LINK),
        ("innocent_compound", clean_hard.INNOCENT_COMPOUND),
        ("quoted_slur", clean_hard.QUOTED_SLUR),
        ("courtesy", clean_hard.COURTESY),
        ("helpline", clean_hard.HELPLINE),
        ("correction", clean_hard.CORRECTION),
    ):
        items += [maker.single(lang, "clean", kind, None, t) for lang, t in rows]
    for author, article, lang, texts in clean_hard.REPEAT_AUTHOR:
        minute = maker.minute() % (SPAN - 300)
        for text in texts:
            minute += maker.rng.randrange(4, 60)
            items.append(Item(0, lang, "clean", "repeat_author", None, None, author, article,
                              minute, text))  # fmt: skip
    for rows, (article, start) in zip(
        (clean_hard.AFTER_FLOOD, clean_hard.AFTER_FLOOD_B), FLOODS.values(), strict=True
    ):
        for k, (lang, text) in enumerate(rows):
            item = maker.single(lang, "clean", "after_flood", None, text)
            items.append(replace(item, article=article, minute=start + 5 + 2 * k))
    return items


def all_items() -> list[Item]:
    maker = Maker(SEED)
    items = clean_items(maker)
    items += [maker.single(lang, "spam", kind, None, t) for lang, kind, t in spam.SPAM]
    items += [
        maker.single(lang, "abusive", kind, disguise, t)
        for lang, kind, disguise, t in abusive.ABUSIVE
    ]
    items += campaign_items(maker)
    items.sort(key=lambda item: (item.minute, item.label, item.text))
    items = [replace(item, id=n) for n, item in enumerate(items, start=1)]
    late = flood_extras(maker.used)
    return items + [replace(item, id=n) for n, item in enumerate(late, start=len(items) + 1)]


#: Copies added to each flood after the first release, so a flood brings more new
#: commenters in five minutes than the desk's article-burst threshold (10): with nine it
#: did not, and the after-flood comments tested nothing. Drawn from their own generator
#: and numbered after the rest, so no earlier id, pseudonym, article or minute moved.
FLOOD_EXTRAS = 8


def flood_extras(used: set[str]) -> list[Item]:
    maker = Maker(SEED + 1)
    maker.used = set(used)
    items = []
    for cid, (article, start) in FLOODS.items():
        versions = campaigns.CAMPAIGNS[cid]
        for lang in ("en", "ko"):
            shaped = copies(lang, versions[lang], FLOOD_EXTRAS // 2, maker.rng)
            for shape, text in shaped:
                minute = start + maker.rng.randrange(5)
                items.append(Item(0, lang, "campaign", shape, None, cid, maker.pseudonym(lang),
                                  article, minute, text))  # fmt: skip
    return sorted(items, key=lambda item: (item.minute, item.label, item.text))


def group_of(item: Item) -> str:
    """What must stay on one side of the split with this item."""
    if item.campaign:
        return item.campaign
    if item.kind == "after_flood":
        return next(cid for cid, (article, _) in FLOODS.items() if article == item.article)
    if item.kind == "repeat_author":
        return f"author:{item.author}"
    return f"item:{item.id}"


def stratum_of(group: list[Item]) -> str:
    head = group[0]
    if head.campaign:
        if head.campaign in FLOODS:
            return "campaign:flood"
        langs = {item.lang for item in group}
        return "campaign:bilingual" if {"en", "ko"} <= langs else "campaign:one-language"
    return f"{head.label}:{head.kind}:{head.disguise}:{head.lang}"


def split(items: list[Item], seed: int = SEED) -> tuple[list[Item], list[Item]]:
    rng = random.Random(seed)
    groups: dict[str, list[Item]] = {}
    for item in items:
        groups.setdefault(group_of(item), []).append(item)
    strata: dict[str, list[str]] = {}
    for key, members in groups.items():
        strata.setdefault(stratum_of(members), []).append(key)
    dev: list[Item] = []
    test: list[Item] = []
    turn = 0  # carried across strata so odd strata do not all favour one side
    for name in sorted(strata):
        keys = sorted(strata[name])
        rng.shuffle(keys)
        for key in keys:
            (dev if turn % 2 == 0 else test).extend(groups[key])
            turn += 1
    return sorted(dev, key=lambda i: i.id), sorted(test, key=lambda i: i.id)


def lines(items: list[Item]) -> Iterator[str]:
    for item in items:
        yield json.dumps(asdict(item), ensure_ascii=False) + "\n"


def main() -> None:
    items = all_items()
    dev, test = split(items)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, part in (("dev", dev), ("test", test)):
        (OUT / f"{name}.jsonl").write_text("".join(lines(part)), "utf-8")
    print(f"{len(items)} items: dev {len(dev)}, test {len(test)}")


if __name__ == "__main__":
    main()
