"""How a comment's text and times are shown: escaped, linkified, localised.

Pure functions, no I/O. Comments are plain text: the one piece of markup we ever add is
an ``<a>`` around an http(s) address, built here from escaped parts, so nothing a reader
typed can become HTML.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from babel.dates import format_date, format_skeleton, format_timedelta
from markupsafe import Markup, escape

#: The interface's locale; the i18n layer will pick it per request.
LOCALE = "en"

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


def relative_time(when: datetime, now: datetime, locale: str = LOCALE) -> str | None:
    """ "3 hours ago", or None for "just now" (under a minute, or clock skew ahead)."""
    delta = when - now
    if delta.total_seconds() > -60:
        return None
    return format_timedelta(delta, add_direction=True, locale=locale)


def absolute_time(when: datetime, locale: str = LOCALE) -> str:
    """Date and minute in UTC, in the locale's order ("Nov 1, 2026, 12:00 UTC")."""
    day = format_date(when.astimezone(UTC), "medium", locale=locale)
    return f"{day}, {format_skeleton('Hm', when, tzinfo=UTC, locale=locale)} UTC"


def excerpt(text: str, limit: int = 200) -> str:
    """The first ``limit`` characters of ``text`` on one line, with an ellipsis if cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
