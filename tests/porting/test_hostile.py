"""Malformed and hostile files end with a clear message and leave the database as it was."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from commentdesk.desk import Desk
from commentdesk.porting.records import UnreadableSource
from commentdesk.porting.xmlstream import NESTING_MAX, NestedTooDeep
from tests.porting.support import run, snapshot

DSQ = 'xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals"'
THREAD = '<thread dsq:id="1"><id>story</id><link>https://paper.example/story</link></thread>'


def post(ref: str, parent: str | None = None, message: str = "Hello") -> str:
    reply = f'<parent dsq:id="{parent}"/>' if parent else ""
    return (
        f'<post dsq:id="{ref}"><message>{message}</message>'
        "<createdAt>2020-01-01T00:00:00Z</createdAt><author><name>A</name></author>"
        f'<thread dsq:id="1"/>{reply}</post>'
    )


def disqus(*posts: str, prolog: str = "") -> bytes:
    head = f'<?xml version="1.0" encoding="utf-8"?>{prolog}<disqus {DSQ}>{THREAD}'
    return (head + "".join(posts) + "</disqus>").encode()


def refused(desk: Desk, path: Path, message: str) -> None:
    before = snapshot(desk)
    with pytest.raises(UnreadableSource, match=message):
        run(desk, "disqus", path)
    assert snapshot(desk) == before


@pytest.fixture
def existing(desk: Desk, article_key: str) -> Desk:
    """A database with something in it already, to show it is left as it was."""
    return desk


def test_entity_expansion_is_refused(existing: Desk, tmp_path: Path) -> None:
    laughs = "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n else "lol"}">' for n in range(10)
    )
    path = tmp_path / "laughs.xml"
    path.write_bytes(disqus(post("1", message="&lol9;"), prolog=f"<!DOCTYPE disqus [{laughs}]>"))
    refused(existing, path, "entities")


def test_deeply_nested_elements_are_refused_naming_the_limit_in_bounded_memory(
    existing: Desk, tmp_path: Path
) -> None:
    """The review's file: 1.4 MB, 200,000 nested elements, once 137 MB to read."""
    path = tmp_path / "deep.xml"
    levels = 200_000
    path.write_bytes(disqus(post("1") + "<x>" * levels + "</x>" * levels))
    before = snapshot(existing)
    tracemalloc.start()
    try:
        with pytest.raises(NestedTooDeep, match=f"more than {NESTING_MAX} levels") as caught:
            run(existing, "disqus", path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.code == "import_too_deep"
    assert peak < 8 * 1024 * 1024, f"{peak / 2**20:.1f} MiB"
    assert snapshot(existing) == before


def test_an_external_entity_is_refused(existing: Desk, tmp_path: Path) -> None:
    path = tmp_path / "xxe.xml"
    prolog = '<!DOCTYPE disqus [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    path.write_bytes(disqus(post("1", message="&secret;"), prolog=prolog))
    refused(existing, path, "entities|external")


def test_bytes_that_are_not_utf8_are_refused_with_their_line(
    existing: Desk, tmp_path: Path
) -> None:
    path = tmp_path / "latin1.xml"
    path.write_bytes(disqus(post("1"), post("2", message="cafe")).replace(b"cafe", b"caf\xe9"))
    refused(existing, path, r"line 1, column \d+")


def test_a_file_cut_short_is_refused(existing: Desk, tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    path.write_bytes(disqus(post("1"), post("2"))[:-40])
    refused(existing, path, "not well-formed XML")


def test_a_cycle_of_replies_is_refused_and_named(existing: Desk, tmp_path: Path) -> None:
    path = tmp_path / "cycle.xml"
    path.write_bytes(disqus(post("1"), post("2", "4"), post("3", "2"), post("4", "3")))
    refused(existing, path, "a cycle \\(2 → 4 → 3 → 2\\)")


def test_a_comment_answering_itself_is_a_cycle(existing: Desk, tmp_path: Path) -> None:
    path = tmp_path / "self.xml"
    path.write_bytes(disqus(post("1", "1")))
    refused(existing, path, r"cycle \(1 → 1\)")


def test_another_format_given_as_disqus_is_refused(existing: Desk, tmp_path: Path) -> None:
    path = tmp_path / "rss.xml"
    path.write_bytes(b"<rss><channel/></rss>")
    refused(existing, path, "not a Disqus export")


def test_a_missing_file_is_reported(existing: Desk, tmp_path: Path) -> None:
    refused(existing, tmp_path / "nowhere.xml", "There is no file")
