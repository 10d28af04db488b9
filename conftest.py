"""Fixtures shared by every test in the repository."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from palabre.core.testing import World

SHARED_DATA = Path(__file__).resolve().parent.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Return ../shared/data; skip when absent on a user's clone, fail when absent in CI."""
    if not SHARED_DATA.is_dir():
        from tests.live_servers import unavailable

        unavailable(f"reference data not found at {SHARED_DATA}", "these tests need it")
    return SHARED_DATA


@pytest.fixture
def world(db: None) -> World:
    """Return a small city with one person in every role (see palabre.core.testing)."""
    from palabre.core.testing import build_world

    return build_world()


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded files of a test go to a temporary folder, never into var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _a_network_key_of_its_own(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The network's signing key of a test is never var/network_key.pem."""
    settings.NETWORK_KEY_FILE = tmp_path_factory.mktemp("network") / "network_key.pem"


@pytest.fixture(autouse=True)
def _an_empty_cache_in_memory(settings: Any) -> None:
    """Each test starts with an empty cache in memory, never the files of var/cache."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture
def pages_rendered_each_time(settings: Any) -> None:
    """For a test counting what rendering a public page costs: no page from the cache of
    anonymous visitors' pages (palabre.core.pagecache), which is on in every other test."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _the_citys_language(settings: Any) -> Iterator[None]:
    """Each test starts in the city's language, whatever a previous test activated."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield
