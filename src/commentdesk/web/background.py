"""Background threads that live as long as the server: publishing, delivery, assessment.

Which ones run is the settings' choice; the app's lifespan starts each once the desk is
open and stops it (joined, off the event loop) before the desk is closed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from commentdesk.desk import Desk
from commentdesk.settings import Settings


class Background(Protocol):
    def start(self) -> None: ...

    def stop(self) -> None: ...


def background_workers(settings: Settings) -> list[Callable[[Desk], Background]]:
    """What to start beside the server, in the order to start it."""
    workers: list[Callable[[Desk], Background]] = []
    if settings.publish_on_decision and settings.publish_dir is not None:
        from commentdesk.web.publish import Publisher, Watcher

        directory, interval = settings.publish_dir, settings.publish_interval_seconds
        workers.append(lambda desk: Watcher(Publisher(desk, directory), interval))
    if settings.notify_in_server:
        from commentdesk.notify.worker import Worker

        workers.append(Worker)
    if settings.assess_in_server:
        from commentdesk.assessing import AssessmentProcess, AssessmentWorker

        workers.append(AssessmentProcess if settings.assess_in_child else AssessmentWorker)
    return workers
