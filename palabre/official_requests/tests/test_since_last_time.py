"""The "since last time" sheet (issue 17, item 7): printed for a workshop it names, with "New"
only on what changed since the neighbourhood's previous held workshop, and a QR code to the
public list of the neighbourhood's requests."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from palabre.contributions.tests.factories import make_post
from palabre.core.testing import World, pdf_text
from palabre.official_requests import actions
from palabre.official_requests.models import Request
from palabre.workshops.models import EventKind, Status, Workshop
from palabre.workshops.tests.factories import make_cycle, make_hosted_workshop, make_workshop

pytestmark = pytest.mark.django_db

BENCH = "Un banc place Dailly"
BUMP = "Un ralentisseur rue de Bomel"


def sent(world: World, title: str, *, days_ago: int) -> Request:
    """A Bomel request the coordinator sent `days_ago` days ago."""
    with time_machine.travel(timezone.now() - timedelta(days=days_ago), tick=False):
        request = actions.draft_request(
            by=world.person("coordinator"),
            neighbourhood=world.home,
            title=title,
            asked="À voir avec le service.",
            contributions=[make_post(world.home, f"{title}, s'il vous plaît.")],
        )
        actions.send_request(
            by=world.person("coordinator"), request=request, official=world.person("official")
        )
    request.refresh_from_db()
    return request


def answered(request: Request, world: World, *, days_ago: int) -> None:
    with time_machine.travel(timezone.now() - timedelta(days=days_ago), tick=False):
        actions.answer(
            by=world.person("official"),
            request=request,
            kind="accepted",
            text="C'est d'accord.",
            version=request.version,
        )


def marked_new(text: str) -> set[str]:
    """The requests whose heading carries the "New" mark, in French or Dutch (pdftotext puts
    the mark, in a smaller type, on the line after the title)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return {
        title
        for here, line in enumerate(lines[:-1])
        for title in (BENCH, BUMP)
        if line == title and lines[here + 1] in ("Nouveau", "Nieuw")
    }


def flat(text: str) -> str:
    """The text on one line, spaces of every kind as one (pdftotext keeps no no-break space)."""
    return " ".join(text.split())


