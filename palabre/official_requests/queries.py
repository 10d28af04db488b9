"""Reads of requests to officials, filtered by what a user may see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from statistics import median
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from palabre.accounts.models import Role, User
from palabre.accounts.permissions import is_signed_in
from palabre.contributions.models import Contribution, MeToo
from palabre.contributions.models import Status as ContributionStatus
from palabre.conversations.bridging import MIN_VOTERS
from palabre.conversations.models import Moderation, Statement
from palabre.conversations.queries import visible_conversations
from palabre.official_requests.calendar import name_in
from palabre.official_requests.models import (
    AnswerDraft,
    AnswerKind,
    AnswerTemplate,
    CabinetMember,
    ClosedDay,
    Department,
    Event,
    EventKind,
    Reply,
    Request,
    Status,
)
from palabre.official_requests.permissions import can_draft
from palabre.official_requests.routing import THEME_COMPETENCES

# How many members of a group must have voted on a statement (the pages explain the figure).
BRIDGING_MIN_VOTERS = MIN_VOTERS
ACTIVE = (Status.SENT, Status.ACKNOWLEDGED, Status.ANSWERED, Status.IN_PROGRESS)


def visible_requests(user: Any) -> QuerySet[Request]:
    """Requests `user` may see: every sent one is public; drafts stay with the service."""
    queryset = Request.objects.select_related("neighbourhood", "official", "department")
    if can_draft(user):
        return queryset
    return queryset.exclude(status=Status.DRAFTED).filter(neighbourhood__is_published=True)


def tracker(
    user: Any, neighbourhood_id: int | None = None, deadline: str = ""
) -> QuerySet[Request]:
    """The public follow-up: sent requests, newest first, each with its latest progress update
    (`latest_update`, `latest_update_at`, `latest_update_language`; one query, whatever their
    number); `deadline` "late" or "week": only those late, or due within seven days."""
    queryset = visible_requests(user).exclude(status=Status.DRAFTED).filter(merged_into=None)
    if neighbourhood_id is not None:
        queryset = queryset.filter(neighbourhood_id=neighbourhood_id)
    today = timezone.localdate()
    if deadline == "late":
        queryset = queryset.filter(_late(today))
    elif deadline == "week":
        queryset = queryset.filter(_due_within(today, DUE_SOON_DAYS)).exclude(_late(today))
    updates = Event.objects.filter(
        request=OuterRef("pk"), kind=EventKind.UPDATE, is_public=True
    ).order_by("-at", "-pk")
    return with_bridging(
        queryset.annotate(
            latest_update=Subquery(updates.values("note")[:1]),
            latest_update_at=Subquery(updates.values("at")[:1]),
            latest_update_language=Subquery(updates.values("language")[:1]),
        ),
        user,
    ).order_by("-sent_at", "-pk")


def attachable_statements(user: Any) -> QuerySet[Statement]:
    """Statements a request may rest on for `user`: accepted ones of the conversations they
    see, conversation by conversation (newest first), the most broadly agreed first."""
    return (
        Statement.objects.filter(
            moderation=Moderation.ACCEPTED,
            conversation__in=visible_conversations(user).values("pk"),
        )
        .select_related("conversation")
        .order_by(
            "-conversation__created_at",
            "conversation_id",
            F("groups_agreeing").desc(nulls_last=True),
            "group_count",
            "written_at",
            "pk",
        )
    )


def _supporting(user: Any) -> QuerySet[Statement]:
    """The statements whose support across opinion groups `user` may read: accepted, in a
    conversation they see, with a map (palabre.conversations.bridging), best first."""
    return Statement.objects.filter(
        moderation=Moderation.ACCEPTED,
        conversation__in=visible_conversations(user).values("pk"),
        group_count__isnull=False,
    ).order_by(F("groups_agreeing").desc(nulls_last=True), "group_count", "pk")


def with_bridging(queryset: QuerySet[Request], user: Any) -> QuerySet[Request]:
    """`queryset` with each request's support across opinion groups as `bridging_groups` of
    `bridging_group_count` (its best statement; both None without a statement on a map), in
    the same query."""
    best = _supporting(user).filter(requests=OuterRef("pk"))
    return queryset.annotate(
        bridging_groups=Subquery(best.values("groups_agreeing")[:1]),
        bridging_group_count=Subquery(best.values("group_count")[:1]),
    )


@dataclass(frozen=True)
class Bridging:
    """A request's support across opinion groups: its statements `user` may read, best first,
    each with `groups_agreeing` of `group_count` (None before its conversation has a map)."""

    statements: list[Statement]

    @property
    def best(self) -> Statement | None:
        """The statement agreed across the most groups, None while none is on a map."""
        return next((s for s in self.statements if s.group_count is not None), None)


def bridging(user: Any, request: Request) -> Bridging:
    """The statements `request` rests on, with their support across groups (one query)."""
    return Bridging(
        list(
            Statement.objects.filter(
                requests=request,
                moderation=Moderation.ACCEPTED,
                conversation__in=visible_conversations(user).values("pk"),
            )
            .select_related("conversation")
            .order_by(F("groups_agreeing").desc(nulls_last=True), "group_count", "pk")
        )
    )


def drafts(user: Any) -> QuerySet[Request]:
    """Requests the service is still writing (none for anyone else), newest first."""
    if not can_draft(user):
        return Request.objects.none()
    return (
        Request.objects.filter(status=Status.DRAFTED, merged_into=None)
        .select_related("neighbourhood")
        .order_by("-created_at", "-pk")
    )


def request_page(user: Any, pk: int, *, private: bool) -> Request:
    """One visible request with its timeline (private notes only if `private`) and evidence."""
    events = Event.objects.select_related("by")
    if not private:
        events = events.filter(is_public=True)
    elif not can_draft(user):
        # An addressee reached by a redirect reads the private notes written since: the ones
        # before were written for the addressee before them (the service reads them all).
        handed_over = (
            Event.objects.filter(request=OuterRef("request"), kind=EventKind.REDIRECTED)
            .order_by("-pk")
            .values("pk")[:1]
        )
        events = events.annotate(handed_over=Subquery(handed_over)).filter(
            Q(is_public=True) | Q(handed_over__isnull=True) | Q(pk__gt=F("handed_over"))
        )
    # A question's replies, oldest first, with the workshop of those written on paper there.
    events = events.prefetch_related(
        Prefetch("replies", queryset=Reply.objects.select_related("workshop"))
    )
    evidence = Contribution.objects.select_related("neighbourhood")
    if not can_draft(user):
        evidence = evidence.filter(status=ContributionStatus.PUBLISHED)
    return (
        visible_requests(user)
        .select_related("workshop", "answer_from_official", "answer_from_department", "answered_by")
        .prefetch_related(
            Prefetch("events", queryset=events),
            Prefetch("contributions", queryset=evidence),
            "themes",
        )
        .get(pk=pk)
    )


def inbox(user: Any) -> QuerySet[Request]:
    """Requests addressed to `user` or to a department they answer for, oldest due first."""
    if not is_signed_in(user):
        return Request.objects.none()
    # Subqueries on the small tables, no join on the requests: indexes work, no DISTINCT.
    mine = (
        Q(official=user)
        | Q(department__in=Department.objects.filter(members=user).values("pk"))
        | Q(official__in=CabinetMember.objects.filter(collaborator=user).values("official"))
    )
    return (
        Request.objects.filter(mine)
        .exclude(status=Status.DRAFTED)
        .select_related("neighbourhood", "official", "department", "answer_draft")
        .order_by("answer_by", "pk")
    )


@dataclass(frozen=True)
class ToDo:
    """A request waiting for its addressee: the next step ("acknowledge" or "decide") and the
    day it is due."""

    request: Request
    step: str
    due: date | None


@dataclass(frozen=True)
class Inbox:
    """An addressee's requests as a to-do list: late first, then due within a week, then the
    rest; those with a decision are out of the way, in `finished`."""

    late: list[ToDo]
    this_week: list[ToDo]
    later: list[ToDo]
    finished: list[Request]

    @property
    def open_count(self) -> int:
        return len(self.late) + len(self.this_week) + len(self.later)

    @property
    def has_bridging(self) -> bool:
        """Whether a request listed rests on a statement of a conversation with a map."""
        listed = [e.request for e in self.late + self.this_week + self.later] + self.finished
        return any(getattr(item, "bridging_group_count", None) for item in listed)


def next_step(item: Request) -> ToDo | None:
    """What the addressee has to do next, or None once the request has a decision."""
    if _has_draft(item) and item.status in (Status.SENT, Status.ACKNOWLEDGED, Status.ANSWERED):
        return ToDo(item, "approve", item.answer_by)
    if item.status == Status.SENT:
        return ToDo(item, "acknowledge", item.acknowledge_by)
    if item.status == Status.ACKNOWLEDGED or (
        item.status == Status.ANSWERED and item.answer_kind == AnswerKind.UNDER_STUDY
    ):
        return ToDo(item, "decide", item.answer_by)
    return None


def _has_draft(item: Request) -> bool:
    try:
        return item.answer_draft is not None
    except AnswerDraft.DoesNotExist:
        return False


def to_do(
    user: Any,
    *,
    neighbourhood_id: int | None = None,
    theme_id: int | None = None,
    by_support: bool = False,
) -> Inbox:
    """The requests addressed to `user` (or their departments) as a to-do list, each with its
    support across opinion groups (`with_bridging`); `by_support`: within each part of the
    list (late, this week, later, done), the requests agreed across the most groups first
    (a deadline still comes before support: a late request stays among the late ones)."""
    found = with_bridging(inbox(user).prefetch_related("themes"), user)
    if neighbourhood_id:
        found = found.filter(neighbourhood_id=neighbourhood_id)
    if theme_id:
        found = found.filter(themes=theme_id)
    if by_support:
        found = found.order_by(
            F("bridging_groups").desc(nulls_last=True),
            F("bridging_group_count").asc(nulls_last=True),
            F("answer_by").asc(nulls_last=True),
            "pk",
        )
    today = timezone.localdate()
    week = today + timedelta(days=7)
    late, this_week, later, finished = [], [], [], []
    for item in found:
        step = next_step(item)
        if step is None:
            finished.append(item)
        elif _is_late(item, today):
            late.append(step)
        elif step.due is not None and step.due <= week:
            this_week.append(step)
        else:
            later.append(step)

    def by_due(entry: ToDo) -> tuple[date, int]:
        return (entry.due or date.max, entry.request.pk)

    if by_support:  # in the database's order
        return Inbox(late=late, this_week=this_week, later=later, finished=finished)
    return Inbox(
        late=sorted(late, key=by_due),
        this_week=sorted(this_week, key=by_due),
        later=sorted(later, key=by_due),
        finished=sorted(finished, key=lambda r: r.answered_at or r.created_at, reverse=True),
    )


def overdue(request: Request) -> bool:
    """Whether a deadline of `request` has passed without the step it waits for."""
    today = timezone.localdate()
    if request.status == Status.SENT and request.acknowledge_by and request.acknowledge_by < today:
        return True
    waiting = request.status in (Status.SENT, Status.ACKNOWLEDGED)
    return bool(waiting and request.answer_by and request.answer_by < today)


def suggested_addressees(request: Request) -> tuple[list[User], list[Department]]:
    """Officials and departments whose competences match the request's themes."""
    slugs = {c for theme in request.themes.all() for c in THEME_COMPETENCES.get(theme.slug, ())}
    officials = list(
        User.objects.filter(role=Role.OFFICIAL, is_active=True, portfolio__slug__in=slugs)
        .distinct()
        .order_by("display_name")
    )
    departments = list(
        Department.objects.filter(competences__slug__in=slugs).distinct().order_by("name")
    )
    return officials, departments


