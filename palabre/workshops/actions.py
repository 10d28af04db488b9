"""Writes on cycles, workshops and registrations."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from palabre.accounts.models import User
from palabre.core.concurrency import update_if_version
from palabre.core.context_processors import service
from palabre.core.images import clean_image
from palabre.core.translations import kept_translations
from palabre.links import actions as links
from palabre.links import queries as links_queries
from palabre.links.models import Purpose
from palabre.neighbourhoods.models import Neighbourhood, Partner
from palabre.outbox.actions import queue_mail, queue_sms
from palabre.outbox.queries import sms_configured
from palabre.workshops import printing
from palabre.workshops.models import (
    ACTIVE,
    TRANSLATED_FIELDS,
    TRANSLATED_SESSION_FIELDS,
    Cycle,
    HeardElsewhere,
    InvitationBatch,
    Minutes,
    Registration,
    RegistrationStatus,
    Session,
    Speaker,
    Status,
    Workshop,
)
from palabre.workshops.permissions import (
    can_check_in,
    can_manage_workshops,
    can_print_invitations,
    can_record_held,
    can_write_minutes,
)
from palabre.workshops.queries import attendance as attendance_figures

logger = logging.getLogger("palabre.workshops")

# The life cycle: which status may follow which.
TRANSITIONS: dict[str, set[str]] = {
    Status.PLANNED: {Status.ANNOUNCED, Status.CANCELLED},
    Status.ANNOUNCED: {Status.HELD, Status.CANCELLED},
    Status.HELD: {Status.REPORTED},
    Status.REPORTED: set(),
    Status.CANCELLED: set(),
}


class WorkshopError(Exception):
    """A change that cannot be made, with the reason for a person."""


def _require_manager(by: Any) -> None:
    if by is not None and not can_manage_workshops(by):
        raise PermissionDenied


def _require_recorder(by: Any, workshop: Workshop) -> None:
    if by is not None and not can_record_held(by, workshop):
        raise PermissionDenied


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _language_of(registration: Registration) -> str:
    """An account's language, else the language of the page they registered on."""
    if registration.user:
        return registration.user.preferred_language
    return registration.link.language if registration.link else settings.LANGUAGE_CODE


# News a registrant without an email also gets by text message (templates in workshops/sms/).
SMS_TEMPLATES = {"reminder.txt", "moved.txt", "cancelled.txt", "promoted.txt"}


def _mail_later(*, template: str, subject: Any, registration: Registration) -> None:
    """Queue one email to a registrant in the outbox, subject and body in the registrant's
    language (`subject`: a lazy translation, translated here); to a registrant who gave only
    a phone number, the same news as a text message (`workshops/sms/<name>.txt`) when the
    template has one and SMS are configured. Nothing to a walk-in (recorded at the door, told in
    person, and without the private link every email's "cancel here" points to)."""
    if registration.link is None:
        return
    if not registration.email:
        _text_later(template=template, registration=registration)
        return
    with translation.override(_language_of(registration)):
        body = render_to_string(
            template,
            {
                "registration": registration,
                "workshop": registration.workshop,
                "workshop_url": _absolute(registration.workshop.get_absolute_url()),
                "registration_url": _absolute(
                    reverse("workshops:registration", kwargs={"token": registration.token})
                ),
            },
        )
        subject_text = str(subject) % {"title": registration.workshop.local_title}
    queue_mail(
        to=[registration.email],
        subject=subject_text,
        body=body,
        kind="registration",
        language=_language_of(registration),
    )


def _text_later(*, template: str, registration: Registration) -> int:
    """Queue a text message to a registrant's phone, in their language; 0 when none is sent."""
    name = template.rsplit("/", 1)[-1]
    if name not in SMS_TEMPLATES or not registration.phone:
        return 0
    workshop = registration.workshop
    with translation.override(_language_of(registration)):
        # Short enough for one message: the day without the year, the street without the town.
        start = timezone.localtime(workshop.starts_at) if workshop.starts_at else None
        when = (
            f"{formats.date_format(start, 'l j F')}, {formats.time_format(start)}" if start else ""
        )
        text = render_to_string(
            f"workshops/sms/{name}",
            {
                "registration": registration,
                "workshop": workshop,
                "when": when,
                "service": service(),
            },
        )
    return queue_sms(to=registration.phone, text=text, kind=f"workshop {name[:-4]}")


@transaction.atomic
def save_cycle(*, by: Any, cycle: Cycle, neighbourhoods: Iterable[Neighbourhood]) -> Cycle:
    """Validate and save a cycle and the neighbourhoods it covers."""
    _require_manager(by)
    cycle.full_clean()
    cycle.save()
    cycle.neighbourhoods.set(neighbourhoods)
    return cycle


def same_weekday_shift(old_start: date, new_start: date) -> timedelta:
    """The whole number of weeks closest to the gap between two starts: a workshop moved by it
    stays on its weekday (a Tuesday evening stays a Tuesday evening)."""
    return timedelta(weeks=round((new_start - old_start).days / 7))


