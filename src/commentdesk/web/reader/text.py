"""How a comment's text and times are shown: escaped, linkified, localised.

Pure functions, no I/O. Comments are plain text: the one piece of markup we ever add is
an ``<a>`` around an http(s) address, built here from escaped parts, so nothing a reader
typed can become HTML.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from commentdesk.i18n import absolute_time, relative_time

__all__ = ["LINK_REL", "absolute_time", "excerpt", "linkify", "relative_time"]

#: ``rel`` of every link a reader wrote (DESIGN.md: "links are shown as text, made
#: clickable only by the renderer").
LINK_REL = "nofollow ugc noopener"

# An http(s) address runs until whitespace or a character that cannot be in a URL
# as typed in prose; trailing punctuation is given back to the sentence below.
_URL = re.compile(r"https?://[^\s<>\"'`\u3000]+", re.IGNORECASE)
_TRAILING = ".,;:!?…。、）」』"
_BRACKETS = {")": "(", "]": "["}


def _trim(url: str) -> str:
    """Drops sentence punctuation and unbalanced closing brackets from a URL's end."""
    while url:
        last = url[-1]
        unbalanced = last in _BRACKETS and url.count(last) > url.count(_BRACKETS[last])
        if last not in _TRAILING and not unbalanced:
            break
        url = url[:-1]
    return url


def linkify(text: str) -> Markup:
    """``text`` escaped, with each http(s) address made a ``nofollow ugc`` link.

    The link's text is the address itself, so a reader sees where it leads.
    """
    parts: list[str] = []
    position = 0
    for match in _URL.finditer(text):
        url = _trim(match.group())
        if len(url) <= len("https://"):
            continue
        start, end = match.start(), match.start() + len(url)
        parts.append(escape(text[position:start]))
        parts.append(
            Markup('<a href="{0}" rel="{1}">{0}</a>').format(
                url, LINK_REL
            )  # format() escapes the arguments
        )
        position = end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)  # every part above is escaped


def excerpt(text: str, limit: int = 200) -> str:
    """The first ``limit`` characters of ``text`` on one line, with an ellipsis if cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