def cabinets(official: User | None) -> list[User]:
    """Every official (or only `official`) with the collaborators of their cabinet."""
    found = officials().prefetch_related(
        Prefetch(
            "cabinet",
            queryset=CabinetMember.objects.select_related("collaborator").order_by(
                "collaborator__display_name"
            ),
        )
    )
    if official is not None:
        found = found.filter(pk=official.pk)
    return list(found)


def officials() -> QuerySet[User]:
    """The elected officials a request can be addressed to."""
    return User.objects.filter(role=Role.OFFICIAL, is_active=True).order_by("display_name")


# An answer is a decision when it says what will happen; "under study" only says it is not
# decided yet, so it is no answer in the figures (issue 15: it must not be rewarded).
DECISIONS = (AnswerKind.ACCEPTED, AnswerKind.PLANNED, AnswerKind.REFUSED, AnswerKind.NOT_COMPETENT)


@dataclass(frozen=True)
class Rate:
    """`part` of `whole`; no percentage when nothing was due yet."""

    part: int
    whole: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.part / self.whole) if self.whole else None


@dataclass(frozen=True)
class Accountability:
    """How one official or department answers the requests sent to them in a period."""

    name: str
    received: int
    acknowledged_on_time: Rate  # of those whose acknowledgement was due or came
    decided_on_time: Rate  # of those whose answer was due or came
    median_days_to_decide: float | None
    late: int  # now past a deadline without the acknowledgement or the decision
    pending: int  # not decided yet, within their deadlines
    passed_on: int = 0  # requests this addressee handed on to someone else
    median_days_kept: float | None = None  # before handing them on


