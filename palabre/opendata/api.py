"""The read-only JSON API of the open data (django-ninja), with its OpenAPI document.

Every list is paginated (`page`, `page_size`) and may be filtered by neighbourhood where that
makes sense; every answer carries the licence (a field and a `Link: rel="license"` header), can
be read from any origin, and counts against the connection's rate limit (429 with Retry-After).
There is no interactive documentation page: it would load scripts from a CDN (ADR 0073).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import NinjaAPI
from ninja.errors import Throttled
from ninja.params import functions as params
from ninja.throttling import BaseThrottle

from palabre.core.suppression import RULE
from palabre.core.throttle import wait_message
from palabre.opendata import publishing, schemas
from palabre.opendata.datasets import BY_ID, SLUG_PATTERN, Dataset
from palabre.opendata.records import Record, absolute

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 10_000
# Ids are database keys: larger numbers cannot exist, and some databases refuse them.
MAX_ID = 2**31 - 1
ERRORS: dict[int, Any] = {422: schemas.Invalid, 429: schemas.TooMany}
NOT_FOUND: dict[int, Any] = {404: schemas.Problem, **ERRORS}


class PerConnection(BaseThrottle):
    """The open data's rate limit (core.throttle's shared counters), per connection."""

    _waits = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        self._waits.seconds = publishing.wait_for(request)
        return self._waits.seconds is None

    def wait(self) -> float | None:
        return getattr(self._waits, "seconds", None)


class OpenDataAPI(NinjaAPI):
    """NinjaAPI whose every answer is marked as open data, with the licence in its document."""

    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        publishing.published(response)
        return response

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        schema["info"]["license"] = {"name": publishing.licence_name(), "url": publishing.licence()}
        schema["info"]["contact"] = {"name": settings.PUBLISHER_NAME, "url": absolute("/donnees/")}
        schema["info"]["title"] = f"Palabre open data — {settings.CITY_NAME}"
        return schema


def _marked(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        publishing.published(response)
        return response

    return wrapped


DESCRIPTION = f"""Open data of Palabre, the city's participation platform: what its public
pages show, as JSON (this API) and CSV. Licence: see `info.license` and each answer's `licence`
field and `Link: <…>; rel="license"` header; credit the `attribution`.

Never any personal data: no resident's name, address, email or phone, nothing a resident
typed that was not moderated. {RULE}

