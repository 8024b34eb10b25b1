"""What every importer does to what it reads: our rules for text, names and ids."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from commentdesk.desk import Desk
from commentdesk.porting.staging import DUPLICATE, EMPTY, TOO_LONG
from commentdesk.porting.text import html_to_text, key_for_url
from tests.porting.support import imported, run
from tests.porting.test_hostile import disqus, post
from tests.porting.test_isso import ISSO_SCHEMA


def test_empty_over_long_and_repeated_comments_are_skipped_with_reasons(
    desk: Desk, tmp_path: Path
) -> None:
    path = tmp_path / "rules.xml"
    posts = [post("1", message=" "), post("2", message="x" * 5001), post("3"), post("3")]
    path.write_bytes(disqus(*posts))
    summary = run(desk, "disqus", path)
    assert summary.tally.imported == 1
    assert summary.tally.skipped == {EMPTY: 1, TOO_LONG: 1, DUPLICATE: 1}


def test_names_keep_only_what_a_pseudonym_may_hold_and_bad_emails_are_dropped(
    desk: Desk, tmp_path: Path
) -> None:
    path = tmp_path / "names.xml"
    named = post("1").replace(
        "<name>A</name>", "<name>\u202eMina 🌸 Park</name><email>not an address</email>"
    )
    path.write_bytes(disqus(named))
    run(desk, "disqus", path)
    row = imported(desk)["1"]
    assert (row["author"], row["email"]) == ("Mina Park", None)


def test_bidi_controls_are_stripped_from_bodies(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "bidi.xml"
    path.write_bytes(disqus(post("1", message="safe\u202etext\u2066")))
    run(desk, "disqus", path)
    assert imported(desk)["1"]["body"] == "safetext"


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://paper.example/2026/budget/", "2026-budget"),
        ("https://paper.example/", "home"),
        ("https://paper.example/?p=4", "p-4"),
        ("https://paper.example/뉴스/", "~EB~89~B4~EC~8A~A4"),
    ],
)
def test_article_keys_are_made_from_paths(url: str, key: str) -> None:
    assert key_for_url(url) == key


def test_a_very_long_path_makes_a_key_of_200_characters_that_stays_unique() -> None:
    one, two = (
        key_for_url("https://p.example/" + "a" * 300),
        key_for_url("https://p.example/" + "a" * 301),
    )
    assert len(one) == len(two) == 200
    assert one != two


def test_html_paragraphs_and_links_become_plain_text() -> None:
    markup = '<p>One<br>two</p><p>See <a href="https://x.example/a">this</a> &amp; that</p>'
    assert html_to_text(markup) == "One\ntwo\n\nSee this (https://x.example/a) & that"


def test_an_unknown_isso_mode_and_an_unreadable_time_are_skipped(
    desk: Desk, tmp_path: Path
) -> None:
    path = tmp_path / "isso.db"
    db = sqlite3.connect(path)
    db.executescript(ISSO_SCHEMA)
    db.execute("INSERT INTO threads VALUES (1, '/a/', 'A')")
    insert = (
        "INSERT INTO comments (tid, id, created, mode, text, voters) VALUES (1, ?, ?, ?, 'x', x'')"
    )
    db.executemany(insert, [(1, 0, 8), (2, "soon", 1)])
    db.commit()
    db.close()
    summary = run(desk, "isso", path, base_url="https://p.example")
    assert summary.tally.skipped == {
        "an unknown Isso mode 8": 1,
        "its date is missing or unreadable": 1,
    }


def test_generic_json_that_is_not_a_list_of_threads_is_refused(desk: Desk, tmp_path: Path) -> None:
    from commentdesk.porting.records import UnreadableSource

    path = tmp_path / "generic.json"
    path.write_text(json.dumps(["not a thread"]))
    with pytest.raises(UnreadableSource, match="JSON list of threads"):
        run(desk, "isso", path)
    path.write_text("[{broken")
    with pytest.raises(UnreadableSource, match="not valid JSON"):
        run(desk, "isso", path)
