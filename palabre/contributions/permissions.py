"""Who may capture, read, moderate and appeal residents' contributions. Pure predicates."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from palabre.accounts.models import Role
from palabre.accounts.permissions import has_role, is_signed_in, is_staff_member
from palabre.contributions.models import Board, Contribution, Photo, Reason, Status
from palabre.workshops.models import Workshop
from palabre.workshops.permissions import can_check_in


def can_capture(user: Any, workshop: Workshop) -> bool:
    """Whether `user` notes what is said at `workshop` (its facilitators and the service)."""
    return can_check_in(user, workshop)


def can_correct_note(user: Any, contribution: Contribution) -> bool:
    """Whether `user` corrects, moves or deletes a note captured at a workshop: whoever noted
    it, on the day they noted it (the evening and the bus home), while it is not hidden."""
    return (
        is_signed_in(user)
        and contribution.captured_by_id == user.pk
        and contribution.workshop_id is not None
        and contribution.status != Status.HIDDEN
        and timezone.localdate(contribution.created_at) == timezone.localdate()
    )


def can_withdraw_note(user: Any, contribution: Contribution) -> bool:
    """Whether `user` deletes a note of theirs: as for a correction, or it is deleted already
    (a second tap on the button is not an error)."""
    return can_correct_note(user, contribution) or (
        is_signed_in(user)
        and contribution.captured_by_id == user.pk
        and contribution.hidden_reason == Reason.WITHDRAWN
    )


def can_transcribe(user: Any) -> bool:
    """Whether `user` types in paper contributions (facilitators and the service)."""
    return has_role(user, Role.FACILITATOR, Role.COORDINATOR, Role.ADMINISTRATOR)


def can_moderate(user: Any) -> bool:
    """Whether `user` publishes, hides and unmasks contributions (the service)."""
    return is_staff_member(user)


def can_edit_themes(user: Any) -> bool:
    """Whether `user` adds, renames, orders and retires the themes of the taxonomy (the
    service: reference data)."""
    return is_staff_member(user)


def can_set_up_boards(user: Any) -> bool:
    """Whether `user` opens or closes neighbourhoods' online boards and sets their moderation
    and question (the service)."""
    return is_staff_member(user)


def can_post_on_board(board: Board | None) -> bool:
    """Whether anyone, with or without an account, may post on this board now."""
    return board is not None and board.is_open and board.neighbourhood.is_published


def is_author(user: Any, contribution: Contribution, token: str = "") -> bool:
    """Whether `user` (or the holder of the private follow-up link) wrote `contribution`."""
    if token and contribution.link and contribution.link.opens(token):
        return True
    return is_signed_in(user) and contribution.author_id == user.pk


def can_see_unpublished_photos(user: Any) -> bool:
    """Whether `user` sees paper boards' photos before publication (facilitators and the
    service: handwriting cannot be masked)."""
    return has_role(user, Role.FACILITATOR, Role.COORDINATOR, Role.ADMINISTRATOR)


def can_see_photo(user: Any, photo: Photo) -> bool:
    """Whether `user` may see `photo` next to a contribution they read (published, or staff)."""
    return photo.published_at is not None or can_see_unpublished_photos(user)


def can_say_me_too(user: Any, contribution: Contribution) -> bool:
    """Whether `user` may add their "me too" (signed in, published, not their own)."""
    return (
        is_signed_in(user)
        and contribution.status == Status.PUBLISHED
        and contribution.author_id != user.pk
    )


def can_appeal(user: Any, contribution: Contribution, token: str = "") -> bool:
    """Whether `user` may ask for their hidden contribution to be published again."""
    return contribution.status == Status.HIDDEN and is_author(user, contribution, token)


def can_start_action_from(user: Any) -> bool:
    """Whether `user` turns what residents said into a citizen action (facilitators and the
    service; the initiatives app asks the same question)."""
    return has_role(user, Role.FACILITATOR, Role.COORDINATOR, Role.ADMINISTRATOR)
