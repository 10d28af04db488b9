"""The network of cities: what this city shares in its signed feed, the cities it follows, and
what it imported from them with their attribution (ADR 0075).

The choices of what to share are rows here pointing at other apps' rows (a playbook, a held
workshop, a round table), so no other app's table changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Languages of the texts a feed carries: the interface's three and German (a cross-border
# network); German is content only.
CONTENT_LANGUAGES = [
    ("fr", "Français"),
    ("nl", "Nederlands"),
    ("en", "English"),
    ("de", "Deutsch"),
]
CONTENT_LANGUAGE_CODES = tuple(code for code, _name in CONTENT_LANGUAGES)


class SharedPlaybook(models.Model):
    """A playbook this city puts in its feed."""

    playbook = models.OneToOneField(
        "initiatives.Playbook", on_delete=models.CASCADE, related_name="network_share"
    )
    language = models.CharField(
        _("language of the playbook"), max_length=2, choices=CONTENT_LANGUAGES, default="fr"
    )
    shared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["playbook__title"]
        verbose_name = _("playbook shared with the network")
        verbose_name_plural = _("playbooks shared with the network")
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=CONTENT_LANGUAGE_CODES),
                name="shared_playbook_language_known",
            )
        ]

    def __str__(self) -> str:
        return str(self.playbook)


class FollowedCity(models.Model):
    """Another city whose feed this city reads; its key is pinned when it is followed."""

    feed_url = models.URLField(_("address of the feed"), max_length=500, unique=True)
    name = models.CharField(_("name"), max_length=150)
    site = models.URLField(_("site"), max_length=500, blank=True)
    # The raw Ed25519 public key, base64; its fingerprint is shown to compare by phone.
    public_key = models.CharField(max_length=64)
    followed_at = models.DateTimeField(default=timezone.now)
    followed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_fetched_at = models.DateTimeField(_("last read"), null=True, blank=True)
    # The last reading refused, as {"code": …, "params": {…}} (palabre.network.reading): shown
    # in each reader's language; empty once a reading succeeds.
    problem = models.JSONField(default=dict, blank=True)
    problem_at = models.DateTimeField(null=True, blank=True)
    # The last feed whose signature was verified, as read (palabre.network.feed.Feed): what the
    # pages show, kept when a later reading is refused.
    feed = models.JSONField(default=dict)
    generated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("followed city")
        verbose_name_plural = _("followed cities")

    def __str__(self) -> str:
        return self.name


class ImportedPlaybook(models.Model):
    """A local playbook made from another city's: where it came from, for the attribution."""

    playbook = models.OneToOneField(
        "initiatives.Playbook", on_delete=models.CASCADE, related_name="network_origin"
    )
    city = models.ForeignKey(
        FollowedCity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imported_playbooks",
    )
    # Kept as text: the attribution stays when the city is no longer followed.
    source_city = models.CharField(_("city"), max_length=150)
    source_site = models.URLField(max_length=500, blank=True)
    source_feed_url = models.URLField(max_length=500)
    source_key = models.CharField(max_length=100)
    source_title = models.CharField(max_length=150)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["source_city", "source_title"]
        constraints = [
            # Importing twice (a double click, two people) makes one playbook.
            models.UniqueConstraint(
                fields=["source_feed_url", "source_key"], name="one_import_per_shared_playbook"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_title} ({self.source_city})"


class Format(models.Model):
    """A workshop format: a title, guiding questions, a duration, in one or more languages.

    Made from one of this city's held workshops (`workshop`), or imported from another city
    (`source_*`). Only this city's own formats can be put in the feed (`shared`).
    """

    title = models.CharField(_("title"), max_length=200)
    guiding_questions = models.JSONField(_("guiding questions"), default=list)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    language = models.CharField(
        _("language of the texts"), max_length=2, choices=CONTENT_LANGUAGES, default="fr"
    )
    # {"nl": {"title": ..., "guiding_questions": [...]}, "de": {...}}
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    workshop = models.OneToOneField(
        "workshops.Workshop",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network_format",
    )
    shared = models.BooleanField(_("shared with the network"), default=False)
    source_city = models.CharField(_("city"), max_length=150, blank=True)
    source_site = models.URLField(max_length=500, blank=True)
    source_feed_url = models.URLField(max_length=500, blank=True)
    source_key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("workshop format")
        verbose_name_plural = _("workshop formats")
        constraints = [
            models.UniqueConstraint(
                fields=["source_feed_url", "source_key"],
                condition=~Q(source_feed_url=""),
                name="one_import_per_shared_format",
            ),
            models.CheckConstraint(
                condition=Q(source_feed_url="") | Q(shared=False),
                name="imported_format_not_shared_again",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=24 * 60),
                name="format_duration_within_a_day",
            ),
            models.CheckConstraint(
                condition=Q(language__in=CONTENT_LANGUAGE_CODES), name="format_language_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_imported(self) -> bool:
        return bool(self.source_feed_url)


class OpenEvent(models.Model):
    """A round table or symposium of this city that is open to the cities of the network."""

    workshop = models.OneToOneField(
        "workshops.Workshop", on_delete=models.CASCADE, related_name="network_opening"
    )
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["workshop__starts_at", "pk"]
        verbose_name = _("event open to other cities")
        verbose_name_plural = _("events open to other cities")

    def __str__(self) -> str:
        return str(self.workshop)
