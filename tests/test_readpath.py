"""The thin read path: kept public answers, exact freshness, encodings, conditional GETs."""

from __future__ import annotations

import gzip
import time
from types import SimpleNamespace

import anyio
import brotli
import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from starlette.types import Message, Receive, Scope, Send

from commentdesk.desk import Desk
from commentdesk.model import Article, Moderator
from commentdesk.settings import Settings
from commentdesk.store import Store
from commentdesk.store.changes import PostgresChanges, Unwatched, watch
from commentdesk.web.middleware.kept import Entry, ReadCache, encoding, keepable
from commentdesk.web.middleware.readpath import ReadPath
from tests.support import Clock, submit_comment

URL = "/api/v1/articles/a1/comments"


@pytest.fixture
def chief(desk: Desk, admin_token: str) -> Moderator:
    return desk.accounts.get("chief")


def kept(client: TestClient) -> ReadCache:
    cache: ReadCache = client.app.state.read_cache  # type: ignore[attr-defined]
    return cache


def bodies(client: TestClient, text: str) -> list[str]:
    return [c["body"] for c in client.get(URL).json()["comments"] if text in c["body"]]


@pytest.mark.usefixtures("article_key")
def test_a_second_read_is_answered_without_asking_the_database(
    client: TestClient, desk: Desk, chief: Moderator, monkeypatch: pytest.MonkeyPatch
) -> None:
    submit_comment(desk, "kept once", approve_as=chief)
    first = client.get(URL)
    looked_up: list[str] = []
    article = desk.catalog.article

    def counted(key: str) -> Article:
        looked_up.append(key)
        return article(key)

    monkeypatch.setattr(desk.catalog, "article", counted)
    second = client.get(URL)
    assert second.content == first.content
    assert looked_up == []
    assert kept(client).hits == 1


@pytest.mark.usefixtures("article_key")
def test_a_decision_changes_the_next_read_at_once(
    client: TestClient, desk: Desk, chief: Moderator
) -> None:
    client.get(URL)
    client.get(URL)  # kept
    submit_comment(desk, "approved just now", approve_as=chief)
    assert bodies(client, "approved just now") == ["approved just now"]


@pytest.mark.usefixtures("article_key")
def test_a_decision_by_another_process_changes_the_next_read(
    client: TestClient, settings: Settings, chief: Moderator, clock: Clock
) -> None:
    """Another store on the same database stands for another process or host."""
    client.get(URL)
    other = Desk.open(settings, clock=clock, store=Store(settings.database_url))
    try:
        submit_comment(other, "decided elsewhere", approve_as=other.accounts.get("chief"))
    finally:
        other.close()
    deadline = time.monotonic() + 5  # PostgreSQL's notification is a message away
    while not bodies(client, "decided elsewhere") and time.monotonic() < deadline:
        time.sleep(0.01)
    assert bodies(client, "decided elsewhere") == ["decided elsewhere"]


def test_an_open_thread_kept_stops_when_it_closes(
    client: TestClient, desk: Desk, clock: Clock
) -> None:
    desk.catalog.ensure_site(
        "closing", name="Closing", origins=("https://news.example",), auto_close_days=1
    )
    desk.catalog.add_article("closing", "c1", url="https://news.example/c1", title="Closing")
    url = "/api/v1/articles/c1/comments"
    assert client.get(url).json()["article"]["open"] is True
    assert client.get(url).json()["article"]["open"] is True  # kept
    clock.advance(days=1, seconds=1)
    assert client.get(url).json()["article"]["open"] is False


