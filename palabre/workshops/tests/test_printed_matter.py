"""Printed invitations a city is proud of, checked on the rendered paper (pdftotext, pdftoppm):
in every format and language, the city's identity and the legal "Éditeur responsable" line, the
title in the flyer's language, nothing smaller than 9 pt and no band of empty paper."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image
from weasyprint import HTML

from palabre.core.testing import World
from palabre.workshops import actions
from palabre.workshops.models import PrintFormat, Workshop
from palabre.workshops.printing import LAYOUTS, invitation_pdf, invitation_sheet
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db

TITLES = {
    "fr": "Bien vivre à Bomel",
    "nl": "Goed samenleven in Bomel",
    "en": "Living well together in Bomel",
}
PUBLISHER = {
    "fr": "Éditeur responsable :",
    "nl": "Verantwoordelijke uitgever:",
    "en": "Responsible publisher:",
}
WORD = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>')


@pytest.fixture
def workshop(world: World) -> Workshop:
    workshop = make_hosted_workshop(world, title=TITLES["fr"], days_from_now=12)
    workshop.translations = {
        "nl": {"title": TITLES["nl"], "guiding_questions": ["Hoe beleeft u uw wijk?"]},
        "en": {"title": TITLES["en"]},
    }
    workshop.save()
    return workshop


def printed(workshop: Workshop, world: World, print_format: PrintFormat, language: str) -> bytes:
    batch = actions.prepare_invitations(
        by=world.person("coordinator"),
        workshop=workshop,
        label="Boîtes aux lettres",
        print_format=print_format,
        copies=1,
        language=language,
    )
    return invitation_pdf(batch)


def words(pdf: bytes, tmp_path: Path) -> list[tuple[float, str]]:
    """Return (height in points, text) of every word on the first page."""
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-bbox", "-l", "1", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [(float(y_max) - float(y_min), text) for y_min, y_max, text in WORD.findall(out)]


def word_height_at(points: float, tmp_path: Path) -> float:
    """The height pdftotext gives a word printed at `points` in the flyers' font."""
    html = f'<p style="font-family: DejaVu Sans; font-size: {points}pt">Calibration</p>'
    return words(HTML(string=html).write_pdf(), tmp_path)[0][0]


def empty_band(pdf: bytes, tmp_path: Path) -> float:
    """Return the tallest band of blank paper across the first page, as a share of its height."""
    path = tmp_path / "band.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-gray", "-l", "1", "-png", str(path), str(tmp_path / "band")],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("band*.png"))).convert("L")
    tallest = run = 0
    for y in range(image.height):
        row = image.crop((0, y, image.width, y + 1))
        blank = row.getextrema()[0] >= 245  # type: ignore[operator]
        run = run + 1 if blank else 0
        tallest = max(tallest, run)
    return tallest / image.height


def pages_and_text(pdf: bytes, tmp_path: Path) -> tuple[int, str]:
    """Return the page count and the text of every page."""
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = re.search(r"^Pages:\s+(\d+)$", info.stdout, re.MULTILINE)
    assert pages is not None
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return int(pages.group(1)), text


def plain(pdf_words: list[tuple[float, str]]) -> str:
    return " ".join(text for _, text in pdf_words).replace("&apos;", "'").replace("&amp;", "&")


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
@pytest.mark.parametrize("print_format", list(PrintFormat))
def test_every_format_in_every_language_is_ready_to_hand_out(
    workshop: Workshop, world: World, tmp_path: Path, print_format: PrintFormat, language: str
) -> None:
    with override_settings(SERVICE_CONTACT="Marie Vandenbroucke"):  # a long name
        pdf = printed(workshop, world, print_format, language)
    on_paper = words(pdf, tmp_path)
    text = plain(on_paper)
    assert TITLES[language] in text
    # Every flyer of the sheet is whole: its last line, the publisher's, is on the page.
    assert text.count(PUBLISHER[language]) == LAYOUTS[print_format].per_sheet
    if LAYOUTS[print_format].opening_hours:  # the 4-per-sheet flyer has no room for them
        assert f"({settings.SERVICE_HOURS[language]})" in text  # in the flyer's language
        assert "Marie Vandenbroucke" in text
    for other, title in TITLES.items():
        if other != language:
            assert title not in text
    assert f"{PUBLISHER[language]} {settings.PUBLISHER_NAME}, {settings.PUBLISHER_ADDRESS}" in text
    assert settings.SERVICE_PHONE in text
    assert settings.CITY_NAME in text
    smallest = min(height for height, _ in on_paper)
    assert smallest >= word_height_at(9, tmp_path) - 0.01, "text smaller than 9 pt"
    assert empty_band(pdf, tmp_path) <= 0.25


def test_the_identity_comes_from_the_settings(
    workshop: Workshop, world: World, tmp_path: Path
) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (60, 60), "#00aa00").save(logo)
    with override_settings(
        CITY_NAME="Andenne",
        CITY_LOGO=str(logo),
        CITY_COLOUR="#aa0000",
        SERVICE_PHONE="085 84 96 00",
        SERVICE_ADDRESS="Place du Chapitre 7, 5300 Andenne",
        PUBLISHER_NAME="Claude Eerdekens",
        PUBLISHER_ADDRESS="Place du Chapitre 7, 5300 Andenne",
    ):
        pdf = printed(workshop, world, PrintFormat.FLYER_A5, "fr")
        text = plain(words(pdf, tmp_path))
    assert "Andenne" in text
    assert "085 84 96 00" in text
    assert "Éditeur responsable : Claude Eerdekens, Place du Chapitre 7, 5300 Andenne" in text
    page = render(pdf, tmp_path)
    assert count(page, (0, 170, 0)) > 50, "the logo is printed"
    assert count(page, (170, 0, 0)) > 1000, "the city's colour is printed"


