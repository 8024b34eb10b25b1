"""Languages: the catalogs, choosing one, and saying things, dates and numbers in it.

Pure: no HTTP and no request state. ``commentdesk.web.i18n`` reads a request (the
``?lang=`` link, the ``cd_lang`` cookie, ``Accept-Language``) and hands the values to
``Catalogs.negotiate``, which decides in this order:

1. the reader's own choice, made with the switch on the page (the strongest signal);
2. the site's language, for pages that belong to a site: a Korean newsroom's comment
   pages are Korean even for a reader whose browser asks for English (Tor Browser
   asks every site for ``en-US``, whoever uses it);
3. ``Accept-Language``, for pages that belong to no site (the console, a missing
   article) or a site whose language has no catalog;
4. English, the language the messages are written in.

A language is one folder ``locale/<code>/LC_MESSAGES/messages.po``; adding a folder adds a
language. The ``.po`` files are the only thing kept: each is compiled in memory when first
needed (``babel.messages.mofile``), so a compiled ``.mo`` can never be staler than its source.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from importlib.resources.abc import Traversable
from io import BytesIO
from typing import Any, Literal

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton, format_timedelta
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

#: The language the messages are written in, and the last resort.
SOURCE = "en"
#: A language code as it may come from a link, a cookie or a header: ``ko``, ``pt-BR``.
_CODE = re.compile(r"[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*")


def N_(message: str) -> str:
    """Marks ``message`` for the catalog (``make messages``) and returns it unchanged."""
    return message


class Message(str):
    """A sentence in English that remembers its catalog id and the values put into it.

    The desk speaks English (it never knows who is reading); the web layer says the same
    sentence in the reader's language with ``Language.say``. Being a ``str``, it reads as
    the English sentence everywhere else: logs, the CLI, code comparing messages. A value
    that is itself a ``Message`` is said in the same language (a sentence built of parts);
    one made by :func:`counted` picks its plural form in each language.
    """

    template: str
    params: Mapping[str, object]
    plural: str | None = None

    def __new__(cls, template: str, /, **params: object) -> Message:
        made = super().__new__(cls, template % params if params else template)
        made.template = template
        made.params = params
        return made

    def __reduce__(self) -> tuple[object, ...]:  # exceptions and copies keep the id
        return (_rebuild, (self.to_data(),))

    def to_data(self) -> dict[str, object]:
        """The message as JSON-ready data (stored with an assessment), to say it later."""
        params = {k: v.to_data() if isinstance(v, Message) else v for k, v in self.params.items()}
        data: dict[str, object] = {"t": self.template, "p": params}
        if self.plural is not None:
            data["pl"] = self.plural
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Message:
        """What ``to_data`` wrote, the same message again."""
        params = {
            k: cls.from_data(v) if isinstance(v, Mapping) else v
            for k, v in dict(data.get("p") or {}).items()
        }
        if data.get("pl") is not None:
            num = params.pop("num", 0)
            return counted(str(data["t"]), str(data["pl"]), int(num), **params)
        return cls(str(data["t"]), **params)


def counted(singular: str, plural: str, num: int, /, **params: object) -> Message:
    """A ``Message`` about ``num`` things: ``%(num)s`` in the sentence, whose form each
    language chooses (``make messages`` extracts both forms as one plural entry)."""
    values = {"num": num, **params}
    made = str.__new__(Message, (singular if num == 1 else plural) % values)
    made.template = singular
    made.params = values
    made.plural = plural
    return made


def _rebuild(data: dict[str, object]) -> Message:
    return Message.from_data(data)


@dataclass(frozen=True, slots=True)
class Language:
    """One interface language: its catalog, and how it writes dates and numbers."""

    code: str  # as its folder is named: ``ko``, ``pt_BR``
    translations: NullTranslations

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.code)

    @property
    def tag(self) -> str:
        """The BCP 47 tag for ``lang`` attributes and headers: ``pt-BR``."""
        return self.code.replace("_", "-")

    @property
    def direction(self) -> Literal["ltr", "rtl"]:
        return "rtl" if self.locale.character_order == "right-to-left" else "ltr"

    @property
    def name(self) -> str:
        """The language's name in itself ("한국어"), for the switch."""
        name = self.locale.get_display_name(self.locale) or self.code
        return name[:1].upper() + name[1:]

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return str(self.translations.pgettext(context, message))

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self.translations.npgettext(context, singular, plural, n)

    def say(self, message: str) -> str:
        """``message`` in this language: a ``Message`` with its values put back in, or a
        plain sentence looked up as it is. Falls back to English, never fails."""
        if not isinstance(message, Message):
            return self.gettext(message)
        params = {
            k: self.say(v) if isinstance(v, Message) else v for k, v in message.params.items()
        }
        if message.plural is not None:
            translated = self.ngettext(message.template, message.plural, int(params["num"]))  # type: ignore[call-overload]
        else:
            translated = self.gettext(message.template)
        if not params:
            return translated
        try:
            return translated % params
        except (KeyError, ValueError, TypeError):  # a broken translation: say it in English
            return str(message)

    def number(self, value: float) -> str:
        """``1,234`` in English, ``1,234`` in Korean, ``1.234`` in German."""
        return format_decimal(value, locale=self.locale)

    def percent(self, value: float) -> str:
        return format_percent(value, locale=self.locale)

    def relative_time(self, when: datetime, now: datetime) -> str | None:
        return relative_time(when, now, self.code)

    def absolute_time(self, when: datetime) -> str:
        return absolute_time(when, self.code)


