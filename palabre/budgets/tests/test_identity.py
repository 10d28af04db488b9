"""Voters without a letter: a code by email (the same address is the same voter), and a
facilitator opening a ballot for a resident in front of them."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from palabre.budgets import actions, identity
from palabre.budgets.models import Ballot, MessageCode, Voter
from palabre.budgets.tests.factories import PROJECTS, envelope_of, make_process
from palabre.core.testing import World, sent_mail

pytestmark = pytest.mark.django_db


def _code() -> str:
    match = re.search(r"\b(\d{6})\b", str(sent_mail()[-1].body))
    assert match, sent_mail()[-1].body
    return match.group(1)


def test_a_resident_without_a_letter_votes_with_a_code_by_email(world: World) -> None:
    process = make_process(world)
    client = Client()
    sent = client.post(
        reverse("budgets:by_message", args=[process.slug]), {"address": "Rosa@Example.org "}
    )
    assert sent["Location"] == reverse("budgets:message_code", args=[process.slug])
    email = sent_mail()[-1]
    assert email.to == ["rosa@example.org"]
    assert email.subject == "Votre code de vote"
    assert "rosa@example.org" not in MessageCode.objects.get().key
    page = client.get(sent["Location"]).content.decode()
    assert "Nous avons envoyé un code à Rosa@Example.org" in page
    entered = client.post(sent["Location"], {"code": _code()})
    voter = Voter.objects.get()
    assert entered["Location"] == reverse("budgets:voter", args=[process.slug, voter.token])
    assert voter.channel == "email"

    # Asking again with the same address: the same voter, so still one ballot.
    bomel = envelope_of(process, world)
    project = bomel.projects.get(title=PROJECTS[0][0])
    actions.cast_ballot(voter=voter, envelope=bomel, project_ids=[project.pk])
    again = Client()
    again.post(reverse("budgets:by_message", args=[process.slug]), {"address": "rosa@example.org"})
    again.post(reverse("budgets:message_code", args=[process.slug]), {"code": _code()})
    assert Voter.objects.count() == 1
    assert Ballot.objects.count() == 1


def test_a_wrong_code_is_refused_and_a_code_dies_after_three_tries(world: World) -> None:
    process = make_process(world)
    identity.send_message_code(process=process, address="rosa@example.org", language="fr")
    good = _code()
    wrong = "000000" if good != "000000" else "111111"
    for _ in range(3):
        with pytest.raises(actions.Refused, match="pas le bon"):
            identity.redeem_message_code(process=process, address="rosa@example.org", code=wrong)
    with pytest.raises(actions.Refused):
        identity.redeem_message_code(process=process, address="rosa@example.org", code=good)
    assert not Voter.objects.exists()


def test_someone_elses_code_does_not_open_another_address(world: World) -> None:
    process = make_process(world)
    identity.send_message_code(process=process, address="rosa@example.org", language="fr")
    with pytest.raises(actions.Refused):
        identity.redeem_message_code(process=process, address="marc@example.org", code=_code())


def test_a_stranger_cannot_flood_an_address_with_codes(world: World) -> None:
    process = make_process(world)
    for _ in range(5):
        identity.send_message_code(process=process, address="rosa@example.org", language="fr")
    with pytest.raises(actions.Refused, match="Attendez"):
        identity.send_message_code(process=process, address="rosa@example.org", language="fr")
    assert len(sent_mail()) == 5


def test_an_incomplete_address_says_what_to_fix(world: World) -> None:
    process = make_process(world)
    response = Client().post(
        reverse("budgets:by_message", args=[process.slug]), {"address": "rosa@"}
    )
    assert response.status_code == 400
    assert "Cette adresse e-mail n&#x27;est pas complète" in response.content.decode()


def test_no_code_is_sent_when_the_vote_is_closed(world: World) -> None:
    process = make_process(world)
    actions.close_vote(by=world.person("coordinator"), process=process)
    with pytest.raises(actions.Refused, match="Le vote est clôturé"):
        identity.send_message_code(process=process, address="rosa@example.org", language="fr")


def test_a_facilitator_opens_a_ballot_for_a_resident_in_front_of_them(world: World) -> None:
    process = make_process(world)
    client = Client()
    client.force_login(world.person("facilitator"))
    opened = client.post(reverse("budgets:in_person", args=[process.slug]))
    voter = Voter.objects.get()
    assert voter.channel == "in_person"
    assert opened["Location"] == reverse("budgets:voter", args=[process.slug, voter.token])
    with pytest.raises(PermissionDenied):
        identity.vote_in_person(by=world.person("resident"), process=process)
