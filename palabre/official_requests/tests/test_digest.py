"""The Monday digest (issue 15, item 6; ADR 0060): whoever chose it gets no email when a request
reaches them but one email on Monday at 08:00, in their language, through the real task queue
and its worker on a frozen clock. Reminders stay immediate; nothing is sent twice, nor to
someone with nothing to read."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from palabre.accounts.models import RequestNews, User
from palabre.accounts.tests.factories import make_user
from palabre.core.testing import World, sent_mail
from palabre.official_requests import actions, digest
from palabre.official_requests.models import CabinetMember, Department, Request
from palabre.official_requests.tasks import send_weekly_digest
from palabre.official_requests.tests.factories import make_department, make_request

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _official_alone(world: World) -> None:
    """These tests read the official's own emails: the world's cabinet collaborator, told of
    each request at once (ADR 0062), works elsewhere (see the last test)."""
    CabinetMember.objects.all().delete()


BRUSSELS = ZoneInfo("Europe/Brussels")
TITLE = "Un ralentisseur devant l'école"


def run_worker_at(moment: datetime) -> None:
    with time_machine.travel(moment, tick=False):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def at(day: int, month: int = 11, hour: int = 8, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


def weekly(person: User, language: str = "fr") -> User:
    User.objects.filter(pk=person.pk).update(
        request_news=RequestNews.WEEKLY, preferred_language=language
    )
    person.refresh_from_db()
    return person


def start_the_chain() -> None:
    """What `palabre serve` does at start, on Thursday 5 November 2026."""
    with time_machine.travel(at(5, hour=12), tick=False):
        call_command("send_weekly_digest", "--queue-only", verbosity=0)


def sent_friday_6_november(world: World, **addressee: Any) -> Request:
    """Sent on Friday 6 November 2026: acknowledgement due Monday 23 November, answer due
    Tuesday 5 January 2027; the mail it makes is delivered and forgotten."""
    request = make_request(world)
    addressee = addressee or {"official": world.person("official")}
    with time_machine.travel(at(6, hour=10), tick=False):
        actions.send_request(by=world.person("coordinator"), request=request, **addressee)
    sent_mail()
    request.refresh_from_db()
    return request


def _url(name: str, *args: int) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


def waiting_runs() -> list[datetime]:
    return [
        job.run_after
        for job in DBTaskResult.objects.filter(
            task_path=send_weekly_digest.module_path, status=TaskResultStatus.READY
        )
    ]


def test_a_weekly_official_gets_no_email_at_once_but_one_digest_on_monday_in_their_language(
    world: World,
) -> None:
    official = weekly(world.person("official"), "nl")
    start_the_chain()
    assert waiting_runs() == [at(9)]
    request = sent_friday_6_november(world)
    assert mail.outbox == []  # neither the official nor, without an email, a copy
    run_worker_at(at(9, hour=7, minute=59))
    assert mail.outbox == []
    run_worker_at(at(9))
    [message] = mail.outbox
    assert message.to == [official.email]
    assert message.subject == "Te beantwoorden verzoeken: uw overzicht van maandag"
    assert "Nieuw deze week: 1 verzoek" in message.body
    assert TITLE in message.body  # written as typed, not HTML-escaped
    assert "Ontvangst bevestigen tegen maandag 23 november 2026" in message.body
    assert "antwoorden tegen dinsdag 5 januari 2027" in message.body
    assert _url("official_requests:detail", request.pk) in message.body
    assert _url("official_requests:portal") in message.body
    assert "En 1 verzoek voor later." in message.body
    assert waiting_runs() == [at(16)]  # the run queued the next Monday's


def test_a_retried_or_doubled_run_sends_nothing_twice(world: World) -> None:
    weekly(world.person("official"))
    start_the_chain()
    sent_friday_6_november(world)
    run_worker_at(at(9))
    assert len(mail.outbox) == 1
    with time_machine.travel(at(9, minute=5), tick=False):
        send_weekly_digest.enqueue()  # a second job the same Monday
        call_command("send_weekly_digest", stdout=StringIO())  # and an operator running it by hand
    run_worker_at(at(9, minute=30))
    assert len(mail.outbox) == 1
    assert waiting_runs() == [at(16)]  # two chains merged into one


def test_someone_with_nothing_to_read_gets_nothing(world: World) -> None:
    official = weekly(world.person("official"))
    start_the_chain()
    run_worker_at(at(9))  # nothing addressed yet
    assert mail.outbox == []
    request = make_request(world)
    with time_machine.travel(at(10, hour=10), tick=False):
        actions.send_request(by=world.person("coordinator"), request=request, official=official)
    with time_machine.travel(at(12, hour=10), tick=False):
        actions.acknowledge(by=official, request=request)
    run_worker_at(at(16))  # new this week
    assert len(mail.outbox) == 1
    # A week later it is old news, acknowledged, its answer due in January: nothing to read.
    run_worker_at(at(23))
    assert len(mail.outbox) == 1
    assert waiting_runs() == [at(30)]


def test_an_official_who_keeps_one_email_per_request_gets_it_at_once_and_no_digest(
    world: World,
) -> None:
    start_the_chain()
    request = make_request(world)
    with time_machine.travel(at(6, hour=10), tick=False):
        actions.send_request(
            by=world.person("coordinator"), request=request, official=world.person("official")
        )
    [message] = sent_mail()
    assert (message.to, message.cc) == (["official@example.org"], ["coordinator@example.org"])
    mail.outbox.clear()
    run_worker_at(at(9))
    assert mail.outbox == []


def test_reminders_stay_immediate_for_a_weekly_official(world: World) -> None:
    official = weekly(world.person("official"))
    request = sent_friday_6_november(world)
    # Two working days before the acknowledgement is due (23 November, Armistice closed).
    run_worker_at(at(19, hour=9, minute=1))
    [reminder] = mail.outbox
    assert reminder.to == [official.email]
    assert reminder.subject == f"Attendu le lundi 23 novembre 2026\u00a0: {TITLE}"
    with time_machine.travel(at(20, hour=10), tick=False):
        assert actions.remind_now(by=world.person("coordinator"), request=request)
    assert [m.to for m in sent_mail()][1:] == [[official.email]]


def test_a_delegated_request_shows_in_the_new_holder_s_digest(world: World) -> None:
    agent = weekly(make_user(email="agent@example.org"))
    colleague = make_user(email="collegue@example.org")
    department = make_department(world)
    department.members.add(agent, colleague)
    start_the_chain()
    request = sent_friday_6_november(world)
    mail.outbox.clear()
    run_worker_at(at(9))  # the official keeps one email each; the agent has nothing yet
    assert mail.outbox == []
    with time_machine.travel(at(10, hour=10), tick=False):
        actions.redirect_request(
            by=world.person("official"), request=request, department=department
        )
    # At once only to the colleague who kept one email per request.
    assert [m.to for m in sent_mail()] == [[colleague.email]]
    mail.outbox.clear()
    run_worker_at(at(16))
    [message] = mail.outbox
    assert message.to == [agent.email]
    assert message.subject == "Demandes à traiter\u00a0: votre résumé du lundi"
    assert "Nouveau cette semaine\u00a0: 1 demande" in message.body
    assert _url("official_requests:detail", request.pk) in message.body


def test_a_department_with_its_own_address_keeps_one_email_per_request(world: World) -> None:
    department = make_department(world)
    Department.objects.filter(pk=department.pk).update(email="voirie@example.org")
    department.refresh_from_db()
    department.members.add(weekly(make_user(email="agent@example.org")))
    request = make_request(world)
    actions.send_request(by=world.person("coordinator"), request=request, department=department)
    assert [m.to for m in sent_mail()] == [["voirie@example.org"]]


def test_the_late_come_first_then_those_due_this_week(world: World) -> None:
    official = weekly(world.person("official"))
    late = sent_friday_6_november(world)
    Request.objects.filter(pk=late.pk).update(title="En retard")
    with time_machine.travel(at(13, hour=10), tick=False):
        due = make_request(world)
        Request.objects.filter(pk=due.pk).update(title="Cette semaine")
        actions.send_request(by=world.person("coordinator"), request=due, official=official)
        sent_mail()
    # Monday 30 November: the first is past its acknowledgement date (23 November); the
    # second, given Thursday 3 December by the service, is due this week.
    Request.objects.filter(pk=due.pk).update(acknowledge_by=at(3, 12).date())
    with time_machine.travel(at(30), tick=False):
        call_command("send_weekly_digest", stdout=StringIO())
    [message] = sent_mail()
    body = message.body
    assert body.index("En retard\u00a0: à faire d'abord") < body.index("- En retard (Bomel)")
    assert body.index("- En retard (Bomel)") < body.index("À faire dans la semaine")
    assert body.index("À faire dans la semaine") < body.index("- Cette semaine (Bomel)")
    assert "Prochaine étape\u00a0: accuser réception — pour le jeudi 3 décembre" in body
    assert "Nouveau cette semaine" not in body  # nothing reached them this past week


def test_building_a_digest_takes_three_queries_however_many_requests(
    world: World, django_assert_num_queries: Any
) -> None:
    official = weekly(world.person("official"))
    sent_friday_6_november(world)
    with time_machine.travel(at(9), tick=False), django_assert_num_queries(3):
        one = digest.build_digest(official)
    for _ in range(3):
        sent_friday_6_november(world)
    with time_machine.travel(at(9), tick=False), django_assert_num_queries(3):
        four = digest.build_digest(official)
    assert (len(one.arrived), len(four.arrived), four.later) == (1, 4, 4)


@pytest.mark.parametrize(
    ("now", "run"),
    [
        (at(9, hour=7, minute=59), at(9)),
        (at(9), at(16)),
        (at(15, hour=23), at(16)),
        # Summer time ends on Sunday 25 October 2026: still 08:00 in Brussels.
        (at(22, 10, hour=12), at(26, 10)),
    ],
)
def test_the_digest_leaves_on_monday_at_eight_brussels_time(now: datetime, run: datetime) -> None:
    assert digest.next_digest_run(now) == run


def test_the_cabinet_of_a_weekly_official_is_still_told_at_once(world: World) -> None:
    official = weekly(world.person("official"))
    cabinet = world.person("cabinet")
    CabinetMember.objects.create(official=official, collaborator=cabinet)
    sent_friday_6_november(world)
    [message] = mail.outbox  # the collaborator works on it now; the official reads Monday
    assert message.to == [cabinet.email]


def test_a_cabinet_collaborator_may_choose_the_digest_too(world: World) -> None:
    official = world.person("official")
    cabinet = weekly(world.person("cabinet"))
    CabinetMember.objects.create(official=official, collaborator=cabinet)
    browser = Client()
    browser.force_login(cabinet)
    page = browser.get(reverse("accounts:account")).text
    assert 'name="request_news"' in page  # the choice is offered on their account page
    start_the_chain()
    request = sent_friday_6_november(world)
    assert [message.to for message in mail.outbox] == [[official.email]]  # not the collaborator
    mail.outbox.clear()
    run_worker_at(at(9))
    [message] = mail.outbox
    assert message.to == [cabinet.email]
    assert _url("official_requests:detail", request.pk) in message.body