def relative_time(when: datetime, now: datetime, locale: str = SOURCE) -> str | None:
    """ "3 hours ago", or None for "just now" (under a minute, or clock skew ahead)."""
    delta = when - now
    if delta.total_seconds() > -60:
        return None
    return format_timedelta(delta, add_direction=True, locale=locale)


def absolute_time(when: datetime, locale: str = SOURCE) -> str:
    """Date and minute in UTC, in the locale's order and words: "Nov 1, 2026, 12:00 UTC",
    "2026년 11월 1일 12:00 UTC"."""
    parsed = Locale.parse(locale)
    day = format_skeleton("yMMMd", when, tzinfo=UTC, locale=parsed)
    time = format_skeleton("Hm", when, tzinfo=UTC, locale=parsed)
    glue = str(parsed.datetime_formats.get("medium", "{1} {0}"))
    return glue.format(time, day) + " UTC"


def _compile(po: Traversable, code: str) -> Translations:
    """The ``.po`` file as gettext would read its ``.mo``; fuzzy entries left out."""
    with po.open("rb") as source:
        catalog = read_po(source, locale=code)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def _parse_accept(header: str) -> list[str]:
    """The tags of an ``Accept-Language`` header, most wanted first (``q=0`` dropped)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(ranked)]


@dataclass(frozen=True, slots=True)
class Catalogs:
    """Every language there is a catalog for, by code."""

    languages: Mapping[str, Language]

    @classmethod
    def load(cls, directory: Traversable | None = None) -> Catalogs:
        """The catalogs under ``directory`` (the package's ``locale`` folder by default).

        Compiled once per folder and process: they are read-only data, like templates.
        """
        folder = directory or files("commentdesk") / "locale"
        return _load(folder)  # type: ignore[arg-type]  # a Path or MultiplexedPath: hashable

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.languages)

    def get(self, code: str | None) -> Language | None:
        """The language whose code is ``code`` (``ko``, ``pt-BR``, ``pt_br``), if any."""
        if not code or not _CODE.fullmatch(code):
            return None
        wanted = code.replace("-", "_").lower()
        return next((lang for c, lang in self.languages.items() if c.lower() == wanted), None)

    def best_match(self, header: str | None) -> Language | None:
        """The language an ``Accept-Language`` header asks for most, if there is one."""
        for tag in _parse_accept(header or ""):
            found = self.get(tag) or self.get(re.split(r"[_-]", tag)[0])
            if found is not None:
                return found
        return None

    def negotiate(
        self,
        *,
        choice: str | None = None,
        site: str | None = None,
        accept_language: str | None = None,
    ) -> Language:
        """The reader's choice, else the site's language, else the browser's, else English
        (see the module's docstring for why in this order)."""
        return (
            self.get(choice)
            or self.get(site)
            or self.best_match(accept_language)
            or self.languages.get(SOURCE)
            or Language(SOURCE, NullTranslations())
        )

    def others(self, current: Language) -> Iterable[Language]:
        """The languages a page can switch to from ``current``."""
        return (lang for code, lang in self.languages.items() if code != current.code)


@functools.cache
def _load(directory: Traversable) -> Catalogs:
    found: dict[str, Language] = {}
    folders = sorted(directory.iterdir(), key=lambda f: f.name) if directory.is_dir() else []
    for folder in folders:
        po = folder / "LC_MESSAGES" / "messages.po"
        if not po.is_file():
            continue
        try:
            Locale.parse(folder.name)
        except (ValueError, UnknownLocaleError):
            continue  # not a language Babel knows how to write dates in
        found[folder.name] = Language(folder.name, _compile(po, folder.name))
    found.setdefault(SOURCE, Language(SOURCE, NullTranslations()))
    ordered = dict(sorted(found.items(), key=lambda item: (item[0] != SOURCE, item[0])))
    return Catalogs(ordered)
