"""The report of a citizen action (found by the mutation run of 2026-12-05, docs/mutation/
initiatives.md): a report sent after a co-lead paused the action meanwhile is refused with the
reason, and the text typed stays on the page."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World
from palabre.initiatives import actions
from palabre.initiatives.models import Initiative, Status
from palabre.initiatives.tests.factories import make_initiative

pytestmark = pytest.mark.django_db


def test_a_report_sent_after_the_action_was_paused_says_why_and_keeps_the_text(
    world: World,
) -> None:
    initiative = make_initiative(world)
    resident = world.person("resident")  # a lead
    for target in (Status.PREPARATION, Status.HAPPENING):
        actions.move(by=resident, initiative=initiative, target=target)
    # Meanwhile, a co-lead pauses it; the lead's page still showed the report form.
    actions.move(by=resident, initiative=initiative, target=Status.PAUSED, reason="La pluie.")
    client = Client()
    client.force_login(resident)
    refused = client.post(
        reverse("initiatives:report", args=[initiative.pk]),
        {"report-report": "Quarante voisins sont venus."},
    )
    page = html.unescape(refused.text)
    assert refused.status_code == 400
    assert "Le compte rendu s'écrit une fois l'action réalisée." in page
    assert "Quarante voisins sont venus." in page
    assert Initiative.objects.get(pk=initiative.pk).report == ""
