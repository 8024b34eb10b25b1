"""Contacts in comments: phone numbers and messenger IDs, and the offers beside them.

Spam that cannot post a link posts a way to reach it: a phone number (see
:mod:`commentdesk.triage.phones`), a messenger ("카톡 abc123", "텔ㄹㅔ @xyz", "k a k a o",
"T3legram", t.me/… links) and a commercial hook ("급전", "work from home", "리딩방",
"정착지원금"). A contact next to a hook is an offer, strong evidence; a contact alone is
weaker, and numbers a site vouches for (helplines) are never evidence.

Messenger names and hooks are read on a skeleton of the text: each character folded
(NFKC, lower case, Cyrillic and Greek look-alikes to Latin), separators and spaces
dropped (so "카.톡" and "k a k a o" read as words), and a loose consonant followed by a
vowel composed into its syllable ("텔ㄹㅔ" reads 텔레). Pure; O(n) in the text (see
:func:`find_contacts`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from commentdesk.i18n import N_, Message
from commentdesk.triage.homoglyphs import fold_map
from commentdesk.triage.links import Link
from commentdesk.triage.phones import Phone, find_phones

#: Hosts whose links open a chat with someone: a contact, not a page.
CHAT_HOSTS = frozenset(
    {"t.me", "telegram.me", "telegram.dog", "wa.me", "chat.whatsapp.com", "api.whatsapp.com",
     "open.kakao.com", "qr.kakao.com", "pf.kakao.com", "line.me", "lin.ee"}
)  # fmt: skip
#: Contacts reported per text: a few are evidence enough, a thousand is no more.
MAX_CONTACTS = 16
#: An ID follows: "아이디", "id", ":" or "@" right after the app's name.
_ID = r"(?=아이디|id|:|@)"
#: A handle follows a ":": letters then a digit or "_" within 20 (bounded: no rescans).
_HANDLE = r":(?=[a-z.]{0,20}[0-9_])"
_A, _E, _O, _L = "[a@4]", "[e3]", "[o0]", "[l1]"
_TEL = "(?:텔|테ㄹ)"  # 텔 with its final consonant written apart: "ㅌㅔㄹ" reads 테ㄹ
# Each messenger by its names and their common disguises, on the skeleton (no spaces).
# Ambiguous names (라인 "line", 텔레 as in 텔레비전, 카카오 the company) count only with
# an ID marker or handle right after them.
_MESSENGERS = {
    "KakaoTalk": (
        rf"k{_A}k{_A}{_O}(?:t{_A}{_L}k|톡|{_ID})|k{_A}t{_A}{_L}k|카카오톡|카카오{_ID}|카톡|까톡|"
        r"깨톡|캬톡|카ㅌ|카토ㄱ|ㅋ톡|(?<!ㅋ)ㅋㅌ(?!ㅌ)|오픈채팅|오픈카톡|오픈톡|오카방|openchat|openk{_A}k{_A}{_O}"
    ),
    "Telegram": (
        rf"t{_E}{_L}{_E}gr{_A}m|텔레그램|텔레그|텔그램|{_TEL}[레ㄹ]?(?:ㄱㄹ|ㄱ램|그ㄹ)|텔ㄹ{_ID}|{_TEL}레(?=[a-z0-9@:]|아이디|방)|텔방|ㅌㄹㄱㄹ|ㅌㄹ{_ID}"
    ),
    "WhatsApp": rf"wh?{_A}t+s+{_A}pp?|왓츠앱|왓츠|왓샵",
    "LINE": rf"{_L}[i1!]ne(?:id|@|{_HANDLE})|라인(?:아이디|id|@|{_HANDLE})",
    "WeChat": r"wechat|위챗|微信",
}
_MESSENGER = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in _MESSENGERS.items()))
_DROPPED = frozenset(
    " \t\n\r\u00a0\u3000.,-_*·~|/\\'\"`^+=()[]{}<>!?;#…\u200b\u200c\u200d\u2060\ufeff\ufe0f"
)
_CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_VOWEL_FIRST, _VOWEL_LAST = 0x314F, 0x3163  # ㅏ … ㅣ


@dataclass(frozen=True, slots=True)
class Contact:
    """A way to reach someone at ``text[start:end]``: ``kind`` is "phone" or "messenger",
    ``value`` the number or the app's name."""

    kind: str
    value: str
    matched: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ContactReport:
    """The contacts in a text, and the hook families (see ``data/hooks.json``) beside them."""

    contacts: tuple[Contact, ...] = ()
    hooks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Hooks:
    """Hook entries by family, and each family's label for a moderator's sentence."""

    entries: dict[str, str]  # skeleton text -> family
    labels: dict[str, str]
    by_first: dict[str, tuple[str, ...]]  # entries by their first character


@cache
def starter_hooks() -> Hooks:
    """The hooks shipped in ``triage/data/hooks.json``, both languages."""
    raw = resources.files(__package__).joinpath("data").joinpath("hooks.json").read_text("utf-8")
    return hooks_from(json.loads(raw)["families"])


