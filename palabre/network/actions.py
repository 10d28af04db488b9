"""Writes of the network of cities: what this city shares, following other cities and reading
their feeds, importing their playbooks and formats with attribution (ADR 0075)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from palabre.initiatives import playbook_actions, playbooks
from palabre.initiatives.models import Playbook
from palabre.network import reading, signing
from palabre.network.models import (
    CONTENT_LANGUAGE_CODES,
    FollowedCity,
    Format,
    ImportedPlaybook,
    OpenEvent,
    SharedPlaybook,
)
from palabre.network.permissions import can_manage_network
from palabre.workshops.models import EventKind, Status, Workshop

HELD = (Status.HELD, Status.REPORTED)
EVENT_KINDS = (EventKind.ROUND_TABLE, EventKind.SYMPOSIUM)


class NetworkError(Exception):
    """Something the service asked that cannot be done, with the reason for a person."""


def _require(by: Any) -> None:
    if not can_manage_network(by):
        raise PermissionDenied


# --- what this city shares --------------------------------------------------------------


def share_playbook(*, by: Any, playbook: Playbook, shared: bool, language: str = "fr") -> None:
    """Put a playbook in the feed (or take it out); one made from another city's is not
    shared again (its attribution would be lost)."""
    _require(by)
    if not shared:
        SharedPlaybook.objects.filter(playbook=playbook).delete()
        return
    if ImportedPlaybook.objects.filter(playbook=playbook).exists():
        raise PermissionDenied
    if language not in CONTENT_LANGUAGE_CODES:
        language = "fr"
    SharedPlaybook.objects.update_or_create(playbook=playbook, defaults={"language": language})


def _duration(workshop: Workshop) -> int:
    if workshop.starts_at and workshop.ends_at:
        minutes = int((workshop.ends_at - workshop.starts_at).total_seconds() // 60)
        return max(1, min(minutes, 24 * 60))
    return 120


def make_format(*, by: Any, workshop: Workshop) -> Format:
    """A workshop format from a held workshop: its title, guiding questions and duration, in
    its language and the translations the service wrote. Asked twice, the same format."""
    _require(by)
    if workshop.status not in HELD:
        raise NetworkError(_("Only a workshop that was held can become a format."))
    translations = {
        language: {
            "title": given.get("title") or "",
            "guiding_questions": list(given.get("guiding_questions") or []),
        }
        for language, given in workshop.translations.items()
        if language in CONTENT_LANGUAGE_CODES and given.get("title")
    }
    made, _created = Format.objects.get_or_create(
        workshop=workshop,
        defaults={
            "title": workshop.title,
            "guiding_questions": list(workshop.guiding_questions),
            "duration_minutes": _duration(workshop),
            "language": workshop.language,
            "translations": translations,
        },
    )
    return made


def save_format(
    *,
    by: Any,
    item: Format,
    duration_minutes: int,
    texts: dict[str, dict[str, Any]],
) -> None:
    """Change a format's duration and its texts per language (the original's title stays
    required; an empty translation is dropped)."""
    _require(by)
    original = texts.get(item.language) or {}
    if not original.get("title"):
        raise NetworkError(_("Give the format a title in its own language."))
    Format.objects.filter(pk=item.pk).update(
        title=original["title"],
        guiding_questions=list(original.get("guiding_questions") or []),
        duration_minutes=duration_minutes,
        translations={
            language: {
                "title": given["title"],
                "guiding_questions": list(given.get("guiding_questions") or []),
            }
            for language, given in texts.items()
            if language != item.language
            and language in CONTENT_LANGUAGE_CODES
            and given.get("title")
        },
    )


def share_format(*, by: Any, item: Format, shared: bool) -> None:
    """Put one of this city's formats in the feed, or take it out."""
    _require(by)
    if item.is_imported and shared:
        raise PermissionDenied
    Format.objects.filter(pk=item.pk).update(shared=shared)


def open_event(*, by: Any, workshop: Workshop, opened: bool) -> None:
    """Open a round table or symposium to the cities of the network (in the feed), or not."""
    _require(by)
    if workshop.kind not in EVENT_KINDS:
        raise PermissionDenied
    if opened:
        OpenEvent.objects.get_or_create(workshop=workshop)
    else:
        OpenEvent.objects.filter(workshop=workshop).delete()


# --- following other cities ---------------------------------------------------------------


def read_new_feed(url: str) -> dict[str, Any]:
    """The feed at `url`, verified with the key it announces (trust on first use)."""
    address = reading.check_address(url)
    feed = reading.verify(reading.fetch(address), pinned_key=None)
    if feed["public_key"] == signing.public_key_text():
        raise reading.FeedRefused("own")
    return feed


def follow_city(*, by: Any | None, url: str) -> FollowedCity:
    """Follow the city whose feed is at `url`: its key is pinned from now on (`by` None: the
    command line). Refusals are `reading.FeedRefused`, with the reason."""
    if by is not None:
        _require(by)
    address = reading.check_address(url)
    if FollowedCity.objects.filter(feed_url=address).exists():
        raise reading.FeedRefused("already")
    feed = read_new_feed(address)
    try:
        with transaction.atomic():
            city = FollowedCity.objects.create(
                feed_url=address,
                name=feed["city"],
                site=feed["site"],
                public_key=feed["public_key"],
                followed_by=by if getattr(by, "pk", None) else None,
                last_fetched_at=timezone.now(),
                feed=feed,
                generated_at=datetime.fromisoformat(feed["generated_at"]),
            )
    except IntegrityError:
        raise reading.FeedRefused("already") from None
    transaction.on_commit(schedule_refresh)
    return city


