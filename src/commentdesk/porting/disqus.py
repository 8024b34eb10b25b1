"""Disqus exports (``<disqus>`` XML): threads, then posts, each with a ``dsq:id``.

States: ``isSpam`` → rejected, ``isDeleted`` → deleted (kept, so replies to it keep
their place), anything else → approved, as Disqus showed it. A thread deleted at Disqus
takes its posts with it. Bodies are HTML and become plain text.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element

from commentdesk.model import State
from commentdesk.porting.records import (
    Skipped,
    SourceComment,
    SourceItem,
    SourceThread,
    UnreadableSource,
)
from commentdesk.porting.text import content_ref, html_to_text, parse_iso
from commentdesk.porting.xmlstream import LeadingJunkSkipped, text_of, walk

DSQ_ID = "{http://disqus.com/disqus-internals}id"
DELETED_THREAD = "its thread was deleted at Disqus"


def read_disqus(source: LeadingJunkSkipped) -> Iterator[SourceItem]:
    """Every thread and post of a Disqus export, in file order."""
    if source.note:
        yield source.note
    seen_root = False
    deleted_threads: set[str] = set()
    for event, path, element in walk(source, max_depth=1):
        if event == "start":
            if len(path) == 1 and path[0] != "disqus":
                raise UnreadableSource(
                    f"This is not a Disqus export: it starts with <{path[0]}>, not <disqus>."
                )
            seen_root = True
            continue
        if len(path) != 2:
            continue
        if path[1] == "thread":
            thread = _thread(element)
            if _flag(element, "isDeleted"):
                deleted_threads.add(thread.ref)
            yield thread
        elif path[1] == "post":
            post = _post(element)
            if isinstance(post, SourceComment) and post.thread in deleted_threads:
                yield Skipped(post.ref, DELETED_THREAD)
            else:
                yield post
    if not seen_root:  # pragma: no cover - expat refuses an empty document first
        raise UnreadableSource("The file is empty.")


def _value(element: Element, path: str) -> str:
    """The text at ``path`` ("author/name") in the element's own namespace, or ``""``."""
    prefix = element.tag[: element.tag.index("}") + 1] if element.tag[:1] == "{" else ""
    node = element.find("/".join(prefix + part for part in path.split("/")))
    return text_of(node).strip()


def _ref(element: Element, name: str) -> str | None:
    """The ``dsq:id`` of a child such as ``<thread dsq:id="…"/>``."""
    prefix = element.tag[: element.tag.index("}") + 1] if element.tag[:1] == "{" else ""
    node = element.find(prefix + name)
    return node.get(DSQ_ID) if node is not None else None


def _flag(element: Element, name: str) -> bool:
    return _value(element, name).lower() == "true"


def _thread(element: Element) -> SourceThread:
    return SourceThread(
        ref=element.get(DSQ_ID, ""),
        url=_value(element, "link"),
        title=_value(element, "title"),
        key=_value(element, "id") or None,
        closed=_flag(element, "isClosed"),
    )


def _post(element: Element) -> SourceComment | Skipped:
    thread_ref = _ref(element, "thread") or ""
    message = _value(element, "message")
    name = _value(element, "author/name") or _value(element, "author/username")
    created = _value(element, "createdAt")
    ref = element.get(DSQ_ID) or content_ref(thread_ref, created, name, message)
    created_at = parse_iso(created)
    if created_at is None:
        return Skipped(ref, "its date is missing or unreadable")
    if _flag(element, "isSpam"):
        state = State.REJECTED
    elif _flag(element, "isDeleted"):
        state = State.DELETED
    else:
        state = State.APPROVED
    return SourceComment(
        ref=ref,
        thread=thread_ref,
        parent=_ref(element, "parent"),
        author=name,
        email=_value(element, "author/email") or None,
        body=html_to_text(message),
        created_at=created_at,
        state=state,
    )
