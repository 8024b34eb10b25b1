"""Reading outputs the way their consumers do, and saying what in them would be unsafe.

HTML is parsed with html5lib (what a browser builds), CSV with the csv module (what a
spreadsheet imports). "Unsafe" means markup that could run or mislead:

- an element or attribute no template of ours writes (injected markup, or an attribute
  that broke out of its quotes); the allow-lists are read from the templates themselves,
  so a new template brings its own tags and attributes along;
- a ``<script>`` that is not one of our own files, an ``on*`` attribute, an HTML comment;
- a URL attribute whose scheme is not http(s) or mailto (``javascript:``, ``data:``...);
- a CSV cell that a spreadsheet would read as a formula.

Round trips are checked by the windows, against these readers' text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from xml.etree.ElementTree import Element

import html5lib

URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "data", "poster", "background", "cite", "ping"}
)
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
#: What a spreadsheet reads as the start of a formula (OWASP's list), written out here
#: rather than taken from the code under test. A spreadsheet skips leading spaces before
#: looking, so a cell is a formula when it starts with any of these after whitespace.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_JINJA = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)([^<>]*)>")
_ATTRIBUTE = re.compile(r"(?:^|\s)([a-zA-Z_:][-a-zA-Z0-9_:.]*)")
#: Parse errors that name a character, not markup: text may hold such characters.
_CHARACTER_ERRORS = frozenset({"invalid-codepoint", "illegal-codepoint-for-numeric-entity"})


@cache
def template_vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """Every tag and attribute name our templates write (Jinja code removed first)."""
    tags: set[str] = set()
    attributes: set[str] = set()
    root = resources.files("commentdesk.web").joinpath("templates")
    pending = [root]
    while pending:
        folder = pending.pop()
        for entry in folder.iterdir():
            if entry.is_dir():
                pending.append(entry)
            elif entry.name.endswith((".html", ".xml")):
                source = _JINJA.sub(" ", entry.read_text(encoding="utf-8"))
                for match in _TAG.finditer(source):
                    tags.add(match.group(1).lower())
                    for name in _ATTRIBUTE.finditer(_QUOTED.sub(" ", match.group(2))):
                        attributes.add(name.group(1).lower())
    return frozenset(tags), frozenset(attributes)


def _parser() -> html5lib.HTMLParser:
    return html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)


def parse_html(markup: str, *, fragment: bool = False) -> tuple[Element, list[str]]:
    """The tree a browser builds, and the parse errors that are about markup."""
    parser = _parser()
    tree: Element = parser.parseFragment(markup) if fragment else parser.parse(markup)
    errors = [str(code) for _, code, _ in parser.errors if code not in _CHARACTER_ERRORS]
    return tree, errors


def text_of(element: Element) -> str:
    """An element's text content, exactly (a ``<br>`` counts as a newline)."""
    parts: list[str] = [element.text or ""]
    for child in element:
        if child.tag == "br":
            parts.append("\n")
        elif isinstance(child.tag, str):
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def by_id(tree: Element) -> dict[str, Element]:
    return {e.get("id", ""): e for e in tree.iter() if isinstance(e.tag, str) and e.get("id")}


def with_class(element: Element, name: str) -> Iterator[Element]:
    for node in element.iter():
        if isinstance(node.tag, str) and name in (node.get("class") or "").split():
            yield node


def first_with_class(element: Element, name: str) -> Element | None:
    return next(with_class(element, name), None)


def unsafe_url(value: str) -> bool:
    """Whether a browser would follow ``value`` somewhere other than http(s) or mail."""
    cleaned = "".join(ch for ch in value if ch > " " and ch != "\x7f")
    match = _SCHEME.match(cleaned)
    return match is not None and match.group(1).lower() not in SAFE_SCHEMES


def html_findings(
    tree: Element,
    errors: Iterable[str] = (),
    *,
    tags: frozenset[str] | None = None,
    attributes: frozenset[str] | None = None,
) -> list[str]:
    """Everything unsafe in a parsed page (an empty list when it is clean)."""
    known_tags, known_attributes = template_vocabulary()
    tags = known_tags if tags is None else tags
    attributes = known_attributes if attributes is None else attributes
    found = [f"parse error {code}" for code in errors]
    for node in tree.iter():
        if not isinstance(node.tag, str):
            found.append("an HTML comment or processing instruction")
            continue
        tag = node.tag.lower()
        if tag == "document_fragment":
            continue  # html5lib's root for a fragment
        if tag not in tags:
            found.append(f"an element <{tag}> no template writes")
        if tag == "script" and (
            not (node.get("src") or "").startswith("/static/") or (node.text or "").strip()
        ):
            found.append(f"a script that is not ours: {node.attrib}")
        for name, value in node.attrib.items():
            lowered = name.lower()
            if lowered.startswith("on"):
                found.append(f"an event handler {name}={value!r} on <{tag}>")
            elif lowered not in attributes:
                found.append(f"an attribute {name!r} on <{tag}> no template writes")
            if lowered in URL_ATTRIBUTES and unsafe_url(value):
                found.append(f"a {name}={value!r} on <{tag}>")
    return found


def formula_cells(rows: Iterable[list[str]]) -> list[str]:
    """CSV cells a spreadsheet would evaluate (escaped cells start with ``'``)."""
    return [
        f"row {n} cell {i}: {cell[:40]!r}"
        for n, row in enumerate(rows)
        for i, cell in enumerate(row)
        if _formula(cell)
    ]


def _formula(cell: str) -> bool:
    return cell.startswith(FORMULA_START) or cell.lstrip().startswith(FORMULA_START)


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def csv_shown(value: str) -> str:
    """How a text is meant to appear in a CSV cell: as itself, or behind a ``'``."""
    return "'" + value if _formula(value) else value
