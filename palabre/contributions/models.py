from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 2000


class Theme(models.Model):
    """One theme of the taxonomy the coordinator edits (cadre de vie, propreté, ...)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    WORKSHOP = "workshop", _("Said at a workshop")
    ONLINE = "online", _("Written online")
    PAPER = "paper", _("Copied from paper")


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting for a moderator")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden")


class Moderation(models.TextChoices):
    PRE = "pre", _("Before publication (pre-moderation)")
    POST = "post", _("After publication (post-moderation)")


class Reason(models.TextChoices):
    INSULT = "insult", _("Insult or personal attack")
    PERSONAL_DATA = "personal_data", _("Personal data")
    OFF_TOPIC = "off_topic", _("Off-topic")
    DUPLICATE = "duplicate", _("Duplicate")
    SPAM = "spam", _("Spam or advertising")
    WITHDRAWN = "withdrawn", _("Deleted by whoever noted it")


class Board(models.Model):
    """A neighbourhood's online expression board and how its contributions are moderated."""

    neighbourhood = models.OneToOneField(
        "neighbourhoods.Neighbourhood",
        on_delete=models.CASCADE,
        related_name="board",
        verbose_name=_("neighbourhood"),
    )
    is_open = models.BooleanField(
        _("open to residents"),
        default=False,
        help_text=_("Residents post online, with or without an account, while it is open."),
    )
    moderation = models.CharField(
        _("moderation"),
        max_length=10,
        choices=Moderation,
        default=Moderation.PRE,
        help_text=_("Applies to everything said in this neighbourhood, online or not."),
    )
    trust_facilitators = models.BooleanField(
        _("facilitators' notes published at once"),
        default=False,
        help_text=_(
            "What the facilitators of the neighbourhood's workshops note there is published at "
            "once, still masked; everything else follows the moderation."
        ),
    )
    prompt = models.CharField(
        _("question shown on the board"),
        max_length=300,
        blank=True,
        help_text=_("For example: What would make life better in your street?"),
    )
    # The language the question is written in, and the service's translations of it:
    # {"nl": {"prompt": ...}} (palabre.core.translations; none shows the original).
    language = models.CharField(
        _("language of the question"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        verbose_name = _("expression board")
        verbose_name_plural = _("expression boards")

    def __str__(self) -> str:
        return str(self.neighbourhood)


class Photo(models.Model):
    """A photo of a paper expression board or of what was written on it (metadata removed)."""

    image = models.ImageField(_("photo"), upload_to="contributions/%Y/")
    description = models.CharField(
        _("description"),
        max_length=300,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Handwriting cannot be masked: a photo stays private (staff only) until a moderator, having
    # blurred what must not be read, publishes it.
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Bumped at each blur: two moderators blurring at once cannot undo each other's areas, and
    # the address the pages use changes, so no browser keeps showing the unblurred image.
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.description


class Passage(NamedTuple):
    """A piece of what was said: plain text (no position) or detected personal data."""

    text: str
    position: int | None = None  # in `personal_data`
    kind: str = ""
    state: str = ""  # "masked" (automatically), "confirmed" or "shown"

    @property
    def is_masked(self) -> bool:
        return self.state in ("masked", "confirmed")


def cut(text: str, personal_data: Sequence[dict[str, Any]]) -> list[Passage]:
    """Cut `text` at the (sorted, disjoint) spans of `personal_data`; empty passages dropped."""
    passages, last = [], 0
    for index, item in enumerate(personal_data):
        passages.append(Passage(text[last : item["start"]]))
        passages.append(
            Passage(text[item["start"] : item["end"]], index, item["kind"], item["state"])
        )
        last = item["end"]
    passages.append(Passage(text[last:]))
    return [passage for passage in passages if passage.text]


class Contribution(models.Model):
    """Something a resident said or wrote; never deleted, only hidden with a reason.

    `text` is what was said, kept for the record; `public_text` is what others read: the same
    text with the personal data listed in `personal_data` masked, unless a moderator showed it.
    """

    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood", on_delete=models.PROTECT, related_name="contributions"
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    question = models.CharField(_("guiding question"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source)
    text = models.TextField(_("what was said"))
    public_text = models.TextField(_("text shown"))
    # [{"start": int, "end": int, "kind": "phone"|"email"|"address"|"name",
    #   "state": "masked"|"confirmed"|"shown"}, ...] over `text`, sorted and disjoint.
    personal_data = models.JSONField(default=list, blank=True)
    # Stems of `public_text` (Snowball French, accents folded), space-separated, for search.
    search_stems = models.TextField(default="", blank=True)
    photo = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.PROTECT, related_name="contributions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    author_name = models.CharField(
        _("nickname"), max_length=100, blank=True, help_text=_("Empty means anonymous.")
    )
    table_label = models.CharField(_("table or group"), max_length=50, blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="contributions"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason"), max_length=20, choices=Reason, blank=True)
    hidden_note = models.TextField(_("explanation for the author"), blank=True)
    # Private: lets an author without an account follow their contribution and be told of news.
    link = models.OneToOneField(
        "links.AccessLink", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contact_email = models.EmailField(_("email (private)"), blank=True)
    # The key the capture form carried: a retried or doubled submit finds its first save.
    submission_key = models.CharField(max_length=64, unique=True)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(
                condition=Q(GreaterThanOrEqual(Length("text"), 1))
                & Q(LessThanOrEqual(Length("text"), MAX_LENGTH)),
                name="contribution_text_length",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.HIDDEN) | ~Q(hidden_reason=""),
                name="contribution_hidden_has_reason",
            ),
        ]
        indexes = [
            # The moderation queue (queries.moderation_queue) among a city's contributions: a
            # few hundred rows waiting, found without reading the hundreds of thousands read.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(status=Status.PENDING) | Q(status=Status.PUBLISHED, reviewed_at=None),
                name="contribution_to_moderate",
            ),
        ]

    def __str__(self) -> str:
        return self.public_text[:60]

    @property
    def follow_token(self) -> str:
        """The secret of the author's private follow-up link ("" with an account)."""
        return self.link.token if self.link else ""

    def passages(self) -> list[Passage]:
        """What was said, cut into plain passages and detected personal data (moderators)."""
        return cut(self.text, self.personal_data)

    def shown_parts(self) -> list[tuple[str, str]]:
        """The text as (passage, "") and masked personal data as ("", kind), in order."""
        return [("", p.kind) if p.is_masked else (p.text, "") for p in self.passages()]


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    MASKED = "masked", _("Personal data masked automatically")
    MASK_CONFIRMED = "mask_confirmed", _("Masking confirmed")
    MASK_UNDONE = "mask_undone", _("Masking undone")
    PUBLISHED = "published", _("Published")
    REVIEWED = "reviewed", _("Reviewed")
    HIDDEN = "hidden", _("Hidden")
    RESTORED = "restored", _("Published again")
    APPEALED = "appealed", _("Appeal by the author")
    APPEAL_UPHELD = "appeal_upheld", _("Appeal upheld")
    APPEAL_REJECTED = "appeal_rejected", _("Appeal rejected")
    PHOTO_BLURRED = "photo_blurred", _("Area of the photo blurred")
    PHOTO_PUBLISHED = "photo_published", _("Photo published")
    PHOTO_WITHDRAWN = "photo_withdrawn", _("Photo made private again")
    CORRECTED = "corrected", _("Corrected by whoever noted it")
    MOVED = "moved", _("Moved to another question")
    WITHDRAWN = "withdrawn", _("Deleted by whoever noted it")
    ANONYMISED = "anonymised", _("Author's name and contact details erased")


class Event(models.Model):
    """One step in a contribution's moderation history (append-only)."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind)
    reason = models.CharField(max_length=20, choices=Reason, blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class AppealStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a decision")
    UPHELD = "upheld", _("Accepted: published again")
    REJECTED = "rejected", _("Rejected")


class Appeal(models.Model):
    """The author of a hidden contribution asks for it to be published again."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="appeals")
    text = models.TextField(_("why it should be published"))
    status = models.CharField(max_length=10, choices=AppealStatus, default=AppealStatus.OPEN)
    answer = models.TextField(_("answer to the author"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contribution"],
                condition=Q(status=AppealStatus.OPEN),
                name="one_open_appeal_per_contribution",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class MeToo(models.Model):
    """A person saying "me too" to a contribution: one per person, counted, never shown by name."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="me_too")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contribution", "user"], name="one_me_too_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.contribution_id}/{self.user_id}"


class Suggester(models.Model):
    """A theme-suggestion model (palabre.themes) trained on the shipped labelled texts and on the
    platform's own contributions that staff gave exactly one theme; the newest one is used."""

    data = models.BinaryField()
    n_train = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} ({self.n_train})"
