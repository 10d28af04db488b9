"""An account's language (issue 15, item 6; issue 16, item 5): chosen in "My account" or with
the language switcher, it is the language of the person's emails, not only of the pages."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from palabre.accounts.models import User
from palabre.core.testing import World

pytestmark = pytest.mark.django_db


def test_the_switcher_sets_a_signed_in_person_s_language_for_their_emails(world: World) -> None:
    official = world.person("official")
    client = Client()
    client.force_login(official)
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert User.objects.get(pk=official.pk).preferred_language == "nl"
    # Someone not signed in only gets the cookie.
    anonymous = Client()
    response = anonymous.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.cookies["django_language"].value == "en"


def test_my_account_changes_the_language_and_refuses_one_the_site_does_not_have(
    world: World,
) -> None:
    resident = world.person("resident")
    client = Client()
    client.force_login(resident)
    url = reverse("accounts:account")
    page = html.unescape(client.get(url).text)
    assert "Langue des pages et des e-mails" in page
    refused = html.unescape(client.post(url, {"preferred_language": "de"}).text)
    assert "Sélectionnez un choix valide" in refused
    assert User.objects.get(pk=resident.pk).preferred_language == "fr"
    saved = client.post(url, {"preferred_language": "nl"}, follow=True)
    assert User.objects.get(pk=resident.pk).preferred_language == "nl"
    assert "Opgeslagen: pagina&#x27;s en e-mails in deze taal." in saved.text
    assert '<html lang="nl">' in saved.text


def test_the_action_updates_the_account_in_hand_and_names_a_language_the_site_lacks(
    world: World,
) -> None:
    from palabre.accounts import actions

    resident = world.person("resident")
    actions.set_preferred_language(user=resident, language="nl")
    assert resident.preferred_language == "nl"  # the object the caller holds too
    with pytest.raises(ValueError, match="'de'"):
        actions.set_preferred_language(user=resident, language="de")
    assert User.objects.get(pk=resident.pk).preferred_language == "nl"
