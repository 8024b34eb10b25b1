"""site texts: reasons and terms per language; decisions keep the code of their reason

A site's ``reject_reasons`` (a list of sentences) becomes ``reasons``: each sentence a
reason with a code, written in the site's language; a site without a list keeps the
defaults (NULL). Decisions already stored keep their words; those whose words begin
with one of their site's reject reasons get its code too, so they read in the reader's
language from now on.

Revision ID: 0013
Revises: 0012
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

#: The shipped reject reasons in English before this revision, with the codes they have now.
_DEFAULTS = (
    ("off-topic", "Off-topic"),
    ("personal-attack", "Personal attack"),
    ("hate-speech", "Hate speech"),
    ("spam", "Spam or advertising"),
    ("private-information", "Private information"),
    ("terms", "Breaks the terms of use"),
)


#: The columns of ``sites`` this revision reads and writes, as they are around it.
_SITES = sa.table(
    "sites",
    sa.column("id", sa.Integer),
    sa.column("language", sa.String),
    sa.column("reject_reasons", sa.JSON),
    sa.column("reasons", sa.JSON),
)


def _code(text: str, taken: set[str]) -> str:
    """As ``commentdesk.sitetexts.slug`` (copied: a revision must not change later)."""
    import re

    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:32].strip("-") or "reason"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


def upgrade() -> None:
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reasons", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("terms_translations", sa.JSON(), nullable=True))
    with op.batch_alter_table("terms_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("translations", sa.JSON(), nullable=True))
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_reason_code", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("edit_reason_code", sa.String(length=40), nullable=True))
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason_code", sa.String(length=40), nullable=True))

    bind = op.get_bind()
    sites = _SITES
    for row in bind.execute(sa.select(sites.c.id, sites.c.language, sites.c.reject_reasons)):
        if row.reject_reasons:
            taken: set[str] = set()
            chosen = []
            for text in row.reject_reasons:
                code = _code(text, taken)
                taken.add(code)
                chosen.append((code, text))
            document: dict[str, Any] = {
                "reject": [{"code": c, "texts": {row.language: t}} for c, t in chosen]
            }
            bind.execute(sites.update().where(sites.c.id == row.id).values(reasons=document))
        else:
            chosen = list(_DEFAULTS)
        _code_decisions(bind, row.id, chosen)
    _drop(("sites", "reject_reasons"))


def _code_decisions(bind: Any, site_id: int, chosen: list[tuple[str, str]]) -> None:
    """Gives the site's rejections made with one of its reasons that reason's code."""
    comments = sa.table(
        "comments",
        sa.column("article_id", sa.Integer),
        sa.column("state", sa.String),
        sa.column("decision_reason", sa.Text),
        sa.column("decision_reason_code", sa.String),
    )
    articles = sa.table("articles", sa.column("id", sa.Integer), sa.column("site_id", sa.Integer))
    on_site = sa.select(articles.c.id).where(articles.c.site_id == site_id)
    reason = comments.c.decision_reason
    for code, text in chosen:
        prefix = text + ": "
        bind.execute(
            comments.update()
            .where(
                comments.c.article_id.in_(on_site),
                comments.c.state == "rejected",
                comments.c.decision_reason_code.is_(None),
                sa.or_(
                    reason == text,
                    sa.func.substr(reason, 1, len(prefix)) == prefix,
                ),
            )
            .values(decision_reason_code=code)
        )


def downgrade() -> None:
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reject_reasons", sa.JSON(), nullable=True))
    bind = op.get_bind()
    sites = _SITES
    for row in bind.execute(sa.select(sites.c.id, sites.c.language, sites.c.reasons)):
        kept = (row.reasons or {}).get("reject") or []
        if kept:  # the sentences in the site's language, as the older version had them
            texts = [r["texts"].get(row.language) or next(iter(r["texts"].values())) for r in kept]
            bind.execute(sites.update().where(sites.c.id == row.id).values(reject_reasons=texts))
    _drop(
        ("events", "reason_code"),
        ("comments", "edit_reason_code"),
        ("comments", "decision_reason_code"),
        ("terms_versions", "translations"),
        ("sites", "terms_translations"),
        ("sites", "reasons"),
    )


def _drop(*columns: tuple[str, str]) -> None:
    """Drops columns in place (SQLite 3.35+ and PostgreSQL alike), not by batch's copy of
    the table: on SQLite a copied ``sites`` cannot be dropped while articles refer to it,
    and a copied ``comments`` would lose its search triggers."""
    for table, column in columns:
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
