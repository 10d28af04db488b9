from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palabre.core.translations import Text, page_language, text_in

# The texts of a request the service may translate (its answer is the addressee's).
TRANSLATED_FIELDS = ("title", "asked", "why")


# The language of the page someone is using (the city's outside a request): the language of the
# text they write there, shown with its `lang` to readers of other languages. Named here for the
# migrations that use it as a default.
active_language = page_language


class ClosedDay(models.Model):
    """A day the administration is closed: not counted in working-day deadlines."""

    day = models.DateField(_("day"), unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["day"]
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name}"


class PresetYear(models.Model):
    """A year whose legal holidays and usual closures were written into the calendar, once: the
    city's edits afterwards (a closure added or removed) stand."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("preset year")
        verbose_name_plural = _("preset years")

    def __str__(self) -> str:
        return str(self.year)


class Department(models.Model):
    """A city department (service communal) with its portfolio of competences."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    competences = models.ManyToManyField(
        "accounts.Competence", verbose_name=_("competences"), blank=True, related_name="departments"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="departments"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    DRAFTED = "drafted", _("Drafted")
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Receipt confirmed")
    ANSWERED = "answered", _("Answered")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class AnswerKind(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PLANNED = "planned", _("Planned")
    UNDER_STUDY = "under_study", _("Under study")
    REFUSED = "refused", _("Refused")
    NOT_COMPETENT = "not_competent", _("Not our responsibility")


class ReceivedVia(models.TextChoices):
    EMAIL = "email", _("by email")
    LETTER = "letter", _("by letter")
    PHONE = "phone", _("by phone")
    MEETING = "meeting", _("in a meeting")


class Request(models.Model):
    """A request (demande) relayed from residents to an official or a department."""

    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood", on_delete=models.PROTECT, related_name="requests"
    )
    title = models.CharField(_("title"), max_length=200)
    asked = models.TextField(_("what is asked"))
    why = models.TextField(_("why"), blank=True)
    themes = models.ManyToManyField(
        "contributions.Theme", verbose_name=_("themes"), blank=True, related_name="requests"
    )
    # The evidence: what residents said; each contribution shows what came of it.
    contributions = models.ManyToManyField(
        "contributions.Contribution",
        verbose_name=_("contributions"),
        blank=True,
        related_name="requests",
    )
    # Statements of opinion conversations it rests on: the page shows how many opinion groups
    # mostly agree with them (palabre.conversations.bridging), not how many votes.
    statements = models.ManyToManyField(
        "conversations.Statement",
        verbose_name=_("statements of opinion conversations"),
        blank=True,
        related_name="requests",
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("workshop where it was agreed"),
    )
    # Support asked for a citizen action (a permit, an equipment loan, a service).
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="support_requests",
        verbose_name=_("citizen action"),
    )
    residents_present = models.PositiveSmallIntegerField(
        _("residents present"), null=True, blank=True
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests_addressed",
        verbose_name=_("official"),
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("department"),
    )
    # The language the service wrote the title, what is asked and why in (their `lang`), and
    # the translations it gave of them: {"nl": {"title": ..., "asked": ..., "why": ...}}
    # (TRANSLATED_FIELDS; a text without translation shows the original, palabre.core.translations).
    language = models.CharField(max_length=5, default=active_language)
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFTED)
    answer_kind = models.CharField(_("answer"), max_length=20, choices=AnswerKind, blank=True)
    answer_text = models.TextField(_("written answer"), blank=True)
    answer_language = models.CharField(max_length=5, default=active_language)
    # Empty: written in Palabre by the addressee. Otherwise the addressee answered outside
    # Palabre and the service recorded it (with a scan or photo of the document, if any).
    answer_received_via = models.CharField(
        _("answer received"), max_length=20, choices=ReceivedVia, blank=True
    )
    answer_document = models.ImageField(
        _("scan or photo of the answer"), upload_to="requests/answers/", blank=True
    )
    planned_for = models.DateField(_("planned for"), null=True, blank=True)
    # Whom the answer is from (who had the request when it was answered: after a delegation,
    # the department, not the official it was first sent to) and who wrote it (a department's
    # member, or the service recording an answer received outside Palabre).
    answer_from_official = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer_from_department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    acknowledge_by = models.DateField(_("acknowledgement due"), null=True, blank=True)
    answer_by = models.DateField(_("answer due"), null=True, blank=True)
    # Bumped by every change of the answer: two people answering at once see a conflict.
    version = models.PositiveIntegerField(default=1)
    # A duplicate merged into another request: its evidence, themes and followers moved there.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("request to officials")
        verbose_name_plural = _("requests to officials")
        indexes = [models.Index(fields=["-sent_at", "-id"], name="request_tracker_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=Status.DRAFTED)
                | Q(official__isnull=False)
                | Q(department__isnull=False),
                name="request_sent_has_an_addressee",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[Status.DRAFTED, Status.SENT, Status.ACKNOWLEDGED])
                | ~Q(answer_kind=""),
                name="request_answered_has_an_answer",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="request_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def local_title(self) -> Text:
        """The title in the language of the page or message being made, where translated."""
        return text_in(self, "title")

    @property
    def answer_from(self) -> Any:
        """Whom the answer is from: the official or department that had it when answered."""
        return self.answer_from_official or self.answer_from_department


class EventKind(models.TextChoices):
    STATUS = "status", _("Status changed")
    REDIRECTED = "redirected", _("Redirected")
    NOTE = "note", _("Note")
    MERGED = "merged", _("Merged with a request asking the same thing")
    QUESTION = "question", _("Question to the neighbourhood")
    UPDATE = "update", _("Progress update")


class Progress(models.TextChoices):
    """What a progress update says, besides its words."""

    NEWS = "news", _("News")
    STARTED = "started", _("The work has started")
    DONE = "done", _("It is done")


class Event(models.Model):
    """One dated step of a request; public unless it is a private note of the service."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind, default=EventKind.STATUS)
    status = models.CharField(max_length=20, choices=Status, blank=True)
    note = models.TextField(blank=True)
    is_public = models.BooleanField(default=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    # Sent or redirected: who has the request from this step on (how long each holder kept it).
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A progress update's photo (the works started, what was done), cleaned of its metadata.
    photo = models.ImageField(upload_to="requests/updates/", blank=True)
    language = models.CharField(max_length=5, default=active_language)  # of `note`

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} {self.status}"


class Reply(models.Model):
    """A resident's reply to a question the addressee asked the neighbourhood: written online
    (with or without an account), or on paper at a workshop and typed in by its facilitator.
    Shown without a name (the question is about the neighbourhood, not about who answers)."""

    question = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField(_("reply"))
    language = models.CharField(max_length=5)  # the page's language: the text's `lang`
    # An account's reply (its owner's data: export, erasure); never shown.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_paper = models.BooleanField(default=False)
    workshop = models.ForeignKey(
        "workshops.Workshop", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    typed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The form's submission key and the reply's place in it (several paper replies are typed
    # at once): the same form sent twice saves nothing twice.
    key = models.CharField(max_length=64)
    position = models.PositiveSmallIntegerField(default=0)
    hidden_at = models.DateTimeField(null=True, blank=True)  # taken down by the service
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reply to a question")
        verbose_name_plural = _("replies to a question")
        constraints = [
            models.UniqueConstraint(fields=["key", "position"], name="one_reply_per_submission"),
            models.CheckConstraint(
                condition=Q(on_paper=True) | Q(workshop__isnull=True, typed_by__isnull=True),
                name="reply_workshop_only_on_paper",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.text[:40]}"


class CabinetMember(models.Model):
    """A collaborator of an elected official's cabinet: reads the official's requests, drafts
    answers for the official to approve, and publishes them in the official's name only when
    the official allows it (`may_publish`)."""

    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cabinet"
    )
    collaborator = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cabinet_membership"
    )
    may_publish = models.BooleanField(
        _("may publish answers in the official's name"), default=False
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("cabinet collaborator")
        verbose_name_plural = _("cabinet collaborators")
        constraints = [
            models.CheckConstraint(
                condition=~Q(official=models.F("collaborator")), name="cabinet_not_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.collaborator_id} → {self.official_id}"


class AnswerDraft(models.Model):
    """An answer a cabinet collaborator prepared, waiting for the official's approval (one per
    request: a new draft replaces the previous one)."""

    request = models.OneToOneField(Request, on_delete=models.CASCADE, related_name="answer_draft")
    kind = models.CharField(_("answer"), max_length=20, choices=AnswerKind)
    text = models.TextField(_("written answer"))
    planned_for = models.DateField(_("planned for"), null=True, blank=True)
    what_changed = models.TextField(_("what changed"), blank=True)  # drafting a revision
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"


class Notice(models.Model):
    """A deadline reminder or escalation that was sent: at most one of each (the constraint
    makes a retried or doubled task send nothing twice)."""

    class Step(models.TextChoices):
        ACKNOWLEDGE = "acknowledge", _("Acknowledgement")
        ANSWER = "answer", _("Answer")

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder before the deadline")
        ESCALATION = "escalation", _("Escalation after the deadline")

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="notices")
    step = models.CharField(max_length=20, choices=Step)
    kind = models.CharField(max_length=20, choices=Kind)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "step", "kind"], name="one_notice_each"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.step} {self.kind}"


class Nudge(models.Model):
    """A reminder the service sent by hand ("remind" on the Monday page): at most one per request,
    step and day, so a double click or a second coordinator sends nothing twice."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="nudges")
    step = models.CharField(max_length=20, choices=Notice.Step)
    sent_on = models.DateField(default=timezone.localdate)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "step", "sent_on"], name="one_nudge_per_step_and_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.step} {self.sent_on}"


