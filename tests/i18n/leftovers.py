"""Finding English left on a page that should be in Korean, for the reader's pages and
the console's alike.

A page fails with the Latin words a Korean user would see or hear: text, the attributes
read aloud or shown on hover, and button values. What people wrote (comments, names,
titles, a site's own texts) is content, not interface: the tests name it and it is
taken out before the words are counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from xml.etree.ElementTree import Element

from tests.reader.pages import parse

#: Text allowed in a Korean page: the time zone, and digits-and-symbols.
ALLOWED = frozenset({"UTC"})
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


def untranslated(html: str, content: Iterable[str] = (), allowed: Iterable[str] = ()) -> list[str]:
    """Latin words a Korean user would see or hear, outside ``content`` (texts people
    wrote, removed wherever they appear) and ``allowed`` words.

    Skipped: elements marked as another language (the switch's "English") or as not to be
    translated (``translate="no"``: identifiers such as a webhook's event names), what was
    typed back into a form (a textarea), and the contents of script and style.
    """
    texts = sorted({text for text in content if text}, key=len, reverse=True)
    found: list[str] = []

    def words(text: str | None) -> list[str]:
        text = text or ""
        for written in texts:
            text = text.replace(written, " ")
        return _LATIN_WORD.findall(text)

    def visit(element: Element, root: bool = False) -> None:
        lang = element.get("lang")
        other = lang and not lang.startswith("ko") and not root
        if other or element.get("translate") == "no" or element.tag in ("script", "style"):
            return
        if element.tag != "textarea":
            found.extend(words(element.text))
        for name in _ATTRIBUTES:
            found.extend(words(element.get(name)))
        if element.tag == "input" and element.get("type") in ("submit", "button"):
            found.extend(words(element.get("value")))
        for child in element:
            visit(child)
            found.extend(words(child.tail))

    visit(parse(html), root=True)
    skip = ALLOWED | set(allowed)
    return [word for word in found if word not in skip]