def _days(start: datetime | None, end: datetime | None) -> float | None:
    return None if start is None or end is None else (end - start).total_seconds() / 86400


def _median(values: list[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return round(median(known), 1) if known else None


def _decided(item: Request) -> bool:
    return item.answer_kind in DECISIONS and item.answered_at is not None


def _is_late(item: Request, today: date) -> bool:
    """Past the acknowledgement date without one, or past the answer date without a decision."""
    acknowledged = item.acknowledged_at is not None or item.answered_at is not None
    return (
        not acknowledged and item.acknowledge_by is not None and item.acknowledge_by < today
    ) or (not _decided(item) and item.answer_by is not None and item.answer_by < today)


def _acknowledged_in_time(item: Request) -> bool:
    first = item.acknowledged_at or item.answered_at
    due = item.acknowledge_by
    return first is not None and due is not None and timezone.localdate(first) <= due


def _decided_in_time(item: Request) -> bool:
    due, at = item.answer_by, item.answered_at
    return _decided(item) and due is not None and at is not None and timezone.localdate(at) <= due


def _holder_name(official: Any, department: Any) -> str:
    return official.display_name if official else str(department)


def _kept_before_passing_on(sent: QuerySet[Request]) -> dict[str, list[float | None]]:
    """For each holder, the days each request stayed with them before they passed it on (from
    the steps that say who had it: sent, then each redirection); the dates and holders of the
    steps only, one query."""
    kept: dict[str, list[float | None]] = defaultdict(list)
    steps = (
        Event.objects.filter(Q(official__isnull=False) | Q(department__isnull=False))
        .filter(request__in=sent.values("pk"))
        .annotate(holder=_holder("official", "department"))
        .order_by("request", "at", "pk")
        .values_list("request", "at", "holder")
    )
    for step, following in pairwise(steps):
        if step[0] == following[0]:
            days = _days(step[1], following[1])
            if days is not None:
                kept[step[2]].append(days)
    return kept


def _figures(name: str, items: list[Request], today: date) -> Accountability:
    # A rate counts the requests whose step was due, or done early: one sent yesterday, not yet
    # acknowledged, is neither on time nor late.
    acknowledgement_due = [
        i
        for i in items
        if i.acknowledge_by and (i.acknowledged_at or i.answered_at or i.acknowledge_by < today)
    ]
    answer_due = [i for i in items if i.answer_by and (_decided(i) or i.answer_by < today)]
    late = {i.pk for i in items if _is_late(i, today)}
    return Accountability(
        name=name,
        received=len(items),
        acknowledged_on_time=Rate(
            len([i for i in acknowledgement_due if _acknowledged_in_time(i)]),
            len(acknowledgement_due),
        ),
        decided_on_time=Rate(len([i for i in answer_due if _decided_in_time(i)]), len(answer_due)),
        median_days_to_decide=_median(
            [_days(i.sent_at, i.answered_at) for i in items if _decided(i)]
        ),
        late=len(late),
        pending=len([i for i in items if not _decided(i) and i.pk not in late]),
    )


def _holder(official: str, department: str) -> Case:
    """The name of whoever holds a request or step: the official, or else the department."""
    return Case(
        When(**{f"{official}__isnull": False}, then=F(f"{official}__display_name")),
        default=F(f"{department}__name"),
        output_field=CharField(),
    )


def accountability(since: date, until: date) -> list[Accountability]:
    """Figures per addressee over the requests sent from `since` to `until` (local days,
    both included), in alphabetical order: never a ranking by volume. A merged duplicate
    counts once, in the request it was merged into; an answered request counts for whoever
    answered it, and each holder who passed one on is told how long they kept it. Three
    queries, counted by the database; the medians read two dates per request."""
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    sent = Request.objects.exclude(status=Status.DRAFTED).filter(
        merged_into__isnull=True,
        sent_at__gte=datetime.combine(since, time.min, tzinfo=zone),
        sent_at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone),
    )
    # An answered request counts for whoever answered it (a delegation passes the credit on
    # with the work); one still waiting, for whoever has it now; one answered before the
    # credit was kept, for its addressee.
    credited = Q(answered_at__isnull=False) & (
        Q(answer_from_official__isnull=False) | Q(answer_from_department__isnull=False)
    )
    holder = Case(
        When(credited, then=_holder("answer_from_official", "answer_from_department")),
        default=_holder("official", "department"),
        output_field=CharField(),
    )
    decided = Q(answer_kind__in=DECISIONS, answered_at__isnull=False)
    acknowledged = Q(acknowledged_at__isnull=False) | Q(answered_at__isnull=False)
    # A rate counts the requests whose step was due, or done early: one sent yesterday, not
    # yet acknowledged, is neither on time nor late.
    acknowledgement_due = Q(acknowledge_by__isnull=False) & (
        acknowledged | Q(acknowledge_by__lt=today)
    )
    answer_due = Q(answer_by__isnull=False) & (decided | Q(answer_by__lt=today))
    late = (~acknowledged & Q(acknowledge_by__isnull=False, acknowledge_by__lt=today)) | (
        ~decided & Q(answer_by__isnull=False, answer_by__lt=today)
    )
    counted = (
        sent.annotate(holder=holder, first_sign=Coalesce("acknowledged_at", "answered_at"))
        .order_by()
        .values("holder")
        .annotate(
            received=Count("pk"),
            acknowledgement_due=Count("pk", filter=acknowledgement_due),
            acknowledged_on_time=Count(
                "pk", filter=acknowledgement_due & Q(first_sign__date__lte=F("acknowledge_by"))
            ),
            answer_due=Count("pk", filter=answer_due),
            decided_on_time=Count(
                "pk", filter=answer_due & decided & Q(answered_at__date__lte=F("answer_by"))
            ),
            late=Count("pk", filter=late),
            pending=Count("pk", filter=~decided & ~late),
        )
    )
    to_decide: dict[str, list[float | None]] = defaultdict(list)
    for name, sent_at, answered_at in (
        sent.filter(decided).annotate(holder=holder).values_list("holder", "sent_at", "answered_at")
    ):
        to_decide[name].append(_days(sent_at, answered_at))
    kept = _kept_before_passing_on(sent)
    rows = {
        row["holder"]: Accountability(
            name=row["holder"],
            received=row["received"],
            acknowledged_on_time=Rate(row["acknowledged_on_time"], row["acknowledgement_due"]),
            decided_on_time=Rate(row["decided_on_time"], row["answer_due"]),
            median_days_to_decide=_median(to_decide.get(row["holder"], [])),
            late=row["late"],
            pending=row["pending"],
        )
        for row in counted
    }
    for name in kept.keys() - rows.keys():
        rows[name] = Accountability(name, 0, Rate(0, 0), Rate(0, 0), None, 0, 0)
    return sorted(
        (
            replace(
                row,
                passed_on=len(kept.get(name, [])),
                median_days_kept=_median(list(kept.get(name, []))),
            )
            for name, row in rows.items()
        ),
        key=lambda row: row.name.casefold(),
    )


@dataclass(frozen=True)
class Totals:
    """What became of the requests sent in a period (the evaluation and the yearly report)."""

    sent: int
    decided: int  # a decision was given (accepted, planned, refused, not competent)
    decided_on_time: Rate  # of those whose answer was due or came, as on the figures page
    done: int  # the work was carried out


def totals(since: date, until: date, *, neighbourhood: Any = None) -> Totals:
    """Count the requests sent from `since` to `until` (local days, both included), in one
    neighbourhood or all; a merged duplicate counts once, in the request it was merged into.
    One query."""
    zone = timezone.get_current_timezone()
    sent = Request.objects.exclude(status=Status.DRAFTED).filter(
        merged_into__isnull=True,
        sent_at__gte=datetime.combine(since, time.min, tzinfo=zone),
        sent_at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone),
    )
    if neighbourhood is not None:
        sent = sent.filter(neighbourhood=neighbourhood)
    items = list(
        sent.only(
            "status",
            "answer_kind",
            "answered_at",
            "answer_by",
            "acknowledged_at",
            "acknowledge_by",
            "sent_at",
        ).order_by("pk")
    )
    counted = _figures("", items, timezone.localdate())
    return Totals(
        sent=counted.received,
        decided=len([item for item in items if _decided(item)]),
        decided_on_time=counted.decided_on_time,
        done=len([item for item in items if item.status == Status.DONE]),
    )


