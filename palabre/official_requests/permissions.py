"""Who drafts, sends and answers requests to officials. Pure predicates."""

from __future__ import annotations

from typing import Any, Protocol

from django.conf import settings

from palabre.accounts.models import Role
from palabre.accounts.permissions import has_role, is_staff_member
from palabre.official_requests.models import CabinetMember, Request, Status


def can_draft(user: Any) -> bool:
    """Whether `user` drafts and sends requests (the service; requests enter only this way)."""
    return is_staff_member(user)


class SteeredAction(Protocol):
    """A citizen action as this app sees it: the citizen actions app, above this one (it drafts
    support requests through these actions), answers who steers it (`Initiative.steered_by`)."""

    def steered_by(self, user: Any) -> bool: ...


def can_ask_support(user: Any, initiative: SteeredAction | None) -> bool:
    """Whether `user` asks the city's departments for a citizen action's permit or support
    (its leads and the service); only departments are addressed this way, never officials."""
    return initiative is not None and initiative.steered_by(user)


def is_addressee(user: Any, request: Request) -> bool:
    """Whether `user` is the official addressed, or a member of the department addressed."""
    if has_role(user, Role.OFFICIAL) and request.official_id == user.pk:
        return True
    department = request.department
    return department is not None and any(
        member.pk == getattr(user, "pk", None) for member in department.members.all()
    )


def cabinet_membership(user: Any, request: Request) -> CabinetMember | None:
    """The membership of `user` in the cabinet of the official `request` is addressed to."""
    if not has_role(user, Role.CABINET) or request.official_id is None:
        return None
    try:
        membership: CabinetMember = user.cabinet_membership
    except CabinetMember.DoesNotExist:
        return None
    return membership if membership.official_id == request.official_id else None


def can_prepare(user: Any, request: Request) -> bool:
    """Whether `user` works on `request` once sent: its addressee, or a collaborator of the
    addressed official's cabinet (reads the private notes, acknowledges, drafts the answer)."""
    return request.status != Status.DRAFTED and (
        is_addressee(user, request) or cabinet_membership(user, request) is not None
    )


def can_answer(user: Any, request: Request) -> bool:
    """Whether `user` publishes answers to `request` once sent: its addressee, or a cabinet
    collaborator the official allowed to publish in their name."""
    if request.status == Status.DRAFTED:
        return False
    if is_addressee(user, request):
        return True
    membership = cabinet_membership(user, request)
    return membership is not None and membership.may_publish


def can_see_private_notes(user: Any, request: Request) -> bool:
    """Whether `user` reads the private notes of `request`: the service, its current addressee
    and the addressed official's cabinet (only those written since it reached them, see
    `queries.request_page`)."""
    return (
        is_staff_member(user)
        or is_addressee(user, request)
        or cabinet_membership(user, request) is not None
    )


def can_redirect(user: Any, request: Request) -> bool:
    """Whether `user` sends `request` on to another addressee (the service, or its addressee
    delegating it)."""
    return can_draft(user) or can_answer(user, request)


def can_delegate_to_an_official(user: Any, request: Request) -> bool:
    """Whether `user` may hand `request` to an elected official: the service always; its
    addressee only when the city allows it (otherwise they delegate to a department)."""
    if can_draft(user):
        return True
    return settings.OFFICIALS_MAY_DELEGATE_TO_OFFICIALS and can_answer(user, request)


def takes_replies(request: Request) -> bool:
    """Whether the questions of `request` take replies: sent, not done, not merged."""
    return request.merged_into_id is None and request.status not in (Status.DRAFTED, Status.DONE)
