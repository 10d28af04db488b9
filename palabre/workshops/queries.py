"""Reads of cycles, workshops and registrations, filtered by what a user may see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, Window
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from palabre.accounts.models import Role, User
from palabre.accounts.permissions import has_role
from palabre.core.names import Match, best_first
from palabre.neighbourhoods.models import Neighbourhood, Partner, Venue
from palabre.workshops.models import (
    PUBLIC_STATUSES,
    Cycle,
    EventKind,
    HeardElsewhere,
    InvitationBatch,
    Registration,
    RegistrationStatus,
    Session,
    Status,
    Workshop,
)
from palabre.workshops.permissions import can_manage_workshops
from palabre.workshops.planning import PlanningReport, build_report


def _visible(user: Any) -> Q:
    if can_manage_workshops(user):
        return Q()
    visible = Q(status__in=PUBLIC_STATUSES)
    if has_role(user, Role.FACILITATOR, Role.COORDINATOR):
        visible |= Q(pk__in=Workshop.objects.filter(facilitators=user).values("pk"))
    if has_role(user, Role.PARTNER):
        visible |= Q(pk__in=Workshop.objects.filter(partners=user.organisation_id).values("pk"))
    return visible


def visible_workshops(user: Any) -> QuerySet[Workshop]:
    """Return the workshops `user` may see, with what their pages show loaded."""
    return (
        Workshop.objects.filter(_visible(user))
        .select_related("cycle", "neighbourhood", "venue")
        .prefetch_related("partners", "facilitators")
    )


def with_attendance(queryset: QuerySet[Workshop]) -> QuerySet[Workshop]:
    """Annotate workshops with their numbers of confirmed and waiting registrations."""
    return queryset.annotate(
        confirmed_count=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.CONFIRMED),
            distinct=True,
        ),
        waiting_count=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.WAITING),
            distinct=True,
        ),
    )


def upcoming_in(user: Any, neighbourhood: Neighbourhood) -> QuerySet[Workshop]:
    """Return the coming workshops of a neighbourhood that `user` may see (for a list)."""
    return Workshop.objects.filter(
        _visible(user), neighbourhood=neighbourhood, starts_at__gte=timezone.now()
    ).select_related("venue")


def public_workshops() -> QuerySet[Workshop]:
    """Return what anyone may see, for calendars and feeds."""
    return visible_workshops(None).filter(starts_at__isnull=False)


def cycle_planning(cycle: Cycle) -> PlanningReport:
    """Return the planning table and its flags for one cycle."""
    workshops = list(
        Workshop.objects.filter(cycle=cycle)
        .select_related("neighbourhood", "venue")
        .prefetch_related("partners", "facilitators")
    )
    # The city's calendar of closed days (legal holidays, local closures), as the requests'
    # deadlines use it; the cycle's years are preset once.
    from palabre.official_requests.actions import ensure_calendar
    from palabre.official_requests.calendar import name_in
    from palabre.official_requests.models import ClosedDay

    ensure_calendar(range(cycle.starts_on.year, cycle.ends_on.year + 1))
    language = get_language() or settings.LANGUAGE_CODE
    closed = {
        day: name_in(day, name, language)
        for day, name in ClosedDay.objects.filter(
            day__range=(cycle.starts_on, cycle.ends_on)
        ).values_list("day", "name")
    }
    return build_report(
        starts_on=cycle.starts_on,
        ends_on=cycle.ends_on,
        planned_per_neighbourhood=cycle.workshops_per_neighbourhood,
        neighbourhoods=list(cycle.neighbourhoods.all()),
        workshops=workshops,
        closed_days=closed,
    )


def registrations_of(workshop: Workshop) -> QuerySet[Registration]:
    """Return the active registrations of a workshop, first come first."""
    return workshop.registrations.exclude(status=RegistrationStatus.CANCELLED).select_related(
        "user"
    )


def cycles() -> QuerySet[Cycle]:
    """Return every cycle, newest first, with its number of workshops."""
    return Cycle.objects.annotate(workshop_count=Count("workshops")).prefetch_related(
        Prefetch("neighbourhoods", queryset=Neighbourhood.objects.order_by("position"))
    )


def batches_of(workshop: Workshop) -> QuerySet[InvitationBatch]:
    """Return the invitation batches of a workshop with the registrations and arrivals each
    brought."""
    came_by = Q(workshop__registrations__channel=F("code")) & ~Q(
        workshop__registrations__status=RegistrationStatus.CANCELLED
    )
    return workshop.batches.annotate(
        registration_count=Count("workshop__registrations", filter=came_by),
        arrival_count=Count(
            "workshop__registrations",
            filter=came_by & Q(workshop__registrations__checked_in_at__isnull=False),
        ),
    )


@dataclass(frozen=True)
class Attendance:
    """Who registered and who came. "Returning": recognised from an earlier workshop (same
    account or email) or said "not the first time"; "first time": said so and not recognised;
    the others present were not asked. Nothing is guessed."""

    registered: int
    present: int
    walk_ins: int
    returning: int
    first_timers: int

    @property
    def not_known(self) -> int:
        return self.present - self.returning - self.first_timers


PRESENT = Q(checked_in_at__isnull=False)


def _came_before() -> QuerySet[Any, Any]:
    """The presences of a person (same account, or same email) already present at an earlier
    workshop, found in one pass over every presence."""
    starts = "workshop__starts_at"
    return (
        Registration.objects.filter(PRESENT)
        .annotate(
            starts=F(starts),
            first_by_account=Window(Min(starts), partition_by=[F("user")]),
            first_by_email=Window(Min(starts), partition_by=[F("email")]),
        )
        .filter(
            Q(user__isnull=False, first_by_account__lt=F("starts"))
            | (~Q(email="") & Q(first_by_email__lt=F("starts")))
        )
        .values("pk")
    )


def _counted(
    registrations: QuerySet[Registration], *, many: bool = False
) -> QuerySet[Registration]:
    """The active registrations, each marked `recognised` when the same account or email came
    to an earlier workshop: looked up for each registration, or, for `many` of them (the
    city's figures), found in one pass over every presence (docs/scale.md)."""
    active = registrations.exclude(status=RegistrationStatus.CANCELLED)
    if many:
        return active.annotate(recognised=Q(pk__in=_came_before()))
    earlier = Registration.objects.filter(
        PRESENT, workshop__starts_at__lt=OuterRef("workshop__starts_at")
    )
    # Two lookups rather than one with "or": each reads its own index (user, present email)
    # instead of every earlier presence for each registration.
    return active.annotate(
        recognised=Exists(earlier.filter(user__isnull=False, user=OuterRef("user")))
        | Exists(earlier.exclude(email="").filter(email=OuterRef("email")))
    )


# Counted apart for the recognised and the others, so that the database looks for an earlier
# presence once per registration; `_attendance` puts the two halves together.
_COUNTS = {
    "registered": Count("pk", filter=Q(is_walk_in=False)),
    "present": Count("pk", filter=PRESENT),
    "walk_ins": Count("pk", filter=Q(is_walk_in=True)),
    "said_returning": Count("pk", filter=PRESENT & Q(first_time=False)),
    "said_first_time": Count("pk", filter=PRESENT & Q(first_time=True)),
}
ATTENDANCE = ("registered", "present", "walk_ins", "returning", "first_timers")


def _attendance(rows: Iterable[dict[str, Any]], key: str) -> dict[Any, Attendance]:
    """Add up rows counted per `key` and per `recognised` into one Attendance per key."""
    found: dict[Any, Attendance] = {}
    for row in rows:
        recognised = bool(row["recognised"])
        half = Attendance(
            registered=row["registered"],
            present=row["present"],
            walk_ins=row["walk_ins"],
            # Recognised: came before, whatever they said; otherwise as they said.
            returning=row["present"] if recognised else row["said_returning"],
            first_timers=0 if recognised else row["said_first_time"],
        )
        found[row[key]] = total([found.get(row[key], NOBODY), half])
    return found


def _grouped(
    registrations: QuerySet[Registration], *keys: str, many: bool = False
) -> list[dict[str, Any]]:
    """Counts per `keys` and per `recognised` (one query)."""
    return list(
        _counted(registrations, many=many)
        .order_by()
        .values(*keys, "recognised")
        .annotate(**_COUNTS)
    )


def attendance(workshop: Workshop) -> Attendance:
    """Count who registered and who came to one workshop."""
    rows = _grouped(workshop.registrations.all(), "workshop")
    return _attendance(rows, "workshop").get(workshop.pk, NOBODY)


def attendance_of(workshops: QuerySet[Workshop]) -> dict[int, Attendance]:
    """Count who registered and who came, per workshop, in one query."""
    rows = _grouped(Registration.objects.filter(workshop__in=workshops), "workshop")
    return _attendance(rows, "workshop")


def channels_of(workshops: QuerySet[Workshop]) -> dict[str, int]:
    """How the people present heard of these workshops: channel code -> people ("" when not
    known)."""
    rows = (
        Registration.objects.filter(PRESENT, workshop__in=workshops)
        .exclude(status=RegistrationStatus.CANCELLED)
        .order_by()
        .values("channel")
        .annotate(people=Count("pk"))
    )
    return {row["channel"]: row["people"] for row in rows}


def arrivals(workshop: Workshop) -> QuerySet[Registration]:
    """Return the people expected or present at a workshop, by name."""
    return registrations_of(workshop).order_by("name", "pk")


@dataclass(frozen=True)
class ArrivalSearch:
    """The people a check-in search found, best match first."""

    people: list[Registration]
    only_close: bool  # nobody is spelt as searched: every name found is a typing mistake away


def find_arrivals(workshop: Workshop, search: str) -> ArrivalSearch:
    """Return the people expected or present at a workshop whose name matches `search`, accents,
    case and one typing mistake aside, best match first (ADR 0064); everyone when it is empty."""
    # One query whatever the search: a workshop has at most a few hundred registrations, matched
    # in Python so that SQLite and PostgreSQL give the same people in the same order.
    found = best_first(search, registrations_of(workshop).order_by("pk"), lambda one: one.name)
    return ArrivalSearch(
        people=[each.item for each in found],
        only_close=bool(found) and found[0].match == Match.CLOSE,
    )


def past_in(user: Any, neighbourhood: Neighbourhood) -> QuerySet[Workshop]:
    """Return the past workshops of a neighbourhood, newest first, flagged when reported."""
    return (
        Workshop.objects.filter(
            _visible(user), neighbourhood=neighbourhood, starts_at__lt=timezone.now()
        )
        .exclude(status=Status.CANCELLED)
        .annotate(has_minutes=Q(minutes__published_at__isnull=False))
        .order_by("-starts_at")
    )


def past_workshops(user: Any) -> QuerySet[Workshop]:
    """Return the past, not cancelled workshops `user` may see, newest first."""
    return (
        Workshop.objects.filter(_visible(user), starts_at__lt=timezone.now())
        .exclude(status=Status.CANCELLED)
        .select_related("neighbourhood")
        .order_by("-starts_at")
    )


@dataclass(frozen=True)
class OwnWorkshops:
    """The workshops a person facilitates, as their "my workshops" page lists them."""

    today: list[Workshop]  # by start time
    coming: list[Workshop]  # from tomorrow, soonest first
    to_finish: list[Workshop]  # before today, not yet held or without published minutes


def own_workshops(user: Any) -> OwnWorkshops:
    """Return the workshops `user` facilitates: today's, the coming ones, and the past ones
    still to record as held or to write minutes for; two queries whatever their number."""
    here = timezone.get_current_timezone()
    today = datetime.combine(timezone.localdate(), time.min, tzinfo=here)
    tomorrow = datetime.combine(timezone.localdate() + timedelta(days=1), time.min, tzinfo=here)
    unfinished = Q(starts_at__lt=today, status__in=[Status.ANNOUNCED, Status.HELD])
    listed: list[Workshop] = list(
        with_attendance(Workshop.objects.filter(facilitators=user))
        .filter(Q(starts_at__gte=today) | unfinished)
        .select_related("neighbourhood", "venue")
        .prefetch_related("facilitators")
        .order_by("starts_at", "pk")
    )
    starts = {workshop.pk: workshop.starts_at or today for workshop in listed}  # never None here
    return OwnWorkshops(
        today=[w for w in listed if today <= starts[w.pk] < tomorrow],
        coming=[w for w in listed if starts[w.pk] >= tomorrow],
        to_finish=[w for w in reversed(listed) if starts[w.pk] < today],
    )


def programme(workshop: Workshop) -> QuerySet[Session]:
    """Return the sessions of an event with their speakers, in order."""
    return workshop.sessions.prefetch_related("speakers")


def upcoming_city_wide(user: Any) -> QuerySet[Workshop]:
    """Return the coming round tables and symposiums `user` may see."""
    return (
        Workshop.objects.filter(_visible(user), starts_at__gte=timezone.now())
        .exclude(kind=EventKind.WORKSHOP)
        .select_related("venue")
    )


@dataclass(frozen=True)
class PlanningChoices:
    """What the planning form offers for a cycle."""

    venues: QuerySet[Venue]
    partners: QuerySet[Partner]
    facilitators: QuerySet[User]
    past_questions: list[str]


def planning_choices(cycle: Cycle) -> PlanningChoices:
    """Venues and partners of the cycle's neighbourhoods, the staff who can facilitate (active
    facilitators and coordinators), and the guiding questions of the previous cycle."""
    areas = cycle.neighbourhoods.all()
    previous = cycle.duplicated_from or (
        Cycle.objects.filter(starts_on__lt=cycle.starts_on).order_by("-starts_on").first()
    )
    questions: list[str] = []
    if previous is not None:
        for asked in previous.workshops.values_list("guiding_questions", flat=True):
            questions += [q for q in asked if isinstance(q, str) and q not in questions]
    return PlanningChoices(
        venues=Venue.objects.filter(neighbourhood__in=areas, is_published=True)
        .select_related("neighbourhood")
        .order_by("neighbourhood__position", "name"),
        partners=Partner.objects.filter(neighbourhoods__in=areas)
        .distinct()
        .prefetch_related("neighbourhoods")
        .order_by("name"),
        facilitators=User.objects.filter(
            role__in=[Role.FACILITATOR, Role.COORDINATOR], is_active=True
        ).order_by("display_name"),
        past_questions=questions[:20],
    )


def upcoming_gaps(days: int = 30) -> QuerySet[Workshop]:
    """Workshops of the next `days` days still missing something, the soonest first (read
    what with `missing`): not announced, no venue, no facilitator, no partner for a
    neighbourhood workshop, no invitations printed."""
    now = timezone.now()
    pk = OuterRef("pk")
    return (
        Workshop.objects.filter(
            status__in=[Status.PLANNED, Status.ANNOUNCED],
            starts_at__gte=now,
            starts_at__lte=now + timedelta(days=days),
        )
        .annotate(
            has_facilitator=Exists(Workshop.facilitators.through.objects.filter(workshop=pk)),
            has_partner=Exists(Workshop.partners.through.objects.filter(workshop=pk)),
            has_invitations=Exists(InvitationBatch.objects.filter(workshop=pk)),
        )
        .filter(
            Q(status=Status.PLANNED)
            | Q(venue__isnull=True)
            | Q(has_facilitator=False)
            | Q(kind=EventKind.WORKSHOP, has_partner=False)
            | Q(has_invitations=False)
        )
        .select_related("neighbourhood", "cycle")
        .order_by("starts_at", "pk")
    )


def missing(workshop: Workshop) -> list[str]:
    """What a workshop of `upcoming_gaps` still misses, in words for the service."""
    return [
        label
        for label, lacking in (
            (_("announce it"), workshop.status == Status.PLANNED),
            (_("a venue"), workshop.venue_id is None),
            (_("a facilitator"), not workshop.has_facilitator),  # type: ignore[attr-defined]
            (
                _("a partner"),
                workshop.kind == EventKind.WORKSHOP and not workshop.has_partner,  # type: ignore[attr-defined]
            ),
            (_("invitations"), not workshop.has_invitations),  # type: ignore[attr-defined]
        )
        if lacking
    ]


def channel_choices(workshop: Workshop) -> list[tuple[str, Any]]:
    """The answers to "how did you hear about it?": "not asked", the workshop's channels (one
    per invitation label), then HeardElsewhere."""
    first_code: dict[str, str] = {}
    for code, label in workshop.batches.order_by("pk").values_list("code", "label"):
        first_code.setdefault(label, code)
    return [
        ("", _("Not asked")),
        *[(code, label) for label, code in first_code.items()],
        *HeardElsewhere.choices,
    ]


def lettered_channels(workshop: Workshop) -> list[tuple[str, str]]:
    """The answers of `channel_choices` lettered as on the printed sign-in sheet ("A — Flyer"),
    so that the boxes ticked on paper are entered back with the same letters."""
    asked, *answers = channel_choices(workshop)
    return [
        asked,
        *[
            (code, f"{chr(ord('A') + index)} — {label}")
            for index, (code, label) in enumerate(answers)
        ],
    ]


def total(figures: Iterable[Attendance]) -> Attendance:
    """Add attendances up (a neighbourhood's, a cycle's)."""
    listed = list(figures)
    return Attendance(**{name: sum(getattr(one, name) for one in listed) for name in ATTENDANCE})


@dataclass(frozen=True)
class Figures:
    """Who came and how, over the workshops held in a period (the figures page and its CSV)."""

    workshops: list[tuple[Workshop, Attendance]]  # all of them, or the page asked for
    neighbourhoods: list[tuple[str, Attendance]]
    overall: Attendance
    channels: list[tuple[str, int]]
    page: Page[Workshop] | None = None  # when only one page of workshops is listed


NOBODY = Attendance(registered=0, present=0, walk_ins=0, returning=0, first_timers=0)
FIGURES_PER_PAGE = 50


def figures(
    *,
    cycle: Cycle | None = None,
    neighbourhood: Neighbourhood | None = None,
    start: date | None = None,
    end: date | None = None,
    page: int | str | None = None,
) -> Figures:
    """Figures of the workshops that took place (not cancelled, begun), filtered; every
    workshop listed, or one page of them when `page` is given; a fixed number of queries
    whatever their number."""
    workshops = (
        Workshop.objects.filter(starts_at__lte=timezone.now())
        .exclude(status__in=[Status.CANCELLED, Status.PLANNED])
        .order_by("starts_at", "pk")
    )
    if cycle is not None:
        workshops = workshops.filter(cycle=cycle)
    if neighbourhood is not None:
        workshops = workshops.filter(neighbourhood=neighbourhood)
    if start is not None:
        workshops = workshops.filter(starts_at__date__gte=start)
    if end is not None:
        workshops = workshops.filter(starts_at__date__lte=end)
    # What the list shows of a workshop, without the neighbourhood's boundary.
    shown = workshops.select_related("neighbourhood", "cycle").defer(
        "neighbourhood__boundary", "neighbourhood__description"
    )
    one_page = None if page is None else Paginator(shown, FIGURES_PER_PAGE).get_page(page)
    listed_workshops = list(shown if one_page is None else one_page.object_list)
    # One pass counts every workshop held; its neighbourhood's and the city's figures are
    # the sums of these rows (two per workshop at most), not of registrations.
    area_key = "workshop__neighbourhood__name"
    counted = _grouped(
        Registration.objects.filter(workshop__in=workshops), "workshop", area_key, many=True
    )
    per_workshop = _attendance(counted, "workshop")
    city_wide = str(_("City-wide"))
    per_area = {
        city_wide if name is None else name: figures
        for name, figures in _attendance(counted, area_key).items()
    }
    areas = {
        city_wide if name is None else name
        for name in workshops.order_by().values_list("neighbourhood__name", flat=True).distinct()
    }
    came_by = channels_of(workshops)
    labels: dict[str, Any] = dict(
        InvitationBatch.objects.filter(code__in=came_by).values_list("code", "label")
    )
    labels |= dict(HeardElsewhere.choices) | {"": _("Not known")}
    by_label: dict[str, int] = {}
    for code, people in came_by.items():
        label = str(labels.get(code, code))
        by_label[label] = by_label.get(label, 0) + people
    return Figures(
        workshops=[(one, per_workshop.get(one.pk, NOBODY)) for one in listed_workshops],
        neighbourhoods=[(area, per_area.get(area, NOBODY)) for area in sorted(areas)],
        overall=total(per_area.values()),
        channels=sorted(by_label.items(), key=lambda item: -item[1]),
        page=one_page,
    )
