"""Following a request without an account (issue 16, item 4): an email address or a mobile
number, confirmed through a private link before anything else is sent; answers then arrive by
email (with a link to stop) or by text message; typing someone else's address sends them one
confirmation at most, and tells the stranger nothing."""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from palabre.core.testing import World, sent_mail
from palabre.official_requests import actions
from palabre.official_requests.models import ContactFollower, Request
from palabre.official_requests.tests.factories import make_request
from palabre.outbox.actions import deliver_due

pytestmark = pytest.mark.django_db

SAID = "Merci. Si l'adresse ou le numéro est juste, vous allez recevoir un message pour confirmer."


def follow(request: Request, contact: str, *, language: str = "fr") -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    sent = client.post(
        reverse("official_requests:follow_by_contact", args=[request.pk]), {"contact": contact}
    )
    assert sent.status_code == 302
    return html.unescape(client.get(sent["Location"]).text)


def answer(world: World, request: Request) -> None:
    actions.answer(
        by=world.person("official"),
        request=request,
        kind="accepted",
        text="Accordé.",
        version=Request.objects.get(pk=request.pk).version,
    )


def link_in(body: str) -> str:
    """The path of the private link an email carries."""
    return urlparse(next(word for word in body.split() if "/demandes/suivi/" in word)).path


def test_by_email_confirmed_in_dutch_then_told_of_the_answer_until_stopped(world: World) -> None:
    request = make_request(world, sent=True)
    sent_mail().clear()
    follow(request, "Amina@Example.org", language="nl")
    [asking] = sent_mail()
    assert asking.to == ["amina@example.org"]
    assert asking.subject == "Bevestig: nieuws over “Un ralentisseur devant l'école”"
    assert "het nieuws over het verzoek “Un ralentisseur devant l'école” te krijgen" in " ".join(
        asking.body.split()
    )
    assert "van 9 tot 12 uur" in asking.body  # the signature too is in Dutch
    page = link_in(str(asking.body))
    client = Client()
    opened = client.get(page)  # opening is not confirming (mail scanners open links)
    assert opened.status_code == 200
    assert opened["Cache-Control"].startswith("private") or "no-store" in opened["Cache-Control"]
    sent_mail().clear()
    answer(world, request)
    assert sent_mail() == []  # not confirmed: nothing
    assert client.post(page, {"step": "confirm"}).status_code == 302
    request = Request.objects.get(pk=request.pk)
    actions.answer(
        by=world.person("official"),
        request=request,
        kind="planned",
        text="Prévu en mars.",
        version=request.version,
        planned_for=request.sent_at.date(),  # type: ignore[union-attr]
        what_changed="Une date.",
    )
    [told] = [m for m in sent_mail() if m.to == ["amina@example.org"]]
    assert told.subject == "Antwoord: Un ralentisseur devant l'école"
    assert "Un ralentisseur devant l'école" in told.body
    assert f"/demandes/{request.pk}/" in told.body  # the request's page
    assert "van 9 tot 12 uur" in told.body  # the signature in Dutch too
    assert "/demandes/suivi/" in told.body  # the way to stop
    assert client.post(page, {"step": "stop"}).status_code == 302
    assert not ContactFollower.objects.exists()
    assert client.get(page).status_code == 404  # the link is closed


def test_by_text_message_in_the_page_language(world: World, tmp_path: Path) -> None:
    folder = tmp_path / "sms"
    request = make_request(world, sent=True)
    with override_settings(SMS={"backend": "file", "path": str(folder)}):
        follow(request, "0470 12 34 56", language="nl")
        deliver_due()
        asking = " ".join(sorted(path.read_text() for path in folder.glob("*.txt")))
        assert "per sms krijgen? Bevestig hier:" in asking  # cut in parts between words
        follower = ContactFollower.objects.get()
        assert follower.phone == "+32470123456"
        actions.confirm_contact_follow(follower=follower, following=True)
        answer(world, request)
        deliver_due()
        texts = sorted(path.read_text() for path in folder.glob("*.txt"))
    assert any("Antwoord: Un ralentisseur" in text for text in texts)


def test_a_stranger_typing_someone_s_address_sends_one_confirmation_and_learns_nothing(
    world: World,
) -> None:
    request = make_request(world, sent=True)
    sent_mail().clear()
    first = follow(request, "amina@example.org")
    again = follow(request, "amina@example.org")
    assert SAID in first
    assert SAID in again
    assert len(sent_mail()) == 1  # asked again within minutes: nothing more
    follower = ContactFollower.objects.get()
    actions.confirm_contact_follow(follower=follower, following=True)
    sent_mail().clear()
    assert SAID in follow(request, "amina@example.org")  # already following: the same words
    assert sent_mail() == []


@pytest.mark.parametrize(
    ("sms", "typed", "message"),
    [
        (True, "", "Écrivez votre adresse e-mail ou votre numéro de GSM."),
        (True, "amina@", "Cette adresse e-mail est incomplète"),
        (True, "12", "Écrivez une adresse e-mail, ou un numéro de GSM comme 0470 12 34 56."),
        # Without text messages, nothing promises one and a mobile number is refused.
        (False, "", "Écrivez votre adresse e-mail."),
        (False, "0470 12 34 56", "ce site n'envoie pas de SMS."),
    ],
)
def test_bad_input_says_why_and_keeps_what_was_typed(
    world: World, tmp_path: Path, sms: bool, typed: str, message: str
) -> None:
    request = make_request(world, sent=True)
    configured = {"backend": "file", "path": str(tmp_path)} if sms else {}
    with override_settings(SMS=configured):
        refused = Client().post(
            reverse("official_requests:follow_by_contact", args=[request.pk]), {"contact": typed}
        )
    page = html.unescape(refused.text)
    assert refused.status_code == 400
    assert message in page
    assert f'value="{typed}"' in page or not typed
    assert not ContactFollower.objects.exists()