Rate limit: {publishing.REQUESTS_PER_MINUTE.hits} requests per minute per connection, shared by
the API, the CSV files and the catalogue; over it the answer is 429 with `Retry-After`.
The DCAT-AP catalogue is at /donnees/catalogue.jsonld and /donnees/catalogue.rdf."""

api = OpenDataAPI(
    title="Palabre open data",
    version="1",
    description=DESCRIPTION,
    urls_namespace="opendata:api",
    docs_url=None,
    docs_decorator=_marked,
    throttle=[PerConnection()],
)


@api.exception_handler(Throttled)
def too_many(request: HttpRequest, exc: Throttled) -> HttpResponse:
    seconds = math.ceil(exc.wait or 60)
    return api.create_response(
        request, {"detail": wait_message(seconds), "retry_after": seconds}, status=429
    )


# Paging ------------------------------------------------------------------------------------


def _page(
    request: HttpRequest,
    dataset: Dataset,
    page: int,
    page_size: int,
    neighbourhood: str | None = None,
) -> dict[str, Any]:
    rows = dataset.rows(neighbourhood)
    count = rows.count()
    pages = math.ceil(count / page_size)
    start = (page - 1) * page_size
    items = dataset.records(list(rows[start : start + page_size]))

    def link(number: int) -> str:
        query = {"page": number, "page_size": page_size}
        if neighbourhood is not None:
            query["neighbourhood"] = neighbourhood  # type: ignore[assignment]
        return absolute(f"{request.path}?{urlencode(query)}")

    return {
        **_published(),
        "count": count,
        "page": page,
        "page_size": page_size,
        "pages": pages,
        "next": link(page + 1) if page < pages else None,
        "previous": link(min(page - 1, pages)) if page > 1 and pages else None,
        "items": items,
    }


def _published() -> dict[str, str]:
    return {"licence": publishing.licence(), "attribution": publishing.attribution()}


def _one(dataset: Dataset, pk: int, **lookup: Any) -> dict[str, Any]:
    found = list(dataset.rows().filter(pk=pk, **lookup)[:1])
    if not found:
        raise Http404
    item: Record = dataset.records(found)[0]
    return {**_published(), "item": item}


PAGE: Any = params.Query(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
SIZE: Any = params.Query(
    PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, {MAX_PAGE_SIZE} at most."
)
PLACE: Any = params.Query(
    None,
    pattern=SLUG_PATTERN,
    max_length=50,
    description="Only this neighbourhood (its short name, as in the site's addresses).",
)
ID: Any = params.Path(..., ge=1, le=MAX_ID)


# The index ---------------------------------------------------------------------------------


@api.get("/", response={200: schemas.Index, 429: schemas.TooMany}, url_name="index")
def index(request: HttpRequest) -> dict[str, Any]:
    """Every dataset with its JSON and CSV addresses, the OpenAPI document and the catalogue."""
    return {
        **_published(),
        "title": f"Palabre open data — {settings.CITY_NAME}",
        "datasets": [
            {
                "id": dataset.id,
                "title": str(dataset.title),
                "description": str(dataset.description),
                "json_url": absolute(reverse(f"opendata:api:{dataset.id}")),
                "csv_url": absolute(reverse("opendata:csv", kwargs={"dataset": dataset.id})),
            }
            for dataset in BY_ID.values()
        ],
        "openapi": absolute(reverse("opendata:api:openapi-json")),
        "catalogue": absolute(reverse("opendata:catalogue_jsonld")),
        "catalogue_rdf": absolute(reverse("opendata:catalogue_rdf")),
        "page": absolute(reverse("opendata:page")),
        "suppression": RULE,
    }


# Datasets ----------------------------------------------------------------------------------


@api.get(
    "/workshops",
    response={200: schemas.WorkshopPage, **ERRORS},
    url_name="workshops",
    tags=["workshops"],
)
def workshops(
    request: HttpRequest, page: int = PAGE, page_size: int = SIZE, neighbourhood: str | None = PLACE
) -> dict[str, Any]:
    """Public workshops and city-wide events, oldest first."""
    return _page(request, BY_ID["workshops"], page, page_size, neighbourhood)


@api.get(
    "/workshops/{int:pk}",
    response={200: schemas.OneWorkshop, **NOT_FOUND},
    url_name="workshop",
    tags=["workshops"],
)
def workshop(request: HttpRequest, pk: int = ID) -> dict[str, Any]:
    """One public workshop or event."""
    return _one(BY_ID["workshops"], pk)


@api.get(
    "/requests",
    response={200: schemas.RequestPage, **ERRORS},
    url_name="requests",
    tags=["requests"],
)
def requests(
    request: HttpRequest, page: int = PAGE, page_size: int = SIZE, neighbourhood: str | None = PLACE
) -> dict[str, Any]:
    """Requests to officials with their answers, the most recently sent first."""
    return _page(request, BY_ID["requests"], page, page_size, neighbourhood)


@api.get(
    "/requests/{int:pk}",
    response={200: schemas.OneRequest, **NOT_FOUND},
    url_name="request",
    tags=["requests"],
)
def one_request(request: HttpRequest, pk: int = ID) -> dict[str, Any]:
    """One request to officials with its answer."""
    return _one(BY_ID["requests"], pk)


@api.get(
    "/citizen-actions",
    response={200: schemas.CitizenActionPage, **ERRORS},
    url_name="citizen-actions",
    tags=["citizen actions"],
)
def citizen_actions(
    request: HttpRequest, page: int = PAGE, page_size: int = SIZE, neighbourhood: str | None = PLACE
) -> dict[str, Any]:
    """Citizen actions under way and done, the most recent first."""
    return _page(request, BY_ID["citizen-actions"], page, page_size, neighbourhood)


@api.get(
    "/citizen-actions/{int:pk}",
    response={200: schemas.OneCitizenAction, **NOT_FOUND},
    url_name="citizen-action",
    tags=["citizen actions"],
)
def citizen_action(request: HttpRequest, pk: int = ID) -> dict[str, Any]:
    """One citizen action."""
    return _one(BY_ID["citizen-actions"], pk)


@api.get(
    "/budget-results",
    response={200: schemas.BudgetResultPage, **ERRORS},
    url_name="budget-results",
    tags=["participatory budgets"],
)
def budget_results(request: HttpRequest, page: int = PAGE, page_size: int = SIZE) -> dict[str, Any]:
    """Published results of participatory budgets, one item per envelope, newest first."""
    return _page(request, BY_ID["budget-results"], page, page_size)


@api.get(
    "/budget-results/{int:pk}",
    response={200: schemas.OneBudgetResult, **NOT_FOUND},
    url_name="budget-result",
    tags=["participatory budgets"],
)
def budget_result(request: HttpRequest, pk: int = ID) -> dict[str, Any]:
    """The published result of one envelope (its id)."""
    return _one(BY_ID["budget-results"], pk)


@api.get(
    "/opinion-maps",
    response={200: schemas.OpinionMapPage, **ERRORS},
    url_name="opinion-maps",
    tags=["opinion maps"],
)
def opinion_maps(request: HttpRequest, page: int = PAGE, page_size: int = SIZE) -> dict[str, Any]:
    """Opinion maps of public conversations, newest first."""
    return _page(request, BY_ID["opinion-maps"], page, page_size)


@api.get(
    "/opinion-maps/{int:pk}",
    response={200: schemas.OneOpinionMap, **NOT_FOUND},
    url_name="opinion-map",
    tags=["opinion maps"],
)
def opinion_map(request: HttpRequest, pk: int = ID) -> dict[str, Any]:
    """The opinion map of one public conversation (its id)."""
    return _one(BY_ID["opinion-maps"], pk)


def not_found(request: HttpRequest) -> HttpResponse:
    """Any other address under the API (an id that is not a number): a JSON 404, like the
    operations', rather than the site's HTML page."""
    return api.create_response(request, {"detail": "Not Found"}, status=404)
