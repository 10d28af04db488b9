from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from palabre.neighbourhoods.geo import BoundaryError, validate_boundary


def boundary_validator(value: object) -> None:
    try:
        validate_boundary(value)
    except BoundaryError as error:
        raise ValidationError(str(error), code="invalid_boundary") from None


class Neighbourhood(models.Model):
    slug = models.SlugField(_("short name in addresses"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    boundary = models.JSONField(
        _("boundary"),
        validators=[boundary_validator],
        help_text=_("A GeoJSON Polygon or MultiPolygon, in longitude/latitude (WGS 84)."),
    )
    is_published = models.BooleanField(_("published"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("neighbourhoods:detail", kwargs={"slug": self.slug})


class PartnerKind(models.TextChoices):
    NEIGHBOURHOOD_HOUSE = "neighbourhood_house", _("Neighbourhood house")
    YOUTH_CENTRE = "youth_centre", _("Youth centre")
    TENANTS_ASSOCIATION = "tenants_association", _("Tenants' association")
    RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")
    SCHOOL = "school", _("School")
    SOCIAL_HOUSING = "social_housing", _("Public housing company")
    SOCIAL_WELFARE = "social_welfare", _("Public social welfare centre (CPAS)")
    CLUB = "club", _("Club")
    PARISH = "parish", _("Parish")
    OTHER = "other", _("Other organisation")


class Partner(models.Model):
    """A local organisation working with the service in one or more neighbourhoods."""

    slug = models.SlugField(_("short name in addresses"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=30, choices=PartnerKind, default=PartnerKind.OTHER
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to="partners/",
        blank=True,
        help_text=_("PNG, JPEG, WebP or GIF, 10 MB at most; printed on invitations."),
    )
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, verbose_name=_("neighbourhoods"), related_name="partners"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name


class PartnerContact(models.Model):
    """A person to reach at a partner organisation; visible to staff and that partner only."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            # The same person twice (a form sent twice) is one contact.
            models.UniqueConstraint(
                fields=["partner", "name", "email", "phone"], name="contact_unique_in_partner"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Venue(models.Model):
    """A room where workshops can be held, with what matters to people who come."""

    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("neighbourhood"),
        on_delete=models.PROTECT,
        related_name="venues",
    )
    host = models.ForeignKey(
        Partner,
        verbose_name=_("host organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="venues",
    )
    slug = models.SlugField(_("short name in addresses"))
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street"), max_length=200)
    house_number = models.CharField(_("number"), max_length=20)
    postcode = models.CharField(_("postcode"), max_length=10)
    locality = models.CharField(_("locality"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    childcare_room = models.BooleanField(_("childcare room"), default=False)
    public_transport = models.TextField(_("public transport"), blank=True)
    access_notes = models.TextField(_("access notes"), blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "slug"], name="venue_slug_unique_in_neighbourhood"
            ),
            # Two venues of one neighbourhood named alike could not be told apart in a list.
            models.UniqueConstraint(
                "neighbourhood",
                Lower("name"),
                name="venue_name_unique_in_neighbourhood",
                violation_error_code="unique",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gt=0), name="venue_capacity_positive"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(longitude__isnull=True, latitude__isnull=True)
                    | models.Q(
                        longitude__gte=-180, longitude__lte=180, latitude__gte=-90, latitude__lte=90
                    )
                ),
                name="venue_position_valid_or_absent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "neighbourhoods:venue",
            kwargs={"slug": self.neighbourhood.slug, "venue_slug": self.slug},
        )

    @property
    def address(self) -> str:
        """The address as written in Belgium: street number, postcode locality."""
        return f"{self.street} {self.house_number}, {self.postcode} {self.locality}"
