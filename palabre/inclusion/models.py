"""Inclusion figures (issue 20, item 2): an anonymous one-minute questionnaire answered at a
workshop, and the neighbourhoods' population figures typed in from official statistics.

An `Answer` holds nothing that leads back to a person (ADR 0074): no account, registration,
address, cookie or device, and no time (an answer's time next to the check-in times would point
at whoever arrived then). Its key is a random UUID, so its order says nothing either.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from palabre.workshops.models import HeardElsewhere

FIRST_YEAR = 2000
LAST_YEAR = 2100


class AgeBand(models.TextChoices):
    """Bands that add up from Statbel's five-year bands (population by age, 1 January)."""

    UNDER_18 = "0-17", _("Under 18")
    FROM_18 = "18-24", _("18 to 24")
    FROM_25 = "25-39", _("25 to 39")
    FROM_40 = "40-54", _("40 to 54")
    FROM_55 = "55-64", _("55 to 64")
    FROM_65 = "65-79", _("65 to 79")
    FROM_80 = "80+", _("80 or over")


class Language(models.TextChoices):
    """Languages spoken at home in Namur: the three national languages, English, and the
    languages of the city's largest communities (Statbel's nationalities in Namur, the
    languages the CPAS and the neighbourhood houses interpret most)."""

    FRENCH = "fr", pgettext_lazy("language spoken at home", "French")
    DUTCH = "nl", pgettext_lazy("language spoken at home", "Dutch")
    GERMAN = "de", pgettext_lazy("language spoken at home", "German")
    ENGLISH = "en", pgettext_lazy("language spoken at home", "English")
    ARABIC = "ar", pgettext_lazy("language spoken at home", "Arabic")
    BERBER = "ber", pgettext_lazy("language spoken at home", "Berber (Tamazight)")
    TURKISH = "tr", pgettext_lazy("language spoken at home", "Turkish")
    ROMANIAN = "ro", pgettext_lazy("language spoken at home", "Romanian")
    ITALIAN = "it", pgettext_lazy("language spoken at home", "Italian")
    PORTUGUESE = "pt", pgettext_lazy("language spoken at home", "Portuguese")
    SPANISH = "es", pgettext_lazy("language spoken at home", "Spanish")
    POLISH = "pl", pgettext_lazy("language spoken at home", "Polish")
    UKRAINIAN = "uk", pgettext_lazy("language spoken at home", "Ukrainian")
    RUSSIAN = "ru", pgettext_lazy("language spoken at home", "Russian")
    LINGALA = "ln", pgettext_lazy("language spoken at home", "Lingala")
    SWAHILI = "sw", pgettext_lazy("language spoken at home", "Swahili")
    DARI = "prs", pgettext_lazy("language spoken at home", "Dari or Persian")
    OTHER = "other", pgettext_lazy("language spoken at home", "Another language")


class Residence(models.TextChoices):
    NEIGHBOURHOOD = "neighbourhood", _("In one of the neighbourhoods listed")
    CITY = "city", _("Elsewhere in the city")
    OUTSIDE = "outside", _("Outside the city")


class Heard(models.TextChoices):
    """How the person heard of the workshop: the registration's choices (HeardElsewhere, same
    values and words) plus printed matter and the city's website."""

    PRINTED = "printed", _("A flyer, a letter or a poster")
    WORD_OF_MOUTH = HeardElsewhere.WORD_OF_MOUTH.value, HeardElsewhere.WORD_OF_MOUTH.label
    PARTNER = HeardElsewhere.PARTNER.value, HeardElsewhere.PARTNER.label
    SOCIAL_MEDIA = HeardElsewhere.SOCIAL_MEDIA.value, HeardElsewhere.SOCIAL_MEDIA.label
    CITY_SITE = "city_site", _("The city's website")
    OTHER = HeardElsewhere.OTHER.value, HeardElsewhere.OTHER.label


class Entry(models.TextChoices):
    PHONE = "phone", pgettext_lazy("questionnaire entry", "On a phone")
    PAPER = "paper", pgettext_lazy("questionnaire entry", "On paper")


