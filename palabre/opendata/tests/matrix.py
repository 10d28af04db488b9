"""The open-data pages, files and API x every persona: the same public data for everyone."""

from __future__ import annotations

from typing import Any

from palabre.core.testing import MatrixRow, World, everyone


def _workshop(world: World) -> dict[str, Any]:
    from palabre.workshops.tests.factories import make_hosted_workshop

    return {"pk": make_hosted_workshop(world).pk}


def _planned_workshop(world: World) -> dict[str, Any]:
    from palabre.workshops.models import Status
    from palabre.workshops.tests.factories import make_hosted_workshop

    return {"pk": make_hosted_workshop(world, status=Status.PLANNED).pk}


def _request(world: World) -> dict[str, Any]:
    from palabre.official_requests.tests.factories import make_request

    return {"pk": make_request(world, sent=True).pk}


def _draft_request(world: World) -> dict[str, Any]:
    from palabre.official_requests.tests.factories import make_request

    return {"pk": make_request(world).pk}


def _citizen_action(world: World) -> dict[str, Any]:
    from palabre.opendata.tests.city import _initiatives

    return {"pk": _initiatives(world)["action"].pk}


def _budget_result(world: World) -> dict[str, Any]:
    from palabre.opendata.tests.city import _budget

    return {"pk": _budget(world).pk}


def _opinion_map(world: World) -> dict[str, Any]:
    from palabre.opendata.tests.city import _conversations

    return {"pk": _conversations()["conversation"].pk}


def _draft_conversation(world: World) -> dict[str, Any]:
    from palabre.opendata.tests.city import _conversations

    return {"pk": _conversations()["draft_conversation"].pk}


ROWS = [
    MatrixRow("opendata:page", everyone(200)),
    MatrixRow("opendata:catalogue_jsonld", everyone(200)),
    MatrixRow("opendata:catalogue_rdf", everyone(200)),
    MatrixRow("opendata:csv", everyone(200), kwargs=lambda world: {"dataset": "workshops"}),
    MatrixRow(
        "opendata:csv", everyone(404), kwargs=lambda world: {"dataset": "people"}, state="unknown"
    ),
    MatrixRow("opendata:api:openapi-json", everyone(200)),
    # The API's root is its index (the operation at "/" answers before ninja's own root).
    MatrixRow("opendata:api:api-root", everyone(200)),
    MatrixRow("opendata:api:index", everyone(200)),
    MatrixRow("opendata:api:workshops", everyone(200)),
    MatrixRow("opendata:api:workshop", everyone(200), kwargs=_workshop),
    MatrixRow("opendata:api:workshop", everyone(404), kwargs=_planned_workshop, state="planned"),
    MatrixRow("opendata:api:requests", everyone(200)),
    MatrixRow("opendata:api:request", everyone(200), kwargs=_request),
    MatrixRow("opendata:api:request", everyone(404), kwargs=_draft_request, state="draft"),
    MatrixRow("opendata:api:citizen-actions", everyone(200)),
    MatrixRow("opendata:api:citizen-action", everyone(200), kwargs=_citizen_action),
    MatrixRow("opendata:api:budget-results", everyone(200)),
    MatrixRow("opendata:api:budget-result", everyone(200), kwargs=_budget_result),
    MatrixRow("opendata:api:opinion-maps", everyone(200)),
    MatrixRow("opendata:api:opinion-map", everyone(200), kwargs=_opinion_map),
    MatrixRow("opendata:api:opinion-map", everyone(404), kwargs=_draft_conversation, state="draft"),
]
