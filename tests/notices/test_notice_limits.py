"""Notices are rate limited as submissions are: per address and per comment."""

from __future__ import annotations

from dataclasses import replace

import pytest

from commentdesk.desk import Desk
from commentdesk.errors import FieldsInvalid, RateLimited
from commentdesk.notices import NoticeDraft
from commentdesk.settings import Settings
from tests.support import MakeSettings


@pytest.fixture
def settings(make_settings: MakeSettings) -> Settings:
    return make_settings(rate_commenter="3/300")


def test_a_fourth_notice_from_one_address_within_the_window_is_refused(
    desk: Desk, published: int, draft: NoticeDraft
) -> None:
    for _ in range(3):
        desk.notices.file(published, draft, language="en", address="192.0.2.7")
    with pytest.raises(RateLimited):
        desk.notices.file(published, draft, language="en", address="192.0.2.7")


def test_an_invalid_notice_spends_nothing(desk: Desk, published: int, draft: NoticeDraft) -> None:
    for _ in range(10):
        with pytest.raises(FieldsInvalid):
            desk.notices.file(
                published, replace(draft, good_faith=False), language="en", address="192.0.2.7"
            )
    desk.notices.file(published, draft, language="en", address="192.0.2.7")
