"""One outbox for every email: written with the action, sent by the worker, tried again."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from palabre.core.testing import World
from palabre.outbox import actions
from palabre.outbox.models import MailStatus, OutgoingMail

pytestmark = pytest.mark.django_db


class MailServerDown(locmem.EmailBackend):
    """A mail server that refuses everything while `down` is true."""

    down = True

    def __init__(self, *args: Any, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.silent = fail_silently

    def send_messages(self, messages: Any) -> int:
        if MailServerDown.down:
            # Like Django's SMTP backend: an error is swallowed when asked to fail silently,
            # so a delivery that asked for that would wrongly count as sent.
            if self.silent:
                return 0
            raise smtplib.SMTPServerDisconnected("connection refused")
        return super().send_messages(messages)


@pytest.fixture
def server_down(settings: Any) -> type[MailServerDown]:
    MailServerDown.down = True
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.MailServerDown"}}
    return MailServerDown


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_an_email_is_written_with_its_action_and_sent_by_the_worker_not_the_request() -> None:
    with transaction.atomic():
        actions.queue_mail(to=["amina@example.org"], subject="Bonjour", body="Texte", kind="test")
    # Committed, but nothing was sent by the code that queued it.
    assert mail.outbox == []
    assert OutgoingMail.objects.get().status == MailStatus.PENDING
    run_worker()
    assert [message.to for message in mail.outbox] == [["amina@example.org"]]
    sent = OutgoingMail.objects.get()
    assert sent.status == MailStatus.SENT
    assert sent.sent_at is not None
    assert sent.body == ""  # not kept once sent: it may hold a private link or a code
    run_worker()
    assert len(mail.outbox) == 1  # never twice


@pytest.mark.django_db(transaction=True)
def test_an_action_that_fails_after_queueing_sends_nothing() -> None:
    def failing_action() -> None:
        with transaction.atomic():
            actions.queue_mail(to=["amina@example.org"], subject="Bonjour", body="Texte")
            raise RuntimeError("the action failed afterwards")

    with pytest.raises(RuntimeError):
        failing_action()
    run_worker()
    assert OutgoingMail.objects.count() == 0
    assert mail.outbox == []


def test_the_same_key_twice_keeps_one_email() -> None:
    first = actions.queue_mail(to=["a@example.org"], subject="S", body="B", key="notice-1")
    again = actions.queue_mail(to=["a@example.org"], subject="S", body="B", key="notice-1")
    assert first is not None
    assert again is not None
    assert first.pk == again.pk
    assert OutgoingMail.objects.count() == 1


def test_no_address_means_no_email_and_copies_are_not_repeated() -> None:
    assert actions.queue_mail(to=["", ""], subject="S", body="B") is None
    queued = actions.queue_mail(
        to=["a@example.org", "a@example.org"],
        cc=["a@example.org", "c@example.org"],
        subject="S",
        body="B",
    )
    assert queued is not None
    assert (queued.to, queued.cc) == (["a@example.org"], ["c@example.org"])


def test_a_subject_typed_with_a_newline_is_sent_on_one_line() -> None:
    actions.queue_mail(to=["a@example.org"], subject="Fête\nde la rue\r\nHaute", body="B")
    assert actions.deliver_due() == 1
    assert mail.outbox[0].subject == "Fête de la rue Haute"


def test_a_failing_mail_server_is_tried_again_with_growing_pauses_then_shown(
    server_down: type[MailServerDown], world: World
) -> None:
    actions.queue_mail(to=["a@example.org"], subject="Rappel", body="B", kind="reminder")
    start = timezone.now()
    assert actions.deliver_due() == 0
    queued = OutgoingMail.objects.get()
    assert (queued.status, queued.attempts) == (MailStatus.PENDING, 1)
    assert "SMTPServerDisconnected" in queued.last_error
    first_pause = queued.next_attempt_at - start
    # Not tried again before its time.
    assert actions.deliver_due() == 0
    assert OutgoingMail.objects.get().attempts == 1
    moment = start
    for _ in range(actions.MAX_ATTEMPTS - 1):
        moment = OutgoingMail.objects.get().next_attempt_at + timedelta(seconds=1)
        with time_machine.travel(moment, tick=False):
            actions.deliver_due()
    given_up = OutgoingMail.objects.get()
    assert (given_up.status, given_up.attempts) == (MailStatus.FAILED, actions.MAX_ATTEMPTS)
    assert moment - start > 10 * first_pause  # the pauses grew
    # The service sees it, without its content, and sends it again once the server is back.
    coordinator = Client()
    coordinator.force_login(world.person("coordinator"))
    page = coordinator.get(reverse("outbox:failed")).text
    assert "Rappel" in page
    assert "a@example.org" in page
    server_down.down = False
    coordinator.post(reverse("outbox:try_again", args=[given_up.pk]))
    assert actions.deliver_due() == 1
    assert OutgoingMail.objects.get().status == MailStatus.SENT
    assert "Rappel" not in coordinator.get(reverse("outbox:failed")).text


@pytest.mark.django_db(transaction=True)
def test_a_failed_try_queues_the_worker_again_for_its_next_attempt(
    server_down: type[MailServerDown],
) -> None:
    actions.queue_mail(to=["a@example.org"], subject="Rappel", body="B")
    run_worker()
    queued = OutgoingMail.objects.get()
    assert queued.attempts == 1
    server_down.down = False
    with time_machine.travel(queued.next_attempt_at + timedelta(seconds=1), tick=False):
        run_worker()
    assert OutgoingMail.objects.get().status == MailStatus.SENT
    assert len(mail.outbox) == 1


def test_two_workers_never_send_the_same_email() -> None:
    actions.queue_mail(to=["a@example.org"], subject="S", body="B")
    queued = OutgoingMail.objects.get()
    now = timezone.now()
    assert actions._claim(queued, now)
    assert not actions._claim(queued, now)  # the second worker read the same row


def test_only_the_service_sends_a_failed_email_again(world: World) -> None:
    queued = actions.queue_mail(to=["a@example.org"], subject="S", body="B")
    assert queued is not None
    OutgoingMail.objects.filter(pk=queued.pk).update(status=MailStatus.FAILED)
    for persona in ("resident", "facilitator", "partner", "official"):
        with pytest.raises(PermissionDenied):
            actions.try_again(by=world.user(persona), mail=queued)
    actions.try_again(by=world.person("coordinator"), mail=queued)
    assert OutgoingMail.objects.get().status == MailStatus.PENDING


def test_the_list_of_emails_not_delivered_reads_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    coordinator = Client()
    coordinator.force_login(world.person("coordinator"))

    def fail(count: int) -> None:
        for index in range(count):
            actions.queue_mail(to=[f"p{index}@example.org"], subject=f"S{index}", body="B")
        OutgoingMail.objects.update(status=MailStatus.FAILED)

    fail(1)
    coordinator.get(reverse("outbox:failed"))  # sessions and the like, once
    with django_assert_max_num_queries(6) as few:
        coordinator.get(reverse("outbox:failed"))
    fail(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = coordinator.get(reverse("outbox:failed")).text
    assert "p19@example.org" in page


def test_sending_again_restarts_the_tries_of_that_email_only(world: World) -> None:
    failed, other_failed, sent = (
        actions.queue_mail(to=[f"{name}@example.org"], subject=name, body="B")
        for name in ("a", "b", "c")
    )
    assert failed is not None
    assert other_failed is not None
    assert sent is not None
    OutgoingMail.objects.filter(pk__in=[failed.pk, other_failed.pk]).update(
        status=MailStatus.FAILED, attempts=actions.MAX_ATTEMPTS
    )
    OutgoingMail.objects.filter(pk=sent.pk).update(
        status=MailStatus.SENT, attempts=1, body="", sent_at=timezone.now()
    )

    actions.try_again(by=world.person("coordinator"), mail=failed)
    actions.try_again(by=world.person("coordinator"), mail=sent)  # already sent: nothing

    rows = {m.subject: (m.status, m.attempts) for m in OutgoingMail.objects.all()}
    assert rows == {
        "a": (MailStatus.PENDING, 0),  # a full set of tries again
        "b": (MailStatus.FAILED, actions.MAX_ATTEMPTS),
        "c": (MailStatus.SENT, 1),
    }
