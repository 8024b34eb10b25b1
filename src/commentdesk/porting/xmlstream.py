"""Reading large XML exports safely, in constant memory.

defusedxml refuses entity declarations and external references (billion laughs, XXE);
expat reports the line and column of anything not well-formed; each record is removed
from the tree as soon as the reader has used it, so memory stays flat however large
the file. Stray characters before the first ``<`` (Remark42 keeps a Disqus test file
that starts with a backtick) are skipped and reported, not fatal: nothing in them could
be XML, and refusing the whole file for them would help nobody.

Elements deeper than a reader asks for stay in the tree until their record ends, so a
file of nothing but nested elements would grow it without bound (200,000 levels in
1.4 MB took 137 MB): nesting deeper than ``NESTING_MAX`` is refused as soon as it is met.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from commentdesk.porting.records import Note, UnreadableSource

_HEAD = 1024
#: Real exports nest under 10 levels (WordPress: rss/channel/item/wp:comment/…).
NESTING_MAX = 100
_STRAY_OK = frozenset(b"`'\" \t\r\n")


class NestedTooDeep(UnreadableSource):
    code = "import_too_deep"

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"The file nests XML elements more than {limit} levels deep; real exports "
            "nest a handful. Nothing was imported."
        )
        self.limit = limit


class LeadingJunkSkipped:
    """A binary reader that drops stray characters before the first ``<``.

    ``note`` says what was dropped (or is None); ``on_read`` hears how many bytes of the
    file have been consumed, for a progress bar.
    """

    def __init__(self, stream: BinaryIO, on_read: Callable[[int], None] | None = None) -> None:
        self._stream = stream
        self._on_read = on_read
        head = stream.read(_HEAD)
        if on_read:
            on_read(len(head))
        start = head.find(b"<")
        junk = head[:start] if start > 0 else b""
        self.note: Note | None = None
        if junk and all(byte in _STRAY_OK for byte in junk) and junk.strip():
            self.note = Note(f"ignored {len(junk.strip())} stray character(s) before the XML")
            head = head[start:]
        self._head = head

    def read(self, size: int = -1) -> bytes:
        if self._head:
            chunk, self._head = self._head, b""
            return chunk
        data = self._stream.read(size)
        if self._on_read:
            self._on_read(len(data))
        return data


def local(tag: str) -> str:
    """``{namespace}name`` → ``name``."""
    return tag.rsplit("}", 1)[-1]


def text_of(element: Element | None) -> str:
    """The element's text (with its children's), or ``""``."""
    if element is None:
        return ""
    return "".join(element.itertext())


Event = tuple[str, tuple[str, ...], Element]


def walk(source: LeadingJunkSkipped, max_depth: int) -> Iterator[Event]:
    """("start" | "end", path of local names, element) for elements down to ``max_depth``.

    The root is depth 0. An element at most ``max_depth`` deep is removed from its parent
    once its "end" has been handed out, so the caller must take what it needs then.
    Raises ``UnreadableSource`` naming the line and column of a malformed or hostile file,
    and ``NestedTooDeep`` at the first element deeper than ``NESTING_MAX``.
    """
    stack: list[Element] = []
    path: list[str] = []
    try:
        for event, element in SafeET.iterparse(source, events=("start", "end")):
            if event == "start":
                if len(stack) >= NESTING_MAX:
                    raise NestedTooDeep(NESTING_MAX)
                stack.append(element)
                if len(stack) - 1 <= max_depth:
                    path.append(local(element.tag))
                    yield "start", tuple(path), element
                else:
                    path.append("")  # deeper than anyone asked: not worth a name
                continue
            depth = len(stack) - 1
            if depth <= max_depth:
                yield "end", tuple(path), element
                if depth >= 1:
                    stack[-2].remove(element)
            stack.pop()
            path.pop()
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise UnreadableSource(
            f"The file is not well-formed XML at line {line}, column {column + 1} ({reason}); "
            "nothing was imported."
        ) from None
    except defusedxml.DTDForbidden:  # pragma: no cover - DTDs are allowed, entities are not
        raise UnreadableSource("The file declares a DTD; nothing was imported.") from None
    except defusedxml.EntitiesForbidden:
        raise UnreadableSource(
            "The file declares XML entities, which real exports never do and which can "
            "expand without bound (a 'billion laughs' file); nothing was imported."
        ) from None
    except defusedxml.ExternalReferenceForbidden:
        raise UnreadableSource(
            "The file refers to external resources (an external entity or DTD), which "
            "could read local files; nothing was imported."
        ) from None
    except (LookupError, UnicodeError) as exc:
        raise UnreadableSource(
            f"The file's text encoding cannot be read ({exc}); nothing was imported."
        ) from None
