"""Writing large, realistic Disqus exports for tests and the import benchmark.

Deterministic (a seeded random), streamed to disk, so a million comments cost no memory.
"""

from __future__ import annotations

import random
from pathlib import Path
from xml.sax.saxutils import escape

HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n'
)
WORDS = ("budget", "vote", "선거", "council", "river", "기자", "report", "bridge", "뉴스", "train")


def write_disqus(path: Path, comments: int, *, per_thread: int = 50, seed: int = 7) -> None:
    """``comments`` posts over ``comments / per_thread`` threads; about a third are replies,
    some of them deep, a few deleted or spam."""
    rng = random.Random(seed)
    threads = max(1, comments // per_thread)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        for t in range(threads):
            out.write(
                f'<thread dsq:id="t{t}"><id>story-{t}</id>'
                f"<link>https://paper.example/2026/story-{t}/</link>"
                f"<title>Story {t} &amp; more</title></thread>\n"
            )
        for n in range(comments):
            thread = n % threads
            earlier = n - threads * rng.randint(1, 3)
            parent = f'<parent dsq:id="{earlier}"/>' if earlier >= 0 and n % 3 == 0 else ""
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60)))
            out.write(
                f'<post dsq:id="{n}"><message><![CDATA[<p>{escape(text)}</p>]]></message>'
                f"<createdAt>2026-0{1 + n % 9}-1{n % 10}T1{n % 10}:00:00Z</createdAt>"
                f"<isDeleted>{'true' if n % 97 == 0 else 'false'}</isDeleted>"
                f"<isSpam>{'true' if n % 89 == 0 else 'false'}</isSpam>"
                f"<author><name>Reader {n % 1000}</name><email>r{n % 1000}@mail.example</email>"
                f'</author><thread dsq:id="t{thread}"/>{parent}</post>\n'
            )
        out.write("</disqus>\n")
