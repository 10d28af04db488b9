"""Erasure (GDPR art. 17): what a person said stays, without their name; their contacts go.

This app sits at the top of the stack, like `demo`: it writes other apps' rows directly, in one
transaction, because erasure must reach every table at once and no app owns the whole of it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from palabre.accounts.models import Role, SignInCode, User
from palabre.accounts.permissions import is_signed_in
from palabre.contributions.models import Contribution
from palabre.initiatives.models import Initiative, Volunteer
from palabre.links.models import AccessLink
from palabre.official_requests.models import Follower
from palabre.workshops.models import Registration


def _forget_links(ids: list[int]) -> None:
    AccessLink.objects.filter(pk__in=[pk for pk in ids if pk]).update(
        revoked_at=timezone.now(), email="", phone=""
    )


@transaction.atomic
def erase_account(*, by: Any, user: User) -> None:
    """Erase an account: contacts everywhere removed, what was said kept as "a resident"."""
    if not (is_signed_in(by) and by.pk == user.pk):
        raise PermissionDenied
    if user.role != Role.RESIDENT:
        # Staff accounts carry the city's work (answers, moderation): the administrator closes them.
        raise PermissionDenied
    anonymous = _("Anonymous")
    registrations = Registration.objects.filter(user=user)
    _forget_links(list(registrations.values_list("link_id", flat=True)))
    registrations.update(user=None, name=anonymous, email="", phone="", interpretation_language="")
    volunteers = Volunteer.objects.filter(user=user)
    _forget_links(list(volunteers.values_list("link_id", flat=True)))
    volunteers.update(user=None, name=anonymous, email="")
    Contribution.objects.filter(author=user).update(author=None, author_name="")
    Follower.objects.filter(user=user).delete()
    SignInCode.objects.filter(user=user).delete()
    for initiative in Initiative.objects.filter(leads=user):
        initiative.leads.remove(user)
    # The row stays (its "me too" still count once) but says nothing about the person.
    user.email = f"erased-{user.pk}@invalid"
    user.display_name = anonymous
    user.home_neighbourhood = None
    user.is_active = False
    user.set_unusable_password()
    user.save()
