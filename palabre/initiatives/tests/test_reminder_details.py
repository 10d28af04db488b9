"""Details of a task's reminder the first tests left open (found by the mutation run of
2026-12-05, docs/mutation/initiatives.md): the email greets the volunteer by name and its
signature (the service's opening hours) is in the volunteer's language too."""

from __future__ import annotations

import pytest
from django.conf import settings

from palabre.core.testing import World
from palabre.initiatives import actions
from palabre.initiatives.tests.factories import make_initiative
from palabre.outbox.models import OutgoingMail

pytestmark = pytest.mark.django_db


def test_the_reminder_greets_the_volunteer_and_is_signed_in_their_language(world: World) -> None:
    initiative = make_initiative(world)  # on 22 May 2027: the leaflet is due on 8 May
    rosa = actions.sign_up(
        by=None, initiative=initiative, name="Rosa", email="rosa@example.org", language="nl"
    ).volunteer
    task = initiative.tasks.get(title="Toutes-boîtes aux voisins")
    actions.take_task(volunteer=rosa, task=task)
    # What the worker's job does when its time comes.
    assert actions.deliver_reminder(task_id=task.pk, due_on="2027-05-08") == "queued"
    body = OutgoingMail.objects.get().body
    assert body.startswith("Hallo Rosa,")
    assert settings.SERVICE_HOURS["nl"] in body
    assert settings.SERVICE_HOURS["fr"] not in body
