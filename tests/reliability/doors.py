"""Doors: every way a stranger's (or an admin's) text gets into commentdesk.

Each door takes the corpus, puts every string in the way a person would (forms with
their CSRF token, the JSON API, the console, an import file), and says where each one
landed (``Placed``) and what is stored for it. A string the rules refuse must be refused
with a clean 4xx naming the problem; anything else is a finding. What is stored must be
what the documented cleaning makes of it (``validation.clean_*``: NFC, control and
bidi characters stripped, trimmed) and nothing else.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from xml.sax.saxutils import escape as xml_escape

from commentdesk.desk.porting import Importer
from commentdesk.errors import InvalidInput
from commentdesk.porting.run import run_import
from commentdesk.porting.text import clean_pseudonym, clean_text, html_to_text
from commentdesk.store.records import get_comment
from commentdesk.validation import clean_author, clean_body, clean_reason, strip_unsafe
from tests.reliability.corpus import Hostile
from tests.reliability.outputs import parse_html, text_of
from tests.reliability.world import SITE, Entered, Placed, World, pseudonym_for

Door = Callable[[World, Sequence[Hostile]], Entered]
_OWN_ANCHOR = re.compile(r"#own-(\d+)$")
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _would_refuse(clean: Callable[[str], object], text: str) -> bool:
    try:
        clean(text)
    except InvalidInput:
        return True
    return False


def _stored(world: World, comment_id: int) -> tuple[str, str]:
    """The comment's body and pseudonym as the store holds them."""
    with world.desk.context.store.read() as connection:
        row = get_comment(connection, comment_id)
    assert row is not None
    return row.body, row.author


def _check_stored(entered: Entered, door: str, typed: str, stored: str, wanted: str) -> None:
    if stored != wanted:
        entered.findings.append(f"{door}: {typed[:60]!r} stored as {stored!r}, not {wanted!r}")


def _placed_comment(
    entered: Entered, world: World, door: str, item: Hostile, comment_id: int, key: str
) -> None:
    """Notes a submitted comment's body (and pseudonym, when hostile) as placed."""
    body, author = _stored(world, comment_id)
    _check_stored(entered, door, item.text, body, clean_body(item.text))
    entered.placed.append(Placed(door, item.text, "body", body, comment_id, key))
    if pseudonym_for(item.text) == item.text:
        _check_stored(entered, door, item.text, author, clean_author(item.text))
        entered.placed.append(Placed(door, item.text, "author", author, comment_id, key))


def form(world: World, items: Sequence[Hostile]) -> Entered:
    """The reader's plain HTML form (JavaScript off), CSRF token and all."""
    entered, key = Entered(), world.new_article("form")
    reader = world.client()
    token = re.search(r'name="csrf" value="([^"]+)"', reader.get(f"/articles/{key}").text)
    assert token
    for item in items:
        if not _utf8(item.text):
            entered.skipped += 1  # a browser cannot send it; test_hostile_requests covers bytes
            continue
        fields = {
            "author": pseudonym_for(item.text),
            "body": item.text,
            "accept_terms": "yes",
            "csrf": token.group(1),
        }
        answer = reader.post(f"/articles/{key}/comments", data=fields, follow_redirects=False)
        anchor = _OWN_ANCHOR.search(answer.headers.get("location", ""))
        if answer.status_code == 303 and anchor:
            comment_id = int(anchor.group(1))
            world.approve(comment_id)
            _placed_comment(entered, world, "form", item, comment_id, key)
        elif answer.status_code == 422 and _kept(answer.text, item.text):
            entered.refused += 1  # a rule or triage said no, and the page kept the text
        else:
            entered.findings.append(f"form: {item.text[:60]!r} answered {answer.status_code}")
    return entered


def _kept(page: str, typed: str) -> bool:
    """Whether an error page gives the reader back exactly what they typed, to send again
    (as a browser reads a textarea: line breaks normalised, NUL replaced)."""
    tree, _ = parse_html(page)
    boxes = [e for e in tree.iter("textarea") if e.get("name") == "body"]
    wanted = typed.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    return bool(boxes) and text_of(boxes[0]) == wanted


