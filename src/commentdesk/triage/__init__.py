"""Automated triage: routes each submission with a risk score and the reasons for it.

Everything in this package is pure: no I/O, database, HTTP or clock. What needs I/O
(the near-duplicate cluster, first-comment and burst counts) is passed in as plain
values through :class:`Signals`. Start from :class:`Triage`::

    triage = Triage.from_lists(starter_lists(), policy=Policy(moderation="pre"))
    assessment = triage.assess(body, Signals(new_commenter=True))

Without a ``LinkPolicy`` or ``Vouched`` lists, the shipped starter lists vouch for
reputable domains and helpline numbers (:mod:`commentdesk.triage.vouched`).
"""

from commentdesk.triage.language import Detection, detect
from commentdesk.triage.links import LinkPolicy, LinkReport, assess_links, extract_links
from commentdesk.triage.matching import Match, Matcher
from commentdesk.triage.minhash import (
    band_keys,
    signature,
    significant,
    similarity,
)
from commentdesk.triage.normalize import fold, normalize
from commentdesk.triage.policy import ClassifierScore, Cluster, Policy, Signals, Weights
from commentdesk.triage.scoring import Evidence, Triage, score
from commentdesk.triage.wordlists import (
    Entry,
    Kind,
    Mode,
    WordList,
    WordListError,
    load_starter,
    starter_lists,
    wordlist_from_json,
)

__all__ = [
    "ClassifierScore",
    "Cluster",
    "Detection",
    "Entry",
    "Evidence",
    "Kind",
    "LinkPolicy",
    "LinkReport",
    "Match",
    "Matcher",
    "Mode",
    "Policy",
    "Signals",
    "Triage",
    "Weights",
    "WordList",
    "WordListError",
    "assess_links",
    "band_keys",
    "detect",
    "extract_links",
    "fold",
    "load_starter",
    "normalize",
    "score",
    "signature",
    "significant",
    "similarity",
    "starter_lists",
    "wordlist_from_json",
]
