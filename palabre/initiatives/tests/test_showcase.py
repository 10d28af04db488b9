"""The public list of citizen actions: both of its lists page by page, whatever the city's size."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World
from palabre.initiatives.models import Status
from palabre.initiatives.tests.factories import make_initiative
from palabre.initiatives.views import DONE_PAGE, SHOWCASE_PAGE

pytestmark = pytest.mark.django_db
URL = reverse("initiatives:showcase")


def _actions(world: World, n: int, status: Status, prefix: str) -> None:
    first = make_initiative(world, f"{prefix} 000")
    first.status = status
    first.save(update_fields=["status"])
    for k in range(1, n):  # copies: making each through the playbook is slow
        first.pk = None
        first.title = f"{prefix} {k:03}"
        first.save()


def test_each_list_shows_one_page_and_its_page_links_keep_the_other_list(world: World) -> None:
    _actions(world, SHOWCASE_PAGE + 2, Status.PREPARATION, "Zeta")
    _actions(world, SHOWCASE_PAGE * 2 + 1, Status.DONE, "Omega")

    page = Client().get(URL).text

    assert page.count("Zeta ") == SHOWCASE_PAGE
    assert page.count("Omega ") == SHOWCASE_PAGE
    assert page.count('aria-current="page"') == 2
    assert 'href="?page=2#under-way"' in page
    assert f'href="?{DONE_PAGE}=2#done-title"' in page
    assert 'rel="prev"' not in page

    later = Client().get(URL, {"page": "2", DONE_PAGE: "3"}).text
    assert later.count("Zeta ") == 2
    assert later.count("Omega ") == 1
    assert f'href="?{DONE_PAGE}=3&amp;page=1#under-way"' in later
    assert f'href="?page=2&amp;{DONE_PAGE}=2#done-title"' in later


@pytest.mark.parametrize("garbage", ["0", "-3", "999", "abc", "1.5", "", "2%00"])
def test_a_page_number_out_of_range_or_garbage_shows_a_page(world: World, garbage: str) -> None:
    _actions(world, SHOWCASE_PAGE + 1, Status.HAPPENING, "Zeta")
    response = Client().get(URL, {"page": garbage, DONE_PAGE: garbage})
    assert response.status_code == 200
    assert response.text.count("Zeta ") >= 1


def test_a_neighbourhood_showcase_pages_too(world: World) -> None:
    _actions(world, SHOWCASE_PAGE + 1, Status.DONE, "Omega")
    url = reverse("initiatives:neighbourhood_showcase", args=["bomel"])
    page = Client().get(url, {DONE_PAGE: "2"}).text
    assert page.count("Omega ") == 1
    assert f'href="?{DONE_PAGE}=1#done-title"' in page


@pytest.mark.usefixtures("pages_rendered_each_time")
def test_the_showcase_reads_as_many_queries_for_a_city_as_for_a_street(
    world: World, django_assert_max_num_queries: Any
) -> None:
    _actions(world, 1, Status.PREPARATION, "Zeta")
    _actions(world, 1, Status.DONE, "Omega")
    client = Client()
    client.get(URL)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    _actions(world, SHOWCASE_PAGE * 3, Status.PREPARATION, "Encore")
    _actions(world, SHOWCASE_PAGE * 3, Status.DONE, "Aussi")
    with django_assert_max_num_queries(len(few)):
        page = client.get(URL).text
    assert page.count('<li class="card">') == SHOWCASE_PAGE * 2
