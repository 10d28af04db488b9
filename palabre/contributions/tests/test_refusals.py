"""Every refusal says why, in the person's language: on the pages that can meet it, and from
the actions whatever calls them (mutation run of contributions.actions, 2026-12-05)."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from palabre.contributions import actions
from palabre.contributions.models import MAX_LENGTH, Appeal, Contribution, Photo, Reason, Theme
from palabre.contributions.tests.factories import make_board, make_post
from palabre.core.testing import World, error_summary, jpeg_with_gps
from palabre.workshops.models import EventKind, Workshop
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


def signed_in(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.person(persona))
    return client


def text_of(response: Any) -> str:
    return html.unescape(response.content.decode())


# --- On the pages -------------------------------------------------------------------------


def test_a_note_taken_at_an_event_of_no_neighbourhood_is_refused_with_the_reason(
    world: World,
) -> None:
    workshop = make_hosted_workshop(world, kind=EventKind.SYMPOSIUM)  # a city-wide event
    Workshop.objects.filter(pk=workshop.pk).update(neighbourhood=None)
    response = signed_in(world, "facilitator").post(
        reverse("contributions:capture", args=[workshop.pk]),
        {"question": 0, "key": "k" * 20, "text": "Plus de bancs."},
    )
    assert response.status_code == 200
    assert "Cet événement n'appartient à aucun quartier." in text_of(response)
    assert not Contribution.objects.exists()


def test_a_post_or_an_appeal_of_exactly_the_limit_is_accepted(world: World) -> None:
    make_board(world.home)
    at_the_limit = "x" * MAX_LENGTH
    url = reverse("contributions:board", args=[world.home.slug])
    assert Client().post(url, {"key": "k" * 20, "text": at_the_limit}).status_code == 302
    assert Contribution.objects.get().text == at_the_limit

    resident = world.person("resident")
    post = make_post(world.home, by=resident)
    actions.hide(by=world.person("coordinator"), contribution=post, reason=Reason.OFF_TOPIC)
    signed_in(world, "resident").post(
        reverse("contributions:appeal", args=[post.pk]), {"text": at_the_limit}
    )
    assert Appeal.objects.get().text == at_the_limit


def test_a_workshop_of_another_neighbourhood_is_refused_in_a_transcription(world: World) -> None:
    workshop = make_hosted_workshop(world)  # in world.home
    response = signed_in(world, "facilitator").post(
        reverse("contributions:transcribe"),
        {
            "key": "t" * 20,
            "neighbourhood": world.elsewhere.pk,
            "workshop": workshop.pk,
            "texts": "Plus de bancs.",
        },
    )
    assert response.status_code == 200
    assert "Cet atelier a eu lieu dans un autre quartier." in text_of(response)
    assert not Contribution.objects.exists()


def test_a_photo_without_a_description_is_refused_in_a_transcription(world: World) -> None:
    response = signed_in(world, "facilitator").post(
        reverse("contributions:transcribe"),
        {
            "key": "t" * 20,
            "neighbourhood": world.home.pk,
            "texts": "Plus de bancs.",
            "photo": SimpleUploadedFile("t.jpg", jpeg_with_gps()),
        },
    )
    assert response.status_code == 200
    assert "Décrivez la photo pour les personnes qui ne peuvent pas la voir." in text_of(response)
    assert not Photo.objects.exists()


def test_a_moderator_on_a_stale_page_is_told_someone_changed_it_meanwhile(world: World) -> None:
    post = make_post(world.home)  # published at once
    actions.hide(by=world.person("administrator"), contribution=post, reason=Reason.SPAM)
    response = signed_in(world, "coordinator").post(
        reverse("contributions:moderate", args=[post.pk]), {"step": "publish"}, follow=True
    )
    assert "Quelqu'un a modifié cette contribution entre-temps" in text_of(response)


# --- From the actions, whatever calls them -------------------------------------------------


def _photo(world: World) -> Photo:
    saved = actions.transcribe(
        by=world.person("facilitator"),
        neighbourhood=world.home,
        texts=["Plus de bancs."],
        key="p" * 20,
        photo=ContentFile(jpeg_with_gps(), name="tableau.jpg"),
        description="Le tableau",
    )
    assert saved[0].photo is not None
    return saved[0].photo


def _hidden_post(world: World) -> Contribution:
    post = make_post(world.home, by=world.person("resident"))
    actions.hide(by=world.person("coordinator"), contribution=post, reason=Reason.OFF_TOPIC)
    return post


def _question_past_the_guide(world: World) -> Any:
    workshop = make_hosted_workshop(world)
    past_the_end = len(workshop.guiding_questions)
    return actions.capture(
        by=None, workshop=workshop, question=past_the_end, text="Plus de bancs.", key="k" * 20
    )


def _empty_post(world: World) -> Any:
    return actions.post_on_board(
        by=None, board=make_board(world.home), text=" \u200b ", key="k" * 20
    )


def _long_post(world: World) -> Any:
    board = make_board(world.home)
    return actions.post_on_board(by=None, board=board, text="x" * 2001, key="k" * 20)


def _on_closed_board(world: World) -> Any:
    board = make_board(world.home, is_open=False)
    return actions.post_on_board(by=None, board=board, text="Bonjour", key="k" * 20)


def _blank_transcription(world: World) -> Any:
    return actions.transcribe(
        by=world.person("facilitator"), neighbourhood=world.home, texts=[" ", ""], key="t" * 20
    )


def _no_area(world: World) -> Any:
    return actions.blur_photo(
        by=world.person("coordinator"), photo=_photo(world), areas=[], revision=0
    )


def _empty_appeal(world: World) -> Any:
    return actions.appeal(
        by=world.person("resident"), contribution=_hidden_post(world), text=" \u200b "
    )


def _long_appeal(world: World) -> Any:
    return actions.appeal(
        by=world.person("resident"), contribution=_hidden_post(world), text="x" * 2001
    )


def _theme_out_of_use(world: World) -> Any:
    theme = Theme.objects.create(slug="ancien", name="ancien thème", is_active=False)
    return actions.add_theme(
        by=world.person("coordinator"), contribution=make_post(world.home), theme=theme
    )


@pytest.mark.parametrize(
    ("attempt", "message"),
    [
        (_question_past_the_guide, "Cette question ne fait pas partie du guide de l'atelier."),
        (_empty_post, "Écrivez ce qui a été dit."),
        (
            _long_post,
            "Ce texte compte 2001 caractères\u00a0; la limite est de 2000. Coupez-le en deux.",
        ),
        (_on_closed_board, "Ce panneau est fermé\u00a0: on ne peut rien y publier pour l'instant."),
        (_blank_transcription, "Tapez au moins une contribution."),
        (_no_area, "Indiquez la zone à flouter."),
        (_empty_appeal, "Dites pourquoi elle devrait être publiée."),
        (_long_appeal, "2000 caractères au maximum, s'il vous plaît."),
        (_theme_out_of_use, "Ce thème n'est plus utilisé."),
    ],
)
def test_an_action_refuses_with_a_reason_a_person_can_read(
    world: World, attempt: Callable[[World], Any], message: str
) -> None:
    with pytest.raises(actions.ContributionError) as refused:
        attempt(world)
    assert str(refused.value) == message


def test_an_empty_appeal_answers_the_page_with_the_error_summary(world: World) -> None:
    post = make_post(world.home)  # anonymous: the private link is the permission
    actions.hide(by=world.person("coordinator"), contribution=post, reason=Reason.OFF_TOPIC)
    post = Contribution.objects.select_related("link").get(pk=post.pk)
    assert post.link is not None
    refused = Client().post(
        reverse("contributions:appeal", args=[post.pk]), {"token": post.link.token, "text": " "}
    )
    assert refused.status_code == 400
    assert error_summary(refused.text) == ["#id_text"]  # focused, with a link to the field
    assert "Dites pourquoi elle devrait être publiée." in text_of(refused)
    assert "<title>Erreur\u00a0: Contribution" in text_of(refused)
    # The page is still the author's: the appeal can be sent again from it.
    assert f'name="token" value="{post.link.token}"' in refused.text
    assert not Appeal.objects.exists()
