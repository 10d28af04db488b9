"""Issue 20, item 2: at check-in, a resident scans the code on the facilitator's screen and
answers the one-minute questionnaire on a 320 px phone, with and without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from palabre.core.testing import World, build_world
from palabre.inclusion.models import Answer, Entry, Residence
from palabre.workshops.models import Workshop
from palabre.workshops.tests.factories import make_hosted_workshop
from tests.browser.conftest import assert_accessible

PHONE_320 = {"width": 320, "height": 640}


def tonight(world: World) -> Workshop:
    now = timezone.now()
    return make_hosted_workshop(
        world,
        title="Bien vivre ensemble à Bomel",
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(hours=2),
    )


def signed_in_as(
    new_page: Callable[..., Page], live_server: Any, person: Any, **options: Any
) -> Page:
    """A page in English where `person` is signed in (their session cookie, as after signing in)."""
    client = Client()
    client.force_login(person)
    page = new_page(locale="en-GB", **options)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def fits(page: Page, width: int = 320) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def _answer_on_a_phone(phone: Page, workshop: Workshop, world: World) -> None:
    phone.goto(f"/inclusion/{workshop.pk}/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("One minute about you")
    fits(phone)
    assert_accessible(phone)
    phone.get_by_role("group", name="How old are you?").get_by_label("65 to 79").check()
    phone.get_by_role("group", name="Is this your first neighbourhood workshop?").get_by_label(
        "Yes, it is my first"
    ).check()
    phone.get_by_role("group", name="Where do you live?").get_by_label(world.home.name).check()
    # "How did you hear" is skipped: every question is optional.
    languages = phone.get_by_role("group", name="Which languages do you speak at home?")
    languages.get_by_label("French").check()
    languages.get_by_label("Arabic").check()
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Thank you")
    fits(phone)
    assert_accessible(phone)


def test_a_resident_answers_at_check_in_on_a_320_px_phone(
    new_page: Callable[..., Page], live_server: Any, transactional_db: Any
) -> None:
    world = build_world()
    workshop = tonight(world)

    # The facilitator shows the code at the welcome table.
    screen = signed_in_as(new_page, live_server, world.person("facilitator"), viewport=PHONE_320)
    screen.goto(f"/inclusion/{workshop.pk}/partager/")
    expect(screen.get_by_role("img", name="QR code of the address")).to_be_visible()
    expect(screen.locator("#questionnaire-link")).to_contain_text(f"/inclusion/{workshop.pk}/")
    fits(screen)
    assert_accessible(screen)

    phone = new_page(locale="en-GB", viewport=PHONE_320, is_mobile=True, has_touch=True)
    _answer_on_a_phone(phone, workshop, world)
    answer = Answer.objects.get()
    assert (answer.age_band, answer.first_time, answer.heard) == ("65-79", True, "")
    assert (answer.residence, answer.neighbourhood_id) == (Residence.NEIGHBOURHOOD, world.home.pk)
    assert (answer.languages, answer.entry) == (["fr", "ar"], Entry.PHONE)


def test_a_resident_answers_without_javascript_and_may_skip(
    new_page: Callable[..., Page], live_server: Any, transactional_db: Any
) -> None:
    world = build_world()
    workshop = tonight(world)
    phone = new_page(locale="en-GB", viewport=PHONE_320, is_mobile=True, java_script_enabled=False)
    _answer_on_a_phone(phone, workshop, world)
    assert Answer.objects.count() == 1

    # Someone else prefers not to answer at all.
    other = new_page(locale="en-GB", viewport=PHONE_320, java_script_enabled=False)
    other.goto(f"/inclusion/{workshop.pk}/")
    other.get_by_role("link", name="Skip the questionnaire").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert Answer.objects.count() == 1


def test_the_questionnaire_says_when_it_opens(
    new_page: Callable[..., Page], live_server: Any, transactional_db: Any
) -> None:
    world = build_world()
    workshop = make_hosted_workshop(world, days_from_now=3)
    phone = new_page(locale="en-GB", viewport=PHONE_320)
    phone.goto(f"/inclusion/{workshop.pk}/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("The questionnaire is closed")
    expect(phone.get_by_text("two hours before the workshop")).to_be_visible()
    fits(phone)
    assert_accessible(phone)
