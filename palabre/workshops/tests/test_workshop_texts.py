"""The workshop's texts in the other languages and the photo of its invitations (issue 14, item 4),
through the page the coordinator uses."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from palabre.core.testing import World, sent_mail
from palabre.workshops.models import InvitationBatch, Workshop
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(world: World) -> Workshop:
    return make_hosted_workshop(world, title="Bien vivre à Bomel", days_from_now=12)


def client_of(world: World, persona: str = "coordinator") -> Client:
    client = Client()
    client.force_login(world.person(persona))
    return client


def form(**changes: Any) -> dict[str, Any]:
    return {
        "language": "fr",
        "title_nl": "Goed samenleven in Bomel",
        "theme_nl": "",
        "description_nl": "",
        "guiding_questions_nl": "Hoe beleeft u uw wijk?\n\n  Wat zou u veranderen?  ",
        "title_en": "",
        "theme_en": "",
        "description_en": "",
        "guiding_questions_en": "",
    } | changes


def photo_with_gps() -> SimpleUploadedFile:
    image = Image.new("RGB", (300, 200), "#2050d0")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "N", 2: (50.0, 28.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("bomel.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_the_coordinator_writes_the_dutch_title_and_questions(
    world: World, workshop: Workshop
) -> None:
    url = reverse("workshops:workshop_texts", kwargs={"pk": workshop.pk})
    page = client_of(world).get(url)
    assert page.status_code == 200
    assert 'lang="nl"' in page.content.decode()
    response = client_of(world).post(url, form())
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.translations == {
        "nl": {
            "title": "Goed samenleven in Bomel",
            "guiding_questions": ["Hoe beleeft u uw wijk?", "Wat zou u veranderen?"],
        }
    }
    dutch = workshop.texts_in("nl")
    assert (str(dutch.title), dutch.title.language) == ("Goed samenleven in Bomel", "nl")
    assert (str(dutch.title), dutch.title.language) != (workshop.title, "fr")
    english = workshop.texts_in("en")
    assert (english.title.value, english.title.language) == ("Bien vivre à Bomel", "fr")
    # Sent twice (a retry): the same texts, nothing doubled.
    client_of(world).post(url, form())
    workshop.refresh_from_db()
    assert len(workshop.translations["nl"]["guiding_questions"]) == 2


def test_the_photo_is_kept_without_its_metadata_and_can_be_removed(
    world: World, workshop: Workshop
) -> None:
    url = reverse("workshops:workshop_texts", kwargs={"pk": workshop.pk})
    client_of(world).post(url, form(photo=photo_with_gps()))
    workshop.refresh_from_db()
    assert workshop.photo
    with workshop.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "PNG"
        assert not image.getexif()
    stored_name = str(workshop.photo.name)
    client_of(world).post(url, form(remove_photo="on"))
    workshop.refresh_from_db()
    assert not workshop.photo
    assert not workshop.photo.storage.exists(stored_name)


def test_a_file_that_is_not_an_image_is_refused_and_the_texts_typed_stay(
    world: World, workshop: Workshop
) -> None:
    url = reverse("workshops:workshop_texts", kwargs={"pk": workshop.pk})
    not_an_image = SimpleUploadedFile("flyer.png", b"%PDF-1.7 not an image", "image/png")
    response = client_of(world).post(
        url, form(photo=not_an_image), headers={"accept-language": "nl"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dit bestand is geen leesbare afbeelding" in page
    assert 'value="Goed samenleven in Bomel"' in page
    workshop.refresh_from_db()
    assert workshop.translations == {}


def test_only_the_service_changes_the_texts(world: World, workshop: Workshop) -> None:
    url = reverse("workshops:workshop_texts", kwargs={"pk": workshop.pk})
    for persona in ("facilitator", "partner", "resident"):
        assert client_of(world, persona).post(url, form()).status_code == 403
    workshop.refresh_from_db()
    assert workshop.translations == {}


def test_a_language_outside_the_site_is_refused(world: World, workshop: Workshop) -> None:
    url = reverse("workshops:workshop_texts", kwargs={"pk": workshop.pk})
    response = client_of(world).post(url, form(language="de"))
    assert response.status_code == 200
    workshop.refresh_from_db()
    assert workshop.language == "fr"


def test_the_workshop_page_shows_the_texts_in_its_language_and_marks_the_others(
    world: World, workshop: Workshop
) -> None:
    workshop.translations = {"nl": {"title": "Goed samenleven in Bomel"}}
    workshop.save()
    url = workshop.get_absolute_url()
    dutch = Client().get(url, headers={"accept-language": "nl"}).content.decode()
    assert "<h1>Goed samenleven in Bomel</h1>" in dutch
    assert "<title>Goed samenleven in Bomel" in dutch
    # The questions were not translated: they are French, and say so.
    assert '<ol class="questions" lang="fr">' in dutch
    english = Client().get(url, headers={"accept-language": "en"}).content.decode()
    assert '<h1 lang="fr">Bien vivre à Bomel</h1>' in english
    french = Client().get(url).content.decode()
    assert "<h1>Bien vivre à Bomel</h1>" in french


def test_lists_and_emails_carry_the_title_of_the_reader_s_language(
    world: World, workshop: Workshop
) -> None:
    workshop.translations = {"nl": {"title": "Goed samenleven in Bomel"}}
    workshop.save()
    neighbourhood = world.home.get_absolute_url()
    dutch = Client().get(neighbourhood, headers={"accept-language": "nl"}).content.decode()
    assert ">Goed samenleven in Bomel</a>" in dutch
    assert "Bien vivre à Bomel" not in dutch
    english = Client().get(neighbourhood, headers={"accept-language": "en"}).content.decode()
    assert '<span lang="fr">Bien vivre à Bomel</span>' in english
    planning = client_of(world).get(
        workshop.cycle.get_absolute_url(), headers={"accept-language": "nl"}
    )
    assert "Goed samenleven in Bomel" in planning.content.decode()

    # A resident who registered from the Dutch page is written to with the Dutch title.
    registered = Client().post(
        reverse("workshops:register", args=[workshop.pk]),
        {"name": "Els", "email": "els@example.org"},
        headers={"accept-language": "nl"},
    )
    assert registered.status_code == 302
    (mail,) = [m for m in sent_mail() if m.to == ["els@example.org"]]
    assert "Goed samenleven in Bomel" in mail.subject
    assert "Goed samenleven in Bomel" in mail.body
    assert "Bien vivre" not in f"{mail.subject} {mail.body}"


def test_the_flyer_preview_prints_the_translated_texts(
    world: World, workshop: Workshop, tmp_path: Path
) -> None:
    workshop.translations = {"nl": {"title": "Goed samenleven in Bomel"}}
    workshop.save()
    client = client_of(world)
    page = client.get(reverse("workshops:workshop_texts", kwargs={"pk": workshop.pk})).text
    url = reverse("workshops:flyer_preview", kwargs={"pk": workshop.pk, "language": "nl"})
    assert f'href="{url}" hreflang="nl"' in page
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    pdf = tmp_path / "preview.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Goed samenleven in Bomel" in " ".join(text.split())
    assert not InvitationBatch.objects.exists()  # a preview prepares nothing
    # A language the site does not print in has no preview.
    german = reverse("workshops:flyer_preview", kwargs={"pk": workshop.pk, "language": "de"})
    assert client.get(german).status_code == 404