def _shifted(moment: datetime | None, shift: timedelta) -> datetime | None:
    # Shifted on the local clock: 18:30 stays 18:30 across a change to or from summer time.
    if moment is None:
        return None
    local = timezone.localtime(moment)
    return timezone.make_aware(local.replace(tzinfo=None) + shift)


@dataclass(frozen=True)
class Duplicated:
    cycle: Cycle
    created: bool  # False: this copy had already been made (a form sent twice)
    workshops: int


def duplicate_cycle(
    *, by: Any, source: Cycle, name: str, slug: str, starts_on: date, ends_on: date
) -> Duplicated:
    """Copy a cycle and its workshops (all but the cancelled ones) to run from `starts_on`.

    Workshops keep their weekday and local time (moved by whole weeks), neighbourhood, venue,
    partners, facilitators still active, title, theme, description, capacity, guiding questions
    and the translations of these texts (not the photo); they are planned again (not
    announced). Registrations, invitations, minutes and what was said stay with the old cycle.
    Sending the same copy twice makes it once; a short name already used by another cycle is
    refused (the unique slug closes the race).
    """
    _require_manager(by)
    shift = same_weekday_shift(source.starts_on, starts_on)
    try:
        with transaction.atomic():
            cycle = save_cycle(
                by=by,
                cycle=Cycle(
                    slug=slug,
                    name=name,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    workshops_per_neighbourhood=source.workshops_per_neighbourhood,
                    duplicated_from=source,
                ),
                neighbourhoods=source.neighbourhoods.all(),
            )
            copied = 0
            workshops = (
                source.workshops.exclude(status=Status.CANCELLED)
                .prefetch_related("partners", "facilitators")
                .order_by("starts_at", "pk")
            )
            for old in workshops:
                plan_workshop(
                    by=by,
                    workshop=Workshop(
                        cycle=cycle,
                        kind=old.kind,
                        neighbourhood_id=old.neighbourhood_id,
                        venue_id=old.venue_id,
                        title=old.title,
                        theme=old.theme,
                        description=old.description,
                        starts_at=_shifted(old.starts_at, shift),
                        ends_at=_shifted(old.ends_at, shift),
                        capacity=old.capacity,
                        guiding_questions=old.guiding_questions,
                        language=old.language,
                        translations=old.translations,
                    ),
                    partners=old.partners.all(),
                    facilitators=[person for person in old.facilitators.all() if person.is_active],
                )
                copied += 1
    except (ValidationError, IntegrityError):
        # The same copy sent again: full_clean finds the short name taken or, when both are
        # sent at the same moment, the unique index refuses the second. The first is the answer.
        again = Cycle.objects.filter(slug=slug, duplicated_from=source).first()
        if again is None:
            raise
        return Duplicated(again, created=False, workshops=again.workshops.count())
    return Duplicated(cycle, created=True, workshops=copied)


@transaction.atomic
def plan_workshop(
    *,
    by: Any,
    workshop: Workshop,
    partners: Iterable[Partner] | None = None,
    facilitators: Iterable[User] | None = None,
    version: int | None = None,
) -> Workshop:
    """Validate and save a new or changed workshop, with its partners and facilitators.

    Moved to another day, time or venue, its registrants are told and their reminders follow.
    A new workshop carrying a `creation_key` already used is the first one, returned as is. A
    change made from a form opened at `version` is refused once someone else saved another.
    """
    _require_manager(by)
    if workshop.pk is None and workshop.creation_key:
        first = Workshop.objects.filter(creation_key=workshop.creation_key).first()
        if first is not None:
            return first
    workshop.full_clean(exclude=["creation_key"])
    if workshop.pk and version is not None:
        # The version is a condition of the UPDATE: of two editors, the database lets one in.
        if not update_if_version(Workshop, workshop.pk, version):
            raise WorkshopConflict(
                _(
                    "Someone else changed this workshop while you were editing. What you typed "
                    "is kept below: save again to keep your version."
                )
            )
        workshop.version = version + 1
    # The place and time as stored, read under a lock: two editors moving it at once each see
    # the other's.
    before = (
        Workshop.objects.select_for_update()
        .filter(pk=workshop.pk)
        .values_list("starts_at", "venue_id")
        .first()
        if workshop.pk
        else None
    )
    moved = before is not None and before[0] != workshop.starts_at
    elsewhere = before is not None and before[1] != workshop.venue_id
    try:
        with transaction.atomic():
            workshop.save()
    except IntegrityError:
        # The same form sent twice at the same moment: the unique key let one through.
        first = Workshop.objects.filter(creation_key=workshop.creation_key).first()
        if first is None or not workshop.creation_key:
            raise
        return first
    if partners is not None:
        workshop.partners.set(partners)
    if facilitators is not None:
        workshop.facilitators.set(facilitators)
    if moved:
        _reschedule_reminders(workshop)
    if (moved or elsewhere) and workshop.status == Status.ANNOUNCED:
        for registration in workshop.registrations.filter(ACTIVE).select_related("user", "link"):
            _mail_later(
                template="workshops/email/moved.txt",
                subject=gettext_lazy("Changed: %(title)s"),
                registration=registration,
            )
    return workshop


