from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from palabre.core.testing import World, pdf_text, sent_mail
from palabre.official_requests import actions
from palabre.official_requests.models import AnswerKind, ClosedDay, Event, Request, Status
from palabre.official_requests.tests.factories import make_department, make_request

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")


def test_a_request_drafted_from_two_contributions_keeps_them_as_evidence(world: World) -> None:
    request = make_request(world)
    assert request.status == Status.DRAFTED
    assert request.contributions.count() == 2
    contribution = request.contributions.first()
    assert contribution is not None
    assert list(contribution.requests.all()) == [request]


def test_deadlines_count_working_days_across_a_belgian_holiday(world: World) -> None:
    request = make_request(world)
    # Friday 6 November 2026, 10:00: Armistice (Wednesday 11 November) is not a working day.
    with time_machine.travel(datetime(2026, 11, 6, 10, tzinfo=BRUSSELS), tick=False):
        actions.send_request(
            by=world.person("coordinator"), request=request, official=world.person("official")
        )
    request.refresh_from_db()
    assert request.acknowledge_by == date(2026, 11, 23)  # 10 working days, 11 and 15 Nov closed
    assert request.answer_by == date(2027, 1, 5)  # 60 days = 5 Jan 2027, a Tuesday
    assert ClosedDay.objects.filter(day=date(2026, 11, 11)).exists()


def test_the_city_calendar_decides_what_is_closed(world: World) -> None:
    actions.ensure_calendar([2026, 2027])
    ClosedDay.objects.filter(day=date(2026, 11, 2)).delete()  # the city works on All Souls
    request = make_request(world)
    with time_machine.travel(datetime(2026, 10, 23, 10, tzinfo=BRUSSELS), tick=False):
        actions.send_request(
            by=world.person("coordinator"), request=request, official=world.person("official")
        )
    request.refresh_from_db()
    assert request.acknowledge_by == date(2026, 11, 6)


def test_a_local_closure_entered_first_does_not_hide_the_legal_holidays(world: World) -> None:
    # The coordinator enters the city's own closure before any request of 2026 was sent.
    ClosedDay.objects.create(day=date(2026, 6, 5), name="Fête de la ville")
    request = make_request(world)
    with time_machine.travel(datetime(2026, 11, 6, 10, tzinfo=BRUSSELS), tick=False):
        actions.send_request(
            by=world.person("coordinator"), request=request, official=world.person("official")
        )
    request.refresh_from_db()
    assert ClosedDay.objects.filter(day=date(2026, 11, 11)).exists()  # Armistice
    assert request.acknowledge_by == date(2026, 11, 23)
    assert ClosedDay.objects.get(day=date(2026, 6, 5)).name == "Fête de la ville"


def test_a_closure_the_city_removed_is_not_put_back_by_the_next_request(world: World) -> None:
    actions.ensure_calendar([2026, 2027])
    ClosedDay.objects.filter(day=date(2026, 11, 2)).delete()  # the city works on All Souls
    actions.ensure_calendar([2026, 2027])
    make_request(world, sent=True)
    assert not ClosedDay.objects.filter(day=date(2026, 11, 2)).exists()
    assert ClosedDay.objects.filter(day=date(2026, 11, 11)).exists()


def test_the_life_cycle_refuses_skipped_steps_with_the_reason(world: World) -> None:
    request = make_request(world)
    official = world.person("official")
    with pytest.raises(PermissionDenied):  # not yet addressed to anyone
        actions.acknowledge(by=official, request=request)
    actions.send_request(by=world.person("coordinator"), request=request, official=official)
    with pytest.raises(actions.RequestError, match="ne peut pas devenir"):
        actions.mark_done(by=official, request=request)
    actions.acknowledge(by=official, request=request)
    with pytest.raises(actions.RequestError):
        actions.acknowledge(by=official, request=request)


def test_a_planned_answer_needs_a_date_and_a_stale_version_is_a_conflict(world: World) -> None:
    request = make_request(world, sent=True)
    official = world.person("official")
    with pytest.raises(actions.RequestError):
        actions.answer(by=official, request=request, kind=AnswerKind.PLANNED, text="Oui", version=1)
    actions.answer(
        by=official,
        request=request,
        kind=AnswerKind.PLANNED,
        text="Prévu au printemps.",
        planned_for=date(2027, 4, 15),
        version=1,
    )
    with pytest.raises(actions.RequestError, match="entre-temps"):
        actions.answer(
            by=official, request=request, kind=AnswerKind.REFUSED, text="Non.", version=1
        )
    request.refresh_from_db()
    assert (request.status, request.answer_text, request.version) == (
        Status.ANSWERED,
        "Prévu au printemps.",
        2,
    )
    actions.start_work(by=official, request=request)
    actions.mark_done(by=official, request=request, note="Posé le 12 avril.")
    statuses = list(Event.objects.filter(request=request).values_list("status", flat=True))
    assert statuses == ["drafted", "sent", "answered", "in_progress", "done"]


