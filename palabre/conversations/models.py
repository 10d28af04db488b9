"""Opinion conversations: statements residents agree or disagree with, who votes, their votes,
and the opinion map computed from them (by `palabre.opinion_map`, in the background). ADR 0070.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Origin(models.TextChoices):
    SEEDED = "seeded", _("Seeded by the staff")
    RESIDENT = "resident", _("Submitted by a resident")
    IMPORTED = "imported", _("Imported")


class Moderation(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    ACCEPTED = "accepted", pgettext_lazy("statement", "Accepted")
    REJECTED = "rejected", pgettext_lazy("statement", "Rejected")


class Value(models.IntegerChoices):
    AGREE = 1, _("Agree")
    PASS = 0, _("Pass")
    DISAGREE = -1, _("Disagree")


class MapState(models.TextChoices):
    READY = "ready", _("Map ready")
    TOO_FEW = "too-few", _("Not enough votes yet")


class Conversation(models.Model):
    """Statements put to a workshop, a neighbourhood, a theme, or (none of them) the whole city.

    Votes are accepted between `opens_at` and `closes_at`; without `opens_at` never (an
    imported conversation is a record, not a vote).
    """

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversations",
    )
    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood",
        verbose_name=_("neighbourhood"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversations",
    )
    theme = models.ForeignKey(
        "contributions.Theme",
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversations",
    )
    opens_at = models.DateTimeField(_("votes open"), null=True, blank=True)
    closes_at = models.DateTimeField(_("votes close"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    imported_from = models.CharField(_("imported from"), max_length=300, blank=True)
    # A draft is seen by the staff only, while they prepare its statements.
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(opens_at__lt=models.F("closes_at")),
                name="conversation_opens_before_closing",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: datetime) -> bool:
        """Whether votes are accepted at `now`."""
        if self.opens_at is None or now < self.opens_at:
            return False
        return self.closes_at is None or now < self.closes_at


class Statement(models.Model):
    """A short statement to agree or disagree with; a resident's waits for moderation."""

    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="statements",
    )
    # What is shown and voted on: a resident's words with personal data masked.
    text = models.TextField(_("text"))
    # A resident's words as typed, read by the moderator only, and erased once moderated.
    submitted_text = models.TextField(_("text as submitted"), blank=True)
    written_at = models.DateTimeField(_("written"), default=timezone.now)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin, default=Origin.SEEDED)
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation, default=Moderation.PENDING
    )
    # The statement's number in the Pol.is export it came from (maps show that number).
    external_id = models.BigIntegerField(_("id in the imported export"), null=True, blank=True)
    # Support across opinion groups, stored with the map (palabre.conversations.bridging): how
    # many of the map's groups mostly agree, out of how many; empty while there is no map.
    groups_agreeing = models.PositiveSmallIntegerField(
        _("opinion groups mostly agreeing"), null=True, blank=True
    )
    group_count = models.PositiveSmallIntegerField(_("opinion groups"), null=True, blank=True)
    support_computed_at = models.DateTimeField(_("support computed"), null=True, blank=True)

    class Meta:
        ordering = ["conversation", "written_at", "pk"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "external_id"], name="one_statement_per_external_id"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Participant(models.Model):
    """Someone who votes in a conversation, known by exactly one of: their device (a digest of
    its token, never the token), a paper card number, or their id in an imported export.
    Nothing about the person is stored."""

    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    device = models.CharField(_("device digest"), max_length=64, blank=True, default="")
    card = models.PositiveIntegerField(_("card number"), null=True, blank=True)
    external_id = models.BigIntegerField(_("id in the imported export"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=(~Q(device="") & Q(card__isnull=True, external_id__isnull=True))
                | Q(device="", card__isnull=False, external_id__isnull=True)
                | Q(device="", card__isnull=True, external_id__isnull=False),
                name="participant_has_one_identity",
            ),
            models.UniqueConstraint(
                fields=["conversation", "device"],
                condition=~Q(device=""),
                name="one_participant_per_device",
            ),
            models.UniqueConstraint(
                fields=["conversation", "card"], name="one_participant_per_card"
            ),
            models.UniqueConstraint(
                fields=["conversation", "external_id"], name="one_participant_per_external_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conversation} — {self.pk}"


class Vote(models.Model):
    """A participant's latest vote on a statement (one row per pair; see actions.cast_vote)."""

    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="votes"
    )
    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="votes"
    )
    value = models.SmallIntegerField(_("vote"), choices=Value)
    voted_at = models.DateTimeField(_("voted"))

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "statement"], name="one_vote_per_participant_and_statement"
            ),
            models.CheckConstraint(condition=Q(value__in=[-1, 0, 1]), name="vote_value_known"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} — {self.statement_id}: {self.value}"


class ConversationMap(models.Model):
    """The opinion map of a conversation as last computed by the background worker, with the
    digest of the votes it was computed from (an unchanged digest is not computed again)."""

    conversation = models.OneToOneField(
        Conversation,
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="opinion_map",
    )
    state = models.CharField(_("state"), max_length=10, choices=MapState)
    # The JSON of `palabre opinions analyze --json`; empty while there are too few votes.
    result = models.JSONField(_("map"), default=dict, blank=True)
    reason = models.CharField(_("why there is no map yet"), max_length=300, blank=True)
    vote_count = models.PositiveIntegerField(_("votes counted"))
    input_digest = models.CharField(_("digest of the votes"), max_length=64)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("opinion map")
        verbose_name_plural = _("opinion maps")

    def __str__(self) -> str:
        return f"{self.conversation} — {self.state}"
