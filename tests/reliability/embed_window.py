"""The embed.js window: hostile comments rendered by embed.js on another site's page.

A real chromium loads a publisher's page (another origin) that embeds the thread with
``embed.js``. ``alert``, ``confirm``, ``prompt`` and ``print`` are replaced before any
script runs so that anything that executes is counted. The DOM embed.js built is then
read back: no element or attribute embed.js does not make, no ``on*`` attribute, no link
but http(s), no script but embed.js itself, and each comment's ``textContent`` exactly
the stored text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib import resources
from typing import Any, Protocol

from playwright.sync_api import Page

from tests.reliability.outputs import unsafe_url
from tests.reliability.world import Placed, Seen, World

EDITED = "Edited by a moderator: "
TRAPS = """
window.__executed = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__executed.push(name + ":" + String(args[0])); };
}
"""
#: Every attribute embed.js sets, plus what the browser adds to form controls.
EMBED_ATTRIBUTES = frozenset(
    {"class", "id", "role", "tabindex", "hidden", "type", "for", "href", "target", "rel",
     "datetime", "rows", "required", "autocomplete", "value", "name", "aria-describedby",
     "aria-invalid", "aria-label", "aria-live", "data-commentdesk-article", "readonly",
     "disabled"}
)  # fmt: skip
READ_DOM = """
([root, ids]) => {
  const container = document.querySelector(root);
  const nodes = [...container.querySelectorAll("*")];
  const text = (node, name) => {
    const found = node && node.querySelector(name);
    return found ? found.textContent : null;
  };
  return {
    executed: window.__executed,
    scripts: [...document.scripts].map((s) => s.src || ("inline:" + s.textContent.slice(0, 60))),
    elements: nodes.map((n) => [n.tagName.toLowerCase(), n.getAttributeNames()]),
    links: nodes.filter((n) => n.hasAttribute("href")).map((n) => n.getAttribute("href")),
    comments: Object.fromEntries(ids.map(([id, domId]) => {
      const node = document.getElementById(domId);
      return [id, node && {
        body: text(node, ":scope > .cd-body"),
        author: text(node, ".cd-author"),
        edited: text(node, ":scope > .cd-edited"),
      }];
    })),
  };
}
"""
SHOW_ALL = """
() => {
  const more = document.querySelector(".cd-more");
  while (more && !more.hidden) { more.click(); }
}
"""


class PageOpener(Protocol):
    def __call__(self, *, javascript: bool = True) -> Page: ...


class HostPages(Protocol):
    pages: dict[str, str]

    def url(self, path: str = "/") -> str: ...


def embed_tags() -> frozenset[str]:
    """The elements embed.js creates, read from embed.js itself."""
    source = resources.files("commentdesk.web").joinpath("static", "embed.js").read_text("utf-8")
    return frozenset(re.findall(r'\bel\(\s*"([a-z0-9]+)"', source))


def host_page(base: str, key: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host page</title></head>
<body><main><h1>A story</h1>
<div data-commentdesk-article="{key}"></div>
<script src="{base}/embed.js" defer></script>
</main></body></html>"""


def embed_dom(
    world: World, placed: Sequence[Placed], open_page: PageOpener, host_site: HostPages
) -> Seen:
    seen = Seen()
    base = world.serve()
    by_article: dict[str, list[Placed]] = {}
    for item in placed:
        by_article.setdefault(item.article or "", []).append(item)
    for key, items in by_article.items():
        host_site.pages[f"/{key}"] = host_page(base, key)
        page = open_page(javascript=True)
        page.add_init_script(TRAPS)
        page.goto(host_site.url(f"/{key}"))
        page.locator(f'[data-commentdesk-article="{key}"] .cd-thread .cd-comment').first.wait_for()
        page.evaluate(SHOW_ALL)
        page.wait_for_timeout(200)  # let anything injected (onerror, onload) fire
        prefix = "cd-" + re.sub(r"[^A-Za-z0-9_-]", "_", key) + "-c"
        ids = sorted({(i.comment_id, f"{prefix}{i.comment_id}") for i in items})
        dom: dict[str, Any] = page.evaluate(READ_DOM, [f'[data-commentdesk-article="{key}"]', ids])
        seen.unsafe.extend(_findings(dom, base))
        comments = dom["comments"]
        for item in items:
            shown = comments.get(str(item.comment_id)) or {}
            where = f"embed {key} #{item.comment_id} {item.slot}"
            if item.slot == "body":
                seen.expect(where, shown.get("body"), item.shown)
            elif item.slot == "author":
                seen.expect(where, shown.get("author"), item.shown)
            elif item.slot == "edit_reason":
                seen.expect(where, shown.get("edited"), EDITED + item.shown)
    return seen


def _findings(dom: dict[str, Any], base: str) -> list[str]:
    found = [f"executed {call}" for call in dom["executed"]]
    found += [
        f"a script that is not embed.js: {s}" for s in dom["scripts"] if s != f"{base}/embed.js"
    ]
    tags = embed_tags()
    for tag, attributes in dom["elements"]:
        if tag not in tags:
            found.append(f"an element <{tag}> embed.js does not make")
        for name in attributes:
            if name.startswith("on"):
                found.append(f"an event handler {name} on <{tag}>")
            elif name not in EMBED_ATTRIBUTES:
                found.append(f"an attribute {name!r} on <{tag}> embed.js does not set")
    found += [f"a link to {href!r}" for href in dom["links"] if unsafe_url(href)]
    return found