def unfollow_city(*, by: Any, city: FollowedCity) -> None:
    """Stop following a city; what was imported from it stays, with its attribution."""
    _require(by)
    city.delete()


def refresh_city(*, by: Any | None, city: FollowedCity) -> reading.FeedRefused | None:
    """Read the city's feed again with its pinned key (`by` None: the background worker); a
    refused reading is recorded (and returned) and the feed read before stays."""
    if by is not None:
        _require(by)
    now = timezone.now()
    try:
        feed = reading.verify(reading.fetch(city.feed_url), pinned_key=city.public_key)
        generated = datetime.fromisoformat(feed["generated_at"])
        if city.generated_at and generated < city.generated_at:
            raise reading.FeedRefused("older")
    except reading.FeedRefused as refused:
        FollowedCity.objects.filter(pk=city.pk).update(problem=refused.as_problem(), problem_at=now)
        return refused
    FollowedCity.objects.filter(pk=city.pk).update(
        name=feed["city"],
        site=feed["site"],
        feed=feed,
        generated_at=generated,
        last_fetched_at=now,
        problem={},
        problem_at=None,
    )
    return None


def refresh_all() -> int:
    """Read every followed city's feed again (the background worker, daily); the number of
    feeds refused."""
    return sum(refresh_city(by=None, city=city) is not None for city in FollowedCity.objects.all())


def schedule_refresh(*, now: datetime | None = None) -> bool:
    """Queue tomorrow's reading of the followed cities unless one is waiting; True when queued
    (each run queues the next, as the nightly retention does, ADR 0049)."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from palabre.network.tasks import refresh_followed_cities

    waiting = DBTaskResult.objects.filter(
        task_path=refresh_followed_cities.module_path, status=TaskResultStatus.READY
    )
    if waiting.exists() or not FollowedCity.objects.exists():
        return False
    refresh_followed_cities.using(run_after=(now or timezone.now()) + timedelta(days=1)).enqueue()
    return True


# --- importing from them ------------------------------------------------------------------


def _item(city: FollowedCity, kind: str, key: str) -> dict[str, Any]:
    for item in city.feed.get("items", {}).get(kind, []):
        if item.get("key") == key:
            return dict(item)
    raise reading.FeedRefused("not_found")


def _free_title(title: str, city: str) -> list[str]:
    """The title kept, or when a local playbook has it, the title with the city's name."""
    return [title, f"{title[: 147 - len(city[:60])]} ({city[:60]})"]


@transaction.atomic
def import_playbook(*, by: Any, city: FollowedCity, key: str) -> tuple[ImportedPlaybook, bool]:
    """Make a local playbook of one of the city's, remembering where it came from; imported
    already, the same one (and False)."""
    _require(by)
    existing = ImportedPlaybook.objects.filter(source_feed_url=city.feed_url, source_key=key)
    if found := existing.select_related("playbook").first():
        return found, False
    item = _item(city, "playbooks", key)
    try:
        data = playbooks.parse(item["toml"])
    except playbooks.PlaybookError as error:
        raise reading.FeedRefused("playbook", reason=str(error)) from None
    made = None
    for title in _free_title(data.title, city.name):
        try:
            made = playbook_actions.save_playbook(
                by=by,
                playbook=None,
                data=playbooks.PlaybookData(
                    data.kind, title, data.description, data.steps, data.budget
                ),
            )
            break
        except playbook_actions.TitleTaken:
            continue
    if made is None:
        raise reading.FeedRefused("title_taken", title=data.title)
    try:
        with transaction.atomic():
            imported = ImportedPlaybook.objects.create(
                playbook=made,
                city=city,
                source_city=city.name,
                source_site=city.site,
                source_feed_url=city.feed_url,
                source_key=key,
                source_title=item["title"],
                imported_by=by if getattr(by, "pk", None) else None,
            )
    except IntegrityError:
        # Someone imported it at the same moment: theirs stays, this playbook goes.
        Playbook.objects.filter(pk=made.pk).delete()
        return existing.get(), False
    return imported, True


@transaction.atomic
def import_format(*, by: Any, city: FollowedCity, key: str) -> tuple[Format, bool]:
    """Make a local format of one of the city's, marked with its origin; imported already,
    the same one (and False)."""
    _require(by)
    existing = Format.objects.filter(source_feed_url=city.feed_url, source_key=key)
    if found := existing.first():
        return found, False
    item = _item(city, "formats", key)
    texts = item["texts"]
    original = texts[item["language"]]
    try:
        with transaction.atomic():
            made = Format.objects.create(
                title=original["title"],
                guiding_questions=original["guiding_questions"],
                duration_minutes=item["duration_minutes"],
                language=item["language"],
                translations={
                    language: given
                    for language, given in texts.items()
                    if language != item["language"]
                },
                source_city=city.name,
                source_site=city.site,
                source_feed_url=city.feed_url,
                source_key=key,
            )
    except IntegrityError:
        return existing.get(), False
    return made, True