def hooks_from(families: dict[str, dict[str, object]]) -> Hooks:
    entries: dict[str, str] = {}
    labels: dict[str, str] = {}
    for family, body in families.items():
        labels[family] = str(body["label"])
        for language in ("en", "ko"):
            words = body.get(language, [])
            assert isinstance(words, list)
            for word in words:
                entries[skeleton(str(word))[0]] = family
    by_first: dict[str, list[str]] = {}
    for entry in entries:
        by_first.setdefault(entry[0], []).append(entry)
    return Hooks(entries, labels, {first: tuple(group) for first, group in by_first.items()})


def find_contacts(
    text: str,
    links: Iterable[Link] = (),
    vouched_numbers: Iterable[str] = (),
    hooks: Hooks | None = None,
) -> ContactReport:
    """Phone numbers (less the vouched ones), messenger names and chat links in ``text``,
    with the hook families found when there is a contact.

    O(n x E) for n characters (see :func:`find_hooks`): one skeleton pass, one regular
    expression whose repetitions are bounded, the phone pass (:func:`find_phones`).
    """
    contacts = [
        Contact("phone", phone.number, phone.matched, phone.start, phone.end)
        for phone in find_phones(text, vouched_numbers)
    ]
    contacts += [
        Contact("messenger", link.host, link.url, link.start, link.end)
        for link in links
        if link.host in CHAT_HOSTS
    ]
    folded, offsets = skeleton(text)
    for match in _MESSENGER.finditer(folded):
        if len(contacts) >= MAX_CONTACTS:
            break
        start = offsets[match.start()]
        end = offsets[match.end()] if match.end() < len(offsets) else len(text)
        while end > start + 1 and (text[end - 1] in _DROPPED or text[end - 1].isspace()):
            end -= 1  # the next kept character's start, less the separators before it
        if not any(c.start <= start < c.end for c in contacts):  # not inside a t.me link
            contacts.append(
                Contact("messenger", match.lastgroup or "", text[start:end], start, end)
            )
    if not contacts:
        return ContactReport()
    contacts.sort(key=lambda contact: contact.start)
    return ContactReport(tuple(contacts), find_hooks(folded, hooks or starter_hooks()))


def find_hooks(folded: str, hooks: Hooks) -> tuple[str, ...]:
    """The hook families present in a skeleton, in the data's order.

    O(n x E) where E is the most entries sharing a first character (about ten): only
    those are compared at a position."""
    found: set[str] = set()
    empty: tuple[str, ...] = ()
    by_first = hooks.by_first
    for position, char in enumerate(folded):
        for entry in by_first.get(char, empty):
            if folded.startswith(entry, position):
                found.add(hooks.entries[entry])
    return tuple(family for family in hooks.labels if family in found)


def skeleton(text: str) -> tuple[str, list[int]]:
    """``text`` folded, without separators, loose consonant+vowel jamo composed; with the
    index in ``text`` of each character kept. O(n)."""
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        folded = _folded(char)
        if not folded:
            continue
        if chars and _VOWEL_FIRST <= ord(folded) <= _VOWEL_LAST and chars[-1] in _CHOSEONG:
            initial = _CHOSEONG.index(chars[-1])
            vowel = ord(folded) - _VOWEL_FIRST
            chars[-1] = chr(0xAC00 + (initial * 21 + vowel) * 28)
            continue
        chars.append(folded)
        offsets.append(index)
    return "".join(chars), offsets


@lru_cache(maxsize=4096)
def _folded(char: str) -> str:
    """One character as the skeleton reads it, "" for a separator; cached per character."""
    if char in _DROPPED or char.isspace():
        return ""
    # Compatibility jamo stay as they are: NFKC would turn them into conjoining ones.
    folded = char if "\u3131" <= char <= "\u318e" else unicodedata.normalize("NFKC", char)
    if len(folded) == 1:
        fold = fold_map()
        folded = fold.get(folded) or fold.get(folded.lower(), folded.lower())
    return folded if len(folded) == 1 else char  # an expansion ("ﬁ", "İ"): as written


#: The starter hooks' labels (data/hooks.json), marked here for the catalogs so that a
#: moderator reads them in their language; a site's own labels stay as written.
STARTER_LABELS = (
    N_("a loan offer"),
    N_("a job offer"),
    N_("gambling"),
    N_("massage or escort services"),
    N_("drugs"),
    N_("a crypto or stock tip group"),
    N_("a resettlement or visa offer"),
)


def hook_label(family: str, hooks: Hooks | None = None) -> Message:
    """The hook's label as a ``Message``: said in the reader's language where it has one."""
    return Message((hooks or starter_hooks()).labels.get(family, family))


__all__ = ["CHAT_HOSTS", "Contact", "ContactReport", "Hooks", "Phone", "find_contacts"]
