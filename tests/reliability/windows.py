"""Windows: every place commentdesk shows text, read the way its consumer reads it.

Each window takes what a door placed, fetches its output (a page, a JSON body, a CSV
file, a published file, a browser's DOM), checks the whole output for unsafe markup
and checks that every placed text it shows is exactly the stored text. A window only
looks at the slots it shows; the matrix pairs doors with the windows that show them.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as DefusedET

from commentdesk.desk.feeds import FEED_SIZE
from commentdesk.web.publish import Publisher
from commentdesk.web.templating import make_templates
from tests.reliability.outputs import (
    by_id,
    csv_shown,
    first_with_class,
    formula_cells,
    html_findings,
    parse_html,
    read_csv,
    text_of,
    unsafe_url,
)
from tests.reliability.world import Placed, Seen, World

Window = Callable[[World, Sequence[Placed]], Seen]
EDITED = "Edited by a moderator: "


def _by_article(placed: Iterable[Placed]) -> dict[str, list[Placed]]:
    grouped: dict[str, list[Placed]] = defaultdict(list)
    for item in placed:
        grouped[item.article or ""].append(item)
    return grouped


def _page(seen: Seen, world: World, path: str, **options: Any) -> Element:
    """Fetches an HTML page, notes anything unsafe in it, returns its tree."""
    answer = world.console.get(path, **options)
    if answer.status_code != 200:
        seen.unsafe.append(f"{path} answered {answer.status_code}")
    tree, errors = parse_html(answer.text)
    seen.unsafe.extend(f"{path}: {f}" for f in html_findings(tree, errors))
    return tree


def _text(element: Element | None, name: str) -> str | None:
    found = first_with_class(element, name) if element is not None else None
    return text_of(found) if found is not None else None


def thread_html(world: World, placed: Sequence[Placed]) -> Seen:
    """``GET /articles/KEY``: the server-rendered thread (works with JavaScript off)."""
    seen = Seen()
    for key, items in _by_article(placed).items():
        ids = by_id(_page(seen, world, f"/articles/{key}"))
        for item in items:
            article = ids.get(f"comment-{item.comment_id}")
            where = f"thread {key} #{item.comment_id} {item.slot}"
            if item.slot == "body":
                seen.expect(where, _text(article, "cd-body"), item.shown)
            elif item.slot == "author":
                seen.expect(where, _text(article, "cd-author"), item.shown)
            elif item.slot == "edit_reason":
                seen.expect(where, _text(article, "cd-edited"), EDITED + item.shown)
            elif item.slot == "title":
                tree = _page(seen, world, f"/articles/{key}")
                seen.expect(where, _text(tree, "cd-title"), item.shown)
                title = tree.find(".//title")
                shown = text_of(title) if title is not None else None
                seen.expect(where + " <title>", shown, f"Comments: {item.shown}")
    return seen


def own_html(world: World, placed: Sequence[Placed]) -> Seen:
    """The thread as its author sees it: their pending comment, and its edit box."""
    seen = Seen()
    for key, items in _by_article(placed).items():
        for start in range(0, len(items), 20):  # the cookie holds 20 comments at most
            chunk = items[start : start + 20]
            cookie = "~".join(f"{i.comment_id}.{i.token}" for i in chunk)
            reader = world.client()
            reader.cookies.set("cd_own", cookie, path="/articles")
            answer = reader.get(f"/articles/{key}")
            tree, errors = parse_html(answer.text)
            seen.unsafe.extend(html_findings(tree, errors))
            ids = by_id(tree)
            for item in chunk:
                where = f"own {key} #{item.comment_id}"
                seen.expect(where, _text(ids.get(f"own-{item.comment_id}"), "cd-body"), item.shown)
                box = ids.get(f"cd-edit-{item.comment_id}")
                seen.expect(
                    where + " edit box", text_of(box) if box is not None else None, item.shown
                )
    return seen


def thread_json(world: World, placed: Sequence[Placed]) -> Seen:
    """``GET /api/v1/articles/KEY/comments``: what embed.js and other clients read."""
    seen = Seen()
    for key, items in _by_article(placed).items():
        answer = world.reader.get(f"/api/v1/articles/{key}/comments")
        if not answer.headers["content-type"].startswith("application/json"):
            seen.unsafe.append(f"{key}: JSON served as {answer.headers['content-type']}")
        found = {c["id"]: c for c in answer.json()["comments"]}
        for item in items:
            if item.slot == "title":
                seen.expect(f"json {key} title", answer.json()["article"]["title"], item.shown)
                continue
            comment = found.get(item.comment_id, {})
            field = {"body": "body", "author": "author", "edit_reason": "edit_reason"}[item.slot]
            seen.expect(f"json {key} #{item.comment_id} {field}", comment.get(field), item.shown)
    return seen


def _paragraph_text(article: Element) -> str:
    paragraphs = [p for p in article if p.tag == "p" and not p.get("class")]
    return "\n\n".join(text_of(p) for p in paragraphs)


def static_files(world: World, placed: Sequence[Placed]) -> Seen:
    """``commentdesk publish``: the JSON and HTML files a web server hands out."""
    seen = Seen()
    publisher = Publisher(world.desk, world.folder / "published")
    for key, items in _by_article(placed).items():
        publisher.publish(world.desk.catalog.article(key))
        folder = world.folder / "published" / "articles"
        served = json.loads((folder / f"{key}.json").read_bytes())
        if served != world.reader.get(f"/api/v1/articles/{key}/comments").json():
            seen.mismatched.append(f"{key}.json differs from the API's answer")
        found = {c["id"]: c for c in served["comments"]}
        tree, errors = parse_html((folder / f"{key}.html").read_text("utf-8"), fragment=True)
        seen.unsafe.extend(f"{key}.html: {f}" for f in html_findings(tree, errors))
        ids = by_id(tree)
        for item in items:
            node = ids.get(f"c{item.comment_id}")
            article = node.find("article") if node is not None else None
            where = f"static {key} #{item.comment_id} {item.slot}"
            if item.slot == "body":
                seen.expect(where + " json", found.get(item.comment_id, {}).get("body"), item.shown)
                blocks = [b for b in item.shown.split("\n\n") if b.strip()]
                shown = _paragraph_text(article) if article is not None else None
                seen.expect(where + " html", shown, "\n\n".join(blocks))
            elif item.slot == "author":
                seen.expect(where, _text(article, "commentdesk-author"), item.shown)
            elif item.slot == "edit_reason":
                wanted = "Edited by a moderator: " + item.shown
                seen.expect(where, _text(article, "commentdesk-edited"), wanted)
    return seen


def _queue_items(world: World) -> dict[int, dict[str, Any]]:
    # By age: assessments landing meanwhile move comments in the risk order, not this one.
    items: dict[int, dict[str, Any]] = {}
    cursor: str | None = None
    while True:
        params = {
            "state": "all",
            "sort": "age",
            "limit": "200",
            **({"cursor": cursor} if cursor else {}),
        }
        page = world.reader.get("/api/v1/moderation/queue", params=params, headers=world.auth())
        data = page.json()
        items |= {item["id"]: item for item in data["items"]}
        cursor = data["next_cursor"]
        if not cursor:
            return items


def moderation_json(world: World, placed: Sequence[Placed]) -> Seen:
    """``GET /api/v1/moderation/queue``: what moderators' scripts read."""
    seen = Seen()
    items = _queue_items(world)
    fields = {"body": "body", "own_body": "body", "author": "author"}
    for item in placed:
        field = fields.get(item.slot, "decision_reason")
        got = items.get(item.comment_id or 0, {}).get(field)
        seen.expect(f"queue json #{item.comment_id} {field}", got, item.shown)
    return seen


