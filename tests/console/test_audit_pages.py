"""The audit log page, its CSV export, the dashboard, its charts and the transparency CSV."""

from __future__ import annotations

import csv
import io

from commentdesk.desk import Desk
from commentdesk.model import Action
from commentdesk.web.csvfile import neutral
from tests.console.support import Browser
from tests.support import Post


def test_cells_that_look_like_formulas_are_made_text() -> None:
    for risky in ("=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert neutral(risky) == "'" + risky
    assert neutral("plain words") == "plain words"
    assert neutral("a = b") == "a = b"


def test_a_formula_after_leading_whitespace_is_made_text_too() -> None:
    for risky in (" =1+1", "\n=1+1", "\u00a0+cmd", "  @SUM(A1)", " \t-2"):
        assert neutral(risky) == "'" + risky


def test_the_audit_csv_escapes_what_readers_typed(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    post_comment('=HYPERLINK("http://evil.example","click")')
    answer = browser("chief").get("/console/audit.csv")
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0][:3] == ["at", "kind", "action"]
    texts = [row[-1] for row in rows[1:] if row[2] == "submit"]
    assert texts == ['\'=HYPERLINK("http://evil.example","click")']


def test_the_audit_log_finds_events_by_their_words(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    first, second = post_comment(), post_comment()
    mina = desk.accounts.get("mina")
    desk.moderation.decide(mina, first, Action.REJECT, reason="Doxxing attempt")
    desk.moderation.decide(mina, second, Action.REJECT, reason="Spam")
    html = browser("chief").get("/console/audit?q=doxx").text
    assert "Doxxing attempt" in html
    assert f"#{second}<" not in html


def test_a_comments_page_shows_its_whole_history_with_staff_events(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    comment_id = post_comment("first words")
    mina = desk.accounts.get("mina")
    desk.moderation.decide(mina, comment_id, Action.APPROVE)
    desk.decisions.undo(mina)
    html = browser("mina").get(f"/console/comments/{comment_id}").text
    for action in ("submitted", "approved", "undone"):  # the codes, named
        assert f"<td>{action}</td>" in html
    assert "<td>undo approved</td>" in html  # the reason the desk wrote, named too


def test_the_dashboard_shows_the_backlog_and_decisions(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    mina = desk.accounts.get("mina")
    desk.moderation.decide(mina, post_comment(), Action.APPROVE)
    post_comment()
    figures = desk.dashboard.figures(None)
    assert (figures.pending, figures.approved_week, figures.approval_rate) == (1, 1, 1.0)
    assert figures.per_moderator == [("mina", 1)]
    html = browser("mina").get("/console/dashboard").text
    assert '<img src="/console/charts/hourly.svg"' in html


def test_charts_are_svg_without_script_under_their_own_strict_policy(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    desk.moderation.decide(desk.accounts.get("mina"), post_comment(), Action.APPROVE)
    client = browser("mina")
    for name in ("hourly", "moderators", "articles"):
        answer = client.get(f"/console/charts/{name}.svg")
        assert answer.headers["content-type"] == "image/svg+xml"
        assert "script" not in answer.text.lower()
        assert "<svg" in answer.text
        assert "default-src 'none'" in answer.headers["content-security-policy"]


def test_the_transparency_report_counts_decisions_by_reason(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    mina = desk.accounts.get("mina")
    for reason in ("Spam: bot", "Spam: links", "Personal attack"):
        desk.moderation.decide(mina, post_comment(), Action.REJECT, reason=reason)
    desk.moderation.decide(mina, post_comment(), Action.APPROVE)
    answer = browser("mina").get("/console/transparency.csv?month=2026-11")
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows == [
        ["month", "site", "action", "reason", "count"],
        ["2026-11", "news", "approve", "", "1"],
        ["2026-11", "news", "reject", "Personal attack", "1"],
        ["2026-11", "news", "reject", "Spam", "2"],
        ["2026-11", "news", "statements", "", "3"],  # a statement of reasons per rejection
    ]


def test_the_transparency_report_makes_a_formula_in_a_reject_note_text(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    note = "=2+5+cmd|' /C calc'!A0"
    desk.moderation.decide(desk.accounts.get("mina"), post_comment(), Action.REJECT, reason=note)
    answer = browser("mina").get("/console/transparency.csv?month=2026-11")
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[1] == ["2026-11", "news", "reject", "'" + note, "1"]


def test_the_transparency_report_of_another_month_is_empty(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    desk.moderation.decide(desk.accounts.get("mina"), post_comment(), Action.APPROVE)
    answer = browser("mina").get("/console/transparency.csv?month=2026-10")
    assert answer.text.strip() == "month,site,action,reason,count"
