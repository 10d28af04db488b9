"""The service's translations of a request (issue 16, item 5): the title, what is asked and why
written in the other languages, shown on the pages, emails and text messages of readers of
those languages; the original, marked with its language, where there is none."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import reverse

from palabre.core.testing import World, sent_mail
from palabre.official_requests import actions
from palabre.official_requests.models import Request
from palabre.official_requests.tests.factories import make_request
from palabre.outbox.actions import deliver_due

pytestmark = pytest.mark.django_db

DUTCH_TITLE = "Een verkeersdrempel voor de school"


def client_of(world: World, persona: str = "coordinator", *, language: str = "fr") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    if persona != "anonymous":
        client.force_login(world.person(persona))
    return client


def form(**changes: Any) -> dict[str, Any]:
    return {
        "language": "fr",
        "title_nl": DUTCH_TITLE,
        "asked_nl": "Een verkeersdrempel in de rue de Bomel, voor de school.\nSnel, graag.",
        "why_nl": "",
        "title_en": "",
        "asked_en": "",
        "why_en": "",
    } | changes


def translate(world: World, request: Request, **changes: Any) -> Any:
    url = reverse("official_requests:texts", args=[request.pk])
    return client_of(world).post(url, form(**changes))


def page_of(world: World, request: Request, persona: str, language: str) -> str:
    url = reverse("official_requests:detail", args=[request.pk])
    response = client_of(world, persona, language=language).get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_service_translates_a_request_and_each_reader_sees_their_language(
    world: World,
) -> None:
    request = make_request(world, sent=True)
    detail = page_of(world, request, "coordinator", "fr")
    texts_url = reverse("official_requests:texts", args=[request.pk])
    assert f'href="{texts_url}"' in detail  # the way there, from the request's page
    assert translate(world, request)["Location"] == reverse(
        "official_requests:detail", args=[request.pk]
    )
    request.refresh_from_db()
    # Empty translations are not kept: they would hide the original.
    assert request.translations == {
        "nl": {
            "title": DUTCH_TITLE,
            "asked": "Een verkeersdrempel in de rue de Bomel, voor de school.\nSnel, graag.",
        }
    }
    dutch = page_of(world, request, "anonymous", "nl")
    assert f"<h1>{DUTCH_TITLE}</h1>" in dutch
    assert "<p>Een verkeersdrempel in de rue de Bomel, voor de school.<br>Snel, graag.</p>" in dutch
    assert "Installer un ralentisseur" not in dutch
    english = page_of(world, request, "anonymous", "en")
    assert '<h1><span lang="fr">Un ralentisseur devant l\'école</span></h1>' in english
    assert '<p lang="fr">Installer un ralentisseur rue de Bomel' in english
    french = page_of(world, request, "anonymous", "fr")
    assert "<h1>Un ralentisseur devant l'école</h1>" in french
    assert DUTCH_TITLE not in french
    tracker = client_of(world, "anonymous", language="nl").get(reverse("official_requests:tracker"))
    assert DUTCH_TITLE in html.unescape(tracker.content.decode())
    # Sent again (a retry): the same translations.
    translate(world, request)
    request.refresh_from_db()
    assert list(request.translations) == ["nl"]


def test_the_form_shows_what_was_saved_and_the_original(world: World) -> None:
    request = make_request(world, sent=True)
    translate(world, request)
    url = reverse("official_requests:texts", args=[request.pk])
    page = html.unescape(client_of(world, language="nl").get(url).content.decode())
    assert f'value="{DUTCH_TITLE}"' in page
    assert 'lang="nl"' in page
    assert 'lang="en"' in page
    assert '<div lang="fr">' in page
    assert "Installer un ralentisseur rue de Bomel" in page
    assert 'name="title_fr"' not in page  # no translation into the original's language


def test_written_in_dutch_its_french_translation_is_shown_in_french(world: World) -> None:
    request = make_request(world, sent=True)
    translate(world, request, language="nl")
    request.refresh_from_db()
    # Said to be written in Dutch: the Dutch "translation" typed with it is not kept.
    assert (request.language, request.translations) == ("nl", {})
    url = reverse("official_requests:texts", args=[request.pk])
    page = client_of(world).get(url).content.decode()
    assert 'name="title_fr"' in page
    assert 'name="title_nl"' not in page
    translate(world, request, language="nl", title_fr="Un ralentisseur, vite", asked_fr="Oui.")
    request.refresh_from_db()
    assert request.translations == {"fr": {"title": "Un ralentisseur, vite", "asked": "Oui."}}
    assert "<h1>Un ralentisseur, vite</h1>" in page_of(world, request, "resident", "fr")
    dutch = page_of(world, request, "resident", "nl")
    assert "<h1>Un ralentisseur devant l'école</h1>" in dutch  # the original, now said Dutch


def test_bad_input_says_why_in_the_reader_s_language_and_keeps_what_was_typed(
    world: World,
) -> None:
    request = make_request(world, sent=True)
    url = reverse("official_requests:texts", args=[request.pk])
    response = client_of(world, language="nl").post(url, form(title_nl="x" * 201, language="de"))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Selecteer een geldige keuze" in page  # the language outside the site
    assert "x" * 201 in page  # the title typed is still there to shorten
    request.refresh_from_db()
    assert (request.language, request.translations) == ("fr", {})


def test_only_the_service_translates_even_calling_the_action(world: World) -> None:
    request = make_request(world, sent=True)
    url = reverse("official_requests:texts", args=[request.pk])
    for persona in ("official", "cabinet", "facilitator", "resident"):
        assert client_of(world, persona).post(url, form()).status_code == 403
        with pytest.raises(PermissionDenied):
            actions.set_request_texts(
                by=world.person(persona),
                request=request,
                language="fr",
                translations={"nl": {"title": DUTCH_TITLE}},
            )
    with pytest.raises(actions.RequestError, match=r"^Choisissez une des langues du site\.$"):
        actions.set_request_texts(
            by=world.person("coordinator"), request=request, language="de", translations={}
        )
    request.refresh_from_db()
    assert (request.language, request.translations) == ("fr", {})


def test_a_dutch_follower_is_told_in_dutch_of_the_translated_request(
    world: World, tmp_path: Path
) -> None:
    request = make_request(world, sent=True)
    translate(world, request)
    follower = client_of(world, "anonymous", language="nl")
    sent_mail().clear()
    follow_url = reverse("official_requests:follow_by_contact", args=[request.pk])
    assert follower.post(follow_url, {"contact": "amina@example.org"}).status_code == 302
    [asking] = sent_mail()
    assert asking.subject == f"Bevestig: nieuws over “{DUTCH_TITLE}”"
    assert f"het verzoek “{DUTCH_TITLE}”" in " ".join(asking.body.split())
    assert "ralentisseur" not in asking.body
    folder = tmp_path / "sms"
    with override_settings(SMS={"backend": "file", "path": str(folder)}):
        follower.post(follow_url, {"contact": "0470 12 34 56"})
        deliver_due()
        texts = " ".join(path.read_text() for path in folder.glob("*.txt"))
    assert DUTCH_TITLE.split()[1] in texts
    assert "ralentisseur" not in texts


def test_the_official_reads_the_request_in_their_language_where_translated(
    world: World,
) -> None:
    request = make_request(world)
    translate(world, request)
    request.refresh_from_db()
    official = world.person("official")
    official.preferred_language = "nl"
    official.save(update_fields=["preferred_language"])
    sent_mail().clear()
    actions.send_request(by=world.person("coordinator"), request=request, official=official)
    [sent] = [mail for mail in sent_mail() if official.email in mail.to]
    assert DUTCH_TITLE in sent.subject
    assert "Een verkeersdrempel in de rue de Bomel, voor de school." in sent.body
