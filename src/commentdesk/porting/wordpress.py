"""WordPress exports (WXR: RSS with ``wp:`` elements): posts, each with its comments.

A comment's id is only unique within one blog, so its ref is scoped by the blog's base
URL and the post (``post_id``, else its link). States: ``1`` → approved, ``0`` →
pending, ``spam`` and ``trash`` → rejected. Pingbacks and trackbacks are not readers'
comments and are skipped. Bodies are text with a little inline HTML: tags go,
newlines stay.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from commentdesk.model import State
from commentdesk.porting.records import (
    Skipped,
    SourceComment,
    SourceItem,
    SourceThread,
    UnreadableSource,
)
from commentdesk.porting.text import html_to_text, parse_utc_naive
from commentdesk.porting.xmlstream import LeadingJunkSkipped, local, text_of, walk

_STATES = {"1": State.APPROVED, "0": State.PENDING, "spam": State.REJECTED}
_NOT_COMMENTS = frozenset({"pingback", "trackback"})


@dataclass(slots=True)
class _Item:
    """What is known of the current ``<item>`` while its comments stream past."""

    fields: dict[str, str] = field(default_factory=dict)
    commented: bool = False

    def ref(self, blog: str) -> str:
        return f"{blog}|{self.fields.get('post_id') or self.fields.get('link', '')}"


def read_wordpress(source: LeadingJunkSkipped) -> Iterator[SourceItem]:
    """Every post that has comments, and each of its comments, in file order."""
    if source.note:
        yield source.note
    blog = ""
    item = _Item()
    for event, path, element in walk(source, max_depth=3):
        if event == "start":
            if len(path) == 1 and path[0] != "rss":
                raise UnreadableSource(
                    f"This is not a WordPress export (WXR): it starts with <{path[0]}>."
                )
            if path[-1:] == ("item",) and len(path) == 3:
                item = _Item()
            continue
        if len(path) == 3 and path[2] in ("base_blog_url", "base_site_url") and not blog:
            blog = text_of(element).strip()
        elif len(path) == 4 and path[2] == "item":
            if path[3] == "comment":
                if not item.fields.get("post_id") and not item.fields.get("link"):
                    raise UnreadableSource(
                        "A comment comes before its post's <link> and <wp:post_id>; "
                        "nothing was imported."
                    )
                item.commented = True
                yield _comment(element, item.ref(blog))
            else:
                item.fields.setdefault(path[3], text_of(element).strip())
        elif len(path) == 3 and path[2] == "item" and item.commented:
            yield SourceThread(
                ref=item.ref(blog),
                url=item.fields.get("link", ""),
                title=item.fields.get("title", ""),
                key=item.fields.get("post_name") or None,
                closed=item.fields.get("comment_status") == "closed",
            )


def _fields(element: Element) -> dict[str, str]:
    return {local(child.tag): text_of(child) for child in element}


def _comment(element: Element, thread: str) -> SourceComment | Skipped:
    values = _fields(element)
    ref = f"{thread}#{values.get('comment_id', '').strip()}"
    kind = values.get("comment_type", "").strip()
    if kind in _NOT_COMMENTS:
        return Skipped(ref, f"a {kind}, not a reader's comment")
    created_at = parse_utc_naive(values.get("comment_date_gmt", "")) or parse_utc_naive(
        values.get("comment_date", "")
    )
    if created_at is None:
        return Skipped(ref, "its date is missing or unreadable")
    approved = values.get("comment_approved", "").strip()
    state = _STATES.get(approved, State.REJECTED)  # "trash" and "post-trashed"
    parent = values.get("comment_parent", "").strip()
    return SourceComment(
        ref=ref,
        thread=thread,
        parent=f"{thread}#{parent}" if parent not in ("", "0") else None,
        author=values.get("comment_author", ""),
        email=values.get("comment_author_email", "").strip() or None,
        body=html_to_text(values.get("comment_content", ""), markup_newlines=False),
        created_at=created_at,
        state=state,
    )
