"""Participatory budgets: a process, its envelopes and projects, voters, voting codes, ballots.

The counting itself is `palabre.pb` (pure Python); these tables hold what it counts. ADR 0067.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Rule(models.TextChoices):
    MES = "mes-add1", _("Method of Equal Shares, completed by most votes")
    GREEDY = "greedy", _("Most votes first, while the money lasts")


class BallotType(models.TextChoices):
    APPROVAL_MAX = "approval-max", _("Choose up to a number of projects")
    APPROVAL_BUDGET = "approval-budget", _("Choose projects within the envelope's budget")
    CUMULATIVE = "cumulative", _("Share points between projects")
    RANKING = "ranking", _("Rank projects in order of preference")


class Phase(models.TextChoices):
    IDEAS = "ideas", pgettext_lazy("budget phase", "Ideas")
    REVIEW = "review", pgettext_lazy("budget phase", "Feasibility review")
    VOTE = "vote", pgettext_lazy("budget phase", "Vote")
    COUNTING = "counting", pgettext_lazy("budget phase", "Counting")
    RESULTS = "results", pgettext_lazy("budget phase", "Results")


class Process(models.Model):
    """One participatory budget: its calendar, its counting rule and its ballot.

    The rule and the ballot are frozen (`rules_frozen_at`) before the vote opens; the vote is
    open only once they are, between `vote_opens_at` and `vote_closes_at`, until `closed_at`.
    """

    slug = models.SlugField(_("short name in addresses"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    ideas_from = models.DateField(_("ideas from"))
    ideas_until = models.DateField(_("ideas until"))
    review_until = models.DateField(_("feasibility review until"))
    vote_opens_at = models.DateTimeField(_("vote opens"))
    vote_closes_at = models.DateTimeField(_("vote closes"))
    rule = models.CharField(_("counting rule"), max_length=20, choices=Rule, default=Rule.MES)
    ballot_type = models.CharField(
        _("ballot"), max_length=20, choices=BallotType, default=BallotType.APPROVAL_BUDGET
    )
    max_choices = models.PositiveSmallIntegerField(
        _("most projects a voter chooses"), null=True, blank=True
    )
    points = models.PositiveSmallIntegerField(_("points each voter shares"), null=True, blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), default=16)
    is_published = models.BooleanField(_("published"), default=False)
    rules_frozen_at = models.DateTimeField(_("rules frozen"), null=True, blank=True)
    closed_at = models.DateTimeField(_("vote closed"), null=True, blank=True)
    published_at = models.DateTimeField(_("results published"), null=True, blank=True)

    class Meta:
        ordering = ["-vote_opens_at"]
        verbose_name = _("participatory budget")
        verbose_name_plural = _("participatory budgets")
        constraints = [
            models.CheckConstraint(
                condition=Q(ideas_from__lte=models.F("ideas_until"))
                & Q(ideas_until__lte=models.F("review_until"))
                & Q(vote_opens_at__lt=models.F("vote_closes_at")),
                name="budget_phases_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(ballot_type__in=[BallotType.APPROVAL_MAX, BallotType.RANKING])
                | Q(max_choices__gte=1),
                name="budget_approval_max_has_a_maximum",
            ),
            models.CheckConstraint(
                condition=~Q(ballot_type=BallotType.CUMULATIVE) | Q(points__gte=1),
                name="budget_cumulative_has_points",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(closed_at__isnull=False),
                name="budget_results_after_closing",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def phase(self, now: datetime) -> Phase:
        """Where the process stands at `now` (the vote waits for frozen rules); a stamp set
        after `now` did not exist yet then (a story told through the actions, like the demo's
        past vote, reads each step as of its own time)."""

        def done(stamp: datetime | None) -> bool:
            return stamp is not None and stamp <= now

        if done(self.published_at):
            return Phase.RESULTS
        if done(self.closed_at) or now >= self.vote_closes_at:
            return Phase.COUNTING
        if now >= self.vote_opens_at and done(self.rules_frozen_at):
            return Phase.VOTE
        if timezone.localdate(now) <= self.ideas_until:
            return Phase.IDEAS
        return Phase.REVIEW


class Envelope(models.Model):
    """The money of one neighbourhood (or of the whole city when `neighbourhood` is empty)."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="envelopes")
    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_envelopes",
    )
    amount = models.PositiveIntegerField(_("amount (€)"))
    # The count, stored when the results are published: winners in selection order, each
    # project's votes and explanation, the "most votes wins" comparison, turnout by channel.
    result = models.JSONField(_("result"), null=True, blank=True, editable=False)
    # The anonymised, shuffled ballots in pabulib format, written with the result: anyone can
    # recount them with another tool.
    recount = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["process", "pk"]
        verbose_name = _("envelope")
        verbose_name_plural = _("envelopes")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "neighbourhood"], name="one_envelope_per_neighbourhood"
            ),
            models.UniqueConstraint(
                fields=["process"],
                condition=Q(neighbourhood__isnull=True),
                name="one_city_wide_envelope",
            ),
            models.CheckConstraint(condition=Q(amount__gte=1), name="envelope_has_money"),
        ]

    def __str__(self) -> str:
        return f"{self.process} — {self.neighbourhood or _('whole city')}"


