"""Triage reasons are stored as codes with their sentence's catalog id and values, and
said in the moderator's language: every reason the triage can give, in Korean, has no
English left beyond what the comment itself holds (its words, links and numbers)."""

from __future__ import annotations

import json
import re

from commentdesk.i18n import Catalogs, Message
from commentdesk.model import Assessment
from commentdesk.store.records import assessment_from, assessment_to
from commentdesk.triage.links import LinkPolicy
from commentdesk.triage.policy import ClassifierScore, Close, Cluster, Signals
from commentdesk.triage.scoring import Triage, without_text
from commentdesk.triage.wordlists import starter_lists

#: One text and its signals for each reason code the triage gives.
CASES: dict[str, tuple[str, Signals]] = {
    "words": ("이 새끼 카지노 씨발 '새끼'라는 말", Signals()),
    "links": (
        "https://denied.example/a https://bit.ly/b http://192.0.2.7/c https://x.example/d",
        Signals(),
    ),
    "first link": ("https://x.example/d", Signals(new_commenter=True)),
    "contact offer": ("대출 상담 010-2345-6789 010-3456-7890 카톡 문의", Signals()),
    "first contact": ("전화 주세요 010-2345-6789", Signals(new_commenter=True)),
    "crowd": (
        "THIS NEWSPAPER NEVER TELLS THE TRUTH ABOUT ANYTHING",
        Signals(
            cluster=Cluster(size=5, pseudonyms=4, articles=2, minutes=200),
            new_commenter=True,
            commenter_recent=6,
            new_keys_on_article=30,
            replies_to_parent=12,
            classifier=ClassifierScore("linear", "offensive", 0.91),
            exemplars=(Close("threat", 3, 7), Close("spam", 2, 30)),
        ),
    ),
    "repeat": ("같은 글", Signals(cluster=Cluster(size=2, pseudonyms=1, articles=1, minutes=3))),
}
#: What the cases' texts and signals hold, which a Korean sentence quotes as it is (and
#: "IP", an acronym Korean writes so too).
QUOTED = {"IP", "https", "http", "denied", "example", "bit", "ly", "linear", "offensive"}
SHOUTED = "THIS NEWSPAPER NEVER TELLS THE TRUTH ABOUT ANYTHING"


def assessments() -> list[Assessment]:
    triage = Triage.from_lists(starter_lists(), LinkPolicy(denied=frozenset({"denied.example"})))
    return [triage.assess(text, signals) for text, signals in CASES.values()]


def test_every_reason_is_said_in_korean() -> None:
    ko = Catalogs.load().languages["ko"]
    reasons = [reason for assessment in assessments() for reason in assessment.reasons]
    codes = {reason.code for reason in reasons}
    assert len(codes) >= 20, codes  # the cases reach (nearly) every kind of reason
    said = {reason.code: ko.say(reason.message) for reason in reasons}
    english = {
        code: words
        for code, sentence in said.items()
        if (words := [w for w in re.findall("[A-Za-z]{2,}", sentence) if w not in QUOTED])
        and SHOUTED not in sentence
    }
    assert english == {}


def test_a_stored_reason_is_said_again_in_any_language_as_it_was_in_english() -> None:
    ko = Catalogs.load().languages["ko"]
    for assessment in assessments():
        stored = assessment_from(assessment_to(assessment))
        assert stored == assessment  # the English sentences, unchanged
        for before, after in zip(assessment.reasons, stored.reasons, strict=True):
            assert isinstance(after.message, Message)
            assert ko.say(after.message) == ko.say(before.message)


def test_a_reason_stored_before_sentences_kept_their_ids_is_shown_as_stored() -> None:
    stored = {"risk": 0.5, "action": "hold", "reasons": [{"code": "link", "message": "link to x"}]}
    [reason] = assessment_from(stored).reasons
    assert Catalogs.load().languages["ko"].say(reason.message) == "link to x"


def test_an_erased_texts_reasons_name_their_kind_in_korean() -> None:
    ko = Catalogs.load().languages["ko"]
    words = Triage.from_lists(starter_lists()).assess("이 새끼 카지노")
    said = [ko.say(reason.message) for reason in without_text(words).reasons]
    assert said == ["의심 단어 (본문과 함께 인용 삭제됨)", "의심 스팸 (본문과 함께 인용 삭제됨)"]


def test_an_erased_texts_stored_reasons_keep_no_quote_in_their_values() -> None:
    stored = assessment_to(without_text(assessments()[0]))
    assert "새끼" not in json.dumps(stored, ensure_ascii=False)
