"""A refused console form comes back whole: what was typed and selected is kept, the
problem is named next to its field, and it can be sent again (no script needed)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import State
from tests.console.support import Browser, csrf_of, send
from tests.support import Post


def hidden(page: str, name: str) -> list[str]:
    return re.findall(rf'<input type="hidden" name="{name}" value="([^"]*)">', page)


def resend(client: TestClient, page: str, action: str, **typed: str) -> int:
    """Sends the page's form again, as a browser would, with ``typed`` filled in."""
    fields: dict[str, str | list[str]] = {"csrf": csrf_of(page)}
    for name in ("action", "back", "choice", "ak"):
        if values := hidden(page, name):
            fields[name] = values[0]
    if ids := hidden(page, "ids"):
        fields["ids"] = ids
    fields |= typed
    answer = client.post(action, data=fields, follow_redirects=False)
    return answer.status_code


def test_an_edit_without_a_reason_comes_back_with_the_new_text_kept(
    browser: Browser, post_comment: Post
) -> None:
    comment_id = post_comment("The original text.")
    client = browser("mina")
    answer = send(
        client,
        f"/console/comments/{comment_id}/decide",
        {"action": "edit", "body": "A carefully rewritten text.", "note": ""},
    )
    assert answer.status_code == 422
    page = answer.text
    assert ">A carefully rewritten text.</textarea>" in page
    assert 'aria-invalid="true"' in page
    assert hidden(page, "action") == ["edit"]


def test_sending_a_refused_edit_again_with_a_reason_saves_it(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    comment_id = post_comment("The original text.")
    path = f"/console/comments/{comment_id}/decide"
    client = browser("mina")
    page = send(client, path, {"action": "edit", "body": "Rewritten.", "note": ""}).text
    assert resend(client, page, path, body="Rewritten.", note="Rule 3") == 303
    [item] = desk.moderation.queue(state=None).items
    assert (item.comment.body, item.comment.edit_reason) == ("Rewritten.", "Rule 3")


def test_a_bulk_reject_without_a_reason_keeps_the_selection(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    ids = [
        str(post_comment(f"copy {n}", commenter_key=f"key-{n:02d}-abcdefghijkl")) for n in range(3)
    ]
    client = browser("mina")
    answer = send(client, "/console/bulk", {"action": "reject", "ids": ids, "note": ""})
    assert answer.status_code == 422
    assert sorted(hidden(answer.text, "ids")) == sorted(ids)
    assert "3 comments stay selected." in answer.text
    assert resend(client, answer.text, "/console/bulk", note="Spam", confirmed="1") == 303
    states = {item.comment.state for item in desk.moderation.queue(state=None).items}
    assert states == {State.REJECTED}


def test_a_forged_post_is_not_offered_again(browser: Browser, post_comment: Post) -> None:
    comment_id = post_comment()
    answer = send(
        browser("mina"),
        f"/console/comments/{comment_id}/decide",
        {"action": "edit", "body": "Planted text."},
        csrf="not-the-token",
    )
    assert answer.status_code == 403
    assert "Planted text." not in answer.text
    assert "<textarea" not in answer.text