@pytest.mark.parametrize("persona", ["resident", "facilitator", "partner", "coordinator"])
def test_only_the_addressee_answers(world: World, persona: str) -> None:
    request = make_request(world, sent=True)
    with pytest.raises(PermissionDenied):
        actions.acknowledge(by=world.person(persona), request=request)


def test_a_department_member_answers_a_request_addressed_to_the_department(
    world: World,
) -> None:
    department = make_department(world)
    department.members.add(world.person("partner"))  # someone working for the department
    request = make_request(world)
    actions.send_request(by=world.person("coordinator"), request=request, department=department)
    actions.acknowledge(by=world.person("partner"), request=request)
    with pytest.raises(PermissionDenied):
        actions.acknowledge(by=world.person("official"), request=request)


def test_only_officials_and_departments_are_addressed(world: World) -> None:
    request = make_request(world)
    with pytest.raises(actions.RequestError):
        actions.send_request(
            by=world.person("coordinator"), request=request, official=world.person("resident")
        )
    with pytest.raises(actions.RequestError):
        actions.send_request(by=world.person("coordinator"), request=request)
    assert Request.objects.get(pk=request.pk).status == Status.DRAFTED


def test_residents_who_gave_an_email_are_told_of_the_answer(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:

    from palabre.contributions.tests.factories import make_post

    request = make_request(world, sent=True)
    with_email = make_post(world.home, "Même avis.", email="voisine@example.org")
    request.contributions.add(with_email)
    sent_mail().clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.answer(
            by=world.person("official"),
            request=request,
            kind=AnswerKind.ACCEPTED,
            text="Accordé.",
            version=1,
        )
    assert [m.to for m in sent_mail()] == [["voisine@example.org"]]
    assert "Accordé." in sent_mail()[0].body
    assert "Un ralentisseur" in sent_mail()[0].body


def test_an_official_delegates_to_a_department_and_the_history_keeps_it(world: World) -> None:
    department = make_department(world)
    department.members.add(world.person("partner"))
    request = make_request(world, sent=True)
    due = request.answer_by
    actions.redirect_request(
        by=world.person("official"), request=request, department=department, note="Voirie."
    )
    request.refresh_from_db()
    assert (request.official, request.department, request.answer_by) == (None, department, due)
    event = Event.objects.filter(request=request).last()
    assert event is not None
    assert event.kind == "redirected"
    assert "Voirie." in event.note
    with pytest.raises(PermissionDenied):  # no longer the official's
        actions.acknowledge(by=world.person("official"), request=request)
    actions.acknowledge(by=world.person("partner"), request=request)
    with pytest.raises(actions.RequestError):
        actions.redirect_request(
            by=world.person("coordinator"),
            request=request,
            official=world.person("official"),
            department=department,
        )


def test_support_counts_each_person_once_and_shows_breadth(world: World) -> None:
    from palabre.contributions import actions as contribution_actions
    from palabre.contributions.tests.factories import make_post
    from palabre.official_requests import queries

    resident, neighbour = world.person("resident"), world.person("neighbour")
    request = make_request(world)  # two anonymous contributions in Bomel
    mine = make_post(world.home, "Je suis d'accord, il faut ralentir.", by=resident)
    request.contributions.add(mine)
    for contribution in request.contributions.all():
        contribution_actions.say_me_too(by=neighbour, contribution=contribution)
        if contribution.author_id != resident.pk:
            contribution_actions.say_me_too(by=resident, contribution=contribution)
    found = queries.support(request)
    assert (found.contributions, found.neighbourhoods, found.workshops) == (3, 1, 0)
    assert found.people == 2  # the resident wrote and said "me too" twice: once
    assert found.without_account == 2


def test_followers_are_told_of_the_answer_once_each(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:

    request = make_request(world, sent=True)
    neighbour = world.person("neighbour")
    actions.follow(by=neighbour, request=request, following=True)
    actions.follow(by=neighbour, request=request, following=True)
    sent_mail().clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.answer(
            by=world.person("official"),
            request=request,
            kind=AnswerKind.ACCEPTED,
            text="Accordé.",
            version=1,
        )
    assert [m.to for m in sent_mail()] == [["neighbour@example.org"]]
    with pytest.raises(PermissionDenied):
        actions.follow(by=None, request=request, following=True)


def test_merging_a_duplicate_keeps_every_link_and_both_histories(world: World) -> None:
    keep, duplicate = make_request(world, sent=True), make_request(world, sent=True)
    actions.follow(by=world.person("neighbour"), request=duplicate, following=True)
    evidence = set(keep.contributions.all()) | set(duplicate.contributions.all())
    actions.merge_requests(by=world.person("coordinator"), keep=keep, duplicate=duplicate)
    assert set(keep.contributions.all()) == evidence  # every contribution now supports it
    assert list(keep.followers.values_list("user__email", flat=True)) == ["neighbour@example.org"]
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    assert duplicate.contributions.count() == 2
    assert Event.objects.filter(kind="merged").count() == 2
    with pytest.raises(actions.RequestError):
        actions.merge_requests(by=world.person("coordinator"), keep=keep, duplicate=duplicate)
    with pytest.raises(PermissionDenied):
        actions.merge_requests(
            by=world.person("official"), keep=keep, duplicate=make_request(world)
        )


def test_two_requests_cannot_be_merged_into_each_other(world: World) -> None:
    first, second = make_request(world, sent=True), make_request(world, sent=True)
    coordinator = world.person("coordinator")
    # Two pages opened before either merge: each holds the other request as not merged.
    stale_first, stale_second = Request.objects.get(pk=first.pk), Request.objects.get(pk=second.pk)
    actions.merge_requests(by=coordinator, keep=first, duplicate=second)
    with pytest.raises(actions.RequestError, match="pas déjà été fusionnées"):
        actions.merge_requests(by=coordinator, keep=stale_second, duplicate=stale_first)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.merged_into_id, second.merged_into_id) == (None, first.pk)


def test_the_official_asks_the_neighbourhood_a_question_that_is_printed(world: World) -> None:

    from django.test import Client
    from django.urls import reverse

    request = make_request(world, sent=True)
    with pytest.raises(PermissionDenied):
        actions.ask_neighbourhood(by=world.person("resident"), request=request, question="?")
    actions.ask_neighbourhood(
        by=world.person("official"),
        request=request,
        question="Quelle heure de passage gêne le plus ?",
    )
    pdf = Client().get(reverse("official_requests:since_last_time", args=["bomel"])).content
    assert "Quelle heure de passage gêne le plus ?" in pdf_text(pdf)


def test_an_answer_template_prefills_the_official_s_answer(world: World) -> None:
    from django.test import Client
    from django.urls import reverse

    from palabre.official_requests.models import AnswerTemplate

    template = AnswerTemplate.objects.create(
        title="Pas notre compétence", kind=AnswerKind.NOT_COMPETENT, text="C'est la Région."
    )
    request = make_request(world, sent=True)
    client = Client()
    client.force_login(world.person("official"))
    url = reverse("official_requests:detail", args=[request.pk])
    page = client.get(url, {"template": template.pk}).text
    assert "C&#x27;est la Région.</textarea>" in page
    assert 'value="not_competent" selected' in page


def test_sending_emails_the_official_with_the_coordinators_in_copy(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:

    request = make_request(world)
    sent_mail().clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_request(
            by=world.person("coordinator"), request=request, official=world.person("official")
        )
    [message] = sent_mail()
    assert (message.to, message.cc) == (
        ["official@example.org", "cabinet@example.org"],
        ["coordinator@example.org"],
    )
    assert "Installer un ralentisseur" in message.body


def test_a_request_rests_on_a_workshop_of_its_own_neighbourhood(world: World) -> None:
    from palabre.workshops.tests.factories import make_hosted_workshop

    elsewhere = make_hosted_workshop(world)  # in Bomel
    with pytest.raises(actions.RequestError):
        actions.draft_request(
            by=world.person("coordinator"),
            neighbourhood=world.elsewhere,
            title="Titre",
            asked="Demande",
            workshop=elsewhere,
        )


def test_private_notes_stay_with_the_service_and_the_addressee(world: World) -> None:
    from django.test import Client
    from django.urls import reverse

    from palabre.accounts.models import Role
    from palabre.accounts.tests.factories import make_user

    other_official = make_user(role=Role.OFFICIAL, email="autre.echevin@example.org")
    request = make_request(world, sent=True)
    actions.add_note(
        by=world.person("official"), request=request, note="Budget 2028.", public=False
    )
    url = reverse("official_requests:detail", args=[request.pk])
    seen = {}
    for who in (other_official, world.person("resident"), world.person("official")):
        client = Client()
        client.force_login(who)
        seen[who.email] = "Budget 2028." in client.get(url).text
    assert seen == {
        "autre.echevin@example.org": False,
        "resident@example.org": False,
        "official@example.org": True,
    }
    client = Client()
    client.force_login(other_official)
    assert "Installer un ralentisseur" not in client.get(reverse("official_requests:portal")).text
