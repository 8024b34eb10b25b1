"""Atom 1.0 (RFC 4287) documents of published comments, built with ElementTree.

ElementTree escapes every text and attribute, so a comment can never become markup;
characters XML 1.0 cannot carry at all (a few control characters that older imports
may hold) are dropped first, so the document always parses. Comment text is sent as
``type="text"``: plain text, as it was written.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    title: str
    author: str
    text: str
    link: str
    published: datetime
    updated: datetime


@dataclass(frozen=True, slots=True)
class Feed:
    id: str
    title: str
    self_url: str
    page_url: str
    updated: datetime
    entries: Sequence[Entry]


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", value)


def _stamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(
        parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attributes.items()}
    )
    if text is not None:
        element.text = xml_text(text)
    return element


def render(feed: Feed) -> bytes:
    """The feed as UTF-8 bytes with an XML declaration."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    _add(root, "id", feed.id)
    _add(root, "title", feed.title, type="text")
    _add(root, "updated", _stamp(feed.updated))
    _add(root, "link", rel="self", type="application/atom+xml", href=feed.self_url)
    _add(root, "link", rel="alternate", type="text/html", href=feed.page_url)
    _add(root, "generator", "commentdesk")
    for entry in feed.entries:
        item = _add(root, "entry")
        _add(item, "id", entry.id)
        _add(item, "title", entry.title, type="text")
        author = _add(item, "author")
        _add(author, "name", entry.author)
        _add(item, "link", rel="alternate", type="text/html", href=entry.link)
        _add(item, "published", _stamp(entry.published))
        _add(item, "updated", _stamp(entry.updated))
        _add(item, "content", entry.text, type="text")
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body