@dataclass(frozen=True)
class Support:
    """Who stands behind a request: breadth, not only volume; a person counts once."""

    contributions: int
    workshops: int
    neighbourhoods: int
    people: int  # accounts that wrote or said "me too", each once
    without_account: int  # contributions whose author has no account (cannot be deduplicated)


def support(request: Request) -> Support:
    """The breadth of a request's evidence (two queries)."""
    evidence = list(
        request.contributions.all().values("pk", "workshop_id", "neighbourhood_id", "author_id")
    )
    me_too = MeToo.objects.filter(contribution__in=[row["pk"] for row in evidence])
    people = {row["author_id"] for row in evidence if row["author_id"]}
    people |= set(me_too.values_list("user_id", flat=True))
    return Support(
        contributions=len(evidence),
        workshops=len({row["workshop_id"] for row in evidence if row["workshop_id"]}),
        neighbourhoods=len({row["neighbourhood_id"] for row in evidence}),
        people=len(people),
        without_account=sum(1 for row in evidence if not row["author_id"]),
    )


def follows(user: Any, request: Request) -> bool:
    """Whether `user` follows `request`."""
    return is_signed_in(user) and request.followers.filter(user=user).exists()


def merge_candidates(request: Request) -> QuerySet[Request]:
    """Requests of the same neighbourhood a duplicate may be merged into."""
    return (
        Request.objects.filter(neighbourhood_id=request.neighbourhood_id, merged_into=None)
        .exclude(pk=request.pk)
        .order_by("-created_at")
    )