def test_a_missing_logo_does_not_stop_the_printing(
    workshop: Workshop, world: World, tmp_path: Path
) -> None:
    with override_settings(CITY_LOGO=str(tmp_path / "gone.svg")):
        text = plain(words(printed(workshop, world, PrintFormat.FLYER_A4, "fr"), tmp_path))
    assert TITLES["fr"] in text


def render(pdf: bytes, tmp_path: Path) -> Image.Image:
    path = tmp_path / "colour.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-l", "1", "-png", str(path), str(tmp_path / "colour")],
        check=True,
    )
    return Image.open(next(tmp_path.glob("colour*.png"))).convert("RGB")


def count(image: Image.Image, colour: tuple[int, int, int]) -> int:
    pixels: list[tuple[int, int, int]] = list(image.getdata())
    return sum(
        1 for pixel in pixels if all(abs(a - b) <= 12 for a, b in zip(pixel, colour, strict=True))
    )


def test_the_workshop_photo_fills_the_picture(
    workshop: Workshop, world: World, tmp_path: Path
) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "#2050d0").save(buffer, format="JPEG")
    actions.set_workshop_texts(
        by=world.person("coordinator"),
        workshop=workshop,
        language="fr",
        translations=workshop.translations,
        photo=SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg"),
    )
    workshop.refresh_from_db()
    page = render(printed(workshop, world, PrintFormat.FLYER_A4, "fr"), tmp_path)
    share = count(page, (0x20, 0x50, 0xD0)) / (page.width * page.height)
    assert share > 0.15


def test_text_not_in_the_flyers_language_says_which_it_is(workshop: Workshop, world: World) -> None:
    batch = actions.prepare_invitations(
        by=world.person("coordinator"),
        workshop=workshop,
        label="Affiches",
        print_format=PrintFormat.FLYER_A4,
        copies=1,
        language="en",
    )
    html = invitation_sheet(batch)
    assert '<html lang="en">' in html
    assert f"<h1>{TITLES['en']}</h1>" in html  # translated: in the page's language
    # The guiding questions were not translated into English: the French ones say so.
    assert '<ul lang="fr">' in html
    assert "Comment vivez-vous votre quartier\u00a0?" in html


def test_questions_too_long_for_the_letterbox_flyer_are_left_out_never_the_publisher(
    workshop: Workshop, world: World, tmp_path: Path
) -> None:
    workshop.guiding_questions = [
        "Qu'est-ce qui rend la vie agréable dans votre rue, qu'est-ce qui la rend difficile, et "
        "qu'est-ce que les voisins, les associations et la ville pourraient y faire ensemble ?",
        "Si vous aviez une baguette magique, que changeriez-vous en premier dans le quartier, "
        "pour les enfants, pour les personnes âgées et pour les personnes qui viennent d'arriver ?",
    ]
    workshop.save()
    on_paper = plain(words(printed(workshop, world, PrintFormat.LETTERBOX_4, "fr"), tmp_path))
    assert on_paper.count(PUBLISHER["fr"]) == 4
    assert "baguette magique" not in on_paper  # the last question made way
    roomy = plain(words(printed(workshop, world, PrintFormat.FLYER_A4, "fr"), tmp_path))
    assert "baguette magique" in roomy  # where there is room, nothing is left out


def test_a_crowded_letterbox_flyer_still_holds_on_its_sheet_and_copies_share_it(
    workshop: Workshop, world: World, tmp_path: Path
) -> None:
    # The demo's Bomel workshop: a two-line title, a long venue with every access feature, a
    # partner, and no question left to drop. Its publisher's line once went to a second page.
    venue = world.venue
    venue.name = "Salle polyvalente de la Maison de quartier"
    venue.step_free_access = venue.hearing_loop = venue.childcare_room = True
    venue.save()
    workshop.title = "Bomel : propreté et espaces partagés"
    workshop.theme = "Propreté, dépôts clandestins, plaine de jeux"
    workshop.guiding_questions = []
    workshop.save()
    batch = actions.prepare_invitations(
        by=world.person("coordinator"),
        workshop=workshop,
        label="Boîtes aux lettres",
        print_format=PrintFormat.LETTERBOX_4,
        copies=4 * 30,
        language="fr",
    )
    pdf = invitation_pdf(batch)
    pages, text = pages_and_text(pdf, tmp_path)
    assert pages == 30
    assert text.count(PUBLISHER["fr"]) == 4 * 30  # every flyer of every sheet whole
    assert text.count("Accès sans marche") == 4 * 30
    # Thirty sheets weigh little more than one: the copies share the sheet's content.
    batch.copies = 4
    assert len(pdf) < 2 * len(invitation_pdf(batch))


def test_texts_too_long_for_any_fit_spill_onto_a_second_page_never_cut_off(
    workshop: Workshop, world: World, tmp_path: Path
) -> None:
    workshop.title = ("Le grand atelier de quartier " * 8)[:200]
    workshop.theme = ("Propreté, mobilité, sécurité, plaine de jeux, " * 5)[:200]
    workshop.guiding_questions = []
    workshop.save()
    pages, text = pages_and_text(printed(workshop, world, PrintFormat.LETTERBOX_4, "fr"), tmp_path)
    assert text.count(PUBLISHER["fr"]) == 4
    # The sheet's cells grew onto a second page instead of hiding what did not fit in them.
    assert pages == 2
