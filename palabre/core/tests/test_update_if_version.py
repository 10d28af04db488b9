"""The optimistic lock every editing form uses: the version is a condition of the UPDATE."""

from __future__ import annotations

import pytest

from palabre.core.concurrency import update_if_version
from palabre.core.testing import World
from palabre.official_requests.models import Request, Status
from palabre.official_requests.tests.factories import make_request

pytestmark = pytest.mark.django_db


def test_a_write_from_the_current_version_goes_through_and_moves_the_version_on(
    world: World,
) -> None:
    request = make_request(world, sent=True)
    assert update_if_version(Request, request.pk, 1, answer_text="Oui.")
    request.refresh_from_db()
    assert (request.version, request.answer_text) == (2, "Oui.")


def test_a_write_from_a_stale_version_changes_nothing(world: World) -> None:
    request = make_request(world, sent=True)
    assert update_if_version(Request, request.pk, 1, answer_text="Premier.")
    assert not update_if_version(Request, request.pk, 1, answer_text="Second.")
    request.refresh_from_db()
    assert (request.version, request.answer_text) == (2, "Premier.")


def test_a_queryset_adds_its_own_conditions_to_the_version(world: World) -> None:
    request = make_request(world, sent=True)
    drafts = Request.objects.filter(status=Status.DRAFTED)
    assert not update_if_version(drafts, request.pk, 1, answer_text="Non.")
    request.refresh_from_db()
    assert (request.version, request.answer_text) == (1, "")