@pytest.mark.usefixtures("article_key")
def test_each_encoding_is_the_same_answer(client: TestClient, desk: Desk, chief: Moderator) -> None:
    for n in range(20):
        submit_comment(
            desk, f"a comment long enough to be worth compressing, number {n}", approve_as=chief
        )
    plain = client.get(URL, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.headers["vary"] == "Origin, Accept-Encoding"
    for coding, decode in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        raw = client.get(URL, headers={"Accept-Encoding": coding})
        assert raw.headers["content-encoding"] == coding
        assert raw.headers["etag"] == plain.headers["etag"]
        assert raw.content == plain.content  # httpx2 decoded it
        entry = kept(client).get((URL.encode(), b""))
        assert entry is not None
        assert decode(entry.bodies[coding]) == plain.content
        assert int(raw.headers["content-length"]) == len(entry.bodies[coding])
    assert int(plain.headers["content-length"]) == len(plain.content)


def test_static_files_are_sent_compressed_to_whoever_accepts_it(client: TestClient) -> None:
    with client.stream("GET", "/embed.js", headers={"Accept-Encoding": "br"}) as response:
        wire = b"".join(response.iter_raw())
        assert response.headers["content-encoding"] == "br"
    plain = client.get("/embed.js", headers={"Accept-Encoding": "identity"}).content
    assert brotli.decompress(wire) == plain
    assert len(wire) < len(plain) / 2


@pytest.mark.usefixtures("article_key")
def test_a_tag_the_reader_has_gets_304_with_the_same_tag(client: TestClient) -> None:
    tag = client.get(URL).headers["etag"]
    again = client.get(URL, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag
    assert client.get(URL, headers={"If-None-Match": '"other"'}).status_code == 200


def test_counts_get_a_tag_and_304(client: TestClient, article_key: str) -> None:
    first = client.get("/api/v1/counts", params={"article": article_key})
    assert first.json() == {article_key: 0}
    again = client.get(
        "/api/v1/counts",
        params={"article": article_key},
        headers={"If-None-Match": first.headers["etag"]},
    )
    assert again.status_code == 304


@pytest.mark.usefixtures("article_key")
def test_head_has_the_headers_of_get_and_no_body(client: TestClient) -> None:
    got = client.get(URL)
    head = client.head(URL)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"]
    assert head.headers["etag"] == got.headers["etag"]


@pytest.mark.usefixtures("article_key")
def test_each_origin_gets_its_own_cors_answer(client: TestClient, desk: Desk) -> None:
    allowed = client.get(URL, headers={"Origin": "https://news.example"})
    stranger = client.get(URL, headers={"Origin": "https://evil.example"})
    again = client.get(URL, headers={"Origin": "https://news.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://news.example"
    assert "access-control-allow-origin" not in stranger.headers
    assert again.headers["access-control-allow-origin"] == "https://news.example"
    assert kept(client).hits == 1


def test_an_error_is_never_kept(client: TestClient) -> None:
    assert client.get("/api/v1/articles/nowhere/comments").status_code == 404
    assert kept(client).bodies() == []


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (200, [(b"cache-control", b"public, max-age=0")], True),
        (200, [(b"Cache-Control", b"public")], True),
        (200, [], False),
        (200, [(b"cache-control", b"private")], False),
        (200, [(b"cache-control", b"public, no-store")], False),
        (200, [(b"cache-control", b"public"), (b"set-cookie", b"csrf=x")], False),
        (404, [(b"cache-control", b"public")], False),
    ],
)
def test_only_public_answers_without_cookies_are_kept(
    status: int, headers: list[tuple[bytes, bytes]], expected: bool
) -> None:
    start = {"type": "http.response.start", "status": status, "headers": headers}
    assert keepable(start) is expected


def entry(size: int) -> Entry:
    return Entry(b"t", {"identity": b"x" * size}, {}, 0, None, None)


def test_the_cache_keeps_within_its_bounds_dropping_the_least_recent() -> None:
    cache = ReadCache(max_entries=3, max_bytes=100)
    for n in range(3):
        cache.put((b"/%d" % n, b""), entry(10))
    cache.get((b"/0", b""))  # now the most recent
    cache.put((b"/3", b""), entry(10))
    assert cache.get((b"/1", b"")) is None
    assert cache.get((b"/0", b"")) is not None
    cache.put((b"/big", b""), entry(95))
    assert sum(len(b) for b in cache.bodies()) <= 100
    cache.put((b"/huge", b""), entry(101))
    assert cache.get((b"/huge", b"")) is None


@given(
    st.lists(st.sampled_from(["br", "gzip", "identity", "*", "deflate", "x"]), max_size=4),
    st.sampled_from(["br", "gzip", "*"]),
)
def test_a_refused_coding_is_never_chosen(names: list[str], refused: str) -> None:
    header = ", ".join([*names, f"{refused};q=0"]).encode()
    chosen = encoding(header)
    assert chosen in ("br", "gzip", "identity")
    if refused != "*":
        assert chosen != refused
    elif not {"br", "gzip"} & set(names):
        assert chosen == "identity"


def test_encoding_prefers_brotli_then_gzip() -> None:
    assert encoding(b"gzip, deflate, br") == "br"
    assert encoding(b"gzip") == "gzip"
    assert encoding(b"") == "identity"
    assert encoding(b"br;q=0, *") == "gzip"
    assert encoding(b"gzip;q=bad") == "identity"


def test_a_database_in_memory_is_never_vouched_for() -> None:
    changes = watch("sqlite://")
    assert isinstance(changes, Unwatched)
    assert changes.generation() != changes.generation()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_sqlite_watch_sees_a_commit_by_another_connection(database_url: str) -> None:
    store = Store(database_url)
    writer = Store(database_url)
    try:
        changes = store.changes()
        before = changes.generation()
        assert changes.generation() == before
        with writer.write() as connection:
            connection.exec_driver_sql("INSERT INTO meta (key, value) VALUES ('probe', 'x')")
        assert changes.generation() != before
    finally:
        store.close()
        writer.close()


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_postgres_watch_distrusts_everything_until_it_listens(database_url: str) -> None:
    bad = PostgresChanges("postgresql+psycopg://nobody@127.0.0.1:1/none", retry_seconds=0.05)
    try:
        assert bad.generation() != bad.generation()
    finally:
        bad.close()
    store = Store(database_url)
    writer = Store(database_url)
    try:
        changes = store.changes()
        deadline = time.monotonic() + 5
        while changes.generation() != changes.generation() and time.monotonic() < deadline:
            time.sleep(0.01)
        before = changes.generation()
        assert before == changes.generation()
        with writer.write() as connection:
            connection.exec_driver_sql("UPDATE articles SET title = title")
        deadline = time.monotonic() + 5
        while changes.generation() == before and time.monotonic() < deadline:
            time.sleep(0.01)
        assert changes.generation() != before
    finally:
        store.close()
        writer.close()


async def get(layer: ReadPath, path: str) -> list[Message]:
    """The messages ``layer`` sends for a bare GET of ``path``."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": []}
    await layer(scope, receive, send)
    return sent


def test_an_answer_too_big_to_keep_is_streamed_on_whole() -> None:
    chunks = [b"a" * 8, b"b" * 8, b"c" * 8]

    async def streaming(scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"cache-control", b"public"), (b"content-type", b"text/plain")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for n, chunk in enumerate(chunks):
            more = n < len(chunks) - 1
            await send({"type": "http.response.body", "body": chunk, "more_body": more})

    cache = ReadCache(max_body=10)
    layer = ReadPath(streaming, cache=cache, state=SimpleNamespace())
    sent = anyio.run(get, layer, "/static/big.txt")
    assert sent[0]["status"] == 200
    assert b"".join(m.get("body", b"") for m in sent[1:]) == b"".join(chunks)
    assert cache.bodies() == []


def test_readers_arriving_together_wait_for_one_answer_made_once() -> None:
    made: list[str] = []

    async def slow(scope: Scope, receive: Receive, send: Send) -> None:
        made.append(scope["path"])
        await anyio.sleep(0.05)  # long enough for every reader to arrive meanwhile
        headers = [(b"cache-control", b"public"), (b"content-type", b"text/plain")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"the same for all"})

    layer = ReadPath(slow, cache=ReadCache(), state=SimpleNamespace())
    answers: list[bytes] = []

    async def read() -> None:
        sent = await get(layer, "/static/shared.txt")
        assert sent[0]["status"] == 200
        answers.append(b"".join(m.get("body", b"") for m in sent[1:]))

    async def together() -> None:
        async with anyio.create_task_group() as readers:
            for _ in range(16):
                readers.start_soon(read)

    anyio.run(together)
    assert made == ["/static/shared.txt"]
    assert answers == [b"the same for all"] * 16
