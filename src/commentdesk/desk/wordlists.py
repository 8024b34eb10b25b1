"""Each site's word lists: the shipped starter lists until an admin saves its own.

Every change (the whole document, or one word added) is written with a
``word_list_changed`` staff event in the same transaction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import sqlalchemy as sa

from commentdesk.desk.audit import StaffAction, record_staff_event
from commentdesk.desk.context import Context
from commentdesk.errors import Forbidden, InvalidInput
from commentdesk.model import Moderator, Role
from commentdesk.store.tables import word_lists
from commentdesk.triage.wordlists import (
    Entry,
    Kind,
    Mode,
    WordList,
    WordListError,
    load_starter,
    starter_lists,
    to_json,
    wordlist_from_json,
)

LANGUAGES = ("en", "ko")
#: The longest word or phrase the "add a word" form takes (the JSON document has its own checks).
ENTRY_MAX = 100


class WordLists:
    def __init__(self, context: Context) -> None:
        self._context = context
        self._listeners: list[Callable[[int], None]] = []

    def on_change(self, listener: Callable[[int], None]) -> None:
        """Calls ``listener(site_id)`` after each save (screening drops its cached lists;
        it reads them through this service, so it cannot be handed in at construction)."""
        self._listeners.append(listener)

    def for_site(self, site_id: int) -> tuple[WordList, ...]:
        """The lists in force on a site: its own where saved, the starter lists elsewhere."""
        query = sa.select(word_lists.c.language, word_lists.c.body).where(
            word_lists.c.site_id == site_id
        )
        with self._context.store.read() as connection:
            saved = {row.language: row.body for row in connection.execute(query)}
        if not saved:
            return starter_lists()
        return tuple(
            wordlist_from_json(saved[lang], f"site {site_id} {lang}")
            if lang in saved
            else load_starter(lang)
            for lang in sorted({*LANGUAGES, *saved})
        )

    def document(self, site_id: int, language: str) -> str:
        """The JSON an admin edits for one language."""
        for wordlist in self.for_site(site_id):
            if wordlist.language == language:
                return to_json(wordlist)
        raise InvalidInput("language", f"There is no word list for {language!r}.")

    def save(self, actor: Moderator, site_id: int, language: str, document: str) -> WordList:
        """Validates and stores a site's list; raises ``InvalidInput`` saying what is wrong,
        ``Forbidden`` for a moderator who is not an admin."""
        try:
            wordlist = wordlist_from_json(document, f"site {site_id} {language}")
        except WordListError as exc:
            raise InvalidInput("body", f"This word list cannot be used: {exc}") from None
        if wordlist.language != language:
            raise InvalidInput("language", "The list's language does not match the one chosen.")
        return self._store(actor, site_id, wordlist)

    def add(
        self, actor: Moderator, site_id: int, language: str, text: str, kind: str, mode: str
    ) -> WordList:
        """Adds one word or phrase to the site's list for ``language`` (or changes how an
        entry of the same text is listed), keeping everything else as it is."""
        text = " ".join(text.split())
        if not text:
            raise InvalidInput("text", "Type the word or phrase to add.")
        if len(text) > ENTRY_MAX:
            raise InvalidInput("text", "Keep a word or phrase under %(n)s characters.", n=ENTRY_MAX)
        if kind not in set(Kind):
            raise InvalidInput("kind", "Choose banned, suspect or allowed.")
        if mode not in set(Mode):
            raise InvalidInput("mode", "Choose where the word may match.")
        current = self._current(site_id, language)
        entry = Entry(text=text, kind=Kind(kind), mode=Mode(mode))
        kept = tuple(e for e in current.entries if e.text.casefold() != text.casefold())
        wordlist = dataclasses.replace(current, entries=(*kept, entry))
        # Through the same checks as a saved document (an entry the matcher cannot use).
        return self.save(actor, site_id, language, to_json(wordlist))

    def _store(self, actor: Moderator, site_id: int, wordlist: WordList) -> WordList:
        if actor.role is not Role.ADMIN:
            raise Forbidden("Only an admin can change settings.")
        language = wordlist.language
        before = {e.text for e in self._current(site_id, language).entries}
        after = {e.text for e in wordlist.entries}
        now = self._context.clock()
        values = {"body": to_json(wordlist), "updated_at": now}
        with self._context.store.write() as connection:
            done = connection.execute(
                word_lists.update()
                .where(word_lists.c.site_id == site_id, word_lists.c.language == language)
                .values(values)
            )
            if done.rowcount == 0:
                connection.execute(
                    word_lists.insert().values(site_id=site_id, language=language, **values)
                )
            record_staff_event(
                connection,
                at=now,
                action=StaffAction.WORD_LIST,
                moderator_id=actor.id,
                site_id=site_id,
                target=language,
                before_text=f"{len(before)} entries",
                after_text=_changes(before, after, len(wordlist.entries)),
            )
        for listener in self._listeners:
            listener(site_id)
        return wordlist

    def _current(self, site_id: int, language: str) -> WordList:
        for wordlist in self.for_site(site_id):
            if wordlist.language == language:
                return wordlist
        return WordList(language=language, entries=())


def _changes(before: set[str], after: set[str], count: int, listed: int = 20) -> str:
    """What the audit log says of a change: the count, and the words added and removed."""
    added, removed = sorted(after - before), sorted(before - after)
    parts = [f"{count} entries"]
    if added:
        parts.append("added: " + ", ".join(added[:listed]) + (" …" if len(added) > listed else ""))
    if removed:
        more = " …" if len(removed) > listed else ""
        parts.append("removed: " + ", ".join(removed[:listed]) + more)
    return "; ".join(parts)
