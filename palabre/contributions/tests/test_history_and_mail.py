"""A contribution's history says who did what and why, and its author hears of it by email in
their own language (mutation run of contributions.actions, 2026-12-05)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from palabre.contributions import actions
from palabre.contributions.models import AppealStatus, EventKind, Reason
from palabre.contributions.tests.factories import make_board, make_post
from palabre.core.testing import World, sent_mail
from palabre.links import actions as links
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


def test_the_history_says_who_did_each_step_and_why(world: World) -> None:
    facilitator, resident = world.person("facilitator"), world.person("resident")
    coordinator = world.person("coordinator")
    note = actions.capture(
        by=facilitator,
        workshop=make_hosted_workshop(world),
        question=0,
        text="Plus de bancs.",
        key="c" * 20,
    ).contribution
    post = make_post(world.home, by=resident)
    paper = actions.transcribe(
        by=facilitator, neighbourhood=world.home, texts=["Un banc."], key="t" * 20
    )[0]
    for contribution, person in [(note, facilitator), (post, resident), (paper, facilitator)]:
        assert contribution.events.get(kind=EventKind.SUBMITTED).by == person

    actions.hide(by=coordinator, contribution=post, reason=Reason.INSULT, note="Pas d'insultes.")
    hidden = post.events.get(kind=EventKind.HIDDEN)
    assert (hidden.by, hidden.reason, hidden.note) == (
        coordinator,
        Reason.INSULT,
        "Pas d'insultes.",
    )
    actions.appeal(by=resident, contribution=post, text="Ce n'était pas une insulte.")
    appealed = post.events.get(kind=EventKind.APPEALED)
    assert (appealed.by, appealed.note) == (resident, "Ce n'était pas une insulte.")


def test_the_history_names_every_kind_of_personal_data_masked(world: World) -> None:
    post = make_post(world.home, "Appelez le 0470 12 34 56 ou écrivez à jean.dupont@example.org.")
    assert post.events.get(kind=EventKind.MASKED).note == "email, phone"


def test_notes_and_paper_contributions_get_no_private_link(world: World) -> None:
    note = actions.capture(
        by=world.person("facilitator"),
        workshop=make_hosted_workshop(world),
        question=0,
        text="Plus de bancs.",
        key="c" * 20,
    ).contribution
    paper = actions.transcribe(
        by=world.person("facilitator"), neighbourhood=world.home, texts=["Un banc."], key="t" * 20
    )[0]
    assert note.link is None
    assert paper.link is None


def test_a_post_sent_twice_comes_back_as_itself_among_others(world: World) -> None:
    make_post(world.home, "Une autre contribution, plus ancienne.")
    board = make_board(world.home)
    first = actions.post_on_board(by=None, board=board, text="Bonjour", key="k" * 20)
    again = actions.post_on_board(by=None, board=board, text="Bonjour", key="k" * 20)
    assert not again.created
    assert again.contribution.pk == first.contribution.pk


def test_an_appeal_asked_again_comes_back_as_itself(world: World) -> None:
    resident, coordinator = world.person("resident"), world.person("coordinator")
    posts = [make_post(world.home, f"Texte numéro {n}.", by=resident) for n in range(2)]
    for post in posts:
        actions.hide(by=coordinator, contribution=post, reason=Reason.OFF_TOPIC)
    first = actions.appeal(by=resident, contribution=posts[0], text="Premier recours.")
    actions.decide_appeal(by=coordinator, appeal=first, uphold=False, answer="Non.")
    # A second appeal on the same contribution after a decision, and one on another.
    second = actions.appeal(by=resident, contribution=posts[0], text="Deuxième recours.")
    other = actions.appeal(by=resident, contribution=posts[1], text="Autre recours.")
    again = actions.appeal(by=resident, contribution=posts[0], text="Encore.")
    assert again.pk == second.pk
    assert again.status == AppealStatus.OPEN
    assert actions.appeal(by=resident, contribution=posts[1], text="Encore.").pk == other.pk


def test_an_author_with_an_account_is_told_at_its_address_in_their_language(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    resident = world.person("resident")
    resident.preferred_language = "nl"
    resident.save()
    post = make_post(world.home, by=resident)
    sent_mail().clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.hide(by=world.person("coordinator"), contribution=post, reason=Reason.OFF_TOPIC)
    [email] = sent_mail()
    assert email.to == ["resident@example.org"]
    assert email.subject == "Uw bijdrage in Bomel"


def test_an_author_without_an_account_is_told_in_the_language_they_posted_in(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with translation.override("nl"), django_capture_on_commit_callbacks(execute=True):
        post = make_post(world.home, email="anoniem@example.org")
    sent_mail().clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.hide(by=world.person("coordinator"), contribution=post, reason=Reason.OFF_TOPIC)
    [email] = sent_mail()
    assert email.to == ["anoniem@example.org"]
    assert email.subject == "Uw bijdrage in Bomel"


def test_an_address_typed_by_someone_signed_in_is_neither_kept_nor_written_to(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    board = make_board(world.home)
    with django_capture_on_commit_callbacks(execute=True):
        posted = actions.post_on_board(
            by=world.person("resident"),
            board=board,
            text="Plus de bancs.",
            key="k" * 20,
            email="autre@example.org",
        )
    assert posted.contribution.contact_email == ""
    assert sent_mail() == []


def test_a_lost_private_link_can_be_sent_again_to_the_address_given_with_the_post(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    post = make_post(world.home, email="Anonyme@Example.org")
    assert post.link is not None
    sent_mail().clear()
    with django_capture_on_commit_callbacks(execute=True):
        links.recover(reference=post.link.reference, contact="anonyme@example.org")
    [email] = sent_mail()
    assert email.to == ["anonyme@example.org"]
