"""A campaign to moderate: one text posted by several pseudonyms from several browsers."""

from __future__ import annotations

from tests.support import Post

CAMPAIGN = (
    "The <b>election</b> was stolen by foreign agents and the newspaper is hiding the "
    "truth from you. Share this before they delete it! Number {n}"
)


def flood(post_comment: Post, copies: int = 5) -> list[int]:
    """Near-duplicates from as many pseudonyms and commenter keys."""
    return [
        post_comment(
            CAMPAIGN.format(n=n), author=f"Patriot{n}", commenter_key=f"key-{n:02d}-abcdefghijkl"
        )
        for n in range(copies)
    ]
