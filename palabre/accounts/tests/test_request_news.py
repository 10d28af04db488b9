"""How someone who answers requests hears of them (issue 15, item 6): one email per request or
a Monday digest, chosen in "My account" by officials and members of a department only."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from palabre.accounts.models import RequestNews, User
from palabre.accounts.tests.factories import make_user
from palabre.core.testing import World
from palabre.official_requests.tests.factories import make_department

pytestmark = pytest.mark.django_db

URL = "/compte/"
CHOICE = "Comment apprenez-vous qu'une demande vous arrive\u00a0?"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _news(user: User) -> str:
    return User.objects.get(pk=user.pk).request_news


def test_the_account_page_is_where_the_url_says() -> None:
    assert reverse("accounts:account") == URL


def test_an_official_chooses_the_monday_digest_and_saving_again_changes_nothing(
    world: World,
) -> None:
    official = world.person("official")
    User.objects.filter(pk=official.pk).update(preferred_language="nl")
    client = _client(official)
    page = html.unescape(client.get(URL, headers={"accept-language": "fr"}).text)
    assert CHOICE in page
    assert "les rappels avant un délai" in page  # what stays immediate, in plain words
    assert re.search(r'value="each"[^>]* checked>', page)  # today's behaviour by default
    for _ in range(2):  # a double submit: the same choice, the same result
        saved = client.post(URL, {"form": "request_news", "request_news": "weekly"}, follow=True)
        assert _news(official) == RequestNews.WEEKLY
        # The message in the person's language, whatever the page's.
        assert "Opgeslagen: elke maandagochtend één overzicht" in html.unescape(saved.text)
    assert User.objects.get(pk=official.pk).preferred_language == "nl"  # the language stays
    back = client.post(URL, {"form": "request_news", "request_news": "each"}, follow=True)
    assert _news(official) == RequestNews.EACH
    assert "Opgeslagen: één e-mail voor elk verzoek" in html.unescape(back.text)


def test_a_member_of_a_department_chooses_too(world: World) -> None:
    member = make_user(email="agent@example.org")
    make_department(world).members.add(member)
    client = _client(member)
    assert CHOICE in html.unescape(client.get(URL).text)
    client.post(URL, {"form": "request_news", "request_news": "weekly"})
    assert _news(member) == RequestNews.WEEKLY


@pytest.mark.parametrize("persona", ["resident", "facilitator", "coordinator", "partner"])
def test_people_who_answer_no_request_see_only_the_language(world: World, persona: str) -> None:
    person = world.person(persona)
    client = _client(person)
    page = html.unescape(client.get(URL).text)
    assert "Langue des pages et des e-mails" in page
    assert CHOICE not in page
    assert "request_news" not in page
    refused = client.post(URL, {"form": "request_news", "request_news": "weekly"})
    assert refused.status_code == 403
    assert _news(person) == RequestNews.EACH


def test_a_choice_that_does_not_exist_is_refused_with_a_reason_and_nothing_changes(
    world: World,
) -> None:
    official = world.person("official")
    client = _client(official)
    refused = client.post(URL, {"form": "request_news", "request_news": "daily"})
    assert refused.status_code == 200
    assert "Sélectionnez un choix valide" in html.unescape(refused.text)
    empty = client.post(URL, {"form": "request_news"})
    assert "Choisissez une des deux façons." in html.unescape(empty.text)
    assert _news(official) == RequestNews.EACH


def test_saving_the_language_leaves_the_choice_and_the_other_way_round(world: World) -> None:
    official = world.person("official")
    client = _client(official)
    client.post(URL, {"form": "request_news", "request_news": "weekly"})
    client.post(URL, {"preferred_language": "nl"})
    assert (User.objects.get(pk=official.pk).preferred_language, _news(official)) == (
        "nl",
        RequestNews.WEEKLY,
    )
    # The news form's fields never reach the language form: no language error is shown.
    page = html.unescape(client.post(URL, {"form": "request_news", "request_news": "x"}).text)
    assert page.count('class="field__errors"') == 1


def test_the_action_updates_the_account_in_hand_and_names_a_choice_that_does_not_exist(
    world: World,
) -> None:
    from palabre.accounts import actions

    official = world.person("official")
    actions.set_request_news(user=official, news=RequestNews.WEEKLY)
    assert official.request_news == RequestNews.WEEKLY  # the object the caller holds too
    with pytest.raises(ValueError, match="daily"):
        actions.set_request_news(user=official, news="daily")
    assert _news(official) == RequestNews.WEEKLY
