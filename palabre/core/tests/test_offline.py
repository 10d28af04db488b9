"""The server's side of the evening without network (issue 17, item 1; ADR 0065): which pages a
staff phone may keep, the short replies to a phone's queue, and what is refused, in the
facilitator's language. The phone's side is tested in tests/browser/test_offline_journey.py."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from palabre.contributions.models import Contribution
from palabre.core.testing import World
from palabre.workshops.models import Registration, Status, Workshop
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db

QUEUED = {"X-Palabre-Queue": "1"}


@pytest.fixture
def workshop(world: World) -> Workshop:
    return make_hosted_workshop(
        world, days_from_now=0, guiding_questions=["Ce qui va ?", "Ce qui manque ?"]
    )


@pytest.fixture
def facilitator(world: World) -> Client:
    client = Client()
    client.force_login(world.person("facilitator"))
    return client


def note(question: int, text: str, key: str) -> dict[str, str | int]:
    return {"question": question, "key": key, "text": text, "table_label": "Table 2"}


def test_a_note_sent_twice_from_the_queue_is_stored_once_and_answered_briefly(
    workshop: Workshop, facilitator: Client
) -> None:
    url = reverse("contributions:capture", args=[workshop.pk])
    first = facilitator.post(url, note(1, "Un banc près de l'arrêt", "n" * 24), headers=QUEUED)
    # The answer was lost on the way back: the phone sends the same entry again.
    again = facilitator.post(url, note(1, "Un banc près de l'arrêt", "n" * 24), headers=QUEUED)
    assert first.status_code == again.status_code == 200
    assert first.json()["ok"] is again.json()["ok"] is True
    assert isinstance(first.json()["at"], int)
    assert len(first.content) < 200
    stored = Contribution.objects.get(workshop=workshop)
    assert (stored.question, stored.table_label) == ("Ce qui manque ?", "Table 2")


def test_a_refused_note_comes_back_with_its_reasons_in_the_facilitators_language(
    workshop: Workshop, facilitator: Client
) -> None:
    url = reverse("contributions:capture", args=[workshop.pk])
    response = facilitator.post(url, note(0, "", "e" * 24), headers=QUEUED)
    assert response.status_code == 422
    assert response.json() == {
        "ok": False,
        "errors": ["Ce qui a été dit\u00a0: Ce champ est obligatoire."],
    }
    english = facilitator.post(
        url, note(0, "x" * 2001, "f" * 24), headers=QUEUED | {"Accept-Language": "en"}
    )
    assert english.json()["errors"] == [
        "What was said: At most 2000 characters (this text has 2001): split it in two."
    ]
    assert not Contribution.objects.exists()


def test_what_a_phone_kept_for_a_workshop_cancelled_meanwhile_is_refused_with_why(
    workshop: Workshop, facilitator: Client, world: World
) -> None:
    # Registered before: written directly, since after 18:30 today registrations are closed.
    amina = Registration.objects.create(workshop=workshop, name="Amina", status="confirmed")
    workshop.status = Status.CANCELLED
    workshop.cancellation_reason = "Salle inondée"
    workshop.save()
    capture = reverse("contributions:capture", args=[workshop.pk])
    refused = facilitator.post(capture, note(0, "Plus de bancs", "c" * 24), headers=QUEUED)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        "Ce qui a été dit\u00a0: Cet atelier a été annulé\u00a0: plus rien ne peut y être noté."
    ]
    check_in = reverse("workshops:check_in", args=[workshop.pk])
    tick = facilitator.post(check_in, {"registration": amina.pk, "present": "yes"}, headers=QUEUED)
    walk_in = facilitator.post(
        check_in, {"walk_in": "1", "name": "Marc", "key": "w" * 24}, headers=QUEUED
    )
    cancelled = "Cet atelier a été annulé\u00a0: personne ne peut y être compté présent."
    assert tick.json()["errors"] == walk_in.json()["errors"] == [cancelled]
    assert not Contribution.objects.exists()
    assert not workshop.registrations.filter(checked_in_at__isnull=False).exists()
    # Without a phone's queue, the same refusal is said on the page.
    page = facilitator.post(
        check_in, {"walk_in": "1", "name": "Marc", "key": "v" * 24}, follow=True
    )
    assert cancelled in page.content.decode()


def test_a_walk_in_sent_twice_from_the_queue_is_counted_once(
    workshop: Workshop, facilitator: Client
) -> None:
    url = reverse("workshops:check_in", args=[workshop.pk])
    walk_in = {"walk_in": "1", "name": "Marc", "key": "m" * 24, "first_time": "yes"}
    replies = [facilitator.post(url, walk_in, headers=QUEUED).json() for _ in range(2)]
    assert [reply["ok"] for reply in replies] == [True, True]
    assert "1 personne présente" in replies[1]["figures"]
    assert workshop.registrations.get().name == "Marc"
    bad = facilitator.post(url, walk_in | {"key": "n" * 24, "email": "marc@"}, headers=QUEUED)
    assert bad.status_code == 422
    assert bad.json()["errors"] == [
        "Adresse e-mail (facultative)\u00a0: Saisissez une adresse de courriel valide."
    ]


def test_a_queue_sending_after_the_session_ended_is_told_so_not_shown_a_page(
    workshop: Workshop,
) -> None:
    url = reverse("contributions:capture", args=[workshop.pk])
    response = Client().post(url, note(0, "Plus de bancs", "s" * 24), headers=QUEUED)
    assert response.status_code == 401
    assert response.json() == {"ok": False, "errors": []}
    assert not Contribution.objects.exists()


def test_only_the_evenings_pages_may_be_kept_on_a_phone(
    workshop: Workshop, facilitator: Client
) -> None:
    kept = [
        reverse("contributions:capture", args=[workshop.pk]),
        reverse("workshops:check_in", args=[workshop.pk]),
        reverse("workshops:mine"),
    ]
    for url in kept:
        assert facilitator.get(url).headers["X-Palabre-Offline"] == "keep", url
    not_kept = [
        reverse("workshops:check_in", args=[workshop.pk]) + "?q=ami",
        workshop.get_absolute_url(),
        reverse("accounts:account"),
    ]
    for url in not_kept:
        assert "X-Palabre-Offline" not in facilitator.get(url).headers, url


def test_the_service_worker_and_manifest_are_served_from_the_root(
    facilitator: Client, world: World
) -> None:
    worker = facilitator.get("/sw.js")
    assert worker.status_code == 200
    assert worker.headers["Content-Type"].startswith("text/javascript")
    assert "no-cache" in worker.headers["Cache-Control"]
    script = worker.content.decode()
    assert '"/static/js/offline.js"' in script
    assert "Pas de réseau" in script  # the page it shows for a page never opened, in French
    dutch = facilitator.get("/sw.js?lang=nl").content.decode()
    assert "Geen netwerk" in dutch
    assert r"<html lang=\"nl\">" in dutch  # inside a JSON string
    assert "Pas de réseau" in facilitator.get("/sw.js?lang=xx").content.decode()
    manifest = json.loads(facilitator.get("/palabre.webmanifest").content)
    assert manifest["start_url"] == reverse("workshops:mine")
    assert manifest["display"] == "standalone"
    mine = facilitator.get(reverse("workshops:mine")).content.decode()
    assert 'rel="manifest"' in mine
    assert 'src="/static/js/offline.js" data-worker="/sw.js?lang=fr"' in mine
    # Residents get neither the app nor its script.
    resident = Client()
    resident.force_login(world.person("resident"))
    assert "offline.js" not in resident.get("/").content.decode()


def test_signing_out_deletes_what_the_phone_kept(facilitator: Client) -> None:
    response = facilitator.post(reverse("accounts:sign_out"))
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