def set_workshop_texts(
    *,
    by: Any,
    workshop: Workshop,
    language: str,
    translations: dict[str, dict[str, Any]],
    photo: UploadedFile[bytes] | None = None,
    remove_photo: bool = False,
) -> Workshop:
    """Save the language the workshop's texts are written in, their translations and the photo
    of its invitations. Empty translations are dropped (the original is shown instead); a photo
    is re-encoded without its metadata (GPS, camera)."""
    _require_manager(by)
    if language not in dict(settings.LANGUAGES):
        raise WorkshopError(_("Choose one of the site's languages."))
    workshop.language = language
    workshop.translations = kept_translations(
        translations, original=language, fields=TRANSLATED_FIELDS
    )
    previous = workshop.photo.name
    if photo is not None:
        workshop.photo.save(f"workshop-{workshop.pk}.png", clean_image(photo), save=False)
    elif remove_photo:
        workshop.photo = None
    workshop.save(update_fields=["language", "translations", "photo"])
    if previous and previous != workshop.photo.name:
        workshop.photo.storage.delete(previous)
    return workshop


def _move(workshop: Workshop, target: Status) -> None:
    if target not in TRANSITIONS[workshop.status]:
        raise WorkshopError(
            _("A workshop that is %(current)s cannot become %(target)s.")
            % {
                "current": workshop.get_status_display().lower(),
                "target": Status(target).label.lower(),
            }
        )


@transaction.atomic
def announce_workshop(*, by: Any, workshop: Workshop) -> Workshop:
    """Make a planned workshop public and open its registrations."""
    _require_manager(by)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    _move(workshop, Status.ANNOUNCED)
    missing = [
        label
        for label, absent in (
            (_("a venue"), workshop.venue_id is None),
            (_("a start"), workshop.starts_at is None),
            (_("an end"), workshop.ends_at is None),
        )
        if absent
    ]
    if missing:
        raise WorkshopError(
            _("This workshop cannot be announced yet: it needs %(missing)s.")
            % {"missing": ", ".join(str(m) for m in missing)}
        )
    workshop.status = Status.ANNOUNCED
    workshop.save(update_fields=["status"])
    return workshop


@transaction.atomic
def mark_held(*, by: Any, workshop: Workshop) -> Workshop:
    """Record that an announced workshop took place: on its day or after, never before."""
    _require_recorder(by, workshop)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    _move(workshop, Status.HELD)
    if workshop.starts_at and timezone.localdate(workshop.starts_at) > timezone.localdate():
        raise WorkshopError(
            _("A workshop is recorded as held on its day or after: not before %(day)s.")
            % {"day": formats.date_format(timezone.localdate(workshop.starts_at), "DATE_FORMAT")}
        )
    workshop.status = Status.HELD
    workshop.held_at = timezone.now()
    workshop.save(update_fields=["status", "held_at"])
    return workshop


@transaction.atomic
def undo_held(*, by: Any, workshop: Workshop) -> Workshop:
    """Take back "held" recorded by mistake, the same day: the workshop is announced again."""
    _require_recorder(by, workshop)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if not workshop.held_today:
        raise WorkshopError(_("Recording a workshop as held can only be undone the same day."))
    workshop.status = Status.ANNOUNCED
    workshop.held_at = None
    workshop.save(update_fields=["status", "held_at"])
    return workshop


@transaction.atomic
def cancel_workshop(*, by: Any, workshop: Workshop, reason: str) -> Workshop:
    """Cancel a workshop with a reason, and tell everyone registered."""
    _require_manager(by)
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    _move(workshop, Status.CANCELLED)
    if not reason.strip():
        raise WorkshopError(_("Say why the workshop is cancelled."))
    workshop.status = Status.CANCELLED
    workshop.cancellation_reason = reason.strip()
    workshop.save(update_fields=["status", "cancellation_reason"])
    for registration in workshop.registrations.filter(ACTIVE).select_related("user"):
        _mail_later(
            template="workshops/email/cancelled.txt",
            subject=gettext_lazy("Cancelled: %(title)s"),
            registration=registration,
        )
    return workshop


@dataclass(frozen=True)
class RegistrationResult:
    """What became of a registration form: `mine` says whether its sender may open the page."""

    registration: Registration
    created: bool
    # False when the address typed was already registered by someone: their link was emailed
    # to that address instead of being shown (knowing an address never opens a private page).
    mine: bool = True


def _existing(workshop: Workshop, *, email: str, user: User | None) -> Registration | None:
    active = workshop.registrations.filter(ACTIVE)
    if user is not None:
        found = active.filter(user=user).first()
        if found:
            return found
    if email:
        return active.filter(email__iexact=email).first()
    return None


