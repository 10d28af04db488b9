"""Public pages kept in the cache for anonymous visitors (palabre.core.pagecache, ADR 0083)."""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from palabre.conversations import device
from palabre.conversations.tests.factories import make_conversation, make_statements
from palabre.core.pagecache import HEADER
from palabre.core.testing import World
from palabre.initiatives.tests.factories import make_initiative
from palabre.official_requests.tests.factories import make_request
from palabre.workshops.models import Registration, Workshop
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db(transaction=True)  # the cache moves on commit


@pytest.fixture(autouse=True)
def _cache_on(settings: object) -> None:
    settings.PAGE_CACHE_SECONDS = 60  # type: ignore[attr-defined]


@pytest.fixture
def workshop(world: World) -> Workshop:
    return make_hosted_workshop(world, title="Goed samenleven", capacity=10)


def _key(html: str) -> str:
    found = re.search(r'name="key" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _public_pages(world: World, workshop: Workshop) -> list[str]:
    request = make_request(world, sent=True)
    return [
        reverse("home:index"),
        reverse("neighbourhoods:detail", args=[world.home.slug]),
        reverse("workshops:detail", args=[workshop.pk]),
        reverse("official_requests:tracker"),
        reverse("official_requests:detail", args=[request.pk]),
        reverse("official_requests:figures"),
        reverse("initiatives:showcase"),
        reverse("initiatives:detail", args=[make_initiative(world).pk]),
        reverse("budgets:index"),
        reverse("conversations:index"),
    ]


def test_the_second_anonymous_visit_is_served_from_the_cache_without_a_query(
    world: World, workshop: Workshop
) -> None:
    for path in _public_pages(world, workshop):
        first = Client().get(path)
        assert first.status_code == 200, path
        assert first[HEADER] == "miss", path
        with CaptureQueriesContext(connection) as queries:
            second = Client().get(path)
        assert second.status_code == 200
        assert second[HEADER] == "hit", path
        assert len(queries) == 0, (path, [q["sql"] for q in queries])
        # The same page but for what is each visitor's own: the CSRF token, the forms' keys.
        same = re.sub(r'value="[A-Za-z0-9_-]{32,64}"', "", second.text)
        assert same == re.sub(r'value="[A-Za-z0-9_-]{32,64}"', "", first.text), path


def test_each_visitor_gets_a_csrf_token_of_their_own_that_works_and_a_key_of_their_own(
    workshop: Workshop,
) -> None:
    page = reverse("workshops:detail", args=[workshop.pk])
    register = reverse("workshops:register", args=[workshop.pk])
    first = Client(enforce_csrf_checks=True)
    first_page = first.get(page)
    second = Client(enforce_csrf_checks=True)
    second_page = second.get(page)
    assert second_page[HEADER] == "hit"
    assert _key(first_page.text) != _key(second_page.text)
    assert _csrf(first_page.text) != _csrf(second_page.text)
    assert "csrftoken" in second_page.cookies  # the hit hands out the visitor's own cookie
    for client, text, name in ((first, first_page.text, "Ana"), (second, second_page.text, "Bo")):
        sent = client.post(
            register,
            {
                "csrfmiddlewaretoken": _csrf(text),
                "key": _key(text),
                "name": name,
                "email": f"{name.lower()}@example.be",
            },
        )
        assert sent.status_code == 302, sent.text
    # Two people, two registrations: a shared key would have made the second a "retry".
    assert sorted(Registration.objects.values_list("name", flat=True)) == ["Ana", "Bo"]


def test_a_change_saved_shows_on_the_next_visit(workshop: Workshop) -> None:
    page = reverse("workshops:detail", args=[workshop.pk])
    assert Client().get(page)[HEADER] == "miss"
    assert Client().get(page)[HEADER] == "hit"
    workshop.title = "Vivre ensemble au parc"
    workshop.save()
    after = Client().get(page)
    assert after[HEADER] == "miss"
    assert "Vivre ensemble au parc" in after.text
    # An update() sends no signal: seen in the SQL all the same.
    Workshop.objects.filter(pk=workshop.pk).update(title="Fête des voisins")
    assert "Fête des voisins" in html.unescape(Client().get(page).text)
    # A new row (INSERT ... RETURNING, whose row count SQLite gives only once read) too.
    assert Client().get(page)[HEADER] == "hit"
    Registration.objects.create(workshop=workshop, name="Chloé", email="chloe@example.be")
    assert Client().get(page)[HEADER] == "miss"
    # A statement that changes no row keeps the pages.
    assert Client().get(page)[HEADER] == "hit"
    Workshop.objects.filter(pk=-1).update(title="Personne")
    assert Client().get(page)[HEADER] == "hit"


def test_each_language_has_its_own_page(workshop: Workshop) -> None:
    page = reverse("workshops:detail", args=[workshop.pk])
    french = Client().get(page)
    dutch = Client(HTTP_ACCEPT_LANGUAGE="nl")
    dutch.cookies["django_language"] = "nl"
    in_dutch = dutch.get(page)
    assert in_dutch[HEADER] == "miss"
    assert 'lang="nl"' in in_dutch.text
    assert 'lang="fr"' in french.text
    assert dutch.get(page)[HEADER] == "hit"


def test_someone_signed_in_or_with_any_other_cookie_gets_a_page_of_their_own(
    world: World, workshop: Workshop
) -> None:
    page = reverse("workshops:detail", args=[workshop.pk])
    Client().get(page)
    signed_in = Client()
    signed_in.force_login(world.person("resident"))
    mine = signed_in.get(page)
    assert HEADER not in mine
    assert world.person("resident").email in mine.text  # the form is filled in for them
    other = Client()
    other.cookies["messages"] = "whatever"
    assert HEADER not in other.get(page)
    assert HEADER not in Client().get(page, headers={"HX-Request": "true"})


def test_an_address_with_a_parameter_the_page_does_not_use_is_rendered_each_time(
    workshop: Workshop,
) -> None:
    page = reverse("workshops:detail", args=[workshop.pk])
    for query in ("?x=1", "?via=a&via=b", "?via=" + "a" * 65):
        assert HEADER not in Client().get(page + query), query
    assert Client().get(page + "?via=flyer")[HEADER] == "miss"
    assert Client().get(page + "?via=flyer")[HEADER] == "hit"


def test_a_page_with_a_message_to_show_is_neither_stored_nor_served_from_the_cache(
    workshop: Workshop,
) -> None:
    page = reverse("workshops:detail", args=[workshop.pk])
    client = Client()
    html = client.get(page).text
    sent = client.post(
        reverse("workshops:register", args=[workshop.pk]),
        {"key": _key(html), "name": "Ana", "email": "ana@example.be"},
    )
    landed = client.get(sent["Location"])
    assert HEADER not in landed  # a message to show, or a session: a page of their own


def test_switched_off_with_zero_seconds(settings: object, workshop: Workshop) -> None:
    settings.PAGE_CACHE_SECONDS = 0  # type: ignore[attr-defined]
    page = reverse("workshops:detail", args=[workshop.pk])
    Client().get(page)
    assert HEADER not in Client().get(page)


def test_a_visitor_who_voted_in_a_conversation_still_gets_the_kept_pages(
    workshop: Workshop,
) -> None:
    """The conversations' device cookie is read by their own pages only (never kept)."""
    page = reverse("workshops:detail", args=[workshop.pk])
    Client().get(page)
    voter = Client()
    voter.cookies[device.COOKIE] = "whatever"
    assert voter.get(page)[HEADER] == "hit"
    assert device.COOKIE in settings.PAGE_CACHE_IGNORED_COOKIES


def test_a_conversation_is_kept_for_phones_that_have_not_voted_never_for_one_that_did() -> None:
    conversation = make_conversation()
    make_statements(conversation, 3)
    page = reverse("conversations:conversation", args=[conversation.slug])
    # A phone without the device cookie gets one: a page that sets it is never stored.
    first, second = Client(), Client()
    for phone in (first, second):
        answer = phone.get(page)
        assert device.COOKIE in answer.cookies
        assert HEADER not in answer
    # Phones that have not voted read one kept page.
    assert first.get(page)[HEADER] == "miss"
    with CaptureQueriesContext(connection) as queries:
        assert second.get(page)[HEADER] == "hit"
    assert len(queries) == 2  # the conversation's id and "has this phone voted here?"
    # A new phone gets the kept page with a device cookie of its own, and votes with it.
    newcomer = Client()
    with CaptureQueriesContext(connection) as queries:
        answer = newcomer.get(page)
    assert answer[HEADER] == "hit"
    assert len(queries) == 1  # the conversation's id: a phone without a cookie never voted
    assert answer.cookies[device.COOKIE].value != first.cookies[device.COOKIE].value
    shown = int(re.findall(r'name="statement" value="(\d+)"', answer.text)[0])
    vote = reverse("conversations:vote", args=[conversation.slug])
    assert newcomer.post(vote, {"statement": shown, "value": "agree"}).status_code == 303
    assert HEADER not in newcomer.get(page)  # its vote is its own: rendered for it
    assert second.get(page)[HEADER] == "miss"  # and the vote dropped the kept page
    shown = int(re.findall(r'name="statement" value="(\d+)"', first.get(page).text)[0])
    assert first.post(vote, {"statement": shown, "value": "agree"}).status_code == 303
    # The voter sees its vote (pressed, to change it): rendered for it, every time.
    for _ in range(2):
        mine = first.get(page)
        assert HEADER not in mine
        assert 'aria-pressed="true"' in mine.text
    # The vote changed what the next statement is for everyone: the kept page was dropped.
    others = second.get(page)
    assert others[HEADER] == "miss"
    assert 'aria-pressed="true"' not in others.text


def test_with_the_cache_down_pages_are_rendered_and_writes_go_through(
    settings: object, workshop: Workshop
) -> None:
    settings.CACHES = {  # type: ignore[attr-defined]
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        }
    }
    page = reverse("workshops:detail", args=[workshop.pk])
    answer = Client().get(page)
    assert answer.status_code == 200
    assert HEADER not in answer
    Workshop.objects.filter(pk=workshop.pk).update(title="Toujours là")
    assert "Toujours là" in html.unescape(Client().get(page).text)