class IdeaSource(models.TextChoices):
    ONLINE = "online", _("Proposed online")
    WORKSHOP = "workshop", _("Said at a workshop")
    PAPER = "paper", _("Proposed on paper")
    CITIZEN_ACTION = "citizen_action", _("A citizen action asking for funding")


class IdeaStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Proposed")
    IN_REVIEW = "in_review", _("Being checked by the city")
    FEASIBLE = "feasible", _("Feasible")
    NOT_FEASIBLE = "not_feasible", _("Not feasible")
    MERGED = "merged", _("Merged with a similar idea")


class Idea(models.Model):
    """An idea proposed for a participatory budget, from any door: online (with or without an
    account), a workshop contribution, a paper form transcribed by staff, or a citizen action
    asking for funding. The city's department checks it (`review`: a request to officials,
    with its deadlines and reminders); feasible ideas become projects on the ballot.
    """

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="ideas")
    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_ideas",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(max_length=20, choices=IdeaSource, default=IdeaSource.ONLINE)
    status = models.CharField(max_length=20, choices=IdeaStatus, default=IdeaStatus.SUBMITTED)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="budget_ideas",
    )
    contribution = models.ForeignKey(
        "contributions.Contribution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_ideas",
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_ideas",
    )
    review = models.ForeignKey(
        "official_requests.Request",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_ideas",
    )
    cost_estimate = models.PositiveIntegerField(_("cost estimate (€)"), null=True, blank=True)
    reasons = models.TextField(_("why it is not feasible"), blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Put in the form by the server: the same form sent twice proposes one idea.
    key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "key"], condition=~Q(key=""), name="one_idea_per_form"
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="merged_idea_says_into_what",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Project(models.Model):
    """A project put to the vote in one envelope."""

    envelope = models.ForeignKey(Envelope, on_delete=models.PROTECT, related_name="projects")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    cost = models.PositiveIntegerField(_("cost (€)"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    # Where it came from (several ideas merged, or one idea split) and, once funded, the
    # request that follows its implementation (status, updates, photos: issue 18, item 7).
    ideas = models.ManyToManyField(Idea, blank=True, related_name="projects")
    follow_up = models.ForeignKey(
        "official_requests.Request",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="budget_projects",
    )

    class Meta:
        ordering = ["envelope", "position", "pk"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [models.CheckConstraint(condition=Q(cost__gte=1), name="project_has_a_cost")]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    """How a voter proved they are one person."""

    CODE = "code", _("Voting code by post")
    EMAIL = "email", _("Code by email")
    SMS = "sms", _("Code by text message")
    IN_PERSON = "in_person", _("In person at a workshop")
    PAPER = "paper", _("Paper ballot")


class Voter(models.Model):
    """One person allowed one ballot per envelope of a process.

    `key` says who they are without storing it: `code:<pk>` for a voting code, a keyed hash of
    an email address. `token` is the private link that lets them change their ballot.
    `neighbourhood` is where they declared they live (set by their first neighbourhood ballot).
    """

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="voters")
    key = models.CharField(max_length=80)
    channel = models.CharField(max_length=20, choices=Channel)
    token = models.CharField(max_length=43, unique=True)
    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["process", "key"], name="one_voter_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.process} — {self.channel} {self.pk}"


class CodeBatch(models.Model):
    """Voting codes printed together (letters sent by post, like meinBerlin's)."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="code_batches")
    label = models.CharField(_("label"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label


class VotingCode(models.Model):
    """A one-time voting code: typing it makes its holder a voter, once."""

    batch = models.ForeignKey(CodeBatch, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=20, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.batch} #{self.pk}"


class MessageCode(models.Model):
    """A one-time voting code sent by email or text message; only hashes are kept.

    `key` is a keyed hash of the address or number: the same person asking again becomes the
    same voter (one ballot per envelope), and nothing typed is stored in clear.
    """

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="message_codes")
    key = models.CharField(max_length=80)
    channel = models.CharField(max_length=20, choices=Channel)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["process", "key", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.process} — {self.channel} code"


class Ballot(models.Model):
    """A voter's ballot in one envelope; changing it overwrites it (the last one counts).

    `choices` is canonical text: the chosen project ids, ascending, comma-separated
    (`12,15,18`); with points, `id:points` pairs by ascending id (`12:3,15:2`); a ranking keeps
    its order, most preferred first (`15,12,18`). It is
    written by one INSERT … ON CONFLICT DO UPDATE (see `actions.cast_ballot`), which also counts
    the submissions in `revision`, so that simultaneous submissions keep the last one written
    and lose none.
    """

    envelope = models.ForeignKey(Envelope, on_delete=models.PROTECT, related_name="ballots")
    voter = models.ForeignKey(Voter, on_delete=models.PROTECT, related_name="ballots")
    choices = models.TextField()
    channel = models.CharField(max_length=20, choices=Channel)
    receipt = models.CharField(max_length=20, unique=True)
    revision = models.PositiveIntegerField(default=1)
    cast_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["envelope", "voter"], name="one_ballot_per_voter")
        ]

    def __str__(self) -> str:
        return f"{self.envelope} — {self.receipt}"

    @property
    def project_ids(self) -> list[int]:
        return [int(part.split(":")[0]) for part in self.choices.split(",") if part]

    @property
    def points(self) -> dict[int, int]:
        """Points per project of a points ballot (empty for the other ballots)."""
        pairs = (part.split(":") for part in self.choices.split(",") if ":" in part)
        return {int(pk): int(points) for pk, points in pairs}


class PaperRound(models.IntegerChoices):
    FIRST = 1, _("First keying")
    SECOND = 2, _("Second keying")
    RESOLVED = 3, _("Resolution of a difference")


class PaperEntry(models.Model):
    """What one staff member read on one numbered paper ballot.

    Every paper ballot is keyed twice, blind, by two different people (`entered_by` is unique
    per ballot); where the two readings differ, a coordinator reads the paper again and keys
    the resolution (round 3). The ballots counted are the agreed readings (ADR 0068).
    `choices` is canonical text like `Ballot.choices`; `spoilt` marks a blank or unreadable
    ballot (counted as cast, for no project).
    """

    envelope = models.ForeignKey(Envelope, on_delete=models.PROTECT, related_name="paper")
    number = models.PositiveIntegerField(_("ballot number"))
    round = models.PositiveSmallIntegerField(choices=PaperRound)
    choices = models.TextField(blank=True)
    spoilt = models.BooleanField(_("blank or unreadable"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["envelope", "number", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["envelope", "number", "round"], name="one_reading_per_round"
            ),
            # The two keyings are two people's; the one settling a difference may be either.
            models.UniqueConstraint(
                fields=["envelope", "number", "entered_by"],
                condition=Q(round__lte=2),
                name="paper_read_by_two_people",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="paper_number_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.envelope} — n° {self.number} ({self.round})"

    @property
    def project_ids(self) -> list[int]:
        return [int(part) for part in self.choices.split(",") if part]


class EventKind(models.TextChoices):
    RULES_SET = "rules_set", _("Rules changed")
    RULES_FROZEN = "rules_frozen", _("Rules frozen")
    RULES_CHANGE_REFUSED = "rules_change_refused", _("A change of the frozen rules was refused")
    CODES_PRINTED = "codes_printed", _("Voting codes made")
    PAPER_RESOLVED = "paper_resolved", _("A difference between two keyings resolved")
    VOTE_CLOSED = "vote_closed", _("Vote closed")
    RESULTS_PUBLISHED = "results_published", _("Results published")
    PROJECT_MADE = "project_made", _("Project put on the ballot")
    IDEAS_MERGED = "ideas_merged", _("Ideas merged")


class Event(models.Model):
    """The public history of a process: what was decided, when, by whom."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.process} — {self.kind}"