def _already(workshop: Workshop, *, key: str, email: str, by: User | None) -> RegistrationResult:
    """The registration a repeated form found, shown only to whoever sent it the first time."""
    if key:
        same = Registration.objects.filter(workshop=workshop, key=key).first()
        if same is not None:
            return RegistrationResult(same, created=False)
    found = _existing(workshop, email=email, user=by)
    if found is None:
        raise LookupError("no registration to return")
    if by is not None and found.user_id == by.pk:
        return RegistrationResult(found, created=False)
    if found.link is not None:
        links.send_again(link=found.link, about=str(workshop.texts_in(found.link.language).title))
    return RegistrationResult(found, created=False, mine=False)


def register(
    *,
    workshop: Workshop,
    by: User | None,
    name: str,
    email: str = "",
    phone: str = "",
    needs_childcare: bool = False,
    needs_step_free_access: bool = False,
    needs_hearing_loop: bool = False,
    interpretation_language: str = "",
    home_city: str = "",
    channel: str = "",
    key: str = "",
) -> RegistrationResult:
    """Register someone, on the waiting list when full; the same person twice gets one place.

    The same form sent twice (`key`) finds its first registration; an address already
    registered gets its link by email, never on the screen of whoever typed it. `home_city`:
    where the person lives, for an event open to other cities (blank: this city).
    """
    email = email.strip().lower()
    if by is not None and not email:
        email = by.email
    try:
        with transaction.atomic():
            # Locking the workshop serialises registrations, so capacity is never exceeded.
            locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
            if not locked.is_open_for_registration:
                raise WorkshopError(_("Registrations for this workshop are closed."))
            if _existing(locked, email=email, user=by) or (
                key and locked.registrations.filter(key=key).exists()
            ):
                return _already(locked, key=key, email=email, by=by)
            confirmed = locked.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
            registration = Registration(
                workshop=locked,
                user=by,
                name=name.strip() or (by.display_name if by else ""),
                email=email,
                phone=phone.strip(),
                needs_childcare=needs_childcare,
                needs_step_free_access=needs_step_free_access,
                needs_hearing_loop=needs_hearing_loop,
                interpretation_language=interpretation_language.strip(),
                home_city=home_city.strip(),
                channel=channel,
                key=key or None,
                status=(
                    RegistrationStatus.CONFIRMED
                    if confirmed < locked.capacity
                    else RegistrationStatus.WAITING
                ),
            )
            # The key's uniqueness is left to the database: a key of another form (only a
            # tampered page sends one) ends below, with a message a person understands.
            registration.full_clean(validate_constraints=False, exclude=["key"])
            registration.link = links.create_link(
                purpose=Purpose.REGISTRATION,
                email=email,
                phone=registration.phone,
                language=by.preferred_language if by else "",
            )
            registration.save()
            _mail_later(
                template="workshops/email/registered.txt",
                subject=gettext_lazy("Your registration: %(title)s"),
                registration=registration,
            )
            schedule_reminder(registration)
            return RegistrationResult(registration, created=True)
    except IntegrityError:
        # A simultaneous double submit won the race: the database kept one registration.
        try:
            return _already(workshop, key=key, email=email, by=by)
        except LookupError:
            # A key that belongs to another form: only a tampered page sends one.
            raise WorkshopError(_("This form was already used: reload the page.")) from None
    except ValidationError as error:
        raise WorkshopError(" ".join(error.messages)) from None


@transaction.atomic
def cancel_registration(*, token: str) -> Registration | None:
    """Cancel the registration of this secret link and give its place to the next in line."""
    registration = (
        links_queries.holding(Registration.objects.select_for_update(), token)
        .select_related("workshop")
        .first()
    )
    if registration is None:
        return None
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    freed = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if freed:
        _promote_waiting(registration.workshop)
    return registration


@transaction.atomic
def register_again(*, token: str) -> Registration | None:
    """Undo a cancellation from the registration's own page: registered again if a place is
    free, else on the waiting list, and reminded as before. Twice changes nothing."""
    registration = (
        # Only the registration's row is locked (PostgreSQL locks no outer-joined row).
        links_queries.holding(Registration.objects.select_for_update(of=("self",)), token)
        .select_related("workshop", "user", "link")
        .first()
    )
    if registration is None or registration.status != RegistrationStatus.CANCELLED:
        return registration
    # Locking the workshop serialises registrations, so capacity is never exceeded.
    locked = Workshop.objects.select_for_update().get(pk=registration.workshop_id)
    if not locked.is_open_for_registration:
        raise WorkshopError(_("Registrations for this workshop are closed."))
    confirmed = locked.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    registration.status = (
        RegistrationStatus.CONFIRMED if confirmed < locked.capacity else RegistrationStatus.WAITING
    )
    registration.cancelled_at = None
    registration.reminded_at = None
    registration.save(update_fields=["status", "cancelled_at", "reminded_at"])
    _mail_later(
        template="workshops/email/registered.txt",
        subject=gettext_lazy("Your registration: %(title)s"),
        registration=registration,
    )
    schedule_reminder(registration)
    return registration


