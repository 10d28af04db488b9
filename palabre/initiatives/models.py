from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    STREET_PARTY = "street_party", _("Street party")
    BEAUTIFICATION = "beautification", _("Street or facade beautification")
    EXPRESSION_BOARD = "expression_board", _("Expression board")
    WELCOME = "welcome", _("Welcoming newcomers")
    OTHER = "other", _("Other")


class Playbook(models.Model):
    """A citizen action's template: steps with lead times and permits, and budget lines."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")

    def __str__(self) -> str:
        return self.title


class PlaybookStep(models.Model):
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    days_before = models.PositiveSmallIntegerField(_("days before the action"))
    permit = models.BooleanField(_("a permit or service the city must grant"), default=False)
    department = models.SlugField(_("department (short name)"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["playbook", "position"], name="one_step_per_position"),
            models.CheckConstraint(
                condition=Q(days_before__lte=365), name="step_lead_time_within_a_year"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlaybookBudgetLine(models.Model):
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="budget")
    position = models.PositiveSmallIntegerField(_("order"))
    label = models.CharField(_("label"), max_length=200)
    amount = models.DecimalField(_("amount (€)"), max_digits=9, decimal_places=2)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["playbook", "position"], name="one_line_per_position"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_not_negative"),
        ]

    def __str__(self) -> str:
        return self.label


class Status(models.TextChoices):
    IDEA = "idea", _("Idea")
    PREPARATION = "preparation", _("In preparation")
    HAPPENING = "happening", _("Happening")
    DONE = "done", _("Done")
    PAUSED = "paused", _("Paused")
    ABANDONED = "abandoned", _("Abandoned")


class Initiative(models.Model):
    """A citizen action carried by residents, from a workshop idea to its result."""

    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood", on_delete=models.PROTECT, related_name="initiatives"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    playbook = models.ForeignKey(
        Playbook, null=True, blank=True, on_delete=models.SET_NULL, related_name="initiatives"
    )
    # Where it came from: what residents said, the workshop where it was proposed.
    contributions = models.ManyToManyField(
        "contributions.Contribution", blank=True, related_name="initiatives"
    )
    workshop = models.ForeignKey(
        "workshops.Workshop",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    starts_on = models.DateField(_("date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.IDEA)
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="initiatives_led"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Money: what the leads ask for, what the city grants; what is spent is the sum of receipts.
    budget_requested = models.DecimalField(
        _("budget requested (€)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    budget_granted = models.DecimalField(
        _("budget granted (€)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    # The short public report once it is done.
    report = models.TextField(_("report"), blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A missing amount passes a CHECK (NULL); a negative one does not.
            models.CheckConstraint(
                condition=Q(budget_requested__gte=0), name="budget_requested_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(budget_granted__gte=0), name="budget_granted_not_negative"
            ),
        ]
        verbose_name = _("citizen action")
        verbose_name_plural = _("citizen actions")

    def __str__(self) -> str:
        return self.title

    def steered_by(self, user: Any) -> bool:
        """Whether `user` steers this action (`permissions.can_steer`); what the requests app,
        below this one, asks before it lets a lead ask a department for support."""
        from palabre.initiatives.permissions import can_steer  # permissions read the models

        return can_steer(user, self)


class Task(models.Model):
    """A task of an initiative, created from its playbook or added by its leads."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    permit = models.BooleanField(default=False)
    department = models.SlugField(blank=True)
    owner = models.ForeignKey(
        "Volunteer", null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    # A permit asked of the city goes through the requests' follow-up (one request per task).
    request = models.OneToOneField(
        "official_requests.Request",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="task",
    )

    class Meta:
        ordering = [models.F("due_on").asc(nulls_last=True), "pk"]

    def __str__(self) -> str:
        return self.title


class Volunteer(models.Model):
    """Someone who said "I'm in", with or without an account; contact details stay private."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="volunteers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    # The private link to their tasks; never found by email.
    link = models.OneToOneField("links.AccessLink", on_delete=models.PROTECT, related_name="+")
    # The key the server put in the form: a double submit or a retry finds the first sign-up.
    key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # The language of the page they signed up on: their reminders are written in it.
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "user"],
                condition=Q(user__isnull=False),
                name="one_sign_up_per_account",
            ),
            models.UniqueConstraint(
                fields=["initiative", "email"],
                condition=~Q(email=""),
                name="one_sign_up_per_email",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def token(self) -> str:
        return self.link.token


class TaskNotice(models.Model):
    """A reminder sent to a task's owner: one per task and due date (a retried job sends
    nothing twice; a new due date gets its own reminder)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notices")
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "due_on"], name="one_reminder_per_due_date")
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.due_on}"


class NeedKind(models.TextChoices):
    MATERIALS = "materials", _("Materials or equipment")
    ROOM = "room", _("A room")
    PERMIT = "permit", _("A permit")
    MONEY = "money", _("Money")
    SERVICE = "service", _("Help from a city service")
    HANDS = "hands", _("Volunteers to help")


# What the city can be asked for through the requests' follow-up.
CITY_NEEDS = frozenset({NeedKind.MATERIALS, NeedKind.ROOM, NeedKind.PERMIT, NeedKind.SERVICE})


class Need(models.Model):
    """Something the initiative needs; the city's part is asked through a request."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(_("what kind"), max_length=20, choices=NeedKind)
    description = models.CharField(_("what exactly"), max_length=300)
    met_at = models.DateTimeField(null=True, blank=True)
    request = models.OneToOneField(
        "official_requests.Request",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="need",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.description


class Expense(models.Model):
    """Money spent, with a photo of its receipt (private to the leads and the service)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="expenses")
    label = models.CharField(_("what was bought"), max_length=200)
    amount = models.DecimalField(_("amount (€)"), max_digits=9, decimal_places=2)
    spent_on = models.DateField(_("date"))
    receipt = models.ImageField(_("receipt"), upload_to="initiatives/receipts/%Y/")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The key the form carried: a doubled submit finds its first save.
    submission_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["spent_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_positive"),
        ]

    def __str__(self) -> str:
        return self.label


class InitiativePhoto(models.Model):
    """A photo of the action, public once added; people shown have given their consent."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="initiatives/photos/%Y/")
    description = models.CharField(
        _("description"),
        max_length=300,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    shows_people = models.BooleanField(_("people can be recognised on it"), default=False)
    # Who recorded the consent of the people shown, and how (a form signed, said on the spot).
    consent = models.CharField(_("how their consent was given"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submission_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(shows_people=False) | ~Q(consent=""),
                name="people_shown_have_consented",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class Event(models.Model):
    """One step of an initiative's story (status changes with their reason); never deleted."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=Status)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.status}"
