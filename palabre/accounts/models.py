from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    FACILITATOR = "facilitator", _("Facilitator")
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER = "partner", _("Partner")
    OFFICIAL = "official", _("Official")
    # Works for one elected official (official_requests.CabinetMember): prepares answers.
    CABINET = "cabinet", _("Cabinet collaborator")
    ADMINISTRATOR = "administrator", _("Administrator")


STAFF_ROLES = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})


class RequestNews(models.TextChoices):
    """How someone who answers requests to officials hears of a request that reaches them
    (reminders and escalations come at once whatever the choice: they are about a date)."""

    EACH = "each", _("One email per request")
    WEEKLY = "weekly", _("A weekly digest on Monday morning")


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("role", Role.ADMINISTRATOR)
        fields.setdefault("display_name", "Admin")
        return self.create_user(email, password, **fields)


class Competence(models.Model):
    """One competence of a municipal portfolio (mobilité, propreté publique, ...)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")

    def __str__(self) -> str:
        return self.name


class User(AbstractBaseUser):
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.RESIDENT)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=[("fr", "Français"), ("nl", "Nederlands"), ("en", "English")],
        default="fr",
    )
    # Read only for officials and members of a department (ADR 0060).
    request_news = models.CharField(
        _("news of requests"), max_length=10, choices=RequestNews, default=RequestNews.EACH
    )
    home_neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood",
        verbose_name=_("home neighbourhood"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "neighbourhoods.Partner",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text=_("Required for partners: the local organisation they act for."),
    )
    official_title = models.CharField(
        _("official title"),
        max_length=200,
        blank=True,
        help_text=_("For officials, e.g. 'Échevine de la cohésion sociale'."),
    )
    portfolio = models.ManyToManyField(
        Competence, verbose_name=_("portfolio"), blank=True, related_name="officials"
    )

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["display_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
            models.CheckConstraint(
                condition=~models.Q(role=Role.PARTNER) | models.Q(organisation__isnull=False),
                name="partner_has_an_organisation",
                violation_error_message=_("A partner must belong to an organisation."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def is_staff(self) -> bool:
        """Whether the back-office (Django admin) is open to this user."""
        return self.is_active and self.role in STAFF_ROLES

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return self.is_active and self.role == Role.ADMINISTRATOR

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_staff


class SignInCode(models.Model):
    """A one-time sign-in code sent by email; only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_codes")
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # Counted before each check, whoever types: a code is tried a few times at most, so six
    # digits stay out of reach however many clients guess (ADR 0042).
    tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"code for {self.user_id} created {self.created_at:%Y-%m-%d %H:%M}"


class SignInFailure(models.Model):
    """A failed sign-in, kept as a trace (keyed by a hash, not the address).

    The limits themselves are counted in `core.ThrottleCount` (ADR 0042).
    """

    key = models.CharField(max_length=64, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"failure at {self.created_at:%Y-%m-%d %H:%M}"