def api(world: World, items: Sequence[Hostile]) -> Entered:
    """``POST /api/v1/articles/KEY/comments`` with JSON, as embed.js sends it."""
    entered, key = Entered(), world.new_article("api")
    for item in items:
        payload = {"author": pseudonym_for(item.text), "body": item.text, "accept_terms": True}
        answer = world.reader.post(
            f"/api/v1/articles/{key}/comments",
            content=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        if answer.status_code == 202:
            comment_id = answer.json()["id"]
            world.approve(comment_id)
            _placed_comment(entered, world, "api", item, comment_id, key)
        elif answer.status_code == 400 and not _utf8(item.text):
            entered.refused += 1  # a lone surrogate: refused by the guard, with its field
        elif answer.status_code == 422 and (
            _would_refuse(clean_body, item.text) or answer.json()["error"]["code"] == "refused"
        ):
            entered.refused += 1  # the body's rules, or triage refusing a campaign
        else:
            entered.findings.append(f"api: {item.text[:60]!r} answered {answer.status_code}")
    return entered


def author_edit(world: World, items: Sequence[Hostile]) -> Entered:
    """The author fixes their pending comment with ``PATCH`` and their edit token."""
    entered, key = Entered(), world.new_article("author_edit")
    for n, item in enumerate(items):
        submitted = world.reader.post(
            f"/api/v1/articles/{key}/comments",
            json={"author": "Author", "body": f"First draft {n}", "accept_terms": True},
        )
        assert submitted.status_code == 202, submitted.text
        comment_id, token = submitted.json()["id"], submitted.json()["edit_token"]
        answer = world.reader.patch(
            f"/api/v1/comments/{comment_id}",
            content=json.dumps({"body": item.text}),
            headers={"Content-Type": "application/json", "X-Edit-Token": token},
        )
        if answer.status_code == 200:
            body, _ = _stored(world, comment_id)
            _check_stored(entered, "author_edit", item.text, body, clean_body(item.text))
            if answer.json()["body"] != body:
                entered.findings.append(f"author_edit: PATCH answered {answer.json()['body']!r}")
            entered.placed.append(
                Placed("author_edit", item.text, "own_body", body, comment_id, key, token=token)
            )
        elif answer.status_code in (400, 422) and (
            not _utf8(item.text) or _would_refuse(clean_body, item.text)
        ):
            entered.refused += 1
        else:
            entered.findings.append(f"author_edit: answered {answer.status_code}")
    return entered


def _reason_for(text: str) -> str:
    """The hostile string as a reason when a reason may hold it, else a plain one."""
    try:
        return text if clean_reason(text, required=True) else "Tidied"
    except InvalidInput:
        return "Tidied"


def _moderator_edit(
    world: World, items: Sequence[Hostile], door: str, send: Callable[[int, str, str], int]
) -> Entered:
    entered, key = Entered(), world.new_article(door)
    for n, item in enumerate(items):
        if not _utf8(item.text):
            entered.skipped += 1
            continue
        comment_id = world.benign(key, n)
        world.approve(comment_id)
        before, _ = _stored(world, comment_id)
        reason = _reason_for(item.text)
        status = send(comment_id, item.text, reason)
        if status in (200, 303):
            body, _ = _stored(world, comment_id)
            _check_stored(entered, door, item.text, body, clean_body(item.text))
            entered.placed.append(Placed(door, item.text, "body", body, comment_id, key))
            entered.placed.append(
                Placed(door, item.text, "edit", body, comment_id, key, before=before)
            )
            if reason == item.text:
                shown = clean_reason(reason, required=True) or ""
                entered.placed.append(
                    Placed(door, item.text, "edit_reason", shown, comment_id, key)
                )
        elif status == 422 and _would_refuse(clean_body, item.text):
            entered.refused += 1
        else:
            entered.findings.append(f"{door}: {item.text[:60]!r} answered {status}")
    return entered


def moderator_edit_api(world: World, items: Sequence[Hostile]) -> Entered:
    """``POST /api/v1/moderation/comments/ID/edit`` with a bearer token."""

    def send(comment_id: int, body: str, reason: str) -> int:
        answer = world.reader.post(
            f"/api/v1/moderation/comments/{comment_id}/edit",
            json={"body": body, "reason": reason},
            headers=world.auth(),
        )
        return int(answer.status_code)

    return _moderator_edit(world, items, "moderator_edit_api", send)


def moderator_edit_console(world: World, items: Sequence[Hostile]) -> Entered:
    """The console's edit form, posted by a signed-in moderator with its CSRF token."""

    def send(comment_id: int, body: str, reason: str) -> int:
        answer = world.console_post(
            f"/console/comments/{comment_id}/decide",
            {"action": "edit", "body": body, "note": reason, "back": "/console"},
        )
        return int(answer.status_code)

    return _moderator_edit(world, items, "moderator_edit_console", send)


def reject_reason(world: World, items: Sequence[Hostile]) -> Entered:
    """A moderator rejects with a hostile reason (kept in the log and the CSV)."""
    entered, key = Entered(), world.new_article("reject_reason")
    for n, item in enumerate(items):
        if _reason_for(item.text) != item.text or not _utf8(item.text):
            entered.skipped += 1  # no reason can hold it: empty, or too long
            continue
        comment_id = world.benign(key, n)
        answer = world.reader.post(
            f"/api/v1/moderation/comments/{comment_id}/reject",
            json={"reason": item.text},
            headers=world.auth(),
        )
        if answer.status_code != 200:
            entered.findings.append(f"reject: {item.text[:60]!r} answered {answer.status_code}")
            continue
        shown = clean_reason(item.text, required=True) or ""
        stored = answer.json()["decision_reason"]
        _check_stored(entered, "reject_reason", item.text, stored, shown)
        entered.placed.append(
            Placed("reject_reason", item.text, "decision_reason", stored, comment_id, key)
        )
    return entered


def report(world: World, items: Sequence[Hostile]) -> Entered:
    """A reader reports a published comment, saying why in their own words."""
    entered, key = Entered(), world.new_article("report")
    for n, item in enumerate(items):
        if not _utf8(item.text):
            entered.skipped += 1
            continue
        comment_id = world.benign(key, n)
        world.approve(comment_id)
        answer = world.reader.post(
            f"/api/v1/comments/{comment_id}/reports", json={"reason": item.text}
        )
        if answer.status_code == 202:
            shown = clean_reason(item.text, required=False) or "no reason given"
            entered.placed.append(Placed("report", item.text, "report", shown, comment_id, key))
        elif answer.status_code == 422 and _would_refuse(
            lambda t: clean_reason(t, required=False), item.text
        ):
            entered.refused += 1
        else:
            entered.findings.append(f"report: {item.text[:60]!r} answered {answer.status_code}")
    return entered


EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def _stamp(n: int) -> datetime:
    return EPOCH + timedelta(minutes=n)


def _imported(world: World, key: str) -> dict[datetime, tuple[int, str, str]]:
    """Imported comments of an article by their creation time: (id, body, author)."""
    import sqlalchemy as sa

    from commentdesk.store.tables import articles, comments

    query = (
        sa.select(comments.c.id, comments.c.body, comments.c.author, comments.c.created_at)
        .join(articles, articles.c.id == comments.c.article_id)
        .where(articles.c.key == key)
    )
    with world.desk.context.store.read() as connection:
        rows = connection.execute(query).all()
    found = {}
    for row in rows:
        at = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
        found[at] = (row.id, row.body, row.author)
    return found


def _import(world: World, items: Sequence[Hostile], source: str, key: str, xml: str) -> Entered:
    entered = Entered()
    path = world.folder / f"{key}.xml"
    path.write_text(xml, encoding="utf-8")
    run_import(Importer(world.desk.context), source, path, site=SITE)
    stored = _imported(world, key)
    for n, item in enumerate(items):
        if _XML_UNSAFE.search(item.text):
            entered.skipped += 1  # XML 1.0 cannot carry it; the importer never sees it
            continue
        # An XML parser turns CR LF and CR into LF before the importer sees the text.
        text = item.text.replace("\r\n", "\n").replace("\r", "\n")
        wanted = clean_text(html_to_text(html.escape(text), markup_newlines=source == "disqus"))
        if not wanted:
            entered.skipped += 1  # nothing left to import: the file's comment was empty
            continue
        if _stamp(n) not in stored:
            entered.findings.append(f"{source}: {item.text[:60]!r} was not imported")
            continue
        comment_id, body, author = stored[_stamp(n)]
        _check_stored(entered, source, item.text, body, wanted)
        _check_stored(entered, source, item.text, author, clean_pseudonym(item.text))
        door = f"import_{source}"
        entered.placed.append(Placed(door, item.text, "body", body, comment_id, key))
        entered.placed.append(Placed(door, item.text, "author", author, comment_id, key))
    return entered


def import_disqus(world: World, items: Sequence[Hostile]) -> Entered:
    """A generated Disqus export whose messages and names are the hostile strings."""
    key = world.new_article("import_disqus")
    posts = []
    for n, item in enumerate(items):
        if _XML_UNSAFE.search(item.text):
            continue
        message = xml_escape(html.escape(item.text))
        posts.append(
            f'<post dsq:id="{n}"><message>{message}</message>'
            f"<createdAt>{_stamp(n).strftime('%Y-%m-%dT%H:%M:%SZ')}</createdAt>"
            f"<author><name>{xml_escape(item.text)}</name></author>"
            '<thread dsq:id="t1"/></post>'
        )
    xml = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">'
        f'<thread dsq:id="t1"><id>{key}</id><link>https://hostile.example/{key}</link>'
        f"<title>Imported</title></thread>{''.join(posts)}</disqus>"
    )
    return _import(world, items, "disqus", key, xml)