def sheet_for(workshop: Workshop, language: str = "fr") -> str:
    client = Client(headers={"accept-language": language})
    response = client.get(reverse("official_requests:since_last_time_for", args=[workshop.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return pdf_text(response.content)


@pytest.fixture
def evenings(world: World) -> dict[str, Workshop]:
    """Bomel's workshops: held 60 and 30 days ago, one announced in 5 days."""
    return {
        "older": make_hosted_workshop(world, status=Status.HELD, days_from_now=-60),
        "previous": make_hosted_workshop(world, status=Status.REPORTED, days_from_now=-30),
        "next": make_hosted_workshop(
            world, status=Status.ANNOUNCED, days_from_now=5, title="Propreté et espaces partagés"
        ),
    }


def test_the_sheet_names_the_workshop_it_is_printed_for(
    world: World, evenings: dict[str, Workshop]
) -> None:
    text = flat(sheet_for(evenings["next"]))
    assert "Pour l'atelier : Propreté et espaces partagés" in text
    with translation.override("fr"):
        starts = date_format(timezone.localtime(evenings["next"].starts_at), "DATETIME_FORMAT")
    assert starts.endswith("à 18 h 30")
    assert starts in text
    assert f"{world.venue.name}, {world.venue.address}" in text


def test_only_what_changed_since_the_previous_held_workshop_is_new(
    world: World, evenings: dict[str, Workshop]
) -> None:
    answered(sent(world, BENCH, days_ago=50), world, days_ago=45)
    answered(sent(world, BUMP, days_ago=50), world, days_ago=10)
    text = sheet_for(evenings["next"])
    assert marked_new(text) == {BUMP}
    previous = timezone.localtime(evenings["previous"].starts_at)
    assert "depuis l'atelier précédent à Bomel, le" in flat(text)
    assert str(previous.year) in text


def test_the_previous_workshop_is_the_one_before_the_workshop_printed_for(
    world: World, evenings: dict[str, Workshop]
) -> None:
    answered(sent(world, BENCH, days_ago=50), world, days_ago=45)
    answered(sent(world, BUMP, days_ago=70), world, days_ago=65)
    # Reprinted for the workshop of 30 days ago: compared with the one of 60 days ago.
    assert marked_new(sheet_for(evenings["previous"])) == {BENCH}


def test_a_workshop_that_was_not_recorded_as_held_is_not_the_previous_one(
    world: World, evenings: dict[str, Workshop]
) -> None:
    # Announced 20 days ago and never recorded as held, and one held in another neighbourhood
    # 5 days ago: neither is what the participants heard.
    make_hosted_workshop(world, status=Status.ANNOUNCED, days_from_now=-20)
    make_workshop(
        cycle=make_cycle([world.elsewhere], slug="jambes"),
        neighbourhood=world.elsewhere,
        venue=world.venue,
        status=Status.HELD,
        days_from_now=-5,
    )
    answered(sent(world, BENCH, days_ago=25), world, days_ago=25)
    assert marked_new(sheet_for(evenings["next"])) == {BENCH}


def test_a_private_note_does_not_make_a_request_new(
    world: World, evenings: dict[str, Workshop]
) -> None:
    request = sent(world, BENCH, days_ago=50)
    actions.add_note(by=world.person("coordinator"), request=request, note="Relancé.", public=False)
    assert marked_new(sheet_for(evenings["next"])) == set()
    actions.add_note(by=world.person("coordinator"), request=request, note="Relancé.", public=True)
    assert marked_new(sheet_for(evenings["next"])) == {BENCH}


def test_without_a_previous_held_workshop_everything_is_new(world: World) -> None:
    first = make_hosted_workshop(world, status=Status.ANNOUNCED, days_from_now=3)
    answered(sent(world, BENCH, days_ago=400), world, days_ago=300)
    sent(world, BUMP, days_ago=2)
    text = sheet_for(first)
    assert marked_new(text) == {BENCH, BUMP}
    assert "Aucun atelier n'a encore eu lieu à Bomel" in flat(text)


def test_the_qr_code_leads_to_the_neighbourhood_s_requests(
    world: World, evenings: dict[str, Workshop], tmp_path: Path
) -> None:
    sent(world, BENCH, days_ago=3)
    response = Client().get(
        reverse("official_requests:since_last_time_for", args=[evenings["next"].pk])
    )
    (tmp_path / "sheet.pdf").write_bytes(response.content)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-l",
            "1",
            "-png",
            str(tmp_path / "sheet.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    image = next(tmp_path.glob("p*.png"))
    codes = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True, check=False
    ).stdout.split()
    tracker = f"{settings.SITE_URL}{reverse('official_requests:tracker')}?quartier=bomel"
    assert codes == [tracker]
    # The address is printed in words too, for whoever has no phone to scan it.
    address = tracker.split("://", 1)[1]
    assert address in "".join(pdf_text(response.content).split())
    assert Client().get(tracker.removeprefix(settings.SITE_URL)).context["chosen"] == world.home


def test_a_sheet_printed_from_a_dutch_page_is_in_dutch(
    world: World, evenings: dict[str, Workshop]
) -> None:
    Workshop.objects.filter(pk=evenings["next"].pk).update(
        translations={"nl": {"title": "Netheid en gedeelde ruimtes"}}
    )
    answered(sent(world, BENCH, days_ago=50), world, days_ago=10)
    text = flat(sheet_for(evenings["next"], "nl"))
    assert "Wat er sinds de vorige keer gebeurde" in text
    assert "Voor de workshop: Netheid en gedeelde ruimtes" in text
    assert "sinds de vorige workshop in Bomel, op" in text
    assert "Volg deze verzoeken online:" in text
    assert f"{BENCH} Nieuw" in text  # the mark follows the title
    assert "Nouveau" not in text
    assert "atelier" not in text


def test_the_neighbourhood_s_sheet_is_printed_for_its_next_workshop(
    world: World, evenings: dict[str, Workshop]
) -> None:
    # A planned workshop is not public yet: the public sheet is for the announced one.
    make_hosted_workshop(world, status=Status.PLANNED, days_from_now=2, title="Pas encore annoncé")
    answered(sent(world, BENCH, days_ago=50), world, days_ago=45)
    answered(sent(world, BUMP, days_ago=50), world, days_ago=10)
    url = reverse("official_requests:since_last_time", args=["bomel"])
    text = pdf_text(Client().get(url).content)
    assert "Pour l'atelier : Propreté et espaces partagés" in text
    assert marked_new(text) == {BUMP}
    coordinator = Client()
    coordinator.force_login(world.person("coordinator"))
    assert "Pas encore annoncé" in pdf_text(coordinator.get(url).content)


def test_without_a_coming_workshop_the_sheet_is_for_the_neighbourhood(world: World) -> None:
    make_hosted_workshop(world, status=Status.HELD, days_from_now=-30)
    make_hosted_workshop(world, status=Status.CANCELLED, days_from_now=4)
    answered(sent(world, BENCH, days_ago=50), world, days_ago=45)
    answered(sent(world, BUMP, days_ago=50), world, days_ago=10)
    url = reverse("official_requests:since_last_time", args=["bomel"])
    text = flat(pdf_text(Client().get(url).content))
    assert "Pour le quartier Bomel. Aucun atelier n'y est encore prévu." in text
    assert "Pour l'atelier" not in text
    assert marked_new(pdf_text(Client().get(url).content)) == {BUMP}


def test_a_city_wide_event_has_no_sheet(world: World) -> None:
    round_table = make_workshop(
        cycle=make_cycle([world.home], slug="ville"),
        kind=EventKind.ROUND_TABLE,
        venue=world.venue,
    )
    url = reverse("official_requests:since_last_time_for", args=[round_table.pk])
    assert Client().get(url).status_code == 404


def test_the_workshop_page_links_staff_to_the_sheet_printed_for_it(
    world: World, evenings: dict[str, Workshop]
) -> None:
    link = reverse("official_requests:since_last_time_for", args=[evenings["next"].pk])
    facilitator = Client()
    facilitator.force_login(world.person("facilitator"))
    assert link in facilitator.get(evenings["next"].get_absolute_url()).text
    assert link not in Client().get(evenings["next"].get_absolute_url()).text
