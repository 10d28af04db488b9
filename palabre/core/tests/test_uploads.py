"""A body larger than any form needs is refused before it is read (security finding M4)."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World
from palabre.core.uploads import MAX_BODY_BYTES
from palabre.workshops.models import Registration
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


def test_a_declared_body_too_large_gets_a_413_page_in_french_and_nothing_is_saved(
    world: World,
) -> None:
    workshop = make_hosted_workshop(world)
    response = Client().post(
        reverse("workshops:register", args=[workshop.pk]),
        {"name": "Amina", "key": "k1"},
        CONTENT_LENGTH=str(60_000_000),
    )
    assert response.status_code == 413
    page = html.unescape(response.text)
    assert "Ce fichier est trop lourd" in page
    assert "10 Mo" in page
    assert Registration.objects.count() == 0


def test_an_upload_just_over_the_limit_is_refused_and_one_under_it_reaches_the_form(
    world: World,
) -> None:
    workshop = make_hosted_workshop(world)
    url = reverse("workshops:register", args=[workshop.pk])
    big = SimpleUploadedFile("big.jpg", b"\xff" * (MAX_BODY_BYTES + 1), "image/jpeg")
    assert Client().post(url, {"name": "Amina", "photo": big}).status_code == 413
    small = SimpleUploadedFile("small.jpg", b"\xff" * 1000, "image/jpeg")
    response = Client().post(url, {"name": "Amina", "key": "k2", "photo": small})
    assert response.status_code == 302  # the form ignores the stray file and registers
    assert Registration.objects.count() == 1
