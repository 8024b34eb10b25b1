"""Reading the reader's pages the way a strict browser would, for assertions."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

import html5lib

_PARSER = html5lib.HTMLParser(
    strict=True, tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False
)


def parse(text: str) -> Element:
    """The document, or ``html5lib.html5parser.ParseError`` at the first HTML error."""
    document: Element = _PARSER.parse(text)
    return document


def text_of(element: Element) -> str:
    """An element's text content, whitespace collapsed."""
    return " ".join("".join(element.itertext()).split())


def by_id(document: Element, element_id: str) -> Element:
    found = document.find(f".//*[@id='{element_id}']")
    assert found is not None, f"no element with id {element_id!r}"
    return found


def with_class(document: Element, name: str) -> list[Element]:
    """Every element whose class list holds ``name``."""
    return [e for e in document.iter() if name in (e.get("class") or "").split()]


def csrf_token(text: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', text)
    assert found, "the page has no CSRF field"
    return found.group(1)


def assert_no_inline_code(document: Element) -> None:
    """No inline script, no event-handler attributes, no inline style: CSP-clean markup."""
    for element in document.iter():
        if element.tag == "script":
            assert element.get("src"), "a <script> without src"
            assert not (element.text or "").strip(), "a <script> with a body"
        assert element.tag != "style", "an inline <style> element"
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"an event handler attribute {name}"
            assert name.lower() != "style", "an inline style attribute"
            assert not value.strip().lower().startswith("javascript:"), "a javascript: URL"


def ancestors(document: Element, target: Element, tag: str) -> list[Element]:
    """The ``tag`` elements enclosing ``target`` (ElementTree keeps no parent links)."""
    parents = {child: parent for parent in document.iter() for child in parent}
    found: list[Element] = []
    node = parents.get(target)
    while node is not None:
        if node.tag == tag:
            found.append(node)
        node = parents.get(node)
    return found
