"""The catalogs: in step with the code, complete in Korean, and loadable.

"Complete" is checked, not eyeballed: the template is extracted afresh from the sources
with babel.cfg and compared with the committed one, and every message of it must have a
non-fuzzy Korean translation whose placeholders match.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from commentdesk.i18n import Catalogs

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src" / "commentdesk" / "locale"
COMPLETE = ("ko",)  # languages every message must be translated into


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def _ids(catalog: Catalog) -> set[object]:
    return {message.id for message in catalog if message.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The template as `make messages` would write it from today's sources."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    argv = ["pybabel", "--quiet", "extract", "-F", str(ROOT / "babel.cfg"), "-o", str(out)]
    CommandLineInterface().run([*argv, str(ROOT)])  # type: ignore[no-untyped-call]
    return _read(out)


def test_the_committed_template_holds_every_marked_string(extracted: Catalog) -> None:
    """New strings must reach the template (and so the translators); a string no longer in
    the code is harmless until the next `make messages` drops it."""
    missing = _ids(extracted) - _ids(_read(LOCALE / "messages.pot"))
    assert not missing, f"run `make messages`; not in messages.pot: {sorted(map(str, missing))}"


@pytest.mark.parametrize("code", COMPLETE)
def test_every_message_is_translated(code: str, extracted: Catalog) -> None:
    catalog = _read(LOCALE / code / "LC_MESSAGES" / "messages.po", code)
    by_id: dict[object, Message] = {message.id: message for message in catalog if message.id}

    def translated(message_id: object) -> bool:
        found = by_id.get(message_id)
        strings = found.string if found else None
        forms = [strings] if isinstance(strings, str) else list(strings or [])
        return found is not None and not found.fuzzy and bool(forms) and all(forms)

    untranslated = [str(m.id) for m in extracted if m.id and not translated(m.id)]
    assert not untranslated, f"{code}: {len(untranslated)} untranslated: {untranslated[:20]}"


@pytest.mark.parametrize("code", ["en", *COMPLETE])
def test_placeholders_and_plural_forms_check_out(code: str) -> None:
    catalog = _read(LOCALE / code / "LC_MESSAGES" / "messages.po", code)
    problems = [(str(message.id), [str(e) for e in errors]) for message, errors in catalog.check()]
    assert problems == []
    assert not any(message.fuzzy for message in catalog if message.id)


def test_korean_has_one_plural_form() -> None:
    catalog = _read(LOCALE / "ko" / "LC_MESSAGES" / "messages.po", "ko")
    assert catalog.num_plurals == 1


def test_the_package_catalogs_load_english_and_korean() -> None:
    catalogs = Catalogs.load()
    assert catalogs.codes[:1] == ("en",)
    assert "ko" in catalogs.codes
    korean = catalogs.languages["ko"]
    assert korean.gettext("Write a comment") == "댓글 쓰기"
    assert korean.ngettext("%(num)d day", "%(num)d days", 7) % {"num": 7} == "7일"
    assert catalogs.languages["en"].gettext("Write a comment") == "Write a comment"


def test_a_folder_with_a_catalog_adds_a_language(tmp_path: Path) -> None:
    """More languages by adding a catalog: a right-to-left one, here, with one message."""
    folder = tmp_path / "ar" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Write a comment"\nmsgstr "اكتب تعليقًا"\n',
        encoding="utf-8",
    )
    (tmp_path / "xx-not-a-language" / "LC_MESSAGES").mkdir(parents=True)
    catalogs = Catalogs.load(tmp_path)
    assert catalogs.codes == ("en", "ar")
    arabic = catalogs.languages["ar"]
    assert (arabic.gettext("Write a comment"), arabic.direction, arabic.tag) == (
        "اكتب تعليقًا",
        "rtl",
        "ar",
    )
    assert arabic.gettext("Comments") == "Comments"  # untranslated: English, never an error