def _promote_waiting(workshop: Workshop) -> None:
    locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
    confirmed = locked.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    free = locked.capacity - confirmed
    waiting = (
        locked.registrations.filter(status=RegistrationStatus.WAITING)
        .order_by("created_at", "pk")
        .select_related("user")[: max(free, 0)]
    )
    for registration in waiting:
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status"])
        logger.info("promoted from waiting list", extra={"workshop": workshop.pk})
        _mail_later(
            template="workshops/email/promoted.txt",
            subject=gettext_lazy("A place is free for you: %(title)s"),
            registration=registration,
        )


PRINTABLE = (Status.PLANNED, Status.ANNOUNCED)


@transaction.atomic
def prepare_invitations(
    *, by: Any, workshop: Workshop, label: str, print_format: str, copies: int, language: str
) -> InvitationBatch:
    """Return the batch of this channel, format and language (created once, copies updated)."""
    if by is not None and not can_print_invitations(by, workshop):
        raise PermissionDenied
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.status not in PRINTABLE:
        raise WorkshopError(
            _("Invitations cannot be printed for a workshop that is %(status)s.")
            % {"status": workshop.get_status_display().lower()}
        )
    batch, _created = InvitationBatch.objects.update_or_create(
        workshop=workshop,
        label=label.strip(),
        print_format=print_format,
        language=language,
        defaults={"copies": copies},
    )
    return batch


# Up to this many sheets a PDF is made while the person waits (measured: 1.5 to 2.5 s to fit and
# lay out the sheet, whatever the copies: they repeat its page, ADR 0084); larger batches are
# still made by the background worker, so that a slow machine never holds a web worker long.
INLINE_SHEETS = 60


def _store_invitations(batch: InvitationBatch, sheet: str, mark: str) -> bytes:
    pdf = printing.invitation_pdf(batch, sheet)
    previous = batch.pdf.name
    batch.pdf.save(f"{batch.code}.pdf", ContentFile(pdf), save=False)
    InvitationBatch.objects.filter(pk=batch.pk).update(pdf=batch.pdf.name, pdf_fingerprint=mark)
    if previous and previous != batch.pdf.name:
        batch.pdf.storage.delete(previous)
    return pdf


def invitations_pdf(*, by: Any, batch: InvitationBatch) -> bytes | None:
    """Return a batch's PDF: kept while still true, made now when small; a large one is queued
    for the background worker and None is returned until it is ready."""
    if by is not None and not can_print_invitations(by, batch.workshop):
        raise PermissionDenied
    sheet = printing.invitation_sheet(batch)
    mark = printing.fingerprint(batch, sheet)
    if batch.pdf and batch.pdf_fingerprint == mark:
        with batch.pdf.open("rb") as stored:
            kept: bytes = stored.read()
        return kept
    if printing.sheets_of(batch) <= INLINE_SHEETS:
        return _store_invitations(batch, sheet, mark)
    # Asked again while the worker makes it: nothing more is queued.
    asked = InvitationBatch.objects.filter(pk=batch.pk).exclude(pdf_queued_for=mark)
    if asked.update(pdf_queued_for=mark):
        from palabre.workshops.tasks import make_invitations

        transaction.on_commit(lambda: make_invitations.enqueue(batch_id=batch.pk))
    return None


def make_invitations(*, batch_id: int) -> str:
    """Make and keep the PDF of a large batch (the background worker); once per content."""
    batch = InvitationBatch.objects.select_related("workshop").filter(pk=batch_id).first()
    if batch is None:
        return "no such batch"
    sheet = printing.invitation_sheet(batch)
    mark = printing.fingerprint(batch, sheet)
    if batch.pdf and batch.pdf_fingerprint == mark:
        return "up to date"
    _store_invitations(batch, sheet, mark)
    return f"{printing.sheets_of(batch)} sheets made"


def _require_check_in(by: Any, workshop: Workshop) -> None:
    if by is not None and not can_check_in(by, workshop):
        raise PermissionDenied
    if workshop.status == Status.CANCELLED:
        # A phone that ticked arrivals offline sends them after the workshop was cancelled.
        raise WorkshopError(_("This workshop was cancelled: nobody can be counted as present."))


@transaction.atomic
def set_arrival(*, by: Any, registration: Registration, present: bool) -> Registration:
    """Tick someone as arrived, or untick a mistake; ticking twice changes nothing."""
    _require_check_in(by, registration.workshop)  # by=None: the system (paper sheets, demo)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        raise WorkshopError(_("This registration was cancelled."))
    if present and registration.checked_in_at is None:
        registration.checked_in_at = timezone.now()
        if registration.status == RegistrationStatus.WAITING:
            registration.status = RegistrationStatus.CONFIRMED  # came anyway, and got in
    elif not present:
        registration.checked_in_at = None
    registration.save(update_fields=["checked_in_at", "status"])
    return registration


