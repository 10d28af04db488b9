from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from palabre.core import phones
from palabre.core.translations import Text, text_in

# The five questions of the Namur pilot, the default guide of every workshop.
DEFAULT_GUIDING_QUESTIONS = [
    "Comment vivez-vous votre quartier\u00a0?",
    "Que signifie pour vous «\u00a0bien vivre ensemble\u00a0»\u00a0?",
    "Que faudrait-il pour y arriver\u00a0?",
    "Comment créer du lien entre les habitants\u00a0?",
    "Êtes-vous prêt·e à vous investir dans votre quartier\u00a0?",
]


def default_guiding_questions() -> list[str]:
    return list(DEFAULT_GUIDING_QUESTIONS)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Cycle(models.Model):
    """A year of workshops across several neighbourhoods (e.g. "2027")."""

    slug = models.SlugField(_("short name in addresses"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    workshops_per_neighbourhood = models.PositiveSmallIntegerField(
        _("workshops planned per neighbourhood"), default=3
    )
    neighbourhoods = models.ManyToManyField(
        "neighbourhoods.Neighbourhood", verbose_name=_("neighbourhoods"), related_name="cycles"
    )
    # The cycle this one was copied from (actions.duplicate_cycle): a retried copy finds it.
    duplicated_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="cycle_ends_after_it_starts",
                violation_error_message=_("A cycle cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workshops:planning", kwargs={"slug": self.slug})


TRANSLATED_FIELDS = ("title", "theme", "description", "guiding_questions")


@dataclass(frozen=True)
class Texts:
    title: Text
    theme: Text
    description: Text
    guiding_questions: Text


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Neighbourhood workshop")
    ROUND_TABLE = "round_table", _("Round table")
    SYMPOSIUM = "symposium", _("Symposium")


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ANNOUNCED = "announced", _("Announced")
    HELD = "held", _("Held")
    REPORTED = "reported", _("Reported")
    CANCELLED = "cancelled", _("Cancelled")


PUBLIC_STATUSES = (Status.ANNOUNCED, Status.HELD, Status.REPORTED, Status.CANCELLED)


class Workshop(models.Model):
    """A workshop in a neighbourhood, or a city-wide round table or symposium."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="workshops"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind, default=EventKind.WORKSHOP)
    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood",
        verbose_name=_("neighbourhood"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workshops",
    )
    venue = models.ForeignKey(
        "neighbourhoods.Venue",
        verbose_name=_("venue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workshops",
    )
    partners = models.ManyToManyField(
        "neighbourhoods.Partner", verbose_name=_("partners"), blank=True, related_name="workshops"
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitators"),
        blank=True,
        related_name="facilitated_workshops",
    )
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity (people)"), default=40)
    guiding_questions = models.JSONField(_("guiding questions"), default=default_guiding_questions)
    # The language the service wrote the texts above in, and their translations for flyers and
    # pages in the other languages: {"nl": {"title": ..., "theme": ..., "description": ...,
    # "guiding_questions": [...]}} (TRANSLATED_FIELDS; a missing text shows the original).
    language = models.CharField(
        _("language of the texts"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    # An optional photo or illustration for the invitations (re-encoded without metadata).
    photo = models.ImageField(_("photo"), upload_to="workshops/photos/%Y/", blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    # The key the planning form carried: a form sent twice plans one workshop.
    creation_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # Raised by every change from the planning form: two editors cannot overwrite each other.
    version = models.PositiveIntegerField(default=1)
    # When it was recorded as held: the service may undo that the same day.
    held_at = models.DateTimeField(_("recorded as held at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="workshop_capacity_positive"),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="workshop_ends_after_it_starts",
                violation_error_message=_("A workshop must end after it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=EventKind.WORKSHOP) | Q(neighbourhood__isnull=False),
                name="workshop_has_a_neighbourhood",
                violation_error_message=_("A neighbourhood workshop needs its neighbourhood."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=[Status.PLANNED, Status.CANCELLED])
                | Q(venue__isnull=False, starts_at__isnull=False, ends_at__isnull=False),
                name="announced_workshop_has_venue_and_date",
                violation_error_message=_(
                    "A workshop needs a venue, a date and a time before it is announced."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.CANCELLED) | ~Q(cancellation_reason=""),
                name="cancelled_workshop_has_a_reason",
                violation_error_message=_("Say why the workshop is cancelled."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workshops:detail", kwargs={"pk": self.pk})

    def texts_in(self, language: str | None = None) -> Texts:
        """The title, theme, description and questions to show in `language` (by default the
        language of the page or email being made), each with the language it is really in (the
        original where no translation was written)."""
        return Texts(**{name: text_in(self, name, language) for name in TRANSLATED_FIELDS})

    @property
    def local_title(self) -> Text:
        """The title in the language of the page or email being made, where translated."""
        return self.texts_in().title

    @property
    def held_today(self) -> bool:
        """Recorded as held today: the service may still undo it."""
        return (
            self.status == Status.HELD
            and self.held_at is not None
            and timezone.localdate(self.held_at) == timezone.localdate()
        )

    @property
    def is_open_for_registration(self) -> bool:
        return self.status == Status.ANNOUNCED and (
            self.starts_at is None or self.starts_at > timezone.now()
        )


class HeardElsewhere(models.TextChoices):
    """How people heard of a workshop other than through one of its invitation batches."""

    WORD_OF_MOUTH = "word_of_mouth", _("Word of mouth (a neighbour, a friend)")
    PARTNER = "partner", _("Through a partner organisation")
    SOCIAL_MEDIA = "social_media", _("Social media")
    OTHER = "other", _("Another way")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")


ACTIVE = Q(status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING])


class Registration(models.Model):
    """Someone coming to a workshop, with or without an account; contact details stay private."""

    workshop = models.ForeignKey(Workshop, on_delete=models.PROTECT, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    name = models.CharField(_("name or nickname"), max_length=100)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    needs_childcare = models.BooleanField(_("childcare"), default=False)
    needs_step_free_access = models.BooleanField(_("step-free access"), default=False)
    needs_hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    interpretation_language = models.CharField(_("interpretation into"), max_length=50, blank=True)
    # Where the person lives, asked only for an event open to other cities (palabre.network):
    # blank for this city (or when not asked), else the name of a followed city as it was when
    # they registered, or "elsewhere" (forms.HOME_ELSEWHERE).
    home_city = models.CharField(_("lives in"), max_length=150, blank=True)
    status = models.CharField(max_length=20, choices=RegistrationStatus)
    # The private link to this registration (none for a walk-in); never found by email.
    link = models.OneToOneField(
        "links.AccessLink", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The key the server put in the form: a double submit or a retry finds the first save.
    key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # How the person heard of the workshop: an invitation batch's code (the QR code, or the
    # channel a walk-in named) or one of HEARD_ELSEWHERE.
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    # What the person answered to "first time?" at the door or on the paper sheet (None: not
    # asked); a returning resident without email is recognised this way.
    first_time = models.BooleanField(_("first time"), null=True, blank=True)
    is_walk_in = models.BooleanField(_("came without registering"), default=False)
    checked_in_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # The same person registering twice gets their first registration back.
            models.UniqueConstraint(
                "workshop",
                Lower("email"),
                condition=ACTIVE & ~Q(email=""),
                name="one_active_registration_per_email",
            ),
            models.UniqueConstraint(
                fields=["workshop", "user"],
                condition=ACTIVE & Q(user__isnull=False),
                name="one_active_registration_per_account",
            ),
        ]
        indexes = [
            # Figures recognise a returning person by the email of an earlier presence
            # (queries._counted): without it, each registration reads all the others (5.8 s
            # for the generated city's workshop figures, 0.1 s with it; docs/scale.md).
            models.Index(
                fields=["email"],
                condition=Q(checked_in_at__isnull=False) & ~Q(email=""),
                name="registration_present_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"

    @property
    def token(self) -> str:
        return self.link.token if self.link else ""

    @property
    def readable_phone(self) -> str:
        """The number as people write it (stored in E.164 since ADR 0057; older ones as typed)."""
        return phones.readable(self.phone) if self.phone.startswith("+") else self.phone

    def needs(self) -> list[str]:
        """Return the labels of what this person needs to take part, in the active language."""
        labels: list[Any] = []
        if self.needs_childcare:
            labels.append(_("childcare"))
        if self.needs_step_free_access:
            labels.append(_("step-free access"))
        if self.needs_hearing_loop:
            labels.append(_("hearing loop"))
        if self.interpretation_language:
            labels.append(
                _("interpretation into %(language)s") % {"language": self.interpretation_language}
            )
        # Plain strings: a text email (autoescape off) joins them with str.join, which refuses
        # lazy translations (the |join filter then printed the list itself, brackets and all).
        return [str(label) for label in labels]


class PrintFormat(models.TextChoices):
    FLYER_A5 = "a5", _("Flyer, A5")
    FLYER_A4 = "a4", _("Flyer, A4")
    POSTER_A3 = "a3", _("Poster, A3")
    LETTERBOX_2 = "a4x2", _("Letterbox flyers, 2 per A4 sheet")
    LETTERBOX_4 = "a4x4", _("Letterbox flyers, 4 per A4 sheet")


def new_code() -> str:
    # Short, unambiguous, easy to type from paper: no 0/o, 1/l/i.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(6))


class InvitationBatch(models.Model):
    """A printed batch of invitations for one channel; its short code tells who came by it."""

    workshop = models.ForeignKey(Workshop, on_delete=models.PROTECT, related_name="batches")
    code = models.CharField(_("short code"), max_length=12, unique=True, default=new_code)
    label = models.CharField(_("channel"), max_length=100)
    print_format = models.CharField(_("format"), max_length=10, choices=PrintFormat)
    copies = models.PositiveIntegerField(_("copies"), default=1)
    language = models.CharField(_("language"), max_length=5, default="fr")
    created_at = models.DateTimeField(default=timezone.now)
    # The last PDF made, and what it shows: reused while the fingerprint holds (large batches
    # are made by the background worker, never inside a request).
    pdf = models.FileField(upload_to="invitations/", blank=True)
    pdf_fingerprint = models.CharField(max_length=64, blank=True)
    # What the worker was last asked to make: asking again while it works queues nothing.
    pdf_queued_for = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("invitation batch")
        verbose_name_plural = _("invitation batches")
        constraints = [
            # Printing the same channel again reuses its code, so counts stay per channel.
            models.UniqueConstraint(
                fields=["workshop", "label", "print_format", "language"],
                name="one_batch_per_channel_format_language",
            ),
            models.CheckConstraint(
                condition=Q(copies__gte=1, copies__lte=5000), name="batch_copies_1_to_5000"
            ),
            # A format and a language the printing knows, whoever calls the action.
            models.CheckConstraint(
                condition=Q(print_format__in=PrintFormat.values), name="batch_known_format"
            ),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="batch_site_language",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"


class Minutes(models.Model):
    """The compte-rendu of a held workshop: drafted from its data, edited, then published."""

    workshop = models.OneToOneField(Workshop, on_delete=models.PROTECT, related_name="minutes")
    introduction = models.TextField(_("introduction"), blank=True)
    discussion = models.JSONField(_("what was said, question by question"), default=list)
    decisions = models.TextField(_("decisions"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(self.workshop)

    def get_absolute_url(self) -> str:
        return reverse("workshops:minutes", kwargs={"pk": self.workshop_id})


# The texts of a session the service translates (into Session.translations).
TRANSLATED_SESSION_FIELDS = ("title", "room", "description")


class Session(models.Model):
    """One part of a round table or symposium, with its speakers."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    # The service's translations of the texts above, which are in the event's language:
    # {"nl": {"title": ..., "room": ..., "description": ...}} (TRANSLATED_SESSION_FIELDS; a
    # missing text shows the original).
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_it_starts",
                violation_error_message=_("A session must end after it starts."),
            ),
            # The "add" form sent twice adds one session.
            models.UniqueConstraint(
                fields=["workshop", "starts_at", "title"], name="one_session_per_title_and_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def language(self) -> str:
        """The language the session's texts are in: its event's (sessions read through
        `workshop.sessions` know their event without a query)."""
        return self.workshop.language


class Speaker(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=150)
    affiliation = models.CharField(
        _("role or organisation"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 'Échevine de la cohésion sociale' or 'Sociologist, UNamur'."),
    )
    # The city the speaker comes from, as typed ("Liège"); blank: not said. Shown after the
    # name, linked to that city's site when this city follows it (palabre.network).
    city = models.CharField(_("city they come from"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name
