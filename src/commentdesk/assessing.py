"""The assessment worker's loop: batches of full assessments, soon after each 202.

A daemon thread inside ``commentdesk serve`` (``assess_in_server``), or part of
``commentdesk worker``. It runs a batch; when nothing is due it sleeps until this
process stores a comment (``Assessor.wake``) or ``assess_poll_seconds`` pass, so a
comment is assessed within a poll of being stored by any process. Any number of loops may
share a PostgreSQL database (claims skip locked rows); on SQLite, one per database is
the sensible choice, though claims stay correct with more.
"""

from __future__ import annotations

import logging
import threading

from commentdesk.desk import Desk

logger = logging.getLogger("commentdesk.assess")


class AssessmentWorker:
    def __init__(self, desk: Desk) -> None:
        self._desk = desk
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run(self) -> None:
        """Loops until ``stop``; errors (a database away) are logged and retried."""
        settings = self._desk.context.settings
        assessor = self._desk.assessor
        # The sentence encoder loads here, in the worker, before the first comment needs
        # it (seconds), never at import and never in a request.
        self._desk.screening.warm()
        while not self._stop.is_set():
            claimed = 0
            try:
                claimed = assessor.run_batch(settings.assess_batch)
            except Exception:
                logger.exception("the assessment worker failed; trying again")
            if claimed < settings.assess_batch:
                assessor.wake.wait(settings.assess_poll_seconds)
                assessor.wake.clear()

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="commentdesk-assess", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._desk.assessor.wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