def add_walk_in(
    *,
    by: Any,
    workshop: Workshop,
    name: str,
    email: str = "",
    key: str,
    channel: str = "",
    first_time: bool | None = None,
    arrived_at: datetime | None = None,
) -> Registration:
    """Record someone who came without registering, how they heard of it and whether it is
    their first time (None: not asked); `key` makes a double submit harmless. `arrived_at`:
    when entered afterwards from the paper sheet, the workshop's start."""
    _require_check_in(by, workshop)
    email = email.strip().lower()
    try:
        with transaction.atomic():
            existing = _existing(workshop, email=email, user=None) if email else None
            if existing is not None:
                return set_arrival(by=by, registration=existing, present=True)
            registration = Registration(
                workshop=workshop,
                name=name.strip() or str(_("Anonymous")),
                email=email,
                status=RegistrationStatus.CONFIRMED,
                is_walk_in=True,
                checked_in_at=arrived_at or timezone.now(),
                key=key,
                channel=channel,
                first_time=first_time,
            )
            registration.save()
            return registration
    except IntegrityError:
        # The same form was sent twice: its key is already taken by the first.
        return Registration.objects.get(key=key)


@dataclass(frozen=True)
class SheetLine:
    """One line of the paper sign-in sheet, for someone registered or already ticked."""

    registration_id: int
    present: bool
    first_time: bool | None
    channel: str


@dataclass(frozen=True)
class Newcomer:
    """Someone who wrote their name on the paper sheet without having registered."""

    name: str
    first_time: bool | None
    channel: str
    key: str


def channel_codes(workshop: Workshop) -> set[str]:
    """The channels a person may name: the workshop's invitation batches and HeardElsewhere."""
    return set(workshop.batches.values_list("code", flat=True)) | set(HeardElsewhere.values)


def record_sign_in_sheet(
    *, by: Any, workshop: Workshop, lines: Iterable[SheetLine], newcomers: Iterable[Newcomer]
) -> None:
    """Enter the paper sign-in sheet after the evening, in one go: who came, first time or
    not, how they heard of it; then the names written without a registration. Entering the
    same sheet again changes nothing (the newcomers' keys)."""
    _require_check_in(by, workshop)
    if workshop.starts_at is None or workshop.starts_at > timezone.now():
        raise WorkshopError(_("The sign-in sheet is entered once the workshop has begun."))
    allowed = channel_codes(workshop) | {""}
    with transaction.atomic():
        people = {
            person.pk: person
            for person in workshop.registrations.select_for_update()
            .exclude(status=RegistrationStatus.CANCELLED)
            .filter(pk__in=[line.registration_id for line in lines])
        }
        for line in lines:
            person = people.get(line.registration_id)
            if person is None or line.channel not in allowed:
                continue  # another workshop's registration, a cancelled one or a forged channel
            before = (person.checked_in_at, person.first_time, person.channel, person.status)
            if line.present and person.checked_in_at is None:
                person.checked_in_at = workshop.starts_at
                if person.status == RegistrationStatus.WAITING:
                    person.status = RegistrationStatus.CONFIRMED
            elif not line.present:
                person.checked_in_at = None
            person.first_time, person.channel = line.first_time, line.channel
            if before != (person.checked_in_at, person.first_time, person.channel, person.status):
                person.save(update_fields=["checked_in_at", "first_time", "channel", "status"])
    for newcomer in newcomers:
        if newcomer.channel not in allowed:
            continue
        add_walk_in(
            by=by,
            workshop=workshop,
            name=newcomer.name,
            key=newcomer.key,
            channel=newcomer.channel,
            first_time=newcomer.first_time,
            arrived_at=workshop.starts_at,
        )


class WorkshopConflict(WorkshopError):
    """Someone else changed the workshop since this person opened its form."""


class MinutesConflict(WorkshopError):
    """Someone else saved the minutes since this person opened them."""


def draft_minutes(*, by: Any, workshop: Workshop) -> Minutes:
    """Return the minutes of a held workshop, drafting them from its data the first time."""
    if by is not None and not can_write_minutes(by, workshop):
        raise PermissionDenied
    workshop = Workshop.objects.get(pk=workshop.pk)  # the status as it is now, not as loaded
    if workshop.status not in (Status.HELD, Status.REPORTED):
        raise WorkshopError(_("Minutes are written once the workshop has been held."))
    existing = Minutes.objects.filter(workshop=workshop).first()
    if existing is not None:
        return existing
    figures = attendance_figures(workshop)
    with translation.override(settings.LANGUAGE_CODE):
        # Each figure with its own plural: "1 personne a participé", "2 d'entre elles ont dit".
        took_part = ngettext(
            "%(present)s person took part in this workshop",
            "%(present)s people took part in this workshop",
            figures.present,
        ) % {"present": figures.present}
        first_time = ngettext(
            "%(first)s of them said it was their first time",
            "%(first)s of them said it was their first time",
            figures.first_timers,
        ) % {"first": figures.first_timers}
        introduction = _("%(took_part)s; %(first_time)s. We thank %(host)s for hosting us.") % {
            "took_part": took_part,
            "first_time": first_time,
            "host": ", ".join(p.name for p in workshop.partners.all()) or _("our partners"),
        }
        said = _said_under(workshop)
        started = _started_at(workshop)
    minutes, _created = Minutes.objects.get_or_create(
        workshop=workshop,
        defaults={
            "introduction": introduction,
            "discussion": [
                {"question": question, "notes": said.get(question, "")}
                for question in workshop.guiding_questions
            ],
            "next_steps": started,
            "updated_by": by,
        },
    )
    return minutes