class Follower(models.Model):
    """A person following a request: told of each answer (one row per person)."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "user"], name="one_follow_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}/{self.user_id}"


class ContactFollower(models.Model):
    """Someone who follows a request without an account, by email or by text message: told of
    its news once they confirmed through their private link (nobody is subscribed by another
    person typing their address), until they stop there or reply STOP."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="contacts")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)  # E.164
    language = models.CharField(max_length=5)
    link = models.OneToOneField("links.AccessLink", on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(email="") & ~Q(phone="")) | (~Q(email="") & Q(phone="")),
                name="contact_follower_email_or_phone",
            ),
            models.UniqueConstraint(
                fields=["request", "email"],
                condition=~Q(email=""),
                name="one_email_follow_per_request",
            ),
            models.UniqueConstraint(
                fields=["request", "phone"],
                condition=~Q(phone=""),
                name="one_phone_follow_per_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.email or self.phone}"


class AnswerTemplate(models.Model):
    """A ready answer officials start from (kept by the service on /demandes/modeles/)."""

    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("answer"), max_length=20, choices=AnswerKind)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["title"]
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")
        constraints = [
            # Officials pick a template by its title: two alike would be a guess (and a double
            # submit of the "add" form adds nothing twice).
            models.UniqueConstraint(Lower("title"), name="one_answer_template_per_title"),
        ]

    def __str__(self) -> str:
        return self.title
