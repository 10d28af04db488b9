"""A facilitator corrects, moves or deletes their own notes during the evening, with the history
kept (issue 17, item 3)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from palabre.contributions import actions
from palabre.contributions.models import Contribution, EventKind, Reason, Status
from palabre.core.testing import World
from palabre.workshops.models import Workshop
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db

QUESTIONS = ["Ce qui va bien ?", "Ce qui manque ?"]


@pytest.fixture
def workshop(world: World) -> Workshop:
    return make_hosted_workshop(world, days_from_now=0, guiding_questions=QUESTIONS)


@pytest.fixture
def facilitator(world: World) -> Client:
    client = Client()
    client.force_login(world.person("facilitator"))
    return client


def noted(world: World, workshop: Workshop, text: str = "Un banc", key: str = "n" * 20) -> Any:
    return actions.capture(
        by=world.person("facilitator"), workshop=workshop, question=0, text=text, key=key
    ).contribution


def kinds(note: Contribution) -> list[str]:
    return list(note.events.values_list("kind", flat=True))


def test_a_note_corrected_and_moved_is_masked_again_and_its_history_says_so(
    workshop: Workshop, world: World, facilitator: Client
) -> None:
    note = noted(world, workshop)
    url = reverse("contributions:correct_note", args=[note.pk])
    page = facilitator.get(url).text
    assert "Corriger une note" in page
    correction = {"text": "Un banc, appelez le 0470 12 34 56", "question": "1", "table_label": "T3"}
    response = facilitator.post(url, correction)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#note-{note.pk}")
    note.refresh_from_db()
    assert note.question == "Ce qui manque ?"
    assert note.table_label == "T3"
    assert "0470" not in note.public_text  # masked again
    assert kinds(note)[-3:] == [EventKind.MOVED, EventKind.CORRECTED, EventKind.MASKED]
    moved = note.events.get(kind=EventKind.MOVED)
    assert moved.note == "Ce qui va bien ? → Ce qui manque ?"
    assert moved.by == world.person("facilitator")
    # The same correction sent again (a double tap) changes nothing and writes no history.
    count = note.events.count()
    facilitator.post(url, correction)
    assert note.events.count() == count


def test_a_correction_refused_keeps_what_was_typed_and_says_why_in_french(
    workshop: Workshop, world: World, facilitator: Client
) -> None:
    note = noted(world, workshop)
    url = reverse("contributions:correct_note", args=[note.pk])
    response = facilitator.post(url, {"text": "", "question": "7", "table_label": "Table 9"})
    assert response.status_code == 200
    page = response.text
    assert "Ce champ est obligatoire." in page
    assert "Sélectionnez un choix valide." in page
    assert 'value="Table 9"' in page
    note.refresh_from_db()
    assert (note.text, note.table_label) == ("Un banc", "")


def test_a_deleted_note_leaves_the_page_and_the_board_but_not_the_history(
    workshop: Workshop, world: World, facilitator: Client
) -> None:
    note = noted(world, workshop)
    kept = noted(world, workshop, "Des arbres", key="m" * 20)
    url = reverse("contributions:withdraw_note", args=[note.pk])
    first = facilitator.post(url)
    again = facilitator.post(url)  # a double tap
    assert first.status_code == again.status_code == 302
    note.refresh_from_db()
    assert (note.status, note.hidden_reason) == (Status.HIDDEN, Reason.WITHDRAWN)
    assert kinds(note).count(EventKind.WITHDRAWN) == 1
    page = facilitator.get(reverse("contributions:capture", args=[workshop.pk])).text
    assert "Un banc" not in page
    assert "Des arbres" in page
    assert "1 contribution notée" in page
    assert kept.status != Status.HIDDEN


def test_only_whoever_noted_it_corrects_it_and_only_on_that_day(
    workshop: Workshop, world: World, facilitator: Client
) -> None:
    note = noted(world, workshop)
    for persona in ("coordinator", "resident", "partner"):
        with pytest.raises(PermissionDenied):
            actions.correct_note(
                by=world.person(persona), contribution=note, text="Autre", question=0
            )
        with pytest.raises(PermissionDenied):
            actions.withdraw_note(by=world.person(persona), contribution=note)
    page = facilitator.get(reverse("contributions:capture", args=[workshop.pk])).text
    assert reverse("contributions:correct_note", args=[note.pk]) in page
    Contribution.objects.filter(pk=note.pk).update(created_at=note.created_at - timedelta(days=1))
    url = reverse("contributions:correct_note", args=[note.pk])
    assert facilitator.get(url).status_code == 404
    assert (
        facilitator.post(reverse("contributions:withdraw_note", args=[note.pk])).status_code == 404
    )
    page = facilitator.get(reverse("contributions:capture", args=[workshop.pk])).text
    assert url not in page


def test_a_pending_note_starts_a_citizen_action_without_waiting_for_moderation(
    workshop: Workshop, world: World, facilitator: Client
) -> None:
    note = noted(world, workshop)
    assert note.status == Status.PENDING
    start = f"{reverse('initiatives:start')}?contribution={note.pk}"
    for page in ("correct_note", "detail"):
        assert start in facilitator.get(reverse(f"contributions:{page}", args=[note.pk])).text
    assert facilitator.get(start).status_code == 200


# What the history says, and what the action refuses, called directly (mutation run of
# 2026-12-06, fifth: docs/mutation/fifth-run.md).


def test_each_change_is_written_in_the_history_by_whoever_made_it(
    workshop: Workshop, world: World
) -> None:
    facilitator = world.person("facilitator")
    note = noted(world, workshop, "Un banc, écrivez à marc@example.org ou au 0470 12 34 56")
    assert kinds(note) == [EventKind.SUBMITTED, EventKind.MASKED]
    assert (note.author_name, note.table_label) == ("", "")  # neither given
    # Moved only: no correction written.
    actions.correct_note(by=facilitator, contribution=note, text=note.text, question=1)
    assert kinds(note)[-1] == EventKind.MOVED
    assert note.events.filter(kind=EventKind.CORRECTED).count() == 0
    # Back under the first question, with a table: a correction, by the facilitator.
    actions.correct_note(
        by=facilitator, contribution=note, text=note.text, question=0, table_label="T1"
    )
    corrected = note.events.get(kind=EventKind.CORRECTED)
    assert corrected.by == facilitator
    assert note.question == QUESTIONS[0]
    # The nickname alone is a correction too; the table left out of the call is emptied.
    actions.correct_note(
        by=facilitator, contribution=note, text=note.text, question=0, author_name="Rosa"
    )
    assert note.events.filter(kind=EventKind.CORRECTED).count() == 2
    note.refresh_from_db()
    assert (note.table_label, note.author_name) == ("", "Rosa")
    # The same personal data found again is not written again; new data is, with its kinds.
    assert note.events.filter(kind=EventKind.MASKED).count() == 1
    actions.correct_note(by=facilitator, contribution=note, text="Un banc", question=0)
    assert note.events.filter(kind=EventKind.MASKED).count() == 1
    actions.correct_note(
        by=facilitator,
        contribution=note,
        text="Un banc : marc@example.org, 0470 12 34 56",
        question=0,
    )
    masked = note.events.filter(kind=EventKind.MASKED).last()
    assert masked is not None
    assert masked.note == "email, phone"


def test_a_question_outside_the_guide_is_refused_with_the_reason(
    workshop: Workshop, world: World
) -> None:
    note = noted(world, workshop)
    for question in (-1, len(QUESTIONS)):
        with pytest.raises(
            actions.ContributionError, match=r"^Cette question ne fait pas partie du guide"
        ):
            actions.correct_note(
                by=world.person("facilitator"), contribution=note, text="x", question=question
            )
    for question in (-1, len(QUESTIONS)):
        with pytest.raises(
            actions.ContributionError, match=r"^Cette question ne fait pas partie du guide"
        ):
            actions.transcribe(
                by=world.person("facilitator"),
                neighbourhood=world.home,
                workshop=workshop,
                texts=["x"],
                key="q" * 20,
                question=question,
            )
    with pytest.raises(actions.ContributionError):  # a question needs its workshop
        actions.transcribe(
            by=world.person("facilitator"),
            neighbourhood=world.home,
            texts=["x"],
            key="w" * 20,
            question=0,
        )


def test_the_deletion_is_written_with_who_and_why(workshop: Workshop, world: World) -> None:
    facilitator = world.person("facilitator")
    note = noted(world, workshop)
    actions.withdraw_note(by=facilitator, contribution=note)
    deleted = note.events.get(kind=EventKind.WITHDRAWN)
    assert (deleted.by, deleted.reason) == (facilitator, Reason.WITHDRAWN)