# What higher apps record about a workshop is read through the relations they declare on it
# (`workshop.contributions`, `.requests`, `.initiatives`): the draft is composed here without
# importing them.


def _said_under(workshop: Workshop) -> dict[str, str]:
    """The notes captured under each guiding question, as shown to the public (masked), grouped
    by theme in the taxonomy's order, those without a theme last: the draft the facilitator
    edits before publishing. Deleted and hidden notes stay out."""
    notes = (
        workshop.contributions.exclude(status="hidden")
        .prefetch_related("themes")
        .order_by("created_at", "pk")
    )
    # By (no theme?, the theme's position, its name): the notes without a theme come last.
    grouped: dict[str, dict[tuple[bool, int, str], list[str]]] = {}
    for note in notes:
        themes = sorted(note.themes.all(), key=lambda theme: (theme.position, theme.name))
        key = (False, themes[0].position, themes[0].name) if themes else (True, 0, "")
        line = f"– {note.public_text}" + (f" ({note.table_label})" if note.table_label else "")
        grouped.setdefault(note.question, {}).setdefault(key, []).append(line)
    return {
        question: "\n\n".join(
            "\n".join(
                [
                    (name[:1].upper() + name[1:]) if name else pgettext("notes", "Without a theme"),
                    *lines,
                ]
            )
            for (_none, _position, name), lines in sorted(by_theme.items())
        )
        for question, by_theme in grouped.items()
    }


def _started_at(workshop: Workshop) -> str:
    """The citizen actions and requests to the city started from the workshop, one a line."""
    lines = [
        _("Citizen action: %(title)s") % {"title": initiative.title}
        for initiative in workshop.initiatives.order_by("pk")
    ] + [
        _("Request to the city: %(title)s") % {"title": request.title}
        for request in workshop.requests.order_by("pk")
    ]
    return "\n".join(f"– {line}" for line in lines)


@transaction.atomic
def save_minutes(
    *,
    by: Any,
    minutes: Minutes,
    version: int,
    introduction: str,
    notes: list[str],
    decisions: str,
    next_steps: str,
    publish: bool,
) -> Minutes:
    """Save edited minutes unless someone saved in between; publishing reports the workshop."""
    if by is not None and not can_write_minutes(by, minutes.workshop):
        raise PermissionDenied
    questions = [part["question"] for part in minutes.discussion]
    updated = update_if_version(
        Minutes,
        minutes.pk,
        version,
        introduction=introduction.strip(),
        discussion=[
            {"question": question, "notes": text.strip()}
            for question, text in zip(questions, notes, strict=True)
        ],
        decisions=decisions.strip(),
        next_steps=next_steps.strip(),
        updated_at=timezone.now(),
        updated_by=by,
    )
    if not updated:
        # The version guard, not a read-then-write check, closes the race between two editors.
        raise MinutesConflict(
            _(
                "Someone saved these minutes while you were editing. Your text is kept below: "
                "compare it with theirs, then save again."
            )
        )
    minutes.refresh_from_db()
    if publish and minutes.published_at is None:
        minutes.published_at = timezone.now()
        minutes.save(update_fields=["published_at"])
        workshop = Workshop.objects.select_for_update().get(pk=minutes.workshop_id)
        if workshop.status == Status.HELD:
            workshop.status = Status.REPORTED
            workshop.save(update_fields=["status"])
    return minutes


def _reminder_time(workshop: Workshop) -> datetime | None:
    if workshop.starts_at is None:
        return None
    return workshop.starts_at - timedelta(days=settings.REMINDER_DAYS_BEFORE)


def _start_key(workshop: Workshop) -> str:
    return workshop.starts_at.isoformat() if workshop.starts_at else ""


def _reachable(registration: Registration) -> bool:
    """Whether a reminder can reach the registrant: an email, or a phone and SMS configured."""
    return bool(registration.email or (registration.phone and sms_configured()))


def schedule_reminder(registration: Registration) -> None:
    """Queue the reminder of a registration with an email (or a phone when SMS are configured),
    to run two days before."""
    from palabre.workshops.tasks import send_reminder

    when = _reminder_time(registration.workshop)
    if not _reachable(registration) or when is None or when <= timezone.now():
        return  # nobody to write to, or registering so late that a reminder would be noise
    # The job carries the start it reminds of: after a move, it knows it is stale.
    transaction.on_commit(
        partial(
            send_reminder.using(run_after=when).enqueue,
            registration_id=registration.pk,
            starts_at=_start_key(registration.workshop),
        )
    )


