"""Combine every signal into an Assessment: a risk in [0, 1], reasons, an action.

Triage routes, it does not judge: each signal adds a weighted reason, the reasons
combine as independent evidence (noisy-OR), and the site's :class:`Policy` maps the
risk to publish / hold / flag / refuse. Every reason is a stable code for programs and
a sentence a moderator can act on, e.g. ``banned word '바보' (matched '바보야')``.

Pure: :class:`Triage` is built once from word lists and policies, and
:meth:`Triage.assess` takes text and :class:`Signals` of plain values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from commentdesk.i18n import Message, counted
from commentdesk.model import Assessment, Reason
from commentdesk.triage.contacts import ContactReport, find_contacts, hook_label
from commentdesk.triage.language import Detection, detect
from commentdesk.triage.links import Link, LinkPolicy, LinkReport, assess_links
from commentdesk.triage.matching import Match, Matcher
from commentdesk.triage.mentions import INSIDE
from commentdesk.triage.policy import (
    FLAG,
    HOLD,
    PUBLISH,
    REFUSE,
    Close,
    Cluster,
    Policy,
    Signals,
    Weights,
)
from commentdesk.triage.vouched import Vouched, starter_vouched
from commentdesk.triage.wordlists import Kind, WordList

# Each sentence is a ``Message``: stored with the assessment as its catalog id and values,
# said in the moderator's language by the console, English everywhere else.
_VIA = {
    "spaced": Message(", spaced out"),
    "choseong": Message(", initial consonants"),
    "disguised": Message(", disguised"),
    "keyboard": Message(", typed on an English keyboard"),
}
_SHOUTING_LETTERS = 20
_WORD_LABELS = {"hate": Message("slur"), "threat": Message("threat")}
_KINDS = {"banned": Message("banned"), "suspect": Message("suspect")}
#: Below this probability the model says nothing: the linear model rated a factual
#: correction "offensive (0.63)"; on the dev set every abusive text it is sure of is
#: above 0.7, the clean ones it wavers on below (bench/data/triage-unseen/dev.jsonl).
CLASSIFIER_FLOOR = 0.7
#: Signals about the crowd around a comment, not about its text: see :func:`score`.
CROWD = frozenset({"new_commenter", "commenter_burst", "article_burst", "reply_pile"})
#: Reasons whose sentence says nothing of the text (counts, times, a model's score);
#: every other sentence quotes words or links of it.
TEXT_FREE = frozenset(
    {
        "many_links", "duplicate_cluster", "repeated_text", "new_commenter",
        "commenter_burst", "article_burst", "reply_pile", "classifier", "shouting",
        "exemplar_abuse", "exemplar_threat", "exemplar_spam",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the text alone shows: list matches, links, contacts, language, shouting."""

    matches: tuple[Match, ...]
    links: LinkReport
    language: Detection
    shouting: bool
    contacts: ContactReport = field(default_factory=ContactReport)


#: The reasons whose sentence quotes the text, named for when the text is erased.
_CODE_NAMES = {
    "banned_word": Message("banned word"),
    "suspect_word": Message("suspect word"),
    "banned_spam": Message("banned spam"),
    "suspect_spam": Message("suspect spam"),
    "quoted_word": Message("quoted word"),
    "denied_link": Message("denied link"),
    "shortened_link": Message("shortened link"),
    "ip_link": Message("ip link"),
    "new_commenter_link": Message("new commenter link"),
    "link": Message("link"),
    "contact": Message("contact"),
    "contact_spam": Message("contact spam"),
}


@dataclass(frozen=True, slots=True)
class _Signal:
    code: str
    weight: float
    message: Message


