"""A QR code from a Dutch flyer opens the Dutch page (issue 16, item 5), unless the reader had
already chosen a language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World
from palabre.workshops.models import InvitationBatch, PrintFormat, Status
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


def flyer(world: World, language: str, status: Status = Status.ANNOUNCED) -> str:
    batch = InvitationBatch.objects.create(
        workshop=make_hosted_workshop(world, status=status),
        label="Folders",
        print_format=PrintFormat.FLYER_A5,
        language=language,
    )
    return reverse("invitation_link", args=[batch.code])


def test_a_dutch_flyer_opens_the_dutch_page(world: World) -> None:
    client = Client()
    scanned = client.get(flyer(world, "nl"))
    assert scanned.status_code == 302
    assert scanned.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    page = client.get(scanned["Location"]).text
    assert '<html lang="nl">' in page


def test_a_language_chosen_before_stays(world: World) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    scanned = client.get(flyer(world, "nl"))
    assert settings.LANGUAGE_COOKIE_NAME not in scanned.cookies
    assert '<html lang="fr">' in client.get(scanned["Location"]).text


def test_a_flyer_of_a_workshop_not_announced_yet_says_so_in_its_language(world: World) -> None:
    page = Client().get(flyer(world, "nl", status=Status.PLANNED))
    assert page.status_code == 200
    assert '<html lang="nl">' in page.text