def _received(page_text: str, name: str) -> int:
    found = re.search(rf'<th scope="row">{re.escape(name)}</th><td>(\d+)</td>', page_text)
    assert found is not None, f"no row for {name}"
    return int(found.group(1))


def test_figures_everyone_reads_are_computed_once_then_again_after_any_change(
    world: World,
) -> None:
    make_request(world, sent=True)
    official = html.escape(world.person("official").display_name)
    staff = Client()
    staff.force_login(world.person("coordinator"))
    page = reverse("official_requests:figures")
    with CaptureQueriesContext(connection) as first:
        assert _received(staff.get(page).text, official) == 1
    with CaptureQueriesContext(connection) as second:
        assert _received(staff.get(page).text, official) == 1
    # Signed in, the page is rendered; the figures (three grouped queries) are not counted again.
    assert len(second) == len(first) - 3
    # Anyone's change shows at once, to the staff and to anonymous visitors alike.
    make_request(world, sent=True)
    assert _received(staff.get(page).text, official) == 2
    assert _received(Client().get(page).text, official) == 2
    # Another period is figures of its own.
    assert "Aucune demande envoyée" in Client().get(f"{page}?start=2001-01-01&end=2001-12-31").text


def test_kept_figures_are_switched_off_with_the_pages(settings: object, world: World) -> None:
    settings.PAGE_CACHE_SECONDS = 0  # type: ignore[attr-defined]
    staff = Client()
    staff.force_login(world.person("coordinator"))
    page = reverse("official_requests:figures")
    with CaptureQueriesContext(connection) as first:
        staff.get(page)
    with CaptureQueriesContext(connection) as second:
        staff.get(page)
    assert len(second) == len(first)