@dataclass(frozen=True, slots=True)
class Triage:
    """Word lists, link rules, vouched numbers and thresholds of one site, ready to assess
    comments. ``vouched_numbers`` are in :func:`commentdesk.triage.phones.national_form`."""

    matcher: Matcher
    links: LinkPolicy = field(default_factory=LinkPolicy)
    policy: Policy = field(default_factory=Policy)
    vouched_numbers: frozenset[str] = frozenset()

    @classmethod
    def from_lists(
        cls,
        lists: Iterable[WordList],
        links: LinkPolicy | None = None,
        policy: Policy | None = None,
        vouched: Vouched | None = None,
    ) -> Triage:
        """Without ``links`` or ``vouched``, the shipped starter lists vouch for domains
        and numbers (:mod:`commentdesk.triage.vouched`)."""
        vouched = vouched or starter_vouched()
        links = links or LinkPolicy(allowed=vouched.domains)
        return cls(Matcher(lists), links, policy or Policy(), vouched.numbers)

    def examine(self, text: str) -> Evidence:
        """The evidence in ``text`` itself, with spans for highlighting.

        O(n) for n characters, with constants set by the word lists (longest entry,
        distinct entry lengths) and link policy (labels per domain), not by the text:
        see each step's docstring. ``make bench-worst`` times the worst shapes found.
        """
        links = assess_links(text, self.links)
        return Evidence(
            matches=self.matcher.find(text),
            links=links,
            language=detect(text),
            shouting=is_shouting(text),
            contacts=find_contacts(text, links.links, self.vouched_numbers),
        )

    def assess(self, text: str, signals: Signals | None = None) -> Assessment:
        """Assess ``text`` given the I/O-derived ``signals``."""
        return score(self.examine(text), signals or Signals(), self.policy)


def score(evidence: Evidence, signals: Signals, policy: Policy) -> Assessment:
    """Turn evidence and signals into an :class:`Assessment` under ``policy``.

    Crowd signals (:data:`CROWD`: a first comment, bursts, reply piles) say how busy the
    article is, not what the comment says. They weigh in full only beside a reason from
    the text or its cluster; alone each weighs ``weights.crowd_alone``, so after a flood
    an honest first comment stays below the hold threshold and below every comment with
    a reason in its text. They are listed after those reasons whatever their weight.
    """
    weights = policy.weights
    found = [
        *_word_signals(evidence.matches, weights),
        *_link_signals(evidence.links, signals, policy),
        *_contact_signals(evidence.contacts, signals, weights),
        *_io_signals(signals, policy),
    ]
    if evidence.shouting:
        found.append(_Signal("shouting", weights.shouting, Message("written mostly in capitals")))
    if not any(signal.code not in CROWD for signal in found):
        found = [_Signal(s.code, min(s.weight, weights.crowd_alone), s.message) for s in found]
    found.sort(key=lambda signal: (signal.code in CROWD, -signal.weight))
    safe = 1.0
    for signal in found:
        safe *= 1.0 - min(1.0, max(0.0, signal.weight))
    risk = round(1.0 - safe, 4)
    banned = any(
        match.entry.kind is Kind.BANNED and not match.standing for match in evidence.matches
    )
    reasons = tuple(Reason(signal.code, signal.message) for signal in found)
    return Assessment(risk=risk, action=_action(risk, banned, policy), reasons=reasons)


def without_text(assessment: Assessment) -> Assessment:
    """The assessment of a comment whose text is erased: the same risk, action and reason
    codes, but no sentence that quotes a word or a link of the text (``'shit'``,
    ``link to example.com``); those say only what kind of reason it was."""
    reasons = tuple(
        reason
        if reason.code in TEXT_FREE
        else Reason(
            reason.code,
            Message(
                "%(code)s (quote removed with the text)",
                code=_CODE_NAMES.get(reason.code) or reason.code.replace("_", " "),
            ),
        )
        for reason in assessment.reasons
    )
    return Assessment(risk=assessment.risk, action=assessment.action, reasons=reasons)


def is_shouting(text: str) -> bool:
    """Mostly capitals over at least 20 cased letters (Hangul has no case). O(n)."""
    cased = [char for char in text if char.isupper() or char.islower()]
    if len(cased) < _SHOUTING_LETTERS:
        return False
    return sum(char.isupper() for char in cased) / len(cased) >= 0.7


def _action(risk: float, banned: bool, policy: Policy) -> str:
    if risk >= policy.refuse_at or (banned and policy.refuse_banned):
        return REFUSE
    if risk >= policy.flag_at:
        return FLAG
    if risk >= policy.hold_at or policy.moderation == "pre":
        return HOLD
    return PUBLISH


def _word_signals(matches: tuple[Match, ...], weights: Weights) -> list[_Signal]:
    by_entry: dict[tuple[str, str, str], list[Match]] = {}
    for match in matches:
        by_entry.setdefault((match.entry.text, match.entry.kind, match.language), []).append(match)
    return [_word_signal(group, weights) for group in by_entry.values()]


