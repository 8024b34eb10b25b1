"""Free-text search of the queue: any part of the text, either language, from an index."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from commentdesk.desk import Desk, Draft
from commentdesk.desk.queue import QueueFilter
from commentdesk.model import Action, Moderator, Role, State
from commentdesk.store import search

Post = Callable[..., int]


@pytest.fixture
def post(desk: Desk, article_key: str) -> Post:
    def submit(body: str, *, key: str = "reader-key-000000000000") -> int:
        draft = Draft(author="Reader", body=body, accept_terms=True, commenter_key=key)
        return desk.comments.submit(article_key, draft).comment.id

    return submit


@pytest.fixture
def chief(desk: Desk) -> Moderator:
    desk.accounts.add_moderator("chief", "a long enough password", Role.ADMIN)
    return desk.accounts.get("chief")


def found(desk: Desk, text: str) -> set[int]:
    page = desk.moderation.queue(state=None, limit=200, filters=QueueFilter(text=text))
    return {item.comment.id for item in page.items}


def test_any_part_of_a_word_is_found_whatever_its_case(desk: Desk, post: Post) -> None:
    fares = post("The new Transit Fares hit night workers hardest.")
    post("Nothing about buses here.")
    assert found(desk, "transit fare") == {fares}
    assert found(desk, "ARES HIT") == {fares}


def test_korean_is_found_by_three_syllables_and_by_two(desk: Desk, post: Post) -> None:
    budget = post("도서관 운영비를 줄이면 아이들이 갈 곳이 없어집니다.")
    insult = post("이 기자 진짜 바보야")
    assert found(desk, "운영비를") == {budget}
    assert found(desk, "바보") == {insult}  # under three: looked for by a scan


def test_wildcards_and_quotes_are_taken_as_written(desk: Desk, post: Post) -> None:
    sure = post('I am 100% sure she said "no" to the deal.')
    post("1000 people were there.")
    assert found(desk, "100%") == {sure}
    assert found(desk, '"no"') == {sure}
    assert found(desk, "1_0") == set()


def test_an_edited_comment_is_found_by_its_new_text_only(
    desk: Desk, post: Post, chief: Moderator
) -> None:
    comment_id = post("You clueless snob, read the table.")
    desk.moderation.decide(
        chief, comment_id, Action.EDIT, body="Please read the table.", reason="Rule 3"
    )
    assert found(desk, "clueless") == set()
    assert found(desk, "read the table") == {comment_id}


def test_text_the_author_erased_is_found_no_more(desk: Desk, post: Post) -> None:
    comment_id = post("My address is 12 Linden Street.", key="eraser-key-0000000000000")
    desk.rights.erase(desk.rights.by_browser("eraser-key-0000000000000"), remove_text=True)
    assert found(desk, "Linden Street") == set()
    assert desk.moderation.queue(state=None).items[0].comment.id == comment_id


def test_search_narrows_by_state_like_every_other_filter(
    desk: Desk, post: Post, chief: Moderator
) -> None:
    kept = post("An approved remark about ferries.")
    post("A waiting remark about ferries.")
    desk.moderation.decide(chief, kept, Action.APPROVE)
    page = desk.moderation.queue(state=State.APPROVED, filters=QueueFilter(text="ferries"))
    assert [item.comment.id for item in page.items] == [kept]


def test_a_text_with_many_matches_filters_the_queue_as_it_is_read(
    desk: Desk, post: Post, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "FEW", 1)  # two matches count as many
    ferries = {post(f"Remark {n} about ferries.") for n in range(3)}
    post("Nothing about boats.")
    assert found(desk, "ferries") == ferries


def test_a_phrase_is_found_only_where_its_words_stand_together(desk: Desk, post: Post) -> None:
    together = post("The Library Coffee is cheap.")
    post("Coffee at the library is cheap.")
    post("The library sells coffee.")
    assert found(desk, "library coffee") == {together}