class Answer(models.Model):
    """One person's questionnaire. Every answer is optional: "" (or None) is "not said"."""

    # Random: an increasing number would give the order of arrival.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workshop = models.ForeignKey(
        "workshops.Workshop",
        verbose_name=_("workshop"),
        on_delete=models.PROTECT,
        related_name="inclusion_answers",
    )
    age_band = models.CharField(_("age"), max_length=8, choices=AgeBand, blank=True)
    first_time = models.BooleanField(_("first workshop"), null=True, blank=True)
    # Codes of Language, in Language's order; empty: not said.
    languages = models.JSONField(_("languages spoken at home"), default=list, blank=True)
    residence = models.CharField(_("lives"), max_length=16, choices=Residence, blank=True)
    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood",
        verbose_name=_("neighbourhood"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    heard = models.CharField(_("heard of it through"), max_length=20, choices=Heard, blank=True)
    entry = models.CharField(_("entered"), max_length=8, choices=Entry)
    # The random key of the form that carried it (a double tap or a retry saves once). Made for
    # each display of the form and kept nowhere else: it leads to no one.
    key = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("questionnaire answer")
        verbose_name_plural = _("questionnaire answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(residence=Residence.NEIGHBOURHOOD, neighbourhood__isnull=False)
                | (~Q(residence=Residence.NEIGHBOURHOOD) & Q(neighbourhood__isnull=True)),
                name="inclusion_neighbourhood_only_when_living_in_one",
            ),
            models.CheckConstraint(
                condition=Q(entry__in=Entry.values), name="inclusion_answer_entry_known"
            ),
            models.CheckConstraint(
                condition=Q(age_band__in=["", *AgeBand.values]),
                name="inclusion_answer_age_band_known",
            ),
            models.CheckConstraint(
                condition=Q(residence__in=["", *Residence.values]),
                name="inclusion_answer_residence_known",
            ),
            models.CheckConstraint(
                condition=Q(heard__in=["", *Heard.values]), name="inclusion_answer_heard_known"
            ),
        ]

    def __str__(self) -> str:
        return str(_("questionnaire answer"))


# Population's column for each age band.
AGE_FIELDS = {
    AgeBand.UNDER_18: "under_18",
    AgeBand.FROM_18: "from_18_to_24",
    AgeBand.FROM_25: "from_25_to_39",
    AgeBand.FROM_40: "from_40_to_54",
    AgeBand.FROM_55: "from_55_to_64",
    AgeBand.FROM_65: "from_65_to_79",
    AgeBand.FROM_80: "from_80",
}
NATIONALITY_FIELDS = ("belgian", "other_eu", "outside_eu")


class Population(models.Model):
    """A neighbourhood's population on 1 January of `year`, by age band, typed in from the
    official statistics (Statbel, IWEPS); optionally by nationality group as Statbel publishes
    it (Belgian, other EU, outside the EU)."""

    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood",
        verbose_name=_("neighbourhood"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    under_18 = models.PositiveIntegerField(_("under 18"))
    from_18_to_24 = models.PositiveIntegerField(_("18 to 24"))
    from_25_to_39 = models.PositiveIntegerField(_("25 to 39"))
    from_40_to_54 = models.PositiveIntegerField(_("40 to 54"))
    from_55_to_64 = models.PositiveIntegerField(_("55 to 64"))
    from_65_to_79 = models.PositiveIntegerField(_("65 to 79"))
    from_80 = models.PositiveIntegerField(_("80 or over"))
    belgian = models.PositiveIntegerField(_("Belgian nationality"), null=True, blank=True)
    other_eu = models.PositiveIntegerField(_("another EU nationality"), null=True, blank=True)
    outside_eu = models.PositiveIntegerField(
        _("a nationality outside the EU"), null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        ordering = ["neighbourhood__position", "neighbourhood__name", "-year"]
        verbose_name = _("population figures")
        verbose_name_plural = _("population figures")
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "year"], name="inclusion_one_population_per_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="inclusion_population_year_2000_2100",
            ),
            models.CheckConstraint(
                condition=Q(belgian__isnull=True, other_eu__isnull=True, outside_eu__isnull=True)
                | Q(belgian__isnull=False, other_eu__isnull=False, outside_eu__isnull=False),
                name="inclusion_population_nationalities_all_or_none",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.neighbourhood} {self.year}"

    def by_age(self) -> dict[str, int]:
        """Age band value -> people."""
        return {band.value: getattr(self, name) for band, name in AGE_FIELDS.items()}

    @property
    def total(self) -> int:
        return sum(self.by_age().values())
