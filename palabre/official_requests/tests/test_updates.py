"""Progress updates (issue 15, item 7): the addressee or the service says the work started, posts
news, says it is done, with a photo; followers and authors are told; the tracker shows it."""

from __future__ import annotations

import html
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from palabre.core.testing import World, jpeg_with_gps, sent_mail
from palabre.official_requests import actions
from palabre.official_requests.models import AnswerKind, Event, Request, Status
from palabre.official_requests.tests.factories import make_request

pytestmark = pytest.mark.django_db


def answered(world: World) -> Request:
    request = make_request(world, sent=True)
    actions.follow(by=world.person("resident"), request=request, following=True)
    actions.answer(
        by=world.person("official"),
        request=request,
        kind=AnswerKind.ACCEPTED,
        text="Oui.",
        version=1,
    )
    sent_mail().clear()
    request.refresh_from_db()
    return request


def test_the_work_starts_then_ends_with_a_photo_and_followers_are_told(world: World) -> None:
    request = answered(world)
    official = world.person("official")
    actions.post_update(
        by=official, request=request, progress="started", note="Le chantier commence lundi."
    )
    assert Request.objects.get(pk=request.pk).status == Status.IN_PROGRESS
    photo = SimpleUploadedFile("fini.jpg", jpeg_with_gps(), content_type="image/jpeg")
    done = actions.post_update(
        by=official, request=request, progress="done", note="Le ralentisseur est posé.", photo=photo
    )
    request.refresh_from_db()
    assert (request.status, request.done_at is not None) == (Status.DONE, True)
    told = [m for m in sent_mail() if m.to == [world.person("resident").email]]
    assert [m.subject for m in told] == ["Nouvelles\u00a0: Un ralentisseur devant l'école"] * 2
    assert "Les travaux ont commencé\nLe chantier commence lundi." in told[0].body
    assert "C'est fait\nLe ralentisseur est posé." in told[1].body
    # The photo is public, re-encoded without where or with what it was taken.
    served = Client().get(reverse("official_requests:update_photo", args=[request.pk, done.pk]))
    image = Image.open(io.BytesIO(b"".join(served.streaming_content)))  # type: ignore[attr-defined]
    assert image.format == "PNG"
    assert not image.getexif()
    page = html.unescape(Client().get(reverse("official_requests:detail", args=[request.pk])).text)
    assert "Le ralentisseur est posé." in page
    assert reverse("official_requests:update_photo", args=[request.pk, done.pk]) in page


def test_the_tracker_shows_the_latest_news_of_each_request(world: World) -> None:
    request = answered(world)
    actions.post_update(
        by=world.person("official"), request=request, note="Le marquage est prévu demain."
    )
    page = html.unescape(Client().get(reverse("official_requests:tracker")).text)
    assert "Le marquage est prévu demain." in page
    assert Request.objects.get(pk=request.pk).status == Status.ANSWERED  # news only


def test_an_update_is_refused_with_a_reason_a_person_can_read(world: World) -> None:
    request = answered(world)
    official = world.person("official")
    with pytest.raises(actions.RequestError, match="Écrivez la nouvelle"):
        actions.post_update(by=official, request=request, note="  ")
    with pytest.raises(PermissionDenied):
        actions.post_update(by=world.person("resident"), request=request, note="Faux.")
    waiting = make_request(world, sent=True)
    with pytest.raises(actions.RequestError, match="une fois la demande répondue"):
        actions.post_update(by=official, request=waiting, note="Trop tôt.")
    assert not Event.objects.filter(kind="update").exists()


def test_a_refused_update_keeps_what_was_typed(world: World) -> None:
    request = answered(world)
    official = Client()
    official.force_login(world.person("official"))
    page = html.unescape(
        official.post(
            reverse("official_requests:act", args=[request.pk]),
            {"step": "update", "update-progress": "news", "update-note": "", "update-photo": ""},
        ).text
    )
    assert "Écrivez la nouvelle, ou ajoutez une photo." in page
    typed = "x" * 1001
    long_page = html.unescape(
        official.post(
            reverse("official_requests:act", args=[request.pk]),
            {"step": "update", "update-progress": "news", "update-note": typed},
        ).text
    )
    assert typed in long_page
