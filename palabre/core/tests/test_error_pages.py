"""Error pages a visitor meets: in the site's layout, in their language, with a way home."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return str(response.content.decode())


def test_an_unknown_address_answers_404_in_french_with_the_way_home(client: Client) -> None:
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    page = _text(response)
    assert "<h1>Cette page n'existe pas</h1>" in page
    assert "code QR d'un tract" in page
    assert 'href="/#neighbourhood-list-title"' in page
    assert "Retour à l'accueil" in page
    assert 'class="site-header"' in page  # the site's layout, not a bare "Not Found"
    assert "Not Found" not in page


def test_an_unknown_short_code_from_a_flyer_answers_the_same_page(client: Client) -> None:
    response = client.get("/i/zzzz99")
    assert response.status_code == 404
    assert "Cette page n'existe pas" in _text(response)


def test_the_404_page_speaks_dutch_to_a_browser_asking_for_dutch(client: Client) -> None:
    response = client.get("/nergens/", headers={"accept-language": "nl-BE,nl;q=0.9"})
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in _text(response)
    assert 'lang="nl"' in _text(response)


def test_the_404_page_follows_the_language_the_visitor_chose(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    response = client.get("/nergens/", headers={"accept-language": "fr"})
    assert "Terug naar de startpagina" in _text(response)


def test_a_page_reserved_to_the_team_answers_403_with_a_sign_in_link(client: Client) -> None:
    response = client.get(reverse("contributions:moderation"))
    assert response.status_code == 403
    page = _text(response)
    assert "<h1>Vous ne pouvez pas ouvrir cette page</h1>" in page
    assert f'href="{reverse("accounts:sign_in")}?next=/parole/moderation/"' in page


def test_a_signed_in_resident_refused_a_page_is_told_why_not_to_sign_in(
    client: Client, world: World
) -> None:
    client.force_login(world.person("resident"))
    response = client.get(reverse("contributions:moderation"))
    assert response.status_code == 403
    page = _text(response)
    assert "réservée à d'autres personnes" in page
    assert "?next=" not in page


def test_a_crash_answers_the_500_page_in_the_visitors_language_without_the_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.db.backends.utils import CursorWrapper

    def database_down(self: Any, sql: str, params: Any = None) -> None:
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(CursorWrapper, "execute", database_down)
    client = Client(raise_request_exception=False)
    french = client.get(reverse("home:index"))
    assert french.status_code == 500
    assert "<h1>Un problème est survenu de notre côté</h1>" in _text(french)
    assert "/static/css/palabre.css" in _text(french)
    assert "Palabre Namur" in _text(french)
    dutch = client.get(reverse("home:index"), headers={"accept-language": "nl"})
    assert dutch.status_code == 500
    assert "Er ging bij ons iets mis" in _text(dutch)


def test_the_500_page_falls_back_to_plain_text_when_it_cannot_render(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from palabre.home import views

    def broken(*args: Any, **kwargs: Any) -> str:
        raise ValueError("Missing staticfiles manifest entry for 'css/palabre.css'")

    monkeypatch.setattr(views, "visible_neighbourhoods", broken)
    monkeypatch.setattr("django.template.loader.render_to_string", broken)
    response = Client(raise_request_exception=False).get(reverse("home:index"))
    assert response.status_code == 500
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Réessayez dans quelques minutes" in _text(response)


def test_a_refused_form_explains_itself_in_french_with_status_403() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:sign_in"), {"email": "a@example.org"})
    assert response.status_code == 403
    page = _text(response)
    assert "<h1>Votre formulaire n'a pas été envoyé</h1>" in page
    assert "bouton Retour de votre navigateur" in page
    assert "CSRF" not in page


def test_a_refused_form_explains_itself_in_dutch_to_a_dutch_visitor() -> None:
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    response = client.post(reverse("accounts:sign_in"), {"email": "a@example.org"})
    assert response.status_code == 403
    assert "Uw formulier werd niet verstuurd" in _text(response)
