from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from palabre.contributions import actions
from palabre.contributions.models import (
    Appeal,
    AppealStatus,
    Contribution,
    EventKind,
    Moderation,
    Reason,
    Status,
)
from palabre.contributions.tests.factories import make_board, make_post
from palabre.core.testing import World, sent_mail

pytestmark = pytest.mark.django_db

PHONE_TEXT = "Appelez Marc au 0470 12 34 56 pour les clés de la salle."


def kinds(contribution: Contribution) -> list[str]:
    contribution.refresh_from_db()
    return [event.kind for event in contribution.events.all()]


def test_pre_moderation_keeps_a_post_pending_until_a_moderator_publishes_it(world: World) -> None:
    post = make_post(world.home, moderation=Moderation.PRE)
    assert post.status == Status.PENDING
    actions.publish(by=world.person("coordinator"), contribution=post)
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED
    assert post.reviewed_at is not None
    assert kinds(post) == [EventKind.SUBMITTED, EventKind.PUBLISHED]


def test_post_moderation_publishes_at_once_and_leaves_it_to_be_read(world: World) -> None:
    post = make_post(world.home, moderation=Moderation.POST)
    assert post.status == Status.PUBLISHED
    assert post.reviewed_at is None
    actions.mark_reviewed(by=world.person("coordinator"), contribution=post)
    post.refresh_from_db()
    assert post.reviewed_at is not None


def test_a_phone_number_is_masked_before_anyone_reads_it_and_kept_for_the_record(
    world: World,
) -> None:
    post = make_post(world.home, PHONE_TEXT)
    assert "0470" not in post.public_text
    assert post.text == PHONE_TEXT
    assert [item["kind"] for item in post.personal_data] == ["phone"]
    assert EventKind.MASKED in kinds(post)


def test_undoing_a_mask_shows_the_passage_and_confirming_it_keeps_it_hidden(world: World) -> None:
    post = make_post(world.home, PHONE_TEXT)
    coordinator = world.person("coordinator")
    phone = next(i for i, item in enumerate(post.personal_data) if item["kind"] == "phone")
    actions.set_masking(by=coordinator, contribution=post, index=phone, masked=False)
    post.refresh_from_db()
    assert "0470 12 34 56" in post.public_text
    actions.set_masking(by=coordinator, contribution=post, index=phone, masked=True)
    post.refresh_from_db()
    assert "0470" not in post.public_text
    assert post.personal_data[phone]["state"] == "confirmed"
    assert kinds(post)[-2:] == [EventKind.MASK_UNDONE, EventKind.MASK_CONFIRMED]


def test_masked_data_cannot_be_found_by_searching_for_it(world: World) -> None:
    post = make_post(world.home, "Mon adresse est jean.dupont@example.org, écrivez-moi.")
    assert "dupont" not in post.search_stems
    assert "ecriv" in post.search_stems


def test_hiding_needs_a_reason_and_keeps_the_contribution(world: World) -> None:
    post = make_post(world.home, "Les gens de cette rue sont des abrutis.")
    coordinator = world.person("coordinator")
    with pytest.raises(actions.ContributionError):
        actions.hide(by=coordinator, contribution=post, reason="because")
    actions.hide(by=coordinator, contribution=post, reason=Reason.INSULT, note="Pas d'insultes.")
    post.refresh_from_db()
    assert post.status == Status.HIDDEN
    assert (post.hidden_reason, post.hidden_note) == (Reason.INSULT, "Pas d'insultes.")
    assert Contribution.objects.filter(pk=post.pk).exists()
    # Restored, it no longer carries the reason or the note it was hidden with.
    actions.restore(by=coordinator, contribution=post)
    post.refresh_from_db()
    assert (post.status, post.hidden_reason, post.hidden_note) == (Status.PUBLISHED, "", "")


def test_the_database_refuses_a_hidden_contribution_without_a_reason(world: World) -> None:
    post = make_post(world.home)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.filter(pk=post.pk).update(status=Status.HIDDEN)


def test_a_second_moderator_acting_on_a_stale_page_is_told_instead_of_overwriting(
    world: World,
) -> None:
    post = make_post(world.home, moderation=Moderation.PRE)
    stale = Contribution.objects.get(pk=post.pk)
    actions.hide(by=world.person("coordinator"), contribution=post, reason=Reason.SPAM)
    with pytest.raises(actions.ContributionError):
        actions.publish(by=world.person("administrator"), contribution=stale)
    assert Contribution.objects.get(pk=post.pk).status == Status.HIDDEN


@pytest.mark.parametrize("persona", ["resident", "facilitator", "partner", "official"])
def test_only_the_service_moderates(world: World, persona: str) -> None:
    post = make_post(world.home, moderation=Moderation.PRE)
    with pytest.raises(PermissionDenied):
        actions.publish(by=world.person(persona), contribution=post)
    with pytest.raises(PermissionDenied):
        actions.hide(by=world.person(persona), contribution=post, reason=Reason.SPAM)


