"""Each site's word lists: the shipped starter lists until an admin saves its own."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from commentdesk.desk.context import Context
from commentdesk.errors import InvalidInput
from commentdesk.store.tables import word_lists
from commentdesk.triage.wordlists import (
    WordList,
    WordListError,
    load_starter,
    starter_lists,
    to_json,
    wordlist_from_json,
)

LANGUAGES = ("en", "ko")


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

    def save(self, site_id: int, language: str, document: str) -> WordList:
        """Validates and stores a site's list; raises ``InvalidInput`` saying what is wrong."""
        try:
            wordlist = wordlist_from_json(document, f"site {site_id} {language}")
        except WordListError as exc:
            raise InvalidInput("body", f"This word list cannot be used: {exc}") from None
        if wordlist.language != language:
            raise InvalidInput("language", "The list's language does not match the one chosen.")
        values = {"body": to_json(wordlist), "updated_at": self._context.clock()}
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
        for listener in self._listeners:
            listener(site_id)
        return wordlist
