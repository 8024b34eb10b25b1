"""Contacts: phone numbers and messenger IDs found however disguised, helplines never,
and a contact beside a commercial hook is spam evidence in both languages."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commentdesk.triage import Signals, Triage, starter_lists
from commentdesk.triage.contacts import find_contacts, starter_hooks
from commentdesk.triage.links import extract_links
from commentdesk.triage.phones import find_phones, national_form
from commentdesk.triage.policy import Policy

TRIAGE = Triage.from_lists(starter_lists(), policy=Policy(moderation="post"))
FULL_WIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}
CIRCLED = {"0": "⓪", **{str(d): chr(0x2460 + d - 1) for d in range(1, 10)}}
KOREAN = dict(zip("0123456789", "공일이삼사오육칠팔구", strict=True))
LOOKALIKE = {"0": "O", "1": "l"}
SEPARATORS = ("", "-", " ", ".", " - ", "ㅡ", "\u200b", ")")


def contact_codes(text: str, signals: Signals | None = None) -> set[str]:
    reasons = TRIAGE.assess(text, signals).reasons
    return {reason.code for reason in reasons if "contact" in reason.code}


def flagged(text: str, signals: Signals) -> bool:
    return TRIAGE.assess(text, signals).risk >= TRIAGE.policy.hold_at


mobile_numbers = st.tuples(
    st.sampled_from("016789"), st.integers(1000, 9999), st.integers(0, 9999)
).map(lambda t: f"01{t[0]}{t[1]:04d}{t[2]:04d}")


@st.composite
def disguised(draw: st.DrawFn, number: str) -> str:
    """``number`` (010xxxxyyyy) written the ways spam writes it: each digit group in its
    own spelling, groups joined by a separator, sometimes a ☎ or 📞 before it. Look-alike
    letters (O1O) spell one group at most: a number of letters only is a word."""
    groups = (number[:3], number[3:7], number[7:])
    spelled = []
    looks = draw(st.integers(0, 2))
    for index, group in enumerate(groups):
        styles = ("ascii", "full", "circled", "korean", "spaced", *(("look",) * (index == looks)))
        style = draw(st.sampled_from(styles))
        if style == "full":
            spelled.append("".join(FULL_WIDTH[d] for d in group))
        elif style == "circled":
            spelled.append("".join(CIRCLED[d] for d in group))
        elif style == "korean":
            spelled.append("".join(KOREAN[d] for d in group))
        elif style == "look":
            spelled.append("".join(LOOKALIKE.get(d, d) for d in group))
        elif style == "spaced":
            spelled.append(" ".join(group))
        else:
            spelled.append(group)
    separator = draw(st.sampled_from(SEPARATORS))
    marker = draw(st.sampled_from(("", "☎ ", "📞", "Tel. ", "문의 ")))
    return marker + separator.join(spelled)


@given(st.data(), mobile_numbers)
@settings(max_examples=300)
def test_every_disguise_of_a_korean_mobile_number_is_found(
    data: st.DataObject, number: str
) -> None:
    written = data.draw(disguised(number))
    found = find_phones(f"연락 주세요 {written} 감사합니다")
    assert number in {phone.number for phone in found}, written


@given(st.sampled_from(("1577-1366", "1577 1366", "１５７７－１３６６", "1 5 7 7 1 3 6 6")))
def test_a_vouched_number_is_never_found(written: str) -> None:
    assert find_phones(f"힘들면 {written} 으로 전화하세요", {national_form("1577-1366")}) == ()


@given(st.data(), mobile_numbers, st.sampled_from(("급전 대출 가능", "재택 부업 고수익", "loan")))
@settings(max_examples=100)
def test_the_text_with_its_contact_removed_gives_no_contact_reason(
    data: st.DataObject, number: str, hook: str
) -> None:
    written = data.draw(disguised(number))
    text = f"{hook} {written} 연락주세요"
    assert contact_codes(text) == {"contact_spam"}
    [phone] = [p for p in find_phones(text) if p.number == number]
    without = text[: phone.start] + text[phone.end :]
    assert contact_codes(without, Signals(new_commenter=True)) == set()


def best_of_three(work: Callable[[], object]) -> float:
    """CPU seconds of the fastest of three runs: a busy machine inflates figures less."""
    times = []
    for _ in range(3):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return min(times)


soup_pieces = st.lists(
    st.sampled_from(["0", "1", "5", "8", " ", "  ", "-", "O", "l", "공", "일", "☎", "+", "010"]),
    min_size=1,
    max_size=24,
).map("".join)


@given(soup_pieces)
@settings(max_examples=40, deadline=None)
def test_a_5000_character_digit_and_space_soup_costs_little(piece: str) -> None:
    soup = (piece * (5000 // len(piece) + 1))[:5000]
    find_contacts("☎ 010-1234-5678 카톡")  # loads the data once: not the text's cost
    assert best_of_three(lambda: find_contacts(soup)) < 0.1


def test_the_cost_of_a_digit_soup_grows_linearly() -> None:
    def cost(size: int) -> float:
        soup = ("0 1 0 " * size)[:size]
        return best_of_three(lambda: find_contacts(soup))

    assert cost(20_000) < 8 * cost(5_000) + 0.01


@pytest.mark.parametrize(
    "written",
    [
        "02-123-4567",
        "1588-1234",
        "+82 10 1234 5678",
        "+1 202-555-0143",
        "1-800-555-0199",
        "☎ 031-123-4567",
        "O1O-l234-5678",
        "⓪①⓪-①②③④-⑤⑥⑦⑧",
        "공일공 일이삼사 오육칠팔",
    ],
)
def test_korean_and_international_numbers_are_found(written: str) -> None:
    assert len(find_phones(f"call {written} now")) == 1


@pytest.mark.parametrize(
    "text",
    [
        "가격은 15000원, 2023년 3월 12일에 올랐다",
        "The vote was 1 2 3 4 5 6 7 8 9 10 in favour",
        "hello 2024 1234 5678",
        "이 일이 사실이라면 오늘 삼성은 큰일이다",
        "Call me old fashioned, but I still read the paper",
    ],
)
def test_figures_dates_and_korean_numeral_syllables_in_prose_are_not_numbers(text: str) -> None:
    assert find_contacts(text, extract_links(text)).contacts == ()


@pytest.mark.parametrize(
    ("text", "app"),
    [
        ("카톡 abc123", "KakaoTalk"),
        ("카.톡 ID abc", "KakaoTalk"),
        ("카카오톡 친추", "KakaoTalk"),
        ("ㅋㅌ dd12", "KakaoTalk"),
        ("k a k a o: loan99", "KakaoTalk"),
        ("오픈채팅 들어오세요", "KakaoTalk"),
        ("텔레그램 @pump", "Telegram"),
        ("텔ㄹㅔ @pump_kr", "Telegram"),
        ("ㅌㅔㄹㄹㅔ @easyjob", "Telegram"),
        ("T3legram @signals", "Telegram"),
        ("Теlеgrаm @signals", "Telegram"),  # Cyrillic е and а
        ("WhatsApp me", "WhatsApp"),
        ("LINE ID: massage88", "LINE"),
        ("라인 아이디 abc", "LINE"),
        ("join t.me/pumpgroup", "t.me"),
    ],
)
def test_messenger_ids_are_found_written_plainly_spaced_or_with_look_alikes(
    text: str, app: str
) -> None:
    contacts = find_contacts(text, extract_links(text)).contacts
    assert app in {contact.value for contact in contacts}


@pytest.mark.parametrize(
    "text",
    [
        "텔레비전에서 봤다",
        "가이드라인이 필요하다",
        "카카오 주가가 올랐다",
        "ㅋㅋㅋㅋㅌㅌ",
        "online: they say",
    ],
)
def test_words_that_only_look_like_messenger_names_are_not_contacts(text: str) -> None:
    assert find_contacts(text).contacts == ()


@given(st.text(max_size=200))
def test_any_text_is_read_without_error(text: str) -> None:
    report = find_contacts(text, extract_links(text))
    assert all(0 <= c.start < c.end <= len(text) for c in report.contacts)


def test_characters_that_expand_when_folded_are_read_as_written() -> None:
    assert find_contacts("İstanbul ﬁ ǅ ß 카톡 abc").contacts[0].value == "KakaoTalk"


OFFERS = {
    "loan": ("급전 필요하신분 당일 대출", "Payday loan, no credit check"),
    "job": ("재택 부업 하루 30분 고수익", "Work from home, daily pay"),
    "gambling": ("토토 첫충 20% 꽁머니", "Casino bonus, baccarat tables"),
    "massage": ("출장 마사지 24시", "Outcall massage tonight"),
    "drugs": ("비아그라 처방없이 정품", "Viagra without prescription"),
    "crypto": ("코인 리딩방 무료 입장 급등주", "Crypto pump signals group 100x"),
    "resettlement": ("탈북민 정착지원금 신청대행", "Defector resettlement grant, fast approval"),
}


@pytest.mark.parametrize("family", sorted(OFFERS))
@pytest.mark.parametrize("language", [0, 1], ids=["ko", "en"])
def test_a_contact_beside_each_hook_family_is_contact_spam_that_flags(
    family: str, language: int
) -> None:
    hook = OFFERS[family][language]
    text = f"{hook} 010-2345-6789" if language == 0 else f"{hook}. Telegram @deals_99"
    assessment = TRIAGE.assess(text, Signals())
    top = assessment.reasons[0]
    assert top.code == "contact_spam"
    assert starter_hooks().labels[family] in top.message
    assert assessment.action == "flag"


def test_a_contact_alone_in_a_first_comment_is_held_with_a_weaker_reason() -> None:
    assessment = TRIAGE.assess("연락 주세요 010-2345-6789", Signals(new_commenter=True))
    assert assessment.reasons[0].code == "contact"
    assert "first comment" in assessment.reasons[0].message
    assert TRIAGE.policy.hold_at <= assessment.risk < TRIAGE.policy.flag_at


def test_a_contact_alone_from_a_known_commenter_is_at_most_a_weak_reason() -> None:
    assert not flagged("제 번호 010-2345-6789 로 연락 주세요", Signals())


@pytest.mark.parametrize("number", ["1577-1366", "1393", "129", "112", "119", "1345"])
def test_a_helpline_in_a_first_comment_is_no_reason(number: str) -> None:
    text = f"혼자 힘들어하지 마세요. {number} 에 전화하면 도와줍니다. 대출 상담도 됩니다."
    assert contact_codes(text, Signals(new_commenter=True)) == set()
