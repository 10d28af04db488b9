"""Reads of contributions, filtered by what a user may see."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value

from palabre.accounts.permissions import is_signed_in
from palabre.contributions.models import (
    Appeal,
    AppealStatus,
    Board,
    Contribution,
    Event,
    MeToo,
    Photo,
    Reason,
    Status,
    Suggester,
    Theme,
)
from palabre.contributions.permissions import (
    can_edit_themes,
    can_moderate,
    can_see_unpublished_photos,
)
from palabre.links.queries import holding
from palabre.neighbourhoods.models import Neighbourhood
from palabre.neighbourhoods.queries import visible_neighbourhoods
from palabre.themes import ThemeModel
from palabre.workshops.models import Workshop


def captured_at(workshop: Workshop) -> QuerySet[Contribution]:
    """Return what was noted at a workshop, in order, with its themes (not the notes deleted by
    whoever noted them)."""
    return (
        workshop.contributions.exclude(hidden_reason=Reason.WITHDRAWN)
        .prefetch_related("themes")
        .order_by("created_at", "pk")
    )


def active_themes() -> QuerySet[Theme]:
    """Return the themes of the taxonomy in use."""
    return Theme.objects.filter(is_active=True)


def themes_overview(user: Any) -> QuerySet[Theme]:
    """Return the taxonomy in order with `published_count`, the number of published
    contributions tagged with each theme; themes out of use and contributions of unpublished
    neighbourhoods only for whoever edits the themes."""
    published = Q(contributions__status=Status.PUBLISHED)
    queryset = Theme.objects.order_by("position", "name", "pk")
    if not can_edit_themes(user):
        published &= Q(contributions__neighbourhood__is_published=True)
        queryset = queryset.filter(is_active=True)
    return queryset.annotate(published_count=Count("contributions", filter=published))


def boards_overview(user: Any) -> list[tuple[Neighbourhood, Board | None]]:
    """Return each neighbourhood `user` sees with its online board (None before it is set up)."""
    neighbourhoods = visible_neighbourhoods(user).select_related("board")
    return [(place, getattr(place, "board", None)) for place in neighbourhoods]


def _public() -> Q:
    return Q(status=Status.PUBLISHED, neighbourhood__is_published=True)


def visible_contributions(user: Any) -> QuerySet[Contribution]:
    """Return the contributions `user` may read: published ones, their own (written or noted at
    a workshop), all for moderators."""
    queryset = Contribution.objects.select_related("neighbourhood", "workshop", "photo")
    if can_moderate(user):
        return queryset
    if is_signed_in(user):  # and what they wrote or noted themselves
        return queryset.filter(_public() | Q(author=user) | Q(captured_by=user))
    return queryset.filter(_public())


def with_me_too(queryset: QuerySet[Contribution], user: Any) -> QuerySet[Contribution]:
    """Annotate the "me too" count and whether `user` said it, and load the themes."""
    mine = (
        Exists(MeToo.objects.filter(contribution=OuterRef("pk"), user=user.pk))
        if is_signed_in(user)
        else Value(False)
    )
    return queryset.annotate(
        me_too_count=Count("me_too", distinct=True), mine=mine
    ).prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("position", "name")))


def board_of(neighbourhood: Neighbourhood) -> Board | None:
    """Return the neighbourhood's online board, if the coordinator set one up."""
    return Board.objects.filter(neighbourhood=neighbourhood).select_related("neighbourhood").first()


def published_in(neighbourhood: Neighbourhood, user: Any) -> QuerySet[Contribution]:
    """Return what residents said in a neighbourhood, newest first, with "me too" counts."""
    return with_me_too(
        visible_contributions(None).filter(neighbourhood=neighbourhood), user
    ).order_by("-created_at", "-pk")


def contribution_page(queryset: QuerySet[Contribution], user: Any) -> QuerySet[Contribution]:
    """Load one contribution's page: themes, "me too", history and appeals."""
    return with_me_too(queryset, user).prefetch_related(
        Prefetch("events", queryset=Event.objects.select_related("by")),
        Prefetch("appeals", queryset=Appeal.objects.order_by("created_at", "pk")),
        "requests",  # what came of it: requests to officials and citizen actions
        "initiatives",
    )


def by_follow_token(token: str) -> QuerySet[Contribution]:
    """Return the contribution behind a private follow-up link (none for an empty token)."""
    return holding(
        Contribution.objects.select_related("neighbourhood", "workshop", "photo", "link"), token
    )


def moderation_queue(neighbourhood: Neighbourhood | None = None) -> QuerySet[Contribution]:
    """Return what awaits a moderator: pending, published unread, hidden with an open appeal."""
    open_appeals = Appeal.objects.filter(status=AppealStatus.OPEN)
    # A union of ids rather than "or": each half reads its own index (contribution_to_moderate,
    # the appeals), never the city's hundreds of thousands of contributions.
    waiting = (
        Contribution.objects.filter(
            Q(status=Status.PENDING) | Q(status=Status.PUBLISHED, reviewed_at__isnull=True)
        )
        .values("pk")
        .union(open_appeals.values("contribution"))
    )
    queryset = (
        Contribution.objects.select_related("neighbourhood", "workshop")
        .annotate(open_appeal=Exists(open_appeals.filter(contribution=OuterRef("pk"))))
        .filter(pk__in=waiting)
        .order_by("created_at", "pk")
    )
    if neighbourhood is not None:
        queryset = queryset.filter(neighbourhood=neighbourhood)
    return queryset


def visible_photos(user: Any) -> QuerySet[Photo]:
    """Return the photos `user` may see: all for staff, else the published photos of a
    contribution they may read (handwriting cannot be masked)."""
    if can_see_unpublished_photos(user):
        return Photo.objects.all()
    readable = visible_contributions(user).filter(photo=OuterRef("pk"))
    return Photo.objects.filter(Exists(readable), published_at__isnull=False)


@lru_cache(maxsize=2)
def _suggester(pk: int) -> ThemeModel:
    data = Suggester.objects.values_list("data", flat=True).get(pk=pk)
    return ThemeModel.from_bytes(bytes(data))


def suggested_themes(
    contributions: list[Contribution], themes: list[Theme], *, k: int = 3, floor: float = 0.1
) -> dict[int, list[Theme]]:
    """Up to `k` likely themes (probability >= floor) for each contribution without a theme.

    Empty when no suggester has been trained yet (actions.request_suggester asks for one).
    """
    newest = Suggester.objects.values_list("pk", flat=True).first()
    if newest is None:
        return {}
    model = _suggester(newest)
    by_name = {theme.name: theme for theme in themes}
    untagged = [c for c in contributions if not c.themes.all()]
    ranked = model.suggest_many([c.text for c in untagged], k=len(model.themes))
    return {
        contribution.pk: [
            by_name[s.theme] for s in found if s.theme in by_name and s.score >= floor
        ][:k]
        for contribution, found in zip(untagged, ranked, strict=True)
    }
