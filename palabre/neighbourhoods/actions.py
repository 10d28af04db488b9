"""Writes on neighbourhoods, partners and venues: used by the admin, the demo and the pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from palabre.core.images import clean_image
from palabre.neighbourhoods.models import Neighbourhood, Partner, PartnerContact, Venue
from palabre.neighbourhoods.permissions import can_manage_neighbourhoods

# The length of the models' SlugFields.
SLUG_LENGTH = 50
# A venue slugged like this would hide a page: /quartiers/<slug>/lieux/nouveau/ adds a venue.
RESERVED_VENUE_SLUGS = frozenset({"nouveau"})

DUPLICATE_VENUE = _(
    "This neighbourhood already has a venue with this name (or one written almost the same "
    "way): choose another name."
)
DUPLICATE_PARTNER = _(
    "A partner with this name (or one written almost the same way) already exists: find it in "
    "the list, or make the name more precise."
)
DUPLICATE_CONTACT = _("This person is already among the contacts of this partner.")
RESERVED_SLUG = _("This short name is reserved for a page of the site: choose another one.")

_UNIQUE_CODES = {"unique", "unique_together"}


def slug_from(name: str, *, fallback: str, reserved: frozenset[str] = frozenset()) -> str:
    """Return the short name in addresses made from `name` (ASCII, at most 50 characters)."""
    slug = slugify(name)[:SLUG_LENGTH].strip("-") or fallback
    if slug in reserved:
        slug = f"{slug}-{fallback}"
    return slug


def _require_manager(by: Any) -> None:
    # `by=None` is the system itself (demo loader, data migrations).
    if by is not None and not can_manage_neighbourhoods(by):
        raise PermissionDenied


def _duplicates_as(error: ValidationError, field: str, message: Any) -> ValidationError:
    """`error` with its uniqueness errors (of any field) replaced by `message` on `field`."""
    errors: dict[str, list[ValidationError]] = {}
    clash = False
    for name, found in error.error_dict.items():
        kept = [each for each in found if each.code not in _UNIQUE_CODES]
        clash = clash or len(kept) < len(found)
        if kept:
            errors[name] = kept
    if clash:
        errors.setdefault(field, []).append(ValidationError(message, code="duplicate"))
    return ValidationError(errors)


def _validated_save[M: models.Model](
    by: Any, record: M, *, duplicate: tuple[str, Any] | None = None
) -> M:
    """Validate and save `record`. With `duplicate` (a form field and a message), a clash with
    a unique constraint becomes that message: seen by the validation, or by the database when
    someone saved the same name in between (the constraint, not the check, is the guard)."""
    _require_manager(by)
    try:
        record.full_clean()
    except ValidationError as error:
        if duplicate is None:
            raise
        raise _duplicates_as(error, *duplicate) from None
    if duplicate is None:
        record.save()
        return record
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:
        if "unique" not in str(error).lower():
            raise
        raise ValidationError({duplicate[0]: [duplicate[1]]}, code="duplicate") from None
    return record


@transaction.atomic
def save_neighbourhood(*, by: Any, neighbourhood: Neighbourhood) -> Neighbourhood:
    """Validate (boundary included) and save a new or changed neighbourhood."""
    return _validated_save(by, neighbourhood)


@transaction.atomic
def save_partner(
    *,
    by: Any,
    partner: Partner,
    neighbourhoods: Iterable[Neighbourhood] | None = None,
    remove_logo: bool = False,
) -> Partner:
    """Validate and save a partner organisation, and the neighbourhoods it works in.

    A new partner without a short name gets one made from its name; a name taken already is
    refused on `name`. A newly uploaded logo is re-encoded as PNG without its metadata before
    it is stored; the file of a logo replaced or removed is deleted once this is committed.
    """
    _require_manager(by)
    if partner._state.adding and not partner.slug:
        partner.slug = slug_from(partner.name, fallback="partenaire")
    # Only a file assigned in this request is uncommitted; a stored logo is left untouched.
    fresh = partner.logo and not getattr(partner.logo, "_committed", True)
    upload = partner.logo.file if fresh else None
    if isinstance(upload, UploadedFile):
        partner.logo = clean_image(upload, max_side=800)
    elif remove_logo and not fresh:
        partner.logo = ""
    stored = (
        None
        if partner._state.adding
        else Partner.objects.filter(pk=partner.pk).values_list("logo", flat=True).first()
    )
    _validated_save(by, partner, duplicate=("name", DUPLICATE_PARTNER))
    if neighbourhoods is not None:
        partner.neighbourhoods.set(neighbourhoods)
    if stored and stored != partner.logo.name:
        storage = partner.logo.storage
        transaction.on_commit(lambda: storage.delete(stored))
    return partner


@transaction.atomic
def save_contact(*, by: Any, contact: PartnerContact) -> PartnerContact:
    """Validate and save a partner's contact person; the same person twice is refused."""
    return _validated_save(by, contact, duplicate=("name", DUPLICATE_CONTACT))


@transaction.atomic
def remove_contact(*, by: Any, contact: PartnerContact) -> None:
    """Remove a partner's contact person (they left, or asked to be forgotten)."""
    _require_manager(by)
    contact.delete()


@transaction.atomic
def save_venue(*, by: Any, venue: Venue) -> Venue:
    """Validate and save a venue.

    A new venue without a short name gets one made from its name, unique in its neighbourhood:
    a name taken already there is refused on `name`.
    """
    _require_manager(by)
    if venue._state.adding and not venue.slug:
        venue.slug = slug_from(venue.name, fallback="lieu", reserved=RESERVED_VENUE_SLUGS)
    elif venue.slug in RESERVED_VENUE_SLUGS:
        raise ValidationError({"slug": [RESERVED_SLUG]}, code="reserved")
    return _validated_save(by, venue, duplicate=("name", DUPLICATE_VENUE))
