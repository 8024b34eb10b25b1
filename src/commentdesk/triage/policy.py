"""A site's triage policy, and the plain values that need I/O to be known.

Triage stays pure by taking what only the database or the rate limiter knows (how big
the near-duplicate cluster is, whether this commenter key is new, how many new keys
just arrived on the article) as values in :class:`Signals`, filled in by the desk.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PUBLISH, HOLD, FLAG, REFUSE = "publish", "hold", "flag", "refuse"
ACTIONS = (PUBLISH, HOLD, FLAG, REFUSE)


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each signal alone contributes to the risk (0 to 1).

    Signals combine as independent evidence: risk = 1 - product(1 - weight), so two
    suspect words (0.3 each) give 0.51, and nothing ever exceeds 1.
    """

    banned: float = 0.7
    suspect: float = 0.3
    # A listed word between quotation marks in a sentence that reports or condemns it:
    # a mention, below the flag threshold on its own.
    quoted: float = 0.15
    denied_link: float = 0.9
    shortened_link: float = 0.45
    ip_link: float = 0.6
    many_links: float = 0.4
    link: float = 0.1
    new_commenter_link: float = 0.25
    #: A phone number or messenger ID next to a commercial hook (loans, jobs, 리딩방...).
    contact_offer: float = 0.75
    #: A contact alone in a first comment; from a known commenter, ``contact``.
    contact_first: float = 0.2
    contact: float = 0.08
    campaign: float = 0.6
    repeat: float = 0.15
    new_commenter: float = 0.05
    commenter_burst: float = 0.4
    article_burst: float = 0.3
    reply_pile: float = 0.2
    shouting: float = 0.15
    classifier: float = 0.8
    #: What a crowd signal (first comment, bursts, reply piles) weighs when nothing in
    #: the text or its cluster is a reason: the crowd says how busy the article is, not
    #: what this comment says, so alone it must not lift an honest comment up the queue.
    crowd_alone: float = 0.05
    #: Close in meaning to comments moderators rejected: enough alone to flag.
    exemplar: float = 0.55


@dataclass(frozen=True, slots=True)
class Policy:
    """Thresholds that turn a risk into an action, per site.

    ``moderation="pre"`` holds every comment for review, so the lowest action is
    "hold"; under ``"post"`` a comment below ``hold_at`` is published at once.
    A banned word flags by default; ``refuse_banned`` refuses it with a message instead.
    """

    moderation: str = "pre"
    hold_at: float = 0.2
    flag_at: float = 0.5
    refuse_at: float = 0.97
    refuse_banned: bool = False
    max_links: int = 2
    campaign_size: int = 3
    #: A campaign needs spread: at least 2 pseudonyms, and 2 articles, or this many
    #: minutes between its first and latest copy, or ``campaign_pseudonyms`` pseudonyms.
    #: One pseudonym repeating itself is a repeat; two readers agreeing at once may be
    #: a coincidence.
    campaign_minutes: int = 30
    campaign_pseudonyms: int = 3
    commenter_burst: int = 5
    article_burst: int = 10
    reply_pile: int = 10
    weights: Weights = field(default_factory=Weights)

    def __post_init__(self) -> None:
        if self.moderation not in ("pre", "post"):
            raise ValueError(f"moderation must be 'pre' or 'post', not {self.moderation!r}")
        if not 0.0 <= self.hold_at <= self.flag_at <= self.refuse_at <= 1.0:
            raise ValueError("thresholds must satisfy 0 <= hold_at <= flag_at <= refuse_at <= 1")


@dataclass(frozen=True, slots=True)
class Cluster:
    """The near-duplicates already indexed for this text, within the desk's time window."""

    size: int
    pseudonyms: int
    articles: int
    minutes: int


@dataclass(frozen=True, slots=True)
class Close:
    """``count`` comments of the site rejected for ``category`` (abuse, threat, spam) in
    the last ``days`` days are close in meaning to this one."""

    category: str
    count: int
    days: int


@dataclass(frozen=True, slots=True)
class ClassifierScore:
    """What a pluggable toxicity or spam model said: its name and a probability."""

    name: str
    label: str
    probability: float


@dataclass(frozen=True, slots=True)
class Signals:
    """Signals that need I/O to know, passed in as values.

    ``commenter_recent``: this commenter key's submissions in the burst window;
    ``new_keys_on_article``: first-time keys on this article in that window;
    ``replies_to_parent``: replies to the same parent comment in that window.
    """

    cluster: Cluster | None = None
    new_commenter: bool = False
    commenter_recent: int = 0
    new_keys_on_article: int = 0
    replies_to_parent: int = 0
    classifier: ClassifierScore | None = None
    exemplars: tuple[Close, ...] = ()