def import_wordpress(world: World, items: Sequence[Hostile]) -> Entered:
    """A generated WordPress (WXR) export whose comments and names are the hostile strings."""
    key = world.new_article("import_wordpress")
    comments = []
    for n, item in enumerate(items):
        if _XML_UNSAFE.search(item.text):
            continue
        comments.append(
            f"<wp:comment><wp:comment_id>{n + 1}</wp:comment_id>"
            f"<wp:comment_author>{xml_escape(item.text)}</wp:comment_author>"
            f"<wp:comment_date_gmt>{_stamp(n).strftime('%Y-%m-%d %H:%M:%S')}"
            "</wp:comment_date_gmt>"
            f"<wp:comment_content>{xml_escape(html.escape(item.text))}</wp:comment_content>"
            "<wp:comment_approved>1</wp:comment_approved><wp:comment_type></wp:comment_type>"
            "<wp:comment_parent>0</wp:comment_parent></wp:comment>"
        )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
        "<wp:base_blog_url>https://hostile.example</wp:base_blog_url>"
        f"<item><title>Imported</title><link>https://hostile.example/{key}/</link>"
        f"<wp:post_id>1</wp:post_id><wp:post_name>{key}</wp:post_name>"
        f"{''.join(comments)}</item></channel></rss>"
    )
    return _import(world, items, "wordpress", key, xml)