def console_queue(world: World, placed: Sequence[Placed]) -> Seen:
    """The console's queue pages (every state; the reported tab for reports)."""
    seen = Seen()
    for key, items in _by_article(placed).items():
        tab = "reported" if items[0].slot == "report" else "all"
        ids: dict[str, Element] = {}
        cursor = ""
        for _ in range(100):
            query = f"/console?tab={tab}&article={key}&limit=200&sort=age"
            tree = _page(seen, world, query + (f"&cursor={cursor}" if cursor else ""))
            ids |= by_id(tree)
            more = [a for a in tree.iter("a") if "cursor=" in (a.get("href") or "")]
            if not more:
                break
            cursor = (more[-1].get("href") or "").split("cursor=")[1].split("&")[0]
        for item in items:
            entry = ids.get(f"c{item.comment_id}")
            where = f"console {key} #{item.comment_id} {item.slot}"
            if item.slot in ("body", "own_body"):
                seen.expect(where, _text(entry, "body"), item.shown)
            elif item.slot == "author":
                seen.expect(where, _text(entry, "author"), item.shown)
            elif item.slot == "title":
                seen.expect(where, _text(entry, "article"), item.shown)
            elif item.slot == "decision_reason":
                seen.expect(where, _text(entry, "reason"), "Reason: " + item.shown)
            elif item.slot == "report":
                reports = first_with_class(entry, "reports") if entry is not None else None
                line = text_of(reports.find("li")) if reports is not None else ""  # type: ignore[arg-type]
                shown = line.removeprefix("Reported: ").rsplit(" · ", 1)[0]
                seen.expect(where, shown, item.shown)
    return seen


