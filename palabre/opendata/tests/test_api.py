"""The JSON API: what each dataset publishes (public rows only, small counts withheld), its
pages, its errors, its headers and its rate limit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World
from palabre.core.throttle import Limit
from palabre.opendata import publishing
from palabre.opendata.tests.city import OpenCity, make_open_city
from palabre.workshops.models import Status
from palabre.workshops.tests.factories import make_hosted_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(world: World) -> OpenCity:
    return make_open_city(world)


def get(url_name: str, client: Client | None = None, **kwargs: Any) -> Any:
    query = kwargs.pop("query", {})
    return (client or Client()).get(reverse(f"opendata:api:{url_name}", kwargs=kwargs), query)


def items(url_name: str, **query: Any) -> list[dict[str, Any]]:
    response = get(url_name, query=query)
    assert response.status_code == 200
    found: list[dict[str, Any]] = response.json()["items"]
    return found


def by_id(found: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {item["id"]: item for item in found}


def test_the_index_names_every_dataset_with_its_json_and_csv_addresses(city: OpenCity) -> None:
    data = get("index").json()
    assert [d["id"] for d in data["datasets"]] == [
        "workshops",
        "requests",
        "citizen-actions",
        "budget-results",
        "opinion-maps",
    ]
    assert data["datasets"][0]["csv_url"].endswith("/donnees/workshops.csv")
    assert data["datasets"][0]["json_url"].endswith("/donnees/api/v1/workshops")
    assert data["licence"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["openapi"].endswith("/donnees/api/v1/openapi.json")


def test_workshops_are_the_public_ones_with_small_attendance_withheld(city: OpenCity) -> None:
    found = by_id(items("workshops"))
    assert set(found) == {city.held.pk, city.small.pk, city.announced.pk}
    assert found[city.held.pk]["present"] == 6
    assert found[city.held.pk]["present_suppressed"] is False
    assert found[city.small.pk]["present"] is None
    assert found[city.small.pk]["present_suppressed"] is True
    # Not held yet: nothing to withhold.
    assert found[city.announced.pk]["present"] is None
    assert found[city.announced.pk]["present_suppressed"] is False
    assert found[city.held.pk]["neighbourhood"] == "bomel"
    assert found[city.held.pk]["venue"] == city.world.venue.name
    assert found[city.held.pk]["url"].endswith(f"/ateliers/{city.held.pk}/")


def test_a_workshop_not_yet_announced_is_not_found(city: OpenCity) -> None:
    response = get("workshop", pk=city.planned.pk)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    assert get("workshop", pk=city.held.pk).json()["item"]["present"] == 6


def test_requests_are_the_sent_ones_with_their_answers(city: OpenCity) -> None:
    found = items("requests")
    assert [item["id"] for item in found] == [city.answered.pk]
    item = found[0]
    assert item["answer_kind"] == "accepted"
    assert item["answer_text"] == "Le ralentisseur sera posé en juin."
    official = city.world.person("official")
    assert item["addressed_to"] == f"{official.display_name}, Échevine"
    assert item["addressee_kind"] == "official"
    assert get("request", pk=city.draft.pk).status_code == 404


def test_citizen_actions_are_those_of_the_showcase_with_their_volunteers(city: OpenCity) -> None:
    found = items("citizen-actions")
    assert [item["id"] for item in found] == [city.action.pk]
    assert found[0]["volunteers"] == 5
    assert found[0]["status"] == "preparation"
    assert get("citizen-action", pk=city.idea.pk).status_code == 404


def test_budget_results_withhold_the_votes_of_projects_chosen_by_fewer_than_five(
    city: OpenCity,
) -> None:
    found = by_id(items("budget-results"))
    city_wide = next(item for pk, item in found.items() if pk != city.envelope.pk)
    assert city_wide["neighbourhood"] is None
    assert city_wide["voters"] is None  # nobody voted there
    assert [p["votes"] for p in city_wide["projects"]] == [None, None]
    result = found[city.envelope.pk]
    assert result["voters"] == 6
    assert result["neighbourhood"] == "bomel"
    votes = [(p["title"], p["votes"], p["funded"]) for p in result["projects"]]
    assert votes == [
        ("Bancs au parc Louise-Marie", 6, True),
        ("Fresque rue Bas-de-la-Place", None, True),
        ("Potager partagé", None, False),
    ]


def test_opinion_maps_give_each_groups_votes_on_the_accepted_statements(city: OpenCity) -> None:
    found = items("opinion-maps")
    assert [item["id"] for item in found] == [city.conversation.pk]
    opinion = found[0]
    assert opinion["participants"] == 20
    assert opinion["votes"] == 180
    assert sorted(g["size"] for g in opinion["groups"]) == [10, 10]
    texts = [s["text"] for s in opinion["statements"]]
    assert texts == [f"Affirmation {n}" for n in range(1, 10)]  # not the one waiting
    last = opinion["statements"][-1]["votes"]
    assert last[0] == {"group": "all", "agree": 20, "disagree": None, "passed": None}
    assert [v["agree"] for v in last[1:]] == [10, 10]
    first = {v["group"]: v for v in opinion["statements"][0]["votes"]}
    assert {(first[g]["agree"], first[g]["disagree"]) for g in "AB"} == {(None, 10), (10, None)}
    assert get("opinion-map", pk=city.draft_conversation.pk).status_code == 404


def test_nothing_personal_reaches_any_dataset(city: OpenCity) -> None:
    client = Client()
    published = [get("index", client).content]
    for dataset in ("workshops", "requests", "citizen-actions", "budget-results", "opinion-maps"):
        published.append(get(dataset, client).content)
        published.append(client.get(reverse("opendata:csv", kwargs={"dataset": dataset})).content)
    published.append(client.get(reverse("opendata:catalogue_jsonld")).content)
    text = b"\n".join(published).decode()
    people = [p for p in city.world.people.values() if p is not None]
    official = city.world.person("official")
    for secret in [
        "Josiane",
        "Kevin",
        "example.org",
        "0470",
        "12 34 56",
        *(person.display_name for person in people if person != official),
    ]:
        assert secret not in text


def test_pages_say_where_the_next_and_previous_ones_are(city: OpenCity) -> None:
    first = get("workshops", query={"page_size": 2}).json()
    assert (first["count"], first["pages"], len(first["items"])) == (3, 2, 2)
    assert first["previous"] is None
    assert first["next"].endswith("/donnees/api/v1/workshops?page=2&page_size=2")
    second = get("workshops", query={"page": 2, "page_size": 2}).json()
    assert len(second["items"]) == 1
    assert second["next"] is None
    beyond = get("workshops", query={"page": 9, "page_size": 2}).json()
    assert beyond["items"] == []
    assert beyond["previous"].endswith("page=2&page_size=2")


def test_a_list_filters_by_neighbourhood(city: OpenCity) -> None:
    assert len(items("workshops", neighbourhood="bomel")) == 3
    assert items("workshops", neighbourhood="jambes") == []
    assert items("requests", neighbourhood="jambes") == []


@pytest.mark.parametrize(
    "query",
    [{"page": 0}, {"page": "two"}, {"page_size": 201}, {"neighbourhood": "Bomel Centre"}],
)
def test_a_wrong_parameter_is_refused_with_the_reason(city: OpenCity, query: Any) -> None:
    response = get("workshops", query=query)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"


def test_an_id_too_large_for_the_database_is_refused_not_looked_up(city: OpenCity) -> None:
    assert get("workshop", pk=2**63).status_code == 422
    assert get("opinion-map", pk=0).status_code == 422


@pytest.mark.parametrize("path", ["workshops/null", "workshops/-1", "people", "requests/1/x"])
def test_an_address_no_operation_matches_is_a_json_404(city: OpenCity, path: str) -> None:
    response = Client().get(f"/donnees/api/v1/{path}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    assert response["Access-Control-Allow-Origin"] == "*"


LISTS = ["workshops", "requests", "citizen-actions", "budget-results", "opinion-maps"]


def _more_of_everything(city: OpenCity) -> None:
    from palabre.opendata.tests import city as builder

    world = city.world
    for _number in range(3):
        builder._came(make_hosted_workshop(world, status=Status.HELD, days_from_now=-5), 5)
    builder._requests(world)
    builder._initiatives(world, prefix="more-")


@pytest.mark.parametrize("dataset", LISTS)
def test_a_list_takes_the_same_few_queries_whatever_its_length(
    city: OpenCity,
    dataset: str,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    get(dataset)  # the first request of a minute also clears the rate limit's old counters
    with CaptureQueriesContext(connection) as before:
        get(dataset)
    _more_of_everything(city)
    with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as after:
        response = get(dataset)
    assert response.status_code == 200
    assert len(after) == len(before)


def test_every_answer_carries_the_licence_and_may_be_read_from_anywhere(city: OpenCity) -> None:
    client = Client()
    answers = [
        get("workshops", client),
        get("workshop", client, pk=city.planned.pk),  # 404
        get("workshops", client, query={"page": 0}),  # 422
        client.get(reverse("opendata:api:openapi-json")),
        client.get(reverse("opendata:csv", kwargs={"dataset": "workshops"})),
        client.get(reverse("opendata:catalogue_jsonld")),
        client.get(reverse("opendata:catalogue_rdf")),
    ]
    for response in answers:
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    assert answers[0]["Cache-Control"] == "public, max-age=300"
    assert answers[1]["Cache-Control"] == "no-store"
    page = client.get(reverse("opendata:page"))
    assert "Access-Control-Allow-Origin" not in page


def test_a_signed_in_reader_gets_the_same_public_data(city: OpenCity) -> None:
    client = Client()
    client.force_login(city.world.person("coordinator"))
    found = by_id(get("workshops", client).json()["items"])
    assert city.planned.pk not in found
    assert get("request", client, pk=city.draft.pk).status_code == 404


def test_the_licence_is_the_one_the_city_chose(city: OpenCity, settings: Any) -> None:
    settings.OPEN_DATA_LICENCE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    assert get("workshops").json()["licence"] == settings.OPEN_DATA_LICENCE
    info = Client().get(reverse("opendata:api:openapi-json")).json()["info"]
    assert info["license"] == {
        "name": settings.OPEN_DATA_LICENCE,
        "url": settings.OPEN_DATA_LICENCE,
    }


def test_too_many_requests_from_one_connection_are_paused(
    city: OpenCity, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        publishing, "REQUESTS_PER_MINUTE", Limit("open-data", 2, timedelta(minutes=1))
    )
    client = Client()
    assert get("workshops", client).status_code == 200
    assert client.get(reverse("opendata:csv", kwargs={"dataset": "requests"})).status_code == 200
    refused = get("requests", client)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    body = refused.json()
    assert body["retry_after"] == int(refused["Retry-After"])
    assert "minute" in body["detail"]
    assert client.get(reverse("opendata:catalogue_rdf")).status_code == 429
    # Another connection is not paused.
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert get("workshops", other).status_code == 200