def _word_signal(group: list[Match], weights: Weights) -> _Signal:
    """One reason per entry, from its plainest match: a word used outright, else one
    inside a longer word (suspect at most), else one quoted to condemn it (a mention)."""
    plain = [m for m in group if not m.standing]
    inside = [m for m in group if m.standing == INSIDE]
    first = (plain or inside or group)[0]
    entry = first.entry
    spam = entry.category == "spam"
    label = Message("spam phrase") if spam else _WORD_LABELS.get(entry.category, Message("word"))
    others = len(group) - 1
    more = _and_more(others)
    matched = Message(
        "(matched '%(matched)s'%(via)s%(more)s)",
        matched=first.matched,
        via=_VIA.get(first.via, ""),
        more=more,
    )
    if not plain and not inside:
        message = Message(
            "%(label)s '%(text)s' quoted to report it %(matched)s",
            label=label,
            text=entry.text,
            matched=matched,
        )
        return _Signal("quoted_word", weights.quoted, message)
    kind = entry.kind if plain else Kind.SUSPECT
    code = f"{kind}_{'spam' if spam else 'word'}"
    values = {"kind": _KINDS.get(entry.kind, entry.kind), "label": label, "text": entry.text}
    message = (
        Message("%(kind)s %(label)s '%(text)s' %(matched)s", matched=matched, **values)
        if plain
        else Message(
            "%(kind)s %(label)s '%(text)s' inside a longer word %(matched)s",
            matched=matched,
            **values,
        )
    )
    return _Signal(code, weights.banned if kind is Kind.BANNED else weights.suspect, message)


def _and_more(others: int) -> Message | str:
    """ " and 2 more" after a quote, or nothing."""
    return counted(" and %(num)s more", " and %(num)s more", others) if others else ""


def _link_signals(report: LinkReport, signals: Signals, policy: Policy) -> list[_Signal]:
    weights = policy.weights
    found = [
        _Signal(
            "denied_link",
            weights.denied_link,
            Message("link to denied domain %(host)s", host=link.host),
        )
        for link in _unique_hosts(report.denied)
    ]
    found += [
        _Signal(
            "shortened_link",
            weights.shortened_link,
            Message("shortened link via %(host)s", host=link.host),
        )
        for link in _unique_hosts(report.shortened)
    ]
    found += [
        _Signal(
            "ip_link",
            weights.ip_link,
            Message("link to a raw IP address (%(host)s)", host=link.host),
        )
        for link in _unique_hosts(report.raw_ip)
    ]
    unvouched = report.unvouched
    if len(unvouched) > policy.max_links:  # citing three agencies is not link spam
        message = counted(
            "%(num)s link (more than %(max)s)",
            "%(num)s links (more than %(max)s)",
            len(unvouched),
            max=policy.max_links,
        )
        found.append(_Signal("many_links", weights.many_links, message))
    elif unvouched and signals.new_commenter:
        message = Message("link to %(host)s in a first comment", host=unvouched[0].host)
        found.append(_Signal("new_commenter_link", weights.new_commenter_link, message))
    elif unvouched:
        message = Message("link to %(host)s", host=unvouched[0].host)
        found.append(_Signal("link", weights.link, message))
    return found


def _contact_signals(report: ContactReport, signals: Signals, weights: Weights) -> list[_Signal]:
    """One reason for the contacts of a comment: an offer beside a hook, or a contact alone
    (weaker in a first comment, weakest from a known commenter)."""
    if not report.contacts:
        return []
    first = report.contacts[0]
    what = (
        Message("phone number")
        if first.kind == "phone"
        else Message("%(name)s contact", name=first.value)
    )
    quoted = Message(
        "'%(matched)s'%(more)s", matched=first.matched, more=_and_more(len(report.contacts) - 1)
    )
    if report.hooks:
        labels = [hook_label(family) for family in report.hooks[:2]]
        offers = (
            labels[0] if len(labels) == 1 else Message("%(a)s and %(b)s", a=labels[0], b=labels[1])
        )
        message = Message(
            "%(what)s with %(offers)s (%(quoted)s)", what=what, offers=offers, quoted=quoted
        )
        return [_Signal("contact_spam", weights.contact_offer, message)]
    if signals.new_commenter:
        message = Message("%(what)s in a first comment (%(quoted)s)", what=what, quoted=quoted)
        return [_Signal("contact", weights.contact_first, message)]
    return [
        _Signal(
            "contact", weights.contact, Message("%(what)s (%(quoted)s)", what=what, quoted=quoted)
        )
    ]