def console_comment(world: World, placed: Sequence[Placed]) -> Seen:
    """One comment's console page: its edit box, its history with reasons and texts."""
    seen = Seen()
    for item in placed:
        tree = _page(seen, world, f"/console/comments/{item.comment_id}")
        where = f"console comment #{item.comment_id} {item.slot}"
        if item.slot in ("body", "own_body"):
            box = by_id(tree).get("edit-body")
            seen.expect(where, text_of(box) if box is not None else None, item.shown)
        # The worker's own 'assess' event may land after a moderator's: not what we look for
        # (the row names its action's code; the cell says it in the moderator's language).
        rows = [tr for tr in tree.iter("tr") if tr.get("data-action") != "assess"]
        history = [row for row in ([text_of(td) for td in tr.iter("td")] for tr in rows)
                   if len(row) == 6]  # fmt: skip
        if item.slot == "edit":
            deleted = [text_of(d) for d in tree.iter("del")]
            inserted = [text_of(i) for i in tree.iter("ins")]
            seen.expect(where + " before", deleted[-1] if deleted else None, item.before or "")
            seen.expect(where + " after", inserted[-1] if inserted else None, item.shown)
        elif item.slot in ("edit_reason", "decision_reason"):
            reasons = [row[4] for row in history if row[4]]
            seen.expect(where, reasons[-1] if reasons else None, item.shown)
    return seen


def events_json(world: World, placed: Sequence[Placed]) -> Seen:
    """``GET /api/v1/moderation/comments/ID/events``: a comment's history as JSON."""
    seen = Seen()
    for item in placed:
        answer = world.reader.get(
            f"/api/v1/moderation/comments/{item.comment_id}/events", headers=world.auth()
        )
        last = [event for event in answer.json() if event["action"] != "assess"][-1]
        where = f"events #{item.comment_id} {item.slot}"
        if item.slot == "edit":
            seen.expect(where + " before", last["before_text"], item.before or "")
            seen.expect(where + " after", last["after_text"], item.shown)
        else:
            seen.expect(where, last["reason"], item.shown)
    return seen


def audit_csv(world: World, placed: Sequence[Placed]) -> Seen:
    """``GET /console/audit.csv``: the audit log as a spreadsheet opens it."""
    seen = Seen()
    answer = world.console.get("/console/audit.csv")
    rows = read_csv(answer.text)
    header, body = rows[0], rows[1:]
    seen.unsafe.extend(formula_cells(body))
    column = {name: n for n, name in enumerate(header)}
    latest: dict[tuple[str, str], list[str]] = {}
    for row in body:  # each of these comments has one event of each kind
        latest.setdefault((row[column["comment"]], row[column["action"]]), row)
    for item in placed:
        where = f"csv #{item.comment_id} {item.slot}"
        comment = str(item.comment_id)
        if item.slot == "edit":
            row = latest.get((comment, "edit"), [])
            seen.expect(
                where + " before", _cell(row, column["before"]), csv_shown(item.before or "")
            )
            seen.expect(where + " after", _cell(row, column["after"]), csv_shown(item.shown))
        elif item.slot == "edit_reason":
            row = latest.get((comment, "edit"), [])
            seen.expect(where, _cell(row, column["reason"]), csv_shown(item.shown))
        else:
            action = {"decision_reason": "reject", "report": "report"}[item.slot]
            row = latest.get((comment, action), [])
            seen.expect(where, _cell(row, column["reason"]), csv_shown(item.shown))
    return seen


