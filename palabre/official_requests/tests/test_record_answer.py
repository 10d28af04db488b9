"""The service records an answer given outside Palabre, so no request stays stuck (issue 14)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from palabre.core.testing import World, jpeg_with_gps
from palabre.official_requests import actions
from palabre.official_requests.models import Request, Status
from palabre.official_requests.tests.factories import make_request

pytestmark = pytest.mark.django_db


def _letter() -> SimpleUploadedFile:
    return SimpleUploadedFile("lettre.jpg", jpeg_with_gps(), content_type="image/jpeg")


def _coordinator(world: World) -> Client:
    client = Client()
    client.force_login(world.person("coordinator"))
    return client


def test_an_answer_received_by_letter_is_recorded_with_its_scan(world: World) -> None:
    request = make_request(world, sent=True)
    client = _coordinator(world)
    url = reverse("official_requests:act", args=[request.pk])
    page = client.get(reverse("official_requests:detail", args=[request.pk])).text
    assert "Enregistrer une réponse" in page

    done = client.post(
        url,
        {
            "step": "record",
            "record-received_via": "letter",
            "record-kind": "accepted",
            "record-text": "Le ralentisseur sera posé en mars.",
            "record-version": str(request.version),
            "record-document": _letter(),
        },
        follow=True,
    )

    assert "Réponse enregistrée" in done.text
    request.refresh_from_db()
    assert (request.status, request.answer_received_via) == (Status.ANSWERED, "letter")
    public = Client().get(reverse("official_requests:detail", args=[request.pk])).text
    assert "Le ralentisseur sera posé en mars." in public
    assert "réponse reçue par courrier et enregistrée par le service" in public
    document = reverse("official_requests:answer_document", args=[request.pk])
    assert document not in public
    # The scan is a PNG without the camera's data, for the service and the addressee only.
    scan = client.get(document)
    assert scan["Content-Type"] == "image/png"
    with Image.open(request.answer_document.path) as stored:
        assert not stored.getexif()
    official = Client()
    official.force_login(world.person("official"))
    assert official.get(document).status_code == 200
    assert Client().get(document).status_code == 404


def test_only_the_service_records_an_answer_for_someone(world: World) -> None:
    request = make_request(world, sent=True)
    for persona in ("official", "resident", "facilitator", "partner"):
        with pytest.raises(PermissionDenied):
            actions.record_answer(
                by=world.person(persona),
                request=request,
                kind="accepted",
                text="Oui.",
                version=request.version,
                received_via="phone",
            )
    assert Request.objects.get(pk=request.pk).status == Status.SENT


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"record-received_via": ""}, "Ce champ est obligatoire"),
        ({"record-version": "0"}, "Cette page n"),
        ({"record-document": "text"}, "Téléversez une image valide"),
        ({"record-kind": "refused", "record-text": ""}, "Ce champ est obligatoire"),
    ],
)
def test_bad_input_is_explained_and_what_was_typed_is_kept(
    world: World, changes: dict[str, Any], message: str
) -> None:
    request = make_request(world, sent=True)
    data: dict[str, Any] = {
        "step": "record",
        "record-received_via": "email",
        "record-kind": "refused",
        "record-text": "Pas possible : la rue est régionale.",
        "record-version": str(request.version),
    } | changes
    if data.get("record-document") == "text":
        data["record-document"] = SimpleUploadedFile(
            "a.jpg", b"not an image", content_type="image/jpeg"
        )
    page = _coordinator(world).post(reverse("official_requests:act", args=[request.pk]), data)
    assert page.status_code == 200
    assert message in page.text
    if data["record-text"]:
        assert "Pas possible : la rue est r" in page.text
    assert Request.objects.get(pk=request.pk).status == Status.SENT


def test_a_stale_recording_is_a_conflict_and_keeps_the_text(world: World) -> None:
    request = make_request(world, sent=True)
    actions.answer(
        by=world.person("official"), request=request, kind="accepted", text="Oui.", version=1
    )
    page = _coordinator(world).post(
        reverse("official_requests:act", args=[request.pk]),
        {
            "step": "record",
            "record-received_via": "phone",
            "record-kind": "refused",
            "record-text": "Finalement non.",
            "record-version": "1",
        },
    )
    assert "Quelqu" in page.text  # "Someone else changed this answer meanwhile"
    assert "Finalement non." in page.text
    assert Request.objects.get(pk=request.pk).answer_text == "Oui."