def _reschedule_reminders(workshop: Workshop) -> None:
    """Queue new reminders for a workshop whose start moved (the old jobs find it moved)."""
    when = _reminder_time(workshop)
    if when is None or when <= timezone.now():
        return
    registrations = workshop.registrations.filter(ACTIVE)
    if not sms_configured():
        registrations = registrations.exclude(email="")
    # Whoever was reminded of the old date is reminded of the new one.
    registrations.update(reminded_at=None)
    for registration in registrations.select_related("workshop"):
        schedule_reminder(registration)


def deliver_reminder(*, registration_id: int, starts_at: str = "") -> str:
    """Send a due reminder once; a job queued for a start that moved sends nothing."""
    from palabre.workshops.tasks import send_reminder

    registration = (
        Registration.objects.select_related("workshop__venue", "user")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.reminded_at is not None:
        return "nothing to do"
    workshop = registration.workshop
    if registration.status != RegistrationStatus.CONFIRMED or workshop.status != Status.ANNOUNCED:
        return "no longer relevant"
    when = _reminder_time(workshop)
    now = timezone.now()
    if when is None or workshop.starts_at is None or workshop.starts_at <= now:
        return "too late"
    # Compared as instants: the same start may be written in another time zone.
    stale = bool(starts_at) and datetime.fromisoformat(starts_at) != workshop.starts_at
    if when > now + timedelta(hours=1):
        # Moved later since this job was queued (plan_workshop queued its own as well; only
        # one of them can claim the reminder below).
        send_reminder.using(run_after=when).enqueue(
            registration_id=registration_id, starts_at=_start_key(workshop)
        )
        return "rescheduled"
    if stale:
        return "moved"  # the job queued with the move reminds of the new start
    if not registration.email:
        if not _reachable(registration):
            return "no way to reach"  # SMS were switched off since it was queued
        # Claimed and queued together, as for an email below.
        with transaction.atomic():
            claimed = Registration.objects.filter(pk=registration_id, reminded_at=None).update(
                reminded_at=now
            )
            if not claimed:
                return "already sent"
            _text_later(template="reminder.txt", registration=registration)
        return "queued"
    with translation.override(_language_of(registration)):
        subject = _("Reminder: %(title)s") % {"title": workshop.local_title}
        body = render_to_string(
            "workshops/email/reminder.txt",
            {
                "registration": registration,
                "workshop": workshop,
                "registration_url": _absolute(
                    reverse("workshops:registration", kwargs={"token": registration.token})
                ),
            },
        )
    # Claimed and queued together: of two jobs for the same start, the UPDATE lets one through;
    # the outbox sends the email and tries again if the mail server fails.
    with transaction.atomic():
        claimed = Registration.objects.filter(pk=registration_id, reminded_at=None).update(
            reminded_at=now
        )
        if not claimed:
            return "already sent"
        queue_mail(
            to=[registration.email],
            subject=subject,
            body=body,
            kind="reminder",
            language=_language_of(registration),
        )
    return "queued"


# A speaker as given: (name, role or organisation) or (name, role, city they come from).
SpeakerGiven = tuple[str, str] | tuple[str, str, str]


def _speakers_of(session: Session, speakers: Iterable[SpeakerGiven]) -> None:
    session.speakers.all().delete()
    Speaker.objects.bulk_create(
        Speaker(
            session=session,
            name=given[0],
            affiliation=given[1],
            city=given[2] if len(given) > 2 else "",
            position=position,
        )
        for position, given in enumerate(speakers)
    )


def _saved_session(session: Session) -> Session:
    same = _("This session is already in the programme, at this time with this title.")
    try:
        session.full_clean()
    except ValidationError as error:
        codes = {each.code for each in error.error_dict.get(NON_FIELD_ERRORS, [])}
        if codes & {"unique", "unique_together"}:
            raise WorkshopError(same) from None
        raise
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:  # the same session saved by another request in between
        raise WorkshopError(same) from None
    return session


@transaction.atomic
def add_session(
    *, by: Any, workshop: Workshop, session: Session, speakers: Iterable[SpeakerGiven] = ()
) -> Session:
    """Add a session, with its speakers (name, role or organisation, and the city they come
    from if said), to an event; the same session sent twice is refused (one title per
    start)."""
    _require_manager(by)
    session.workshop = workshop
    _speakers_of(_saved_session(session), speakers)
    return session


@transaction.atomic
def save_session(*, by: Any, session: Session, speakers: Iterable[SpeakerGiven] = ()) -> Session:
    """Change a session of the programme and replace its speakers."""
    _require_manager(by)
    _speakers_of(_saved_session(session), speakers)
    return session


def set_session_texts(
    *, by: Any, session: Session, translations: dict[str, dict[str, Any]]
) -> Session:
    """Save the service's translations of a session's title, room and description (written in
    its event's language). Empty translations are dropped: the original is shown instead."""
    _require_manager(by)
    session.translations = kept_translations(
        translations, original=session.language, fields=TRANSLATED_SESSION_FIELDS
    )
    session.save(update_fields=["translations"])
    return session


@transaction.atomic
def remove_session(*, by: Any, session: Session) -> None:
    """Take a session and its speakers out of the programme (twice changes nothing)."""
    _require_manager(by)
    Session.objects.filter(pk=session.pk).delete()