def transparency_csv(world: World, placed: Sequence[Placed]) -> Seen:
    """``GET /console/transparency.csv``: a month's decisions counted by reason category
    (a reason's text before its first ``:``), as a spreadsheet opens it."""
    seen = Seen()
    months: dict[str, set[str]] = {}
    for item in placed:
        history = world.reader.get(
            f"/api/v1/moderation/comments/{item.comment_id}/events", headers=world.auth()
        ).json()
        month = next(e["at"][:7] for e in reversed(history) if e["action"] == "reject")
        if month not in months:
            answer = world.console.get("/console/transparency.csv", params={"month": month})
            rows = read_csv(answer.text)
            seen.unsafe.extend(f"{month} {finding}" for finding in formula_cells(rows[1:]))
            column = {name: n for n, name in enumerate(rows[0])}
            months[month] = {
                row[column["reason"]] for row in rows[1:] if row[column["action"]] == "reject"
            }
        wanted = csv_shown(item.shown.split(":")[0].strip())
        got = wanted if wanted in months[month] else None
        seen.expect(f"transparency {month} #{item.comment_id}", got, wanted)
    return seen


def _cell(row: list[str], index: int) -> str | None:
    return row[index] if index < len(row) else None


def audit_html(world: World, placed: Sequence[Placed]) -> Seen:
    """The console's audit log page for one comment (texts cut at 200 characters)."""
    seen = Seen()
    environment = make_templates().env
    truncate = environment.filters["truncate"]
    for item in placed:
        tree = _page(seen, world, f"/console/audit?comment={item.comment_id}")
        kept = [tr for tr in tree.iter("tr") if tr.get("data-action") != "assess"]
        rows = [row for row in (list(tr.iter("td")) for tr in kept) if len(row) == 7]
        where = f"audit #{item.comment_id} {item.slot}"
        newest = rows[0] if rows else None
        if item.slot == "edit":
            deleted = newest[6].find("del") if newest else None
            inserted = newest[6].find("ins") if newest else None
            before = truncate(environment, item.before or "", 200)
            seen.expect(
                where + " before", text_of(deleted) if deleted is not None else None, before
            )
            after = truncate(environment, item.shown, 200)
            seen.expect(
                where + " after", text_of(inserted) if inserted is not None else None, after
            )
        else:
            seen.expect(where, text_of(newest[5]) if newest else None, item.shown)
    return seen


def terms_html(world: World, placed: Sequence[Placed]) -> Seen:
    """``GET /articles/KEY/terms``: the terms a reader accepts."""
    seen = Seen()
    for item in placed:
        tree = _page(seen, world, f"/articles/{item.article}/terms")
        seen.expect(f"terms {item.article}", _text(tree, "cd-terms"), item.shown)
    return seen


def console_site(world: World, placed: Sequence[Placed]) -> Seen:
    """The console's site settings: the terms box (what an admin re-saves) and history."""
    seen = Seen()
    for item in placed:
        tree = _page(seen, world, f"/console/settings/sites/{item.site_id}")
        box = by_id(tree).get("terms_en")
        seen.expect(
            f"site {item.site_id} terms box", text_of(box) if box is not None else None, item.shown
        )
    return seen


def word_list_json(world: World, placed: Sequence[Placed]) -> Seen:
    """``GET /api/v1/admin/sites/SITE/wordlists/en``: the document an admin edits."""
    seen = Seen()
    for site, items in _by_article(placed).items():
        path = f"/api/v1/admin/sites/{site}/wordlists/en"
        answer = world.reader.get(path, headers=world.auth())
        texts = [e["text"] for e in json.loads(answer.json()["document"])["entries"]]
        for n, item in enumerate(items):
            shown = texts[n] if n < len(texts) else None
            seen.expect(f"word list {site} entry {n}", shown, item.shown)
    return seen