def departments_overview() -> QuerySet[Department]:
    """Every department with its members and the number of requests waiting for its answer."""
    waiting = Q(requests__status__in=[Status.SENT, Status.ACKNOWLEDGED], requests__merged_into=None)
    return Department.objects.annotate(
        waiting_count=Count("requests", filter=waiting, distinct=True)
    ).prefetch_related(Prefetch("members", queryset=User.objects.order_by("display_name")))


DUE_SOON_DAYS = 7
_WAITING = (Status.SENT, Status.ACKNOWLEDGED)


def _late(today: date) -> Q:
    # The same rule as `overdue`, for the database.
    return Q(status=Status.SENT, acknowledge_by__lt=today) | Q(
        status__in=_WAITING, answer_by__lt=today
    )


def _due_within(today: date, days: int) -> Q:
    horizon = today + timedelta(days=days)
    return Q(status=Status.SENT, acknowledge_by__range=(today, horizon)) | Q(
        status__in=_WAITING, answer_by__range=(today, horizon)
    )


def _with_deadline(queryset: QuerySet[Request], until: date) -> QuerySet[Request]:
    # The step a request waits for: its acknowledgement when that falls by `until`, else its
    # answer; `due` is that step's deadline.
    acknowledging = Q(status=Status.SENT, acknowledge_by__lte=until)
    return (
        queryset.filter(merged_into=None)
        .annotate(
            step=Case(When(acknowledging, then=Value("acknowledge")), default=Value("answer")),
            due=Case(When(acknowledging, then=F("acknowledge_by")), default=F("answer_by")),
        )
        .select_related("official", "department", "neighbourhood")
        .order_by("due", "pk")
    )