def test_a_draft_cannot_be_followed(world: World) -> None:
    draft = make_request(world)
    sent = Client().post(
        reverse("official_requests:follow_by_contact", args=[draft.pk]),
        {"contact": "amina@example.org"},
    )
    assert sent.status_code == 404
    assert not ContactFollower.objects.exists()


def test_contact_followers_are_forgotten_three_months_after_the_request_is_done(
    world: World,
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from palabre.privacy.actions import apply_retention

    request = make_request(world, sent=True)
    follow(request, "amina@example.org")
    follower = ContactFollower.objects.select_related("link").get()
    actions.confirm_contact_follow(follower=follower, following=True)
    answer(world, request)
    actions.mark_done(by=world.person("official"), request=Request.objects.get(pk=request.pk))
    done_at = Request.objects.get(pk=request.pk).done_at
    assert done_at is not None
    assert apply_retention(now=done_at + timedelta(days=89)).request_followers == 0
    assert apply_retention(now=done_at + timedelta(days=90)).request_followers == 1
    assert not ContactFollower.objects.exists()
    follower.link.refresh_from_db()
    assert follower.link.revoked_at is not None
    assert apply_retention(now=timezone.now() + timedelta(days=400)).request_followers == 0


def test_confirming_is_for_that_follower_only_and_once(world: World) -> None:
    request = make_request(world, sent=True)
    follow(request, "amina@example.org")
    follow(request, "bruno@example.org")
    amina = ContactFollower.objects.get(email="amina@example.org")
    actions.confirm_contact_follow(follower=amina, following=True)
    first = ContactFollower.objects.get(pk=amina.pk).confirmed_at
    assert first is not None
    assert ContactFollower.objects.get(email="bruno@example.org").confirmed_at is None
    actions.confirm_contact_follow(follower=amina, following=True)  # the link opened again
    assert ContactFollower.objects.get(pk=amina.pk).confirmed_at == first


@override_settings(SMS={"backend": "memory"})
def test_a_merged_request_s_followers_move_over_and_are_told_of_its_answer(world: World) -> None:
    keep, duplicate = make_request(world, sent=True), make_request(world, sent=True)
    follow(keep, "amina@example.org")
    follow(duplicate, "amina@example.org")  # follows both: told once, by `keep`
    follow(duplicate, "+32470123456")
    for follower in ContactFollower.objects.select_related("link"):
        actions.confirm_contact_follow(follower=follower, following=True)
    actions.merge_requests(by=world.person("coordinator"), keep=keep, duplicate=duplicate)
    assert sorted(keep.contacts.values_list("email", "phone")) == [
        ("", "+32470123456"),
        ("amina@example.org", ""),
    ]
    assert list(duplicate.contacts.values_list("email", flat=True)) == ["amina@example.org"]


def test_retention_forgets_only_followers_of_requests_done_or_merged_long_ago(
    world: World,
) -> None:
    from datetime import timedelta

    from palabre.links.models import AccessLink
    from palabre.privacy.actions import apply_retention

    keep, duplicate = make_request(world, sent=True), make_request(world, sent=True)
    follow(keep, "amina@example.org")
    follow(duplicate, "amina@example.org")  # stays on the duplicate when merged
    actions.merge_requests(by=world.person("coordinator"), keep=keep, duplicate=duplicate)
    created = Request.objects.get(pk=duplicate.pk).created_at
    stays = ContactFollower.objects.select_related("link").get(request=keep)
    assert apply_retention(now=created + timedelta(days=89)).request_followers == 0
    # 90 days on, the merged duplicate's follower goes; `keep`, not done, keeps its own.
    assert apply_retention(now=created + timedelta(days=90)).request_followers == 1
    assert list(ContactFollower.objects.all()) == [stays]
    assert AccessLink.objects.get(pk=stays.link_id).revoked_at is None


def test_asking_again_later_resends_that_request_s_link_and_never_a_confirmed_one(
    world: World,
) -> None:
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    first, second = make_request(world, sent=True), make_request(world, sent=True)
    follow(first, "amina@example.org")
    follow(first, "bruno@example.org")
    sent_mail().clear()
    follow(second, "amina@example.org")
    [to_second] = sent_mail()
    actions.confirm_contact_follow(
        follower=ContactFollower.objects.get(request=first, email="bruno@example.org"),
        following=True,
    )
    sent_mail().clear()
    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        follow(second, "amina@example.org")  # lost the message: it comes again, for `second`
        [again] = sent_mail()
        assert link_in(str(again.body)) == link_in(str(to_second.body))
        sent_mail().clear()
        follow(first, "bruno@example.org")  # following already: nobody is written to
        assert sent_mail() == []


def test_the_reference_brings_the_link_back_in_the_follower_s_language(world: World) -> None:
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from palabre.links.actions import recover

    request = make_request(world, sent=True)
    follow(request, "amina@example.org", language="nl")
    follower = ContactFollower.objects.select_related("link").get()
    sent_mail().clear()
    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        recover(reference=follower.link.reference, contact="amina@example.org")
        [sent] = sent_mail()
    assert sent.to == ["amina@example.org"]
    assert sent.subject.startswith("Uw persoonlijke link")


def test_a_merged_request_cannot_be_followed(world: World) -> None:
    from django.core.exceptions import PermissionDenied

    keep, duplicate = make_request(world, sent=True), make_request(world, sent=True)
    actions.merge_requests(by=world.person("coordinator"), keep=keep, duplicate=duplicate)
    duplicate.refresh_from_db()
    with pytest.raises(PermissionDenied):
        actions.follow_by_contact(request=duplicate, email="amina@example.org", language="fr")