ATOM = "{http://www.w3.org/2005/Atom}"
#: What XML 1.0 cannot carry at all; the feed drops these characters and nothing else.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def atom(world: World, placed: Sequence[Placed]) -> Seen:
    """``GET /articles/KEY/feed.atom``: the newest 50 comments, read with an XML parser.

    Text must come back as text (``type="text"``, never html or xhtml), exactly as stored
    less the characters XML cannot hold; every link must be http(s).
    """
    seen = Seen()
    for key, items in _by_article(placed).items():
        answer = world.reader.get(f"/articles/{key}/feed.atom")
        if not answer.headers["content-type"].startswith("application/atom+xml"):
            seen.unsafe.append(f"{key}: feed served as {answer.headers['content-type']}")
        root = DefusedET.fromstring(answer.content)
        for node in root.iter():
            if node.get("type") not in (None, "text", "application/atom+xml", "text/html"):
                seen.unsafe.append(f"{key}: <{node.tag}> of type {node.get('type')}")
            if node.tag.endswith("}content") and node.get("type") != "text":
                seen.unsafe.append(f"{key}: content of type {node.get('type')}")
            if node.get("href") is not None and unsafe_url(node.get("href", "")):
                seen.unsafe.append(f"{key}: a link to {node.get('href')!r}")
        entries = {}
        for node in root.iter(f"{ATOM}entry"):
            link = node.find(f"{ATOM}link")
            href = link.get("href", "") if link is not None else ""
            entries[int(href.rsplit("#comment-", 1)[1])] = node
        seen.cap = min(seen.cap + FEED_SIZE, len(placed))
        for item in items:
            if item.slot == "title":
                title = root.findtext(f"{ATOM}title")
                seen.expect(
                    f"atom {key} title", title, f"Auto Daily: {_NOT_XML.sub('', item.shown)}"
                )
                continue
            entry = entries.get(item.comment_id or 0)
            if entry is None:
                continue  # older than the newest 50
            where = f"atom {key} #{item.comment_id} {item.slot}"
            if item.slot == "body":
                seen.expect(where, entry.findtext(f"{ATOM}content"), _NOT_XML.sub("", item.shown))
            elif item.slot == "author":
                name = entry.findtext(f"{ATOM}author/{ATOM}name")
                seen.expect(where, name, _NOT_XML.sub("", item.shown))
    return seen


WINDOWS: dict[str, Window] = {
    "atom": atom,
    "thread_html": thread_html,
    "own_html": own_html,
    "thread_json": thread_json,
    "static_files": static_files,
    "moderation_json": moderation_json,
    "console_queue": console_queue,
    "console_comment": console_comment,
    "events_json": events_json,
    "audit_csv": audit_csv,
    "transparency_csv": transparency_csv,
    "audit_html": audit_html,
    "terms_html": terms_html,
    "console_site": console_site,
    "word_list_json": word_list_json,
}

#: Slots each window shows; the rest of a door's placements are not its business.
SHOWS: dict[str, frozenset[str]] = {
    "thread_html": frozenset({"body", "author", "edit_reason", "title"}),
    "own_html": frozenset({"own_body"}),
    "thread_json": frozenset({"body", "author", "edit_reason", "title"}),
    "static_files": frozenset({"body", "author", "edit_reason"}),
    "moderation_json": frozenset({"body", "own_body", "author", "decision_reason"}),
    "console_queue": frozenset(
        {"body", "own_body", "author", "decision_reason", "report", "title"}
    ),
    "console_comment": frozenset({"body", "own_body", "edit", "edit_reason", "decision_reason"}),
    "events_json": frozenset({"edit", "edit_reason", "decision_reason"}),
    "audit_csv": frozenset({"edit", "edit_reason", "decision_reason", "report"}),
    "transparency_csv": frozenset({"decision_reason"}),
    "audit_html": frozenset({"edit", "decision_reason"}),
    "terms_html": frozenset({"terms"}),
    "console_site": frozenset({"terms"}),
    "word_list_json": frozenset({"word"}),
    "embed_dom": frozenset({"body", "author", "edit_reason"}),
    "atom": frozenset({"body", "author", "title"}),
}
