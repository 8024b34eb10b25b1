"""Reads rows into the domain's records, and the queries the desk shares."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from commentdesk import sitetexts
from commentdesk.i18n import Message
from commentdesk.model import (
    Action,
    ActorKind,
    Article,
    Assessment,
    Comment,
    Event,
    Moderation,
    Moderator,
    Reason,
    Role,
    Section,
    Site,
    State,
)
from commentdesk.store.lists import one_of
from commentdesk.store.tables import articles, comments, events, moderators, sites


def site_from(row: RowMapping) -> Site:
    return Site(
        id=row["id"],
        slug=row["slug"],
        name=row["name"],
        language=row["language"],
        origins=tuple(row["origins"]),
        moderation=Moderation(row["moderation"]),
        terms_text=row["terms_text"],
        terms_version=row["terms_version"],
        auto_close_days=row["auto_close_days"],
        auto_create_articles=row["auto_create_articles"],
        terms_translations=tuple(sorted((row.get("terms_translations") or {}).items())),
        reject_reasons=sitetexts.reasons_from(row.get("reasons"), "reject"),
        edit_reasons=sitetexts.reasons_from(row.get("reasons"), "edit"),
    )


def article_from(row: RowMapping) -> Article:
    return Article(
        id=row["id"],
        site_id=row["site_id"],
        key=row["key"],
        url=row["url"],
        title=row["title"],
        is_open=row["is_open"],
        created_at=row["created_at"],
        closes_at=row["closes_at"],
        published_count=row["published_count"],
        published_version=row["published_version"],
        section_id=row["section_id"],
    )


def section_from(row: RowMapping) -> Section:
    override = row["moderation"]
    return Section(
        id=row["id"],
        site_id=row["site_id"],
        slug=row["slug"],
        name=row["name"],
        moderation=Moderation(override) if override else None,
        auto_close_days=row["auto_close_days"],
        terms=tuple((str(k), str(v)) for k, v in (row.get("terms") or {}).items()),
    )


def assessment_from(data: dict[str, Any]) -> Assessment:
    return Assessment(
        risk=float(data.get("risk", 0.0)),
        action=str(data.get("action", "hold")),
        reasons=tuple(Reason(r["code"], _said(r)) for r in data.get("reasons", ())),
    )


def assessment_to(assessment: Assessment) -> dict[str, Any]:
    return {
        "risk": assessment.risk,
        "action": assessment.action,
        "reasons": [_reason_to(r) for r in assessment.reasons],
    }


def _reason_to(reason: Reason) -> dict[str, Any]:
    """The code, the English sentence (for the API and older readers), and with a
    ``Message`` its catalog id and values, so the console can say it in any language."""
    stored: dict[str, Any] = {"code": reason.code, "message": str(reason.message)}
    if isinstance(reason.message, Message):
        stored["say"] = reason.message.to_data()
    return stored


def _said(stored: Mapping[str, Any]) -> str:
    """A stored reason's sentence: a ``Message`` again where it was kept as one (rows
    written before the catalog ids were kept have the English sentence only)."""
    if isinstance(stored.get("say"), Mapping):
        return Message.from_data(stored["say"])
    return str(stored["message"])


def comment_from(row: Mapping[Any, Any]) -> Comment:
    return Comment(
        id=row["id"],
        article_id=row["article_id"],
        parent_id=row["parent_id"],
        reply_to_id=row["reply_to_id"],
        depth=row["depth"],
        author=row["author"],
        body=row["body"],
        state=State(row["state"]),
        featured=row["featured"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        editable_until=row["editable_until"],
        edited_by_moderator=row["edited_by_moderator"],
        edit_reason=row["edit_reason"],
        decided_by=row.get("decided_by"),
        decided_at=row["decided_at"],
        decision_reason=row["decision_reason"],
        assessment=assessment_from(row["assessment"]),
        cluster_id=row["cluster_id"],
        erased=row.get("erased_at") is not None,
        text_removed=row.get("text_removed") is not None,
        language=row.get("language") or "",
        decision_reason_code=row.get("decision_reason_code"),
        edit_reason_code=row.get("edit_reason_code"),
        subscriber=bool(row.get("subscriber")),
    )


def moderator_from(row: RowMapping) -> Moderator:
    return Moderator(
        id=row["id"], name=row["name"], role=Role(row["role"]), disabled=row["disabled"]
    )


def event_from(row: RowMapping) -> Event:
    return Event(
        id=row["id"],
        at=row["at"],
        action=Action(row["action"]),
        actor_kind=ActorKind(row["actor_kind"]),
        actor=row.get("actor"),
        comment_id=row["comment_id"],
        from_state=State(row["from_state"]) if row["from_state"] else None,
        to_state=State(row["to_state"]) if row["to_state"] else None,
        reason=row["reason"],
        before_text=row["before_text"],
        after_text=row["after_text"],
        reason_code=row.get("reason_code"),
    )


# Comments joined with the name of the moderator who decided them.
_decider = moderators.alias("decider")
COMMENT_COLUMNS: Sequence[Any] = (*comments.c, _decider.c.name.label("decided_by"))
COMMENT_FROM = comments.outerjoin(_decider, _decider.c.id == comments.c.decided_by_id)


def select_comments() -> sa.Select[Any]:
    return sa.select(*COMMENT_COLUMNS).select_from(COMMENT_FROM)


def get_comment(
    connection: Connection, comment_id: int, *, for_update: bool = False
) -> Comment | None:
    if for_update:
        # Lock the row (PostgreSQL) so two decisions on it are taken one after the other.
        connection.execute(
            sa.select(comments.c.id).where(comments.c.id == comment_id).with_for_update()
        )
    row = connection.execute(select_comments().where(comments.c.id == comment_id)).mappings()
    found = row.first()
    return comment_from(found) if found else None


def get_articles(connection: Connection, ids: Iterable[int]) -> dict[int, Article]:
    """The articles ``ids`` that exist, by id."""
    rows = connection.execute(sa.select(articles).where(one_of(articles.c.id, ids))).mappings()
    return {row["id"]: article_from(row) for row in rows}


def get_article(connection: Connection, key: str) -> Article | None:
    row = connection.execute(sa.select(articles).where(articles.c.key == key)).mappings().first()
    return article_from(row) if row else None


#: Built once: the hot paths run this on every submission, and building a statement
#: (coercing each value, computing its cache key) costs more than executing it.
_SITE_BY_ID = sa.select(sites).where(sites.c.id == sa.bindparam("site_id"))


def get_site(connection: Connection, site_id: int) -> Site:
    row = connection.execute(_SITE_BY_ID, {"site_id": site_id}).mappings().one()
    return site_from(row)


def events_for(connection: Connection, comment_ids: Iterable[int]) -> list[Event]:
    query = (
        sa.select(*events.c, moderators.c.name.label("actor"))
        .select_from(events.outerjoin(moderators, moderators.c.id == events.c.moderator_id))
        .where(one_of(events.c.comment_id, comment_ids))
        .order_by(events.c.id)
    )
    return [event_from(row) for row in connection.execute(query).mappings()]


def bump_article(connection: Connection, article_id: int, *, count_delta: int = 0) -> None:
    """Marks the article's public thread as changed (new ETag), adjusting its count."""
    connection.execute(
        articles.update()
        .where(articles.c.id == article_id)
        .values(
            published_version=articles.c.published_version + 1,
            published_count=articles.c.published_count + count_delta,
        )
    )
