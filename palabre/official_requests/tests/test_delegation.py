"""Delegation that tells (issue 15, item 2): whoever receives a redirected request is told at
once, in their language, with the deadlines it keeps; reminders and escalations follow it."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from palabre.accounts.models import Role
from palabre.accounts.tests.factories import make_user
from palabre.core.testing import World, sent_mail
from palabre.official_requests import actions
from palabre.official_requests.models import AnswerKind, Department, Request
from palabre.official_requests.queries import accountability, to_do
from palabre.official_requests.tests.factories import make_request
from palabre.official_requests.tests.test_deadlines import (
    at,
    run_worker_at,
    sent_friday_6_november,
)

pytestmark = pytest.mark.django_db(transaction=True)


def roads(world: World) -> Department:
    department = Department.objects.create(slug="voirie", name="Service Voirie")
    department.members.add(
        make_user(role=Role.RESIDENT, email="agent@example.org", preferred_language="nl")
    )
    return department


def new_deadlines_at(world: World, request: Request, moment: datetime) -> None:
    """The service passes `request` on to the roads department with new deadlines."""
    with time_machine.travel(moment, tick=False):
        actions.redirect_request(
            by=world.person("coordinator"),
            request=request,
            department=roads(world),
            new_deadlines=True,
        )


def test_the_department_a_request_is_delegated_to_is_told_in_its_members_language(
    world: World,
) -> None:
    request = sent_friday_6_november(world)
    department = roads(world)
    actions.redirect_request(
        by=world.person("official"),
        request=request,
        department=department,
        note="Dossier technique : à vous.",
    )
    (told,) = sent_mail()
    assert told.to == ["agent@example.org"]
    assert told.subject == "Een aan u doorgegeven verzoek: Un ralentisseur devant l'école"
    name = world.person("official").display_name
    body = " ".join(told.body.split())
    assert (
        f"{name} heeft u een verzoek doorgegeven dat bewoners van Bomel aan {name} hadden gericht:"
    ) in body
    assert f"/demandes/{request.pk}/" in body
    assert "Het verzoek behoudt de data die de bewoners kregen" in body
    assert "Dossier technique : à vous." in told.body
    # The deadlines the residents were given, in Dutch: acknowledge by Monday 23 November.
    assert "maandag 23 november 2026" in told.body
    agent = department.members.get()
    inbox = to_do(agent)
    waiting = [*inbox.late, *inbox.this_week, *inbox.later]
    assert [item.request.pk for item in waiting] == [request.pk]


def test_a_department_nobody_answers_for_gets_no_email_and_nothing_breaks(world: World) -> None:
    request = sent_friday_6_november(world)
    empty = Department.objects.create(slug="vide", name="Service sans membre")
    actions.redirect_request(by=world.person("coordinator"), request=request, department=empty)
    assert sent_mail() == []
    assert Request.objects.get(pk=request.pk).department == empty


def test_reminders_and_escalations_follow_the_request_to_its_new_holder(world: World) -> None:
    request = sent_friday_6_november(world)
    assert request.acknowledge_by == date(2026, 11, 23)
    other = make_user(role=Role.OFFICIAL, email="echevin.travaux@example.org")
    actions.redirect_request(by=world.person("coordinator"), request=request, official=other)
    sent_mail()
    mail.outbox.clear()  # the email telling the new holder
    run_worker_at(at(19, 11))  # the reminder queued when it was sent to the first official
    assert [m.to for m in mail.outbox] == [["echevin.travaux@example.org"]]
    run_worker_at(at(24, 11))  # still not acknowledged: the coordinators are told
    assert [m.to for m in mail.outbox][1:] == [["coordinator@example.org"]]


def test_members_of_one_department_each_read_it_in_their_own_language(world: World) -> None:
    request = sent_friday_6_november(world)
    department = roads(world)
    department.members.add(
        make_user(role=Role.RESIDENT, email="agente@example.org", preferred_language="fr")
    )
    actions.redirect_request(by=world.person("coordinator"), request=request, department=department)
    told = {tuple(message.to): message.subject for message in sent_mail()}
    assert told == {
        (
            "agente@example.org",
        ): "Une demande qui vous est transmise\u00a0: Un ralentisseur devant l'école",
        ("agent@example.org",): "Een aan u doorgegeven verzoek: Un ralentisseur devant l'école",
    }


def test_an_answer_is_credited_to_whoever_had_the_request_and_says_who_wrote_it(
    world: World,
) -> None:
    request = sent_friday_6_november(world)
    department = roads(world)
    agent = department.members.get()
    actions.redirect_request(by=world.person("official"), request=request, department=department)
    request.refresh_from_db()
    with time_machine.travel(at(12, 11), tick=False):
        actions.answer(
            by=agent,
            request=request,
            kind=AnswerKind.PLANNED,
            text="Le ralentisseur sera posé en mars.",
            planned_for=date(2027, 3, 15),
            version=request.version,
        )
    request.refresh_from_db()
    assert (request.answer_from, request.answered_by) == (department, agent)
    page = Client().get(reverse("official_requests:detail", args=[request.pk])).text
    assert f"De Service Voirie, rédigée par {agent.display_name}" in page
    # Handed back to the official afterwards (to follow the works): the answer stays the
    # department's.
    actions.redirect_request(
        by=world.person("coordinator"), request=request, official=world.person("official")
    )
    with time_machine.travel(at(14, 11), tick=False):
        rows = {row.name: row for row in accountability(date(2026, 1, 1), date(2026, 12, 31))}
    # The decision counts for the department that made it, not for the official it left.
    official = rows[world.person("official").display_name]  # there: it passed one on
    assert (official.received, official.decided_on_time.part, official.passed_on) == (0, 0, 1)
    assert (rows["Service Voirie"].received, rows["Service Voirie"].decided_on_time.part) == (1, 1)


def test_the_figures_say_how_long_each_holder_kept_a_request_before_passing_it_on(
    world: World,
) -> None:
    request = sent_friday_6_november(world)  # Friday 6 November, 10:00
    department = roads(world)
    with time_machine.travel(at(10, 11, 10, 0), tick=False):  # four days later
        actions.redirect_request(
            by=world.person("official"), request=request, department=department
        )
    other = sent_friday_6_november(world, title="Un banc place Wiertz")
    with time_machine.travel(at(8, 11, 10, 0), tick=False):  # two days later
        actions.redirect_request(by=world.person("official"), request=other, department=department)
    with time_machine.travel(at(14, 11), tick=False):
        rows = {row.name: row for row in accountability(date(2026, 1, 1), date(2026, 12, 31))}
    official = rows[world.person("official").display_name]
    assert (official.received, official.passed_on, official.median_days_kept) == (0, 2, 3.0)
    roads_row = rows["Service Voirie"]
    assert (roads_row.received, roads_row.passed_on, roads_row.median_days_kept) == (2, 0, None)
    page = Client().get(reverse("official_requests:figures")).text
    assert "Transmises" in page


def test_a_department_a_request_was_sent_to_is_told_how_long_it_kept_it(world: World) -> None:
    department = roads(world)
    request = make_request(world)
    with time_machine.travel(at(6, 11, 10, 0), tick=False):  # sent to the department itself
        actions.send_request(by=world.person("coordinator"), request=request, department=department)
    request.refresh_from_db()
    with time_machine.travel(at(9, 11, 10, 0), tick=False):  # three days later, to the official
        actions.redirect_request(
            by=world.person("coordinator"), request=request, official=world.person("official")
        )
    with time_machine.travel(at(14, 11), tick=False):
        rows = {row.name: row for row in accountability(date(2026, 1, 1), date(2026, 12, 31))}
    roads_row = rows["Service Voirie"]
    assert (roads_row.passed_on, roads_row.median_days_kept) == (1, 3.0)


def test_the_service_gives_new_deadlines_and_the_reminders_start_over(world: World) -> None:
    request = sent_friday_6_november(world)
    department = roads(world)
    run_worker_at(at(19, 11))  # the first official is reminded for Monday 23
    assert [m.to for m in mail.outbox] == [["official@example.org", "cabinet@example.org"]]
    mail.outbox.clear()
    with time_machine.travel(at(20, 11, 10, 0), tick=False):
        actions.redirect_request(
            by=world.person("coordinator"),
            request=request,
            department=department,
            new_deadlines=True,
        )
        (told,) = sent_mail()
    request.refresh_from_db()
    # Ten working days from Friday 20 November: Friday 4 December.
    assert request.acknowledge_by == date(2026, 12, 4)
    assert (
        "De dienst gaf nieuwe termijnen: bevestig de ontvangst tegen vrijdag 4 december 2026"
        in " ".join(told.body.split())
    )
    mail.outbox.clear()
    run_worker_at(at(24, 11))  # the escalation queued for the old date sends nothing
    assert mail.outbox == []
    run_worker_at(at(2, 12))  # two working days before the new date: the department
    assert [m.to for m in mail.outbox] == [["agent@example.org"]]
    public = Client().get(reverse("official_requests:detail", args=[request.pk])).text
    assert (
        "Nouveaux délais du service\u00a0: accuser réception d'ici le vendredi 4 décembre 2026"
        in (public.replace("&#x27;", "'"))
    )


def test_only_the_service_gives_new_deadlines_and_never_after_the_answer(world: World) -> None:
    request = sent_friday_6_november(world)
    department = roads(world)
    with pytest.raises(PermissionDenied):
        actions.redirect_request(
            by=world.person("official"), request=request, department=department, new_deadlines=True
        )
    actions.answer(
        by=world.person("official"),
        request=request,
        kind=AnswerKind.UNDER_STUDY,
        text="À l'étude.",
        version=request.version,
    )
    with pytest.raises(actions.RequestError):
        actions.redirect_request(
            by=world.person("coordinator"),
            request=request,
            department=department,
            new_deadlines=True,
        )
    assert Request.objects.get(pk=request.pk).acknowledge_by == date(2026, 11, 23)


def test_new_deadlines_start_over_for_that_request_only(world: World) -> None:
    from palabre.official_requests.models import Notice

    request = sent_friday_6_november(world)
    other = sent_friday_6_november(world, title="Un banc place Hennebert")
    run_worker_at(at(19, 11))  # both officials' reminders for Monday 23 are sent
    assert Notice.objects.filter(request=other).count() == 1
    new_deadlines_at(world, request, at(20, 11, 10, 0))
    assert not Notice.objects.filter(request=request).exists()  # its reminders start over
    assert Notice.objects.filter(request=other).count() == 1  # the other's were sent: kept


def test_an_acknowledged_request_gets_a_new_answer_date_counted_with_next_year_s_holidays(
    world: World,
) -> None:
    from palabre.official_requests.models import Event, EventKind

    request = make_request(world)
    with time_machine.travel(at(1, 10, 10, 0, year=2025), tick=False):  # knows 2025 and 2026
        actions.send_request(
            by=world.person("coordinator"), request=request, official=world.person("official")
        )
        actions.acknowledge(by=world.person("official"), request=request)
    acknowledge_by = Request.objects.get(pk=request.pk).acknowledge_by
    new_deadlines_at(world, request, at(2, 11, 10, 0))
    request.refresh_from_db()
    assert request.acknowledge_by == acknowledge_by  # acknowledged already: no new date
    # 60 days from Monday 2 November 2026 is Friday 1 January 2027, a legal holiday: Monday 4.
    assert request.answer_by == date(2027, 1, 4)
    note = Event.objects.filter(request=request, kind=EventKind.NOTE).latest("pk")
    assert note.by == world.person("coordinator")
    assert note.note == "Nouveaux délais du service\u00a0: répondre d'ici le lundi 4 janvier 2027."
