"""Writes on neighbourhoods, partners and venues: used by the admin, the demo and the pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction

from palabre.core.images import clean_image
from palabre.neighbourhoods.models import Neighbourhood, Partner, PartnerContact, Venue
from palabre.neighbourhoods.permissions import can_manage_neighbourhoods


def _validated_save[M: models.Model](by: Any, record: M) -> M:
    # `by=None` is the system itself (demo loader, data migrations).
    if by is not None and not can_manage_neighbourhoods(by):
        raise PermissionDenied
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def save_neighbourhood(*, by: Any, neighbourhood: Neighbourhood) -> Neighbourhood:
    """Validate (boundary included) and save a new or changed neighbourhood."""
    return _validated_save(by, neighbourhood)


@transaction.atomic
def save_partner(
    *, by: Any, partner: Partner, neighbourhoods: Iterable[Neighbourhood] | None = None
) -> Partner:
    """Validate and save a partner organisation, and the neighbourhoods it works in.

    A newly uploaded logo is re-encoded as PNG without its metadata before it is stored.
    """
    # Only a file assigned in this request is uncommitted; a stored logo is left untouched.
    fresh = partner.logo and not getattr(partner.logo, "_committed", True)
    upload = partner.logo.file if fresh else None
    if isinstance(upload, UploadedFile):
        partner.logo = clean_image(upload, max_side=800)
    _validated_save(by, partner)
    if neighbourhoods is not None:
        partner.neighbourhoods.set(neighbourhoods)
    return partner


@transaction.atomic
def save_contact(*, by: Any, contact: PartnerContact) -> PartnerContact:
    """Validate and save a partner's contact person."""
    return _validated_save(by, contact)


@transaction.atomic
def save_venue(*, by: Any, venue: Venue) -> Venue:
    """Validate and save a venue."""
    return _validated_save(by, venue)
