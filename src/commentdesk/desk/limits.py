"""How fast one source may submit: the desk's use of the token-bucket limiter."""

from __future__ import annotations

from commentdesk.desk.addresses import AddressHasher
from commentdesk.desk.context import Context
from commentdesk.errors import RateLimited
from commentdesk.throttle import Limiter, Rate
from commentdesk.throttle.limiter import Check


class SubmissionLimits:
    """Per commenter key, per hashed address, per article and per site, all at once.

    The commenter key carries most of the weight; the address limit is generous
    because many honest readers share one address.
    """

    def __init__(self, context: Context, limiter: Limiter) -> None:
        settings = context.settings
        self._limiter = limiter
        self._hash_address = AddressHasher(context)
        self._commenter = Rate.parse(settings.rate_commenter)
        self._address = Rate.parse(settings.rate_address)
        self._article = Rate.parse(settings.rate_article)
        self._site = Rate.parse(settings.rate_site)

    def checks(
        self,
        *,
        site_id: int,
        article_key: str,
        commenter_hash: str | None,
        address: str | None,
    ) -> list[Check]:
        """The buckets one submission draws from. Call it outside a write transaction:
        hashing the address may read (once a day, write) the day's salt."""
        # By key, not id: the limit holds before an article named by a host page is made.
        checks = [(f"article:{article_key}", self._article), (f"site:{site_id}", self._site)]
        if commenter_hash:
            checks.append((f"commenter:{commenter_hash}", self._commenter))
        if address:
            checks.append((f"address:{self._hash_address(address)}", self._address))
        return checks

    def spend(self, checks: list[Check]) -> None:
        """Spends one submission from every bucket; raises ``RateLimited`` when one is empty."""
        wait = self._limiter.spend(checks)
        if wait > 0:
            raise RateLimited(wait)
