"""Printed invitations, checked as a person holding the paper would: size, text, QR code."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World
from palabre.workshops import actions
from palabre.workshops.models import InvitationBatch, PrintFormat, Registration, Workshop
from palabre.workshops.printing import invitation_pdf
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db

POINTS = {"A5": (419.53, 595.28), "A4": (595.28, 841.89), "A3": (841.89, 1190.55)}


@pytest.fixture
def workshop(world: World) -> Workshop:
    return make_hosted_workshop(world, title="Bien vivre à Bomel", days_from_now=12)


def pdf_facts(pdf: bytes, tmp_path: Path) -> tuple[int, tuple[float, float], str, list[str]]:
    """Return the page count, first page size (points), text and decoded QR codes of a PDF."""
    path = tmp_path / "invitation.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )
    size_line = next(line for line in info.stdout.splitlines() if line.startswith("Page size:"))
    width, height = (float(size_line.split()[2]), float(size_line.split()[4]))
    text = subprocess.run(
        ["pdftotext", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    subprocess.run(
        ["pdftoppm", "-r", "150", "-l", "1", "-png", str(path), str(tmp_path / "p")], check=True
    )
    image = next(tmp_path.glob("p*.png"))
    codes = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True, check=False
    ).stdout.split()
    return pages, (width, height), " ".join(text.split()), codes


def batch(
    workshop: Workshop,
    world: World,
    print_format: PrintFormat,
    *,
    copies: int = 1,
    language: str = "fr",
    label: str = "Boîtes aux lettres",
) -> InvitationBatch:
    return actions.prepare_invitations(
        by=world.person("coordinator"),
        workshop=workshop,
        label=label,
        print_format=print_format,
        copies=copies,
        language=language,
    )


@pytest.mark.parametrize(
    ("print_format", "paper"),
    [(PrintFormat.FLYER_A5, "A5"), (PrintFormat.FLYER_A4, "A4"), (PrintFormat.POSTER_A3, "A3")],
)
def test_a_flyer_has_its_paper_size_its_text_and_a_qr_code_to_the_workshop(
    workshop: Workshop, world: World, tmp_path: Path, print_format: PrintFormat, paper: str
) -> None:
    printed = batch(workshop, world, print_format)
    pages, size, text, codes = pdf_facts(invitation_pdf(printed), tmp_path)
    assert pages == 1
    assert size == pytest.approx(POINTS[paper], abs=0.5)
    assert "Bien vivre à Bomel" in text
    assert "18 h 30 – 21 h 00" in text
    assert "Rue des Tilleuls 12, 5000 Namur" in text
    assert "Maison de quartier de Bomel" in text
    short = f"{settings.SITE_URL}/i/{printed.code}"
    assert codes == [short]
    assert short.split("://")[1] in text


@pytest.mark.parametrize(
    ("language", "words"),
    [("fr", "Gratuit et ouvert"), ("nl", "Gratis en open"), ("en", "Free and open")],
)
def test_flyers_exist_in_french_dutch_and_english(
    workshop: Workshop, world: World, tmp_path: Path, language: str, words: str
) -> None:
    printed = batch(workshop, world, PrintFormat.FLYER_A5, language=language)
    _, _, text, _ = pdf_facts(invitation_pdf(printed), tmp_path)
    assert words in text


@pytest.mark.parametrize(
    ("print_format", "copies", "sheets", "landscape"),
    [(PrintFormat.LETTERBOX_2, 5, 3, True), (PrintFormat.LETTERBOX_4, 10, 3, False)],
)
def test_a_letterbox_batch_lays_copies_out_several_per_a4_sheet(
    workshop: Workshop,
    world: World,
    tmp_path: Path,
    print_format: PrintFormat,
    copies: int,
    sheets: int,
    landscape: bool,
) -> None:
    printed = batch(workshop, world, print_format, copies=copies)
    pages, (width, height), text, codes = pdf_facts(invitation_pdf(printed), tmp_path)
    assert pages == sheets
    assert (width > height) is landscape
    assert sorted({width, height}) == pytest.approx(sorted(POINTS["A4"]), abs=0.5)
    per_sheet = 2 if print_format == PrintFormat.LETTERBOX_2 else 4
    assert text.count("Bien vivre à Bomel") == per_sheet
    assert codes == [f"{settings.SITE_URL}/i/{printed.code}"] * per_sheet


def test_printing_the_same_channel_again_keeps_its_code(workshop: Workshop, world: World) -> None:
    first = batch(workshop, world, PrintFormat.FLYER_A5, copies=100)
    again = batch(workshop, world, PrintFormat.FLYER_A5, copies=250)
    other = batch(workshop, world, PrintFormat.FLYER_A5, label="Maison de quartier")
    assert again.code == first.code
    assert again.copies == 250
    assert other.code != first.code


def test_the_short_link_leads_to_the_workshop_and_counts_the_channel(
    workshop: Workshop, world: World
) -> None:
    printed = batch(workshop, world, PrintFormat.FLYER_A5)
    client = Client()
    response = client.get(f"/i/{printed.code.upper()}")
    assert response["Location"] == f"{workshop.get_absolute_url()}?via={printed.code}"
    page = client.get(response["Location"]).text
    assert f'name="channel" value="{printed.code}"' in page
    client.post(
        reverse("workshops:register", args=[workshop.pk]),
        {"name": "Amina", "channel": printed.code},
    )
    assert Registration.objects.get().channel == printed.code
    staff = Client()
    staff.force_login(world.person("coordinator"))
    listing = staff.get(reverse("workshops:invitations", args=[workshop.pk])).text
    assert f"<code>{printed.code}</code></td><td>1</td><td>0</td>" in listing
    actions.set_arrival(by=None, registration=Registration.objects.get(), present=True)
    listing = staff.get(reverse("workshops:invitations", args=[workshop.pk])).text
    assert f"<code>{printed.code}</code></td><td>1</td><td>1</td>" in listing
    assert Client().get("/i/nope00").status_code == 404


def test_invitations_for_a_cancelled_workshop_are_refused(workshop: Workshop, world: World) -> None:
    printed = batch(workshop, world, PrintFormat.FLYER_A5)
    actions.cancel_workshop(
        by=world.person("coordinator"), workshop=workshop, reason="Salle fermée"
    )
    with pytest.raises(actions.WorkshopError, match="annulé"):
        batch(workshop, world, PrintFormat.FLYER_A4)
    client = Client()
    client.force_login(world.person("coordinator"))
    response = client.get(reverse("workshops:invitation_pdf", args=[printed.code]), follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "ne sont plus imprimées" in response.content.decode()


def test_a_batch_is_refused_beyond_five_thousand_copies(workshop: Workshop, world: World) -> None:
    client = Client()
    client.force_login(world.person("coordinator"))
    response = client.post(
        reverse("workshops:invitations", args=[workshop.pk]),
        {
            "label": "Toute la ville",
            "print_format": "a4x4",
            "copies": "9000",
            "language": "fr",
        },
    )
    assert response.status_code == 200
    assert not InvitationBatch.objects.exists()


@pytest.mark.parametrize("change", [{"print_format": "a6"}, {"language": "de"}])
def test_the_database_refuses_a_format_or_language_the_printing_does_not_know(
    workshop: Workshop, world: World, change: dict[str, str]
) -> None:
    given = {"print_format": "a5", "language": "fr"} | change
    with pytest.raises(IntegrityError), transaction.atomic():
        actions.prepare_invitations(
            by=world.person("coordinator"), workshop=workshop, label="Tracts", copies=10, **given
        )
    assert not InvitationBatch.objects.exists()


def _batch(world: World, workshop: Workshop, copies: int) -> InvitationBatch:
    return actions.prepare_invitations(
        by=world.person("coordinator"),
        workshop=workshop,
        label="Boîtes aux lettres",
        print_format=PrintFormat.LETTERBOX_4,
        copies=copies,
        language="fr",
    )


@pytest.mark.django_db(transaction=True)
def test_a_large_batch_is_made_by_the_worker_and_downloaded_when_ready(
    workshop: Workshop, world: World, tmp_path: Path
) -> None:
    from django.core.management import call_command

    batch = _batch(world, workshop, copies=4 * (actions.INLINE_SHEETS + 1))
    client = Client()
    client.force_login(world.person("coordinator"))
    url = reverse("workshops:invitation_pdf", args=[batch.code])
    waiting = client.get(url)
    assert waiting.status_code == 202
    assert "en préparation" in waiting.text
    client.get(url)  # asked again while it is made: one job, not two
    from django_tasks_db.models import DBTaskResult

    jobs = DBTaskResult.objects.filter(task_path__endswith="make_invitations")
    assert jobs.count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    ready = client.get(url)
    assert ready.status_code == 200
    pages, _, text, _ = pdf_facts(ready.content, tmp_path)
    assert pages == actions.INLINE_SHEETS + 1
    assert "Bien vivre à Bomel" in text


def test_a_pdf_is_kept_while_true_and_made_again_when_the_workshop_changes(
    workshop: Workshop, world: World
) -> None:
    batch = _batch(world, workshop, copies=8)
    client = Client()
    client.force_login(world.person("coordinator"))
    url = reverse("workshops:invitation_pdf", args=[batch.code])
    first = client.get(url).content
    batch.refresh_from_db()
    kept = batch.pdf.name
    assert kept
    assert client.get(url).content == first  # served from the file
    Workshop.objects.filter(pk=workshop.pk).update(title="Bien vivre à Bomel, au printemps")
    changed = client.get(url).content
    assert changed != first
    batch.refresh_from_db()
    assert batch.pdf_fingerprint
    text = subprocess.run(["pdftotext", "-", "-"], input=changed, capture_output=True, check=True)
    assert "au printemps" in " ".join(text.stdout.decode().split())


def test_the_worker_makes_a_batch_once_per_content(workshop: Workshop, world: World) -> None:
    batch = _batch(world, workshop, copies=8)
    assert actions.make_invitations(batch_id=987654) == "no such batch"
    assert actions.make_invitations(batch_id=batch.pk) == "2 sheets made"
    batch.refresh_from_db()
    made = str(batch.pdf.name)
    assert actions.make_invitations(batch_id=batch.pk) == "up to date"
    Workshop.objects.filter(pk=workshop.pk).update(title="Bien vivre à Bomel, au printemps")
    assert actions.make_invitations(batch_id=batch.pk) == "2 sheets made"
    batch.refresh_from_db()
    with batch.pdf.open("rb") as stored:
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=stored.read(), capture_output=True, check=True
        )
    assert "au printemps" in " ".join(text.stdout.decode().split())
    assert not batch.pdf.storage.exists(made)  # the outdated PDF is not kept beside it
