"""The inclusion questionnaire (issue 20, item 2): answered anonymously on a phone at the
workshop, or on paper and keyed by the facilitator; nothing leads back to a person."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palabre.core import throttle
from palabre.core.testing import World, error_summary, pdf_text
from palabre.inclusion import actions, views
from palabre.inclusion.actions import Said
from palabre.inclusion.models import Answer, Entry, Residence
from palabre.inclusion.tests.factories import make_answers, make_open_workshop
from palabre.workshops.models import Status
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


def _client(user: Any = None) -> Client:
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def _form(**fields: Any) -> dict[str, Any]:
    return {
        "key": "a-key-the-server-gave-0001",
        "age_band": "65-79",
        "first_time": "yes",
        "residence": "city",
        "heard": "printed",
        "languages": ["ar", "fr"],
    } | fields


def test_an_answer_holds_nothing_that_leads_back_to_a_person() -> None:
    # No account, registration, address, device, cookie or time: a new column here must be
    # argued in ADR 0074 first.
    assert {field.name for field in Answer._meta.get_fields()} == {
        "id",
        "workshop",
        "age_band",
        "first_time",
        "languages",
        "residence",
        "neighbourhood",
        "heard",
        "entry",
        "key",
    }
    assert not Answer._meta.ordering
    assert Answer._meta.pk is not None
    assert Answer._meta.pk.get_internal_type() == "UUIDField"


def test_a_resident_answers_anonymously_on_a_phone(world: World) -> None:
    workshop = make_open_workshop(world)
    url = reverse("inclusion:questionnaire", args=[workshop.pk])
    page = _client().get(url)
    assert page.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in page["Cache-Control"].split(",")}
    assert 'name="csrfmiddlewaretoken"' in page.text
    answered = _client().post(url, _form(residence=f"n{world.home.pk}"), follow=True)
    assert answered.redirect_chain == [(reverse("inclusion:thanks", args=[workshop.pk]), 302)]
    assert "Thank you" in answered.text
    (answer,) = Answer.objects.all()
    assert (answer.age_band, answer.first_time, answer.heard, answer.entry) == (
        "65-79",
        True,
        "printed",
        Entry.PHONE,
    )
    assert answer.languages == ["fr", "ar"]  # in the list's order, not as ticked
    assert (answer.residence, answer.neighbourhood) == (Residence.NEIGHBOURHOOD, world.home)


def test_answering_sets_no_cookie(world: World) -> None:
    workshop = make_open_workshop(world)
    url = reverse("inclusion:questionnaire", args=[workshop.pk])
    client = _client()
    client.get(url)
    before = set(client.cookies)  # the CSRF cookie of every form
    response = client.post(url, _form())
    assert set(response.cookies) <= {"csrftoken"}
    assert set(client.cookies) == before


def test_rather_not_say_and_skipped_questions_are_stored_as_not_said(world: World) -> None:
    workshop = make_open_workshop(world)
    url = reverse("inclusion:questionnaire", args=[workshop.pk])
    _client().post(
        url, {"key": "k" * 20, "age_band": "unsaid", "first_time": "no", "residence": "unsaid"}
    )
    answer = Answer.objects.get()
    assert (answer.age_band, answer.first_time, answer.languages) == ("", False, [])
    assert (answer.residence, answer.neighbourhood, answer.heard) == ("", None, "")


def test_a_blank_questionnaire_says_thanks_and_stores_nothing(world: World) -> None:
    workshop = make_open_workshop(world)
    url = reverse("inclusion:questionnaire", args=[workshop.pk])
    response = _client().post(url, {"key": "k" * 20, "age_band": "unsaid"})
    assert response.status_code == 302
    assert not Answer.objects.exists()


def test_the_same_form_sent_twice_is_counted_once(world: World) -> None:
    workshop = make_open_workshop(world)
    url = reverse("inclusion:questionnaire", args=[workshop.pk])
    client = _client()
    assert client.post(url, _form()).status_code == 302
    assert client.post(url, _form()).status_code == 302
    assert Answer.objects.count() == 1


def test_each_display_of_the_form_carries_a_new_random_key(world: World) -> None:
    workshop = make_open_workshop(world)
    url = reverse("inclusion:questionnaire", args=[workshop.pk])
    first, second = _client().get(url).text, _client().get(url).text
    key = 'name="key" value="'
    assert first.split(key)[1][:32] != second.split(key)[1][:32]


def test_an_unknown_choice_is_explained_and_the_rest_stays_ticked(world: World) -> None:
    workshop = make_open_workshop(world)
    response = _client().post(
        reverse("inclusion:questionnaire", args=[workshop.pk]), _form(age_band="200-300")
    )
    assert response.status_code == 400
    assert "Choose one of the answers in the list." in response.text
    assert error_summary(response.text) == ["#id_age_band_0"]
    assert re.search(
        r'<input type="radio" name="heard" value="printed"[^>]* checked', response.text
    )
    assert re.search(
        r'<input type="checkbox" name="languages" value="ar"[^>]* checked', response.text
    )
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    ("starts_in", "open_"),
    [
        (timedelta(hours=3), False),  # opens two hours before
        (timedelta(hours=1, minutes=50), True),
        (-timedelta(days=2, hours=2), True),  # ended two days ago less 30 minutes
        (-timedelta(days=2, hours=3), False),
    ],
)
def test_the_questionnaire_is_open_from_two_hours_before_until_two_days_after(
    world: World, starts_in: timedelta, open_: bool
) -> None:
    start = timezone.now() + starts_in
    workshop = make_hosted_workshop(
        world, starts_at=start, ends_at=start + timedelta(hours=2, minutes=30)
    )
    url = reverse("inclusion:questionnaire", args=[workshop.pk])
    page = _client().get(url)
    assert ("The questionnaire is closed" in page.text) is not open_
    _client().post(url, _form())
    assert Answer.objects.exists() is open_


def test_a_cancelled_workshop_takes_no_answer(world: World) -> None:
    workshop = make_open_workshop(world, status=Status.CANCELLED, cancellation_reason="Grève")
    url = reverse("inclusion:questionnaire", args=[workshop.pk])
    assert "The questionnaire is closed" in _client().get(url).text
    with pytest.raises(actions.InclusionError):
        actions.answer(workshop=workshop, said=Said(age_band="18-24"), key="k" * 20)


def test_one_client_sending_too_many_answers_is_paused(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        views, "ANSWERS_PER_CLIENT", throttle.Limit("inclusion-answer", 3, timedelta(hours=1))
    )
    workshop = make_open_workshop(world)
    url = reverse("inclusion:questionnaire", args=[workshop.pk])
    client = _client()
    statuses = [client.post(url, _form(key=f"key-number-{n:010d}")).status_code for n in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert Answer.objects.count() == 3


def test_a_workshop_takes_at_most_twice_its_capacity_in_phone_answers(world: World) -> None:
    workshop = make_open_workshop(world, capacity=40)
    assert actions.phone_cap(workshop) == 80
    make_answers(workshop, 79, age_band="18-24")
    make_answers(workshop, 5, age_band="18-24", entry=Entry.PAPER)  # paper is not capped
    actions.answer(workshop=workshop, said=Said(age_band="80+"), key="k" * 20)
    with pytest.raises(actions.InclusionError):
        actions.answer(workshop=workshop, said=Said(age_band="80+"), key="j" * 20)
    assert Answer.objects.filter(entry=Entry.PHONE).count() == 80


def test_a_hidden_neighbourhood_cannot_be_said(world: World) -> None:
    workshop = make_open_workshop(world)
    with pytest.raises(actions.InclusionError):
        actions.answer(
            workshop=workshop,
            said=Said(residence=Residence.NEIGHBOURHOOD, neighbourhood=world.hidden),
            key="k" * 20,
        )
    page = _client().get(reverse("inclusion:questionnaire", args=[workshop.pk])).text
    assert world.home.name in page
    assert world.hidden.name not in page


# Paper -------------------------------------------------------------------------------------


def test_the_facilitator_keys_paper_sheets_one_per_screen(world: World) -> None:
    workshop = make_open_workshop(world)
    url = reverse("inclusion:paper", args=[workshop.pk])
    client = _client(world.person("facilitator"))
    page = client.get(url).text
    # Every question starts on "left blank", and the first one has the keyboard's focus.
    assert page.count('value="unsaid"') == 4
    assert page.count("checked") == 4
    assert page.count("autofocus") == 1
    first = client.post(url, _form(key="paper-sheet-key-0001"), follow=True)
    assert "Sheet saved: 1 sheet keyed for this workshop. Next sheet." in first.text
    second = client.post(url, _form(key="paper-sheet-key-0002", age_band="unsaid"), follow=True)
    assert "2 sheets keyed for this workshop" in second.text
    again = client.post(url, _form(key="paper-sheet-key-0002"), follow=True)
    assert "This sheet had already been saved: it counts once." in again.text
    assert list(Answer.objects.values_list("entry", flat=True)) == ["paper", "paper"]
    assert sorted(Answer.objects.values_list("age_band", flat=True)) == ["", "65-79"]


def test_a_blank_paper_sheet_is_refused_with_a_reason(world: World) -> None:
    workshop = make_open_workshop(world)
    response = _client(world.person("facilitator")).post(
        reverse("inclusion:paper", args=[workshop.pk]),
        {"key": "k" * 20, "age_band": "unsaid", "first_time": "unsaid"},
    )
    assert response.status_code == 400
    assert "Nothing is ticked on this sheet" in response.text
    assert not Answer.objects.exists()


def test_paper_sheets_are_keyed_long_after_the_workshop_but_not_before_it(world: World) -> None:
    old = make_hosted_workshop(world, days_from_now=-60, status=Status.HELD)
    coming = make_hosted_workshop(world, days_from_now=5)
    coordinator = world.person("coordinator")
    assert actions.key_paper(by=coordinator, workshop=old, said=Said(heard="partner"), key="k" * 20)
    with pytest.raises(actions.InclusionError):
        actions.key_paper(by=coordinator, workshop=coming, said=Said(heard="partner"), key="j" * 20)


def test_only_the_workshops_facilitators_and_the_service_key_paper(world: World) -> None:
    workshop = make_open_workshop(world)
    for persona in ("resident", "partner", "official", "neighbour"):
        with pytest.raises(PermissionDenied):
            actions.key_paper(
                by=world.person(persona), workshop=workshop, said=Said(age_band="80+"), key="k" * 20
            )
    workshop.facilitators.clear()
    with pytest.raises(PermissionDenied):
        actions.key_paper(
            by=world.person("facilitator"),
            workshop=workshop,
            said=Said(age_band="80+"),
            key="k" * 20,
        )
    assert not Answer.objects.exists()


@pytest.mark.parametrize(("language", "month"), [("fr", "mars"), ("nl", "maart"), ("en", "March")])
def test_the_paper_questionnaire_is_one_page_in_each_language(
    world: World, language: str, month: str
) -> None:
    start = datetime(2027, 3, 16, 18, 30, tzinfo=ZoneInfo("Europe/Brussels"))
    workshop = make_hosted_workshop(
        world, title="Atelier de Bomel", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    response = _client(world.person("facilitator")).get(
        reverse("inclusion:paper_pdf", args=[workshop.pk]), {"language": language}
    )
    assert response["Content-Type"] == "application/pdf"
    assert f"questionnaire-{workshop.pk}-{language}.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert text.count("\f") == 1  # one page
    assert "Atelier de Bomel" in text
    assert f"16 {month} 2027" in text  # the date in the sheet's language
    assert world.home.name in text
    assert f"/inclusion/{workshop.pk}/" in text


def test_the_share_page_shows_the_qr_code_and_the_short_address(world: World) -> None:
    workshop = make_open_workshop(world)
    page = _client(world.person("facilitator")).get(reverse("inclusion:share", args=[workshop.pk]))
    assert 'src="data:image/svg+xml' in page.text
    assert f"/inclusion/{workshop.pk}/</strong>" in page.text
    assert f"/inclusion/{workshop.pk}/questionnaire.pdf?language=nl" in page.text