def test_the_author_appeals_once_and_an_upheld_appeal_publishes_again(world: World) -> None:
    resident = world.person("resident")
    post = make_post(world.home, "Texte un peu vif sur le parking.", by=resident)
    actions.hide(by=world.person("coordinator"), contribution=post, reason=Reason.INSULT)
    first = actions.appeal(by=resident, contribution=post, text="Ce n'était pas une insulte.")
    again = actions.appeal(by=resident, contribution=post, text="Je réessaie.")
    assert first.pk == again.pk
    assert Appeal.objects.count() == 1
    sent_mail().clear()
    with pytest.raises(PermissionDenied):
        actions.appeal(by=world.person("neighbour"), contribution=post, text="Moi aussi.")
    decided = actions.decide_appeal(
        by=world.person("coordinator"), appeal=first, uphold=True, answer="Vous avez raison."
    )
    post.refresh_from_db()
    assert decided.status == AppealStatus.UPHELD
    assert post.status == Status.PUBLISHED
    assert kinds(post)[-2:] == [EventKind.APPEALED, EventKind.APPEAL_UPHELD]


def test_an_author_without_account_appeals_with_the_private_link(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post = make_post(world.home, "Texte sans compte.", email="anonyme@example.org")
    assert post.follow_token
    assert post.contact_email == "anonyme@example.org"
    assert post.follow_token in sent_mail()[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        actions.hide(by=world.person("coordinator"), contribution=post, reason=Reason.OFF_TOPIC)
    assert "Hors sujet" in sent_mail()[-1].body
    with pytest.raises(PermissionDenied):
        actions.appeal(by=None, contribution=post, text="Pourquoi ?", token="wrong")
    made = actions.appeal(by=None, contribution=post, text="Pourquoi ?", token=post.follow_token)
    with pytest.raises(actions.ContributionError):
        actions.decide_appeal(by=world.person("coordinator"), appeal=made, uphold=False, answer="")
    actions.decide_appeal(
        by=world.person("coordinator"), appeal=made, uphold=False, answer="Hors sujet."
    )
    with pytest.raises(actions.ContributionError):  # decided once
        actions.decide_appeal(
            by=world.person("coordinator"), appeal=made, uphold=True, answer="Finalement oui."
        )


def test_me_too_counts_once_per_person(world: World) -> None:
    post = make_post(world.home, by=world.person("resident"))
    neighbour = world.person("neighbour")
    actions.say_me_too(by=neighbour, contribution=post)
    actions.say_me_too(by=neighbour, contribution=post)
    assert post.me_too.count() == 1
    with pytest.raises(PermissionDenied):  # not one's own
        actions.say_me_too(by=world.person("resident"), contribution=post)
    # Withdrawing takes back this person's "me too" on this contribution only.
    other = make_post(world.home, "Et des arbres.", by=world.person("resident"))
    actions.say_me_too(by=neighbour, contribution=other)
    actions.say_me_too(by=world.person("facilitator"), contribution=post)
    actions.withdraw_me_too(by=neighbour, contribution=post)
    assert list(post.me_too.values_list("user__email", flat=True)) == [
        world.person("facilitator").email
    ]
    assert other.me_too.count() == 1


def test_a_closed_board_refuses_posts(world: World) -> None:
    board = make_board(world.home, is_open=False)
    with pytest.raises(actions.ContributionError):
        actions.post_on_board(by=None, board=board, text="Bonjour", key="k" * 20)


def test_posting_twice_with_the_same_key_saves_once(world: World) -> None:
    board = make_board(world.home)
    first = actions.post_on_board(by=None, board=board, text="Bonjour", key="k" * 20)
    again = actions.post_on_board(by=None, board=board, text="Bonjour", key="k" * 20)
    assert first.created
    assert not again.created
    assert first.contribution.pk == again.contribution.pk


def test_a_batch_of_paper_contributions_is_saved_once_with_its_photo(world: World) -> None:
    from django.core.files.base import ContentFile

    facilitator = world.person("facilitator")
    photo = ContentFile(b"\x89PNG fake but stored as given", name="tableau.png")
    texts = ["Plus de poubelles.", "", "Un banc au parc."]
    saved = actions.transcribe(
        by=facilitator,
        neighbourhood=world.home,
        texts=texts,
        key="batch-0000000000000001",
        photo=photo,
        description="Tableau d'expression de la fête de quartier",
    )
    again = actions.transcribe(
        by=facilitator, neighbourhood=world.home, texts=texts, key="batch-0000000000000001"
    )
    assert [c.text for c in saved] == ["Plus de poubelles.", "Un banc au parc."]
    assert {c.pk for c in again} == {c.pk for c in saved}
    assert {c.photo_id for c in saved} == {saved[0].photo_id}
    assert saved[0].photo_id is not None
    with pytest.raises(actions.ContributionError):
        actions.transcribe(
            by=facilitator,
            neighbourhood=world.home,
            texts=["x"],
            key="batch-0000000000000002",
            photo=ContentFile(b"x", name="a.png"),
        )
    with pytest.raises(PermissionDenied):
        actions.transcribe(
            by=world.person("resident"), neighbourhood=world.home, texts=["x"], key="b" * 20
        )


def test_a_dutch_speaking_author_is_told_in_dutch_down_to_the_signature(world: World) -> None:
    from palabre.accounts.tests.factories import make_user
    from palabre.outbox.models import OutgoingMail

    author = make_user(email="an@example.be", preferred_language="nl")
    post = make_post(world.home, "Een bank op het plein.", by=author)
    sent_mail().clear()
    actions.hide(by=world.person("coordinator"), contribution=post, reason=Reason.OFF_TOPIC)
    [told] = [mail for mail in sent_mail() if mail.to == ["an@example.be"]]
    assert "van 9 tot 12 uur" in told.body
    assert OutgoingMail.objects.filter(to=["an@example.be"]).get().kind == "contribution news"