def _io_signals(signals: Signals, policy: Policy) -> list[_Signal]:
    weights, found = policy.weights, []
    cluster = signals.cluster
    if cluster is not None and cluster.size > 0:
        if is_campaign(cluster, policy):
            weight = min(0.95, weights.campaign + 0.05 * min(cluster.pseudonyms, 7))
            found.append(_Signal("duplicate_cluster", weight, _cluster_sentence(signals)))
        else:
            message = counted(
                "same text as %(num)s earlier comment",
                "same text as %(num)s earlier comments",
                cluster.size,
            )
            found.append(_Signal("repeated_text", weights.repeat, message))
    for close in signals.exemplars:
        found.append(_Signal(f"exemplar_{close.category}", weights.exemplar, _close(close)))
    if signals.new_commenter:
        found.append(_Signal("new_commenter", weights.new_commenter, Message("first comment")))
    if signals.commenter_recent >= policy.commenter_burst:
        message = counted(
            "%(num)s comment from this commenter just now",
            "%(num)s comments from this commenter just now",
            signals.commenter_recent,
        )
        found.append(_Signal("commenter_burst", weights.commenter_burst, message))
    if signals.new_commenter and signals.new_keys_on_article >= policy.article_burst:
        message = counted(
            "%(num)s new commenter on this article just now",
            "%(num)s new commenters on this article just now",
            signals.new_keys_on_article,
        )
        found.append(_Signal("article_burst", weights.article_burst, message))
    if signals.replies_to_parent >= policy.reply_pile:
        message = counted(
            "%(num)s reply piling onto one comment",
            "%(num)s replies piling onto one comment",
            signals.replies_to_parent,
        )
        found.append(_Signal("reply_pile", weights.reply_pile, message))
    # A model's low scores are noise to a moderator; only a likely hit is a reason.
    if signals.classifier is not None and signals.classifier.probability >= CLASSIFIER_FLOOR:
        score = signals.classifier
        message = Message(
            "%(model)s rates it %(label)s (%(probability).2f)",
            model=score.name,
            label=score.label,
            probability=score.probability,
        )
        found.append(_Signal("classifier", weights.classifier * score.probability, message))
    return found


def is_campaign(cluster: Cluster, policy: Policy) -> bool:
    """Spread, not size: several pseudonyms, over articles or time (or a crowd at once).

    One pseudonym posting its text ten times on one article is ``repeated_text``."""
    if cluster.pseudonyms < 2:
        return False
    return (
        cluster.articles >= 2
        or cluster.minutes >= policy.campaign_minutes
        or cluster.pseudonyms >= policy.campaign_pseudonyms
    )


_CATEGORY_NOUNS = {
    "threat": Message("threats"),
    "spam": Message("spam"),
    "abuse": Message("abuse"),
}


def _close(close: Close) -> Message:
    """ "close to 4 comments rejected for threats this week" """
    when = (
        Message("this week")
        if close.days == 7
        else counted("in the last %(num)s day", "in the last %(num)s days", close.days)
    )
    return counted(
        "close to %(num)s comment rejected for %(category)s %(when)s",
        "close to %(num)s comments rejected for %(category)s %(when)s",
        close.count,
        category=_CATEGORY_NOUNS.get(close.category, close.category),
        when=when,
    )


def _cluster_sentence(signals: Signals) -> Message:
    cluster = signals.cluster
    assert cluster is not None  # only called with one
    return Message(
        "same text as %(comments)s from %(pseudonyms)s on %(articles)s in %(duration)s",
        comments=counted("%(num)s comment", "%(num)s comments", cluster.size),
        pseudonyms=counted("%(num)s pseudonym", "%(num)s pseudonyms", cluster.pseudonyms),
        articles=counted("%(num)s article", "%(num)s articles", cluster.articles),
        duration=_duration(cluster.minutes),
    )


def _duration(minutes: int) -> Message:
    if minutes < 120:
        return counted("%(num)s minute", "%(num)s minutes", max(1, minutes))
    if minutes < 48 * 60:
        return counted("%(num)s hour", "%(num)s hours", round(minutes / 60))
    return counted("%(num)s day", "%(num)s days", round(minutes / 1440))


def _unique_hosts(links: Iterable[Link]) -> list[Link]:
    """One link per host: ten links to one denied domain are one reason, not ten."""
    return list({link.host: link for link in reversed(tuple(links))}.values())[::-1]
