"""The provider rotates its signing key: the console reads the new key set once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from commentdesk.settings import Settings
from tests.sso.conftest import sso_settings
from tests.sso.support import Person, Provider, node_or_skip
from tests.support import MakeSettings


@pytest.fixture
def own_provider(tmp_path: Path) -> Iterator[Provider]:
    """A provider for this test alone: it restarts it."""
    started = Provider(node_or_skip(), tmp_path / "provider.log")
    yield started
    started.stop()


@pytest.fixture
def settings(make_settings: MakeSettings, own_provider: Provider) -> Settings:
    return sso_settings(make_settings, own_provider.issuer)


def test_a_rotated_key_is_read_once_and_the_key_set_is_kept_between_sign_ins(
    own_provider: Provider, person: Callable[[], Person]
) -> None:
    assert person().sign_in("jane").status_code == 303
    assert person().sign_in("jane").status_code == 303
    assert own_provider.key_set_reads() == 1  # read once, then kept
    own_provider.rotate()  # a new signing key the console has not seen
    assert person().sign_in("jane").status_code == 303
    assert own_provider.key_set_reads() == 1  # one read of the new set
