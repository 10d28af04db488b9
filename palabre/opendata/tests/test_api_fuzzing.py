"""The open-data API fuzzed from its own OpenAPI document (schemathesis), in process.

Every operation the document describes is called with valid and invalid parameters built from
the document, against a small city with rows in every dataset (public and hidden): no answer
may be a server error, and every answer (status, content type, body) must match the document.
Deterministic (fixed seed, derandomized) and bounded, so that the file runs in well under a
minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from palabre.core.testing import World
from palabre.core.throttle import Limit
from palabre.opendata import publishing
from palabre.opendata.tests.city import OpenCity, make_open_city

SCHEMA = "/donnees/api/v1/openapi.json"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_wsgi(SCHEMA, get_wsgi_application())
schema.config.generation.update(max_examples=12, deterministic=True)
schema.config.seed = 2027


@pytest.fixture
def city(world: World) -> OpenCity:
    return make_open_city(world)


@pytest.fixture
def in_the_test_transaction() -> Iterator[None]:
    """Let the WSGI application use the test's database transaction: as Django's test client
    does, keep the request signals from closing the connection under it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def generous_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """No example is refused by the rate limit (its 429 answer is tested in test_api.py)."""
    monkeypatch.setattr(
        publishing, "REQUESTS_PER_MINUTE", Limit("open-data", 10**6, timedelta(minutes=1))
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("in_the_test_transaction", "generous_limit")
@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_answers_as_its_document_says(case: Any, city: OpenCity) -> None:
    # Small ids land on the city's rows (public or hidden), not only on missing ones.
    pk = (case.path_parameters or {}).get("pk")
    if isinstance(pk, int) and 1 <= pk < 1000:
        case.path_parameters["pk"] = pk % 20 + 1
    response = case.call()
    case.validate_response(response, checks=CHECKS)
    if case.method == "GET":  # the coverage phase also tries methods the API refuses (405)
        assert response.headers["access-control-allow-origin"] == ["*"]