def late_requests() -> QuerySet[Request]:
    """Requests past a deadline without the step they wait for (as `overdue`), the oldest
    deadline first, each with `step` ("acknowledge" or "answer") and `due`."""
    today = timezone.localdate()
    return _with_deadline(Request.objects.filter(_late(today)), today - timedelta(days=1))


def due_soon(days: int = DUE_SOON_DAYS) -> QuerySet[Request]:
    """Requests not late whose next deadline falls within `days`, the soonest first, each with
    `step` ("acknowledge" or "answer") and `due`."""
    today = timezone.localdate()
    waiting = Request.objects.filter(_due_within(today, days)).exclude(_late(today))
    return _with_deadline(waiting, today + timedelta(days=days))


@dataclass(frozen=True)
class ShownClosedDay:
    """A closed day of the calendar page, with its name in the reader's language."""

    closed: ClosedDay
    name: str

    @property
    def is_weekend(self) -> bool:
        return self.closed.day.weekday() >= 5


def closed_days_of(year: int, language: str) -> list[ShownClosedDay]:
    """The closed days of `year` in order, named in `language` when Palabre preset them."""
    return [
        ShownClosedDay(closed, name_in(closed.day, closed.name, language))
        for closed in ClosedDay.objects.filter(day__year=year).order_by("day")
    ]


def answer_templates_by_kind() -> list[tuple[str, list[AnswerTemplate]]]:
    """Every ready answer, grouped by kind in the order officials choose them (one query)."""
    templates = list(AnswerTemplate.objects.order_by("title", "pk"))
    return [
        (str(kind.label), [t for t in templates if t.kind == kind])
        for kind in AnswerKind
        if any(t.kind == kind for t in templates)
    ]