def terms(world: World, items: Sequence[Hostile]) -> Entered:
    """An admin saves hostile terms of use in the console's site form (one site each)."""
    entered = Entered()
    for n, item in enumerate(items):
        if not _utf8(item.text):
            entered.skipped += 1
            continue
        site = world.desk.catalog.ensure_site(f"terms-{n}", name=f"Terms {n}")
        key = f"terms-{n}"
        world.desk.catalog.add_article(
            site.slug, key, url=f"https://hostile.example/{key}", title="Terms"
        )
        answer = world.console_post(
            f"/console/settings/sites/{site.id}",
            {
                "moderation": "pre",
                "auto_close_days": "",
                "origins": "https://hostile.example",
                "reject_code_0": "",
                "reject_en_0": "Off-topic",
                "ban_policy": "hold",
                "terms_en": item.text,
            },
        )
        wanted = strip_unsafe(item.text).strip()
        if answer.status_code == 303:
            stored = world.desk.catalog.site(site.id).terms_text
            _check_stored(entered, "terms", item.text, stored, wanted)
            entered.placed.append(Placed("terms", item.text, "terms", stored, None, key, site.id))
        elif answer.status_code == 422 and not wanted:
            entered.refused += 1
        else:
            entered.findings.append(f"terms: {item.text[:60]!r} answered {answer.status_code}")
    return entered


