"""The privacy page: who is responsible, what is kept and how long, and how to use each right."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World

pytestmark = pytest.mark.django_db


def test_the_privacy_page_names_the_controller_the_officer_and_the_retention_from_settings(
    settings: Any,
) -> None:
    settings.CONTROLLER_NAME = "Ville de Liège"
    settings.CONTROLLER_ADDRESS = "Place du Marché 2, 4000 Liège"
    settings.DPO_EMAIL = "dpo@liege.example"
    settings.RETENTION_MONTHS_REGISTRATIONS = 18
    settings.RETENTION_MONTHS_VOLUNTEERS = 1
    page = Client().get(reverse("privacy:page"))
    assert page.status_code == 200
    text = page.text
    assert "Ville de Liège (Place du Marché 2, 4000 Liège)" in text
    assert 'href="mailto:dpo@liege.example"' in text
    assert "sont effacés 18 mois après celui-ci" in text
    assert "sont effacés 1 mois après qu'elle est terminée" in text
    assert "Autorité de protection des données" in text
    assert 'href="https://www.autoriteprotectiondonnees.be"' in text
    # Without an account, the page says where the buttons are (the private link's page).
    assert "Effacer mes coordonnées" in text
    assert reverse("links:recover") in text


def test_the_privacy_page_is_written_in_dutch_and_english_too() -> None:
    dutch = Client().get(reverse("privacy:page"), headers={"accept-language": "nl"}).text
    assert "Gegevensbeschermingsautoriteit" in dutch
    assert "https://www.gegevensbeschermingsautoriteit.be" in dutch
    assert "12 maanden" in dutch
    english = Client().get(reverse("privacy:page"), headers={"accept-language": "en"}).text
    assert "Data Protection Authority" in english
    assert "https://www.dataprotectionauthority.be" in english


def test_a_signed_in_person_finds_their_download_and_erase_buttons_on_the_privacy_page(
    world: World,
) -> None:
    client = Client()
    client.force_login(world.person("resident"))
    text = client.get(reverse("privacy:page")).text
    assert f'href="{reverse("privacy:my_data")}"' in text
    assert f'href="{reverse("privacy:erase")}"' in text
    # The footer of every page leads here.
    assert f'href="{reverse("privacy:page")}"' in client.get(reverse("home:index")).text
