"""Photos of paper boards stay private until a moderator, having blurred what handwriting
gives away, publishes them (code review finding 4)."""

from __future__ import annotations

import io
from statistics import pstdev
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from PIL import Image, ImageDraw

from palabre.contributions import actions
from palabre.contributions.blurring import Area, UnreadableImage, blurred
from palabre.contributions.models import Contribution, EventKind, Photo
from palabre.core.testing import World

SIZE = (200, 100)


def striped() -> bytes:
    """A PNG of thin black and white stripes: sharp detail everywhere, like handwriting."""
    image = Image.new("RGB", SIZE, "white")
    draw = ImageDraw.Draw(image)
    for x in range(0, SIZE[0], 4):
        draw.line((x, 0, x, SIZE[1]), fill="black", width=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def grey_levels(png: bytes, box: tuple[int, int, int, int]) -> list[int]:
    with Image.open(io.BytesIO(png)) as image:
        return list(image.convert("L").crop(box).tobytes())


# --- Blurring (pure) ----------------------------------------------------------------------


def test_a_blurred_area_keeps_no_detail_and_the_rest_is_untouched() -> None:
    original = striped()
    result = blurred(original, [Area(x=0, y=0, width=50, height=50)])
    inside, outside = (0, 0, 100, 50), (100, 0, 200, 100)
    assert pstdev(grey_levels(original, inside)) > 100
    assert pstdev(grey_levels(result, inside)) < 10
    assert grey_levels(result, outside) == grey_levels(original, outside)
    assert grey_levels(result, (0, 50, 100, 100)) == grey_levels(original, (0, 50, 100, 100))


def test_an_area_is_rounded_outwards_so_that_its_edges_are_blurred_too() -> None:
    assert Area(x=33, y=33, width=33, height=33).box((10, 10)) == (3, 3, 7, 7)


@pytest.mark.parametrize(
    ("x", "y", "width", "height"),
    [(-1, 0, 10, 10), (0, 100, 1, 1), (0, 0, 0, 10), (60, 0, 50, 10), (0, 90, 10, 11)],
)
def test_an_area_outside_the_photo_is_impossible(x: int, y: int, width: int, height: int) -> None:
    with pytest.raises(ValueError, match="area"):
        Area(x=x, y=y, width=width, height=height)


def test_a_file_that_is_not_an_image_cannot_be_blurred() -> None:
    with pytest.raises(UnreadableImage):
        blurred(b"not an image", [Area(0, 0, 10, 10)])


# --- Publication and blurring through the pages -------------------------------------------

pytestmark = pytest.mark.django_db


def transcribed(world: World, image: bytes | None = None) -> list[Contribution]:
    """Two paper contributions of the home neighbourhood, published, sharing one photo."""
    saved = actions.transcribe(
        by=world.person("facilitator"),
        neighbourhood=world.home,
        texts=["Plus de bancs.", "Un terrain de foot."],
        key="p" * 20,
        photo=ContentFile(image if image is not None else striped(), name="tableau.png"),
        description="Le tableau de la fête",
    )
    for contribution in saved:
        actions.publish(by=world.person("coordinator"), contribution=contribution)
    return saved


def signed_in(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.person(persona))
    return client


def photo_url(photo: Photo) -> str:
    return reverse("contributions:photo", args=[photo.pk])


def moderate_url(contribution: Contribution) -> str:
    return reverse("contributions:moderate", args=[contribution.pk])


def test_a_board_photo_is_private_until_a_moderator_publishes_it(world: World) -> None:
    first, second = transcribed(world)
    photo = first.photo
    assert photo is not None
    detail = reverse("contributions:detail", args=[first.pk])
    for persona in ["resident", "partner", "official"]:
        assert signed_in(world, persona).get(photo_url(photo)).status_code == 404
    assert Client().get(photo_url(photo)).status_code == 404
    assert photo_url(photo) not in Client().get(detail).text
    assert signed_in(world, "facilitator").get(photo_url(photo)).status_code == 200
    assert f"{photo_url(photo)}?v=0" in signed_in(world, "coordinator").get(detail).text
    assert "Privée\u00a0: seuls" in signed_in(world, "coordinator").get(moderate_url(first)).text

    coordinator = signed_in(world, "coordinator")
    response = coordinator.post(moderate_url(first), {"step": "publish_photo"})
    assert response.status_code == 302
    assert "La photo est publiée." in coordinator.get(response["Location"]).text
    assert Client().get(photo_url(photo)).status_code == 200
    assert f"{photo_url(photo)}?v=0" in Client().get(detail).text
    for contribution in (first, second):  # the history of every contribution of the board
        assert contribution.events.filter(kind=EventKind.PHOTO_PUBLISHED).count() == 1


def test_a_published_photo_can_be_made_private_again(world: World) -> None:
    contribution, _ = transcribed(world)
    assert contribution.photo is not None
    coordinator = signed_in(world, "coordinator")
    coordinator.post(moderate_url(contribution), {"step": "publish_photo"})
    coordinator.post(moderate_url(contribution), {"step": "publish_photo"})  # twice: no change
    assert contribution.events.get(kind=EventKind.PHOTO_PUBLISHED).note == ""
    response = coordinator.post(moderate_url(contribution), {"step": "withdraw_photo"})
    assert response.status_code == 302
    assert Client().get(photo_url(contribution.photo)).status_code == 404
    assert contribution.events.filter(kind=EventKind.PHOTO_WITHDRAWN).count() == 1


def test_a_published_photo_stays_hidden_with_its_hidden_contributions(world: World) -> None:
    saved = transcribed(world)
    photo = saved[0].photo
    assert photo is not None
    actions.publish_photo(by=world.person("coordinator"), photo=photo)
    for contribution in saved:
        actions.hide(by=world.person("coordinator"), contribution=contribution, reason="spam")
    assert Client().get(photo_url(photo)).status_code == 404


def test_a_moderator_blurs_an_area_and_the_blur_replaces_the_photo_for_good(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    contribution, _ = transcribed(world)
    photo = contribution.photo
    assert photo is not None
    original_name = photo.image.name
    coordinator = signed_in(world, "coordinator")
    page = coordinator.get(moderate_url(contribution)).text
    for label in ["Depuis le bord gauche (%)", "Depuis le bord du haut (%)", "Largeur (%)"]:
        assert label in page
    area = {"x": "0", "y": "0", "width": "50", "height": "50"}
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            moderate_url(contribution), {"step": "blur_photo", "revision": "0", **area}
        )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.revision == 1
    assert photo.image.name != original_name
    assert original_name
    assert not photo.image.storage.exists(original_name)  # the unblurred handwriting is gone
    with photo.image.open("rb") as stored:
        now = stored.read()
    assert pstdev(grey_levels(now, (0, 0, 100, 50))) < 10
    assert pstdev(grey_levels(now, (100, 0, 200, 100))) > 100
    served = signed_in(world, "facilitator").get(photo_url(photo))
    assert b"".join(served.streaming_content) == now  # type: ignore[attr-defined]
    assert f"{photo_url(photo)}?v=1" in coordinator.get(moderate_url(contribution)).text
    event = contribution.events.get(kind=EventKind.PHOTO_BLURRED)
    assert event.note == "gauche 0 %, haut 0 %, largeur 50 %, hauteur 50 %"
    assert event.by == world.person("coordinator")


def test_a_blur_made_on_a_photo_changed_meanwhile_is_refused(world: World) -> None:
    contribution, _ = transcribed(world)
    photo = contribution.photo
    assert photo is not None
    first, second = signed_in(world, "coordinator"), signed_in(world, "administrator")
    area = {"step": "blur_photo", "revision": "0", "y": "0", "width": "10", "height": "10"}
    assert first.post(moderate_url(contribution), area | {"x": "0"}).status_code == 302
    late = second.post(moderate_url(contribution), area | {"x": "50"})  # saw revision 0
    assert late.status_code == 200
    assert "a modifié cette photo entre-temps" in late.text
    assert 'name="revision" value="1"' in late.text  # the page now shows the blurred photo
    assert f"{photo_url(photo)}?v=1" in late.text
    photo.refresh_from_db()
    assert photo.revision == 1
    assert contribution.events.filter(kind=EventKind.PHOTO_BLURRED).count() == 1


@pytest.mark.parametrize(
    ("area", "message"),
    [
        ({"x": "60", "y": "0", "width": "50", "height": "10"}, "40 % au plus"),
        ({"x": "0", "y": "95", "width": "10", "height": "10"}, "5 % au plus"),
        ({"x": "abc", "y": "0", "width": "10", "height": "10"}, "Saisissez un nombre entier."),
        ({"x": "0", "y": "0", "width": "0", "height": "10"}, "supérieure ou égale à 1"),
        ({"x": "", "y": "0", "width": "10", "height": "10"}, "Ce champ est obligatoire."),
    ],
)
def test_an_area_the_photo_cannot_hold_is_refused_with_a_clear_message(
    world: World, area: dict[str, str], message: str
) -> None:
    contribution, _ = transcribed(world)
    response = signed_in(world, "coordinator").post(
        moderate_url(contribution), {"step": "blur_photo", "revision": "0", **area}
    )
    assert response.status_code == 200
    assert "Vérifiez la zone à flouter." in response.text
    assert message in response.text
    assert Photo.objects.get().revision == 0


def test_an_unreadable_photo_cannot_be_blurred_and_the_moderator_is_told(world: World) -> None:
    contribution, _ = transcribed(world, image=b"\x89PNG but not really")
    area = {"x": "0", "y": "0", "width": "10", "height": "10"}
    response = signed_in(world, "coordinator").post(
        moderate_url(contribution), {"step": "blur_photo", "revision": "0", **area}
    )
    assert response.status_code == 200
    assert "Cette photo ne peut pas être lue" in response.text
    assert Photo.objects.get().revision == 0


def test_only_the_service_publishes_or_blurs_a_photo(world: World) -> None:
    contribution, _ = transcribed(world)
    photo = contribution.photo
    assert photo is not None
    for persona in ["facilitator", "resident", "partner"]:
        with pytest.raises(PermissionDenied):
            actions.publish_photo(by=world.person(persona), photo=photo)
        with pytest.raises(PermissionDenied):
            actions.blur_photo(
                by=world.person(persona), photo=photo, areas=[Area(0, 0, 5, 5)], revision=0
            )
    photo.refresh_from_db()
    assert (photo.published_at, photo.revision) == (None, 0)


def test_a_contribution_without_a_photo_has_nothing_to_publish(world: World) -> None:
    from palabre.contributions.tests.factories import make_post

    post = make_post(world.home)
    response = signed_in(world, "coordinator").post(moderate_url(post), {"step": "publish_photo"})
    assert response.status_code == 200
    assert "pas de photo." in response.text


def test_blurring_one_photo_leaves_every_other_photo_alone(world: World) -> None:
    contribution, _ = transcribed(world)
    other = actions.transcribe(
        by=world.person("facilitator"),
        neighbourhood=world.home,
        texts=["Un autre tableau."],
        key="o" * 20,
        photo=ContentFile(striped(), name="autre.png"),
        description="Un autre tableau",
    )[0].photo
    assert other is not None
    assert contribution.photo is not None
    untouched = other.image.name
    actions.blur_photo(
        by=world.person("coordinator"),
        photo=contribution.photo,
        areas=[Area(0, 0, 50, 50)],
        revision=0,
    )
    other.refresh_from_db()
    assert (other.image.name, other.revision) == (untouched, 0)


def test_a_moderator_blurs_again_with_the_photo_a_blur_returns(world: World) -> None:
    contribution, _ = transcribed(world)
    assert contribution.photo is not None
    coordinator = world.person("coordinator")
    photo = actions.blur_photo(
        by=coordinator,
        photo=contribution.photo,
        areas=[Area(0, 0, 10, 10), Area(50, 50, 20, 20)],
        revision=0,
    )
    assert photo.revision == 1
    photo = actions.blur_photo(
        by=coordinator, photo=photo, areas=[Area(80, 0, 10, 10)], revision=photo.revision
    )
    assert Photo.objects.get().revision == photo.revision == 2
    notes = contribution.events.filter(kind=EventKind.PHOTO_BLURRED).values_list("note", flat=True)
    assert list(notes) == [
        "gauche 0 %, haut 0 %, largeur 10 %, hauteur 10 %; "
        "gauche 50 %, haut 50 %, largeur 20 %, hauteur 20 %",
        "gauche 80 %, haut 0 %, largeur 10 %, hauteur 10 %",
    ]


# --- Transcription of paper boards ----------------------------------------------------------


def test_a_batch_sent_again_with_its_photo_stores_the_photo_once(world: World) -> None:
    batch: dict[str, Any] = {
        "by": world.person("facilitator"),
        "neighbourhood": world.home,
        "texts": ["Plus de bancs.", "Un terrain de foot."],
        "key": "p" * 20,
        "description": "Le tableau de la fête",
    }
    first = actions.transcribe(**batch, photo=ContentFile(striped(), name="tableau.png"))
    # The same key: a retry after a dropped line, with the photo sent again.
    again = actions.transcribe(**batch, photo=ContentFile(striped(), name="tableau.png"))
    assert [c.pk for c in again] == [c.pk for c in first]
    assert Photo.objects.count() == 1


def test_a_board_without_a_photo_is_transcribed(world: World) -> None:
    response = signed_in(world, "facilitator").post(
        reverse("contributions:transcribe"),
        {"key": "t" * 20, "neighbourhood": world.home.pk, "texts": "Plus de bancs."},
    )
    assert response.status_code == 302
    assert Contribution.objects.get().photo is None


def test_a_transcription_keeps_its_themes_its_photo_description_and_who_typed_it(
    world: World,
) -> None:
    from palabre.contributions.models import Theme

    facilitator = world.person("facilitator")
    propreté = Theme.objects.get(slug="proprete")
    saved = actions.transcribe(
        by=facilitator,
        neighbourhood=world.home,
        texts=["Plus de poubelles.", "Un banc au parc."],
        key="t" * 20,
        photo=ContentFile(striped(), name="tableau.png"),
        description="Le tableau de la fête",
        themes=[propreté],
    )
    for contribution in saved:
        assert list(contribution.themes.all()) == [propreté]
        assert contribution.question == ""  # a paper board asks no guiding question
    photo = Photo.objects.get()
    assert (photo.description, photo.uploaded_by) == ("Le tableau de la fête", facilitator)