def word_list(world: World, items: Sequence[Hostile]) -> Entered:
    """An admin saves word lists whose entries are the hostile strings, a hundred to a
    site's list (one ``PUT`` each: a whole corpus is more than a request may carry).

    Strings the list's own rules refuse (empty after trimming) are left out and counted
    as refused; every ``PUT`` must accept all the rest.
    """
    entered, kept = Entered(), []
    for item in items:
        if not _utf8(item.text):
            entered.skipped += 1
        elif not item.text.strip():
            entered.refused += 1
        else:
            kept.append(item)
    for start in range(0, len(kept), 100):
        chunk = kept[start : start + 100]
        slug = f"words-{start // 100}"
        world.desk.catalog.ensure_site(slug, name=f"Words {start // 100}")
        entries = [{"text": item.text, "kind": "suspect"} for item in chunk]
        document = json.dumps({"language": "en", "entries": entries})
        path = f"/api/v1/admin/sites/{slug}/wordlists/en"
        answer = world.reader.put(path, json={"document": document}, headers=world.auth())
        if answer.status_code != 200:
            entered.findings.append(f"word_list: {answer.status_code}: {answer.text[:200]}")
            continue
        saved = [entry["text"] for entry in json.loads(answer.json()["document"])["entries"]]
        for item, text in zip(chunk, saved, strict=True):
            _check_stored(entered, "word_list", item.text, text, item.text.strip())
            entered.placed.append(Placed("word_list", item.text, "word", text, None, slug))
    return entered


def article_title(world: World, items: Sequence[Hostile]) -> Entered:
    """A reader's first comment creates the article, with the title the page gave embed.js
    (``data-commentdesk-title`` or ``document.title``), on a site that allows it."""
    entered = Entered()
    site = world.desk.catalog.ensure_site(
        "auto", name="Auto Daily", origins=("https://auto.example",), auto_create_articles=True
    )
    for n, item in enumerate(items):
        if not _utf8(item.text):
            entered.skipped += 1
            continue
        key = f"auto-{n}"
        payload = {
            "author": "Reader",
            "body": "First!",
            "accept_terms": True,
            "url": f"https://auto.example/{key}",
            "title": item.text,
        }
        answer = world.reader.post(f"/api/v1/articles/{key}/comments", json=payload)
        if answer.status_code != 202:
            entered.findings.append(f"title: {item.text[:60]!r} answered {answer.status_code}")
            continue
        world.approve(answer.json()["id"])
        stored = world.desk.catalog.article(key).title
        # One line, control and bidi characters gone, at most 300, else the key.
        line = " ".join(strip_unsafe(unicodedata.normalize("NFC", item.text)).split())
        _check_stored(entered, "article_title", item.text, stored, line[:300].strip() or key)
        entered.placed.append(
            Placed("article_title", item.text, "title", stored, answer.json()["id"], key, site.id)
        )
    return entered


DOORS: dict[str, Door] = {
    "article_title": article_title,
    "form": form,
    "api": api,
    "author_edit": author_edit,
    "moderator_edit_api": moderator_edit_api,
    "moderator_edit_console": moderator_edit_console,
    "reject_reason": reject_reason,
    "report": report,
    "import_disqus": import_disqus,
    "import_wordpress": import_wordpress,
    "terms": terms,
    "word_list": word_list,
}
