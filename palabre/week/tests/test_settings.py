"""The service's settings in one place (issue 14): every page the coordinator keeps up to date
over the year is linked, none of them in the back-office."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import resolve, reverse

from palabre.core.testing import World

pytestmark = pytest.mark.django_db
URL = reverse("week:settings")


def _links(page: str) -> list[str]:
    """The addresses linked from the page's main part (not the menu or the footer)."""
    (main,) = re.findall(r"<main.*?</main>", page, re.S)
    return re.findall(r'href="(/[^"]*)"', main)


def test_every_setting_of_the_year_is_one_click_away_and_none_in_the_back_office(
    world: World,
) -> None:
    client = Client()
    client.force_login(world.person("coordinator"))
    page = client.get(URL).text
    names = {resolve(link).view_name for link in _links(page)}
    assert {
        "workshops:cycles",
        "workshops:figures",
        "neighbourhoods:places",
        "official_requests:departments",
        "official_requests:closed_days",
        "official_requests:answer_templates",
        "contributions:themes",
        "contributions:boards",
        "contributions:moderation",
        "initiatives:playbooks",
        "outbox:failed",
    } <= names
    assert not any(name.startswith("admin:") for name in names)
    # Every neighbourhood the service sees, the unpublished one included.
    places = [link for link in _links(page) if resolve(link).view_name == "neighbourhoods:places"]
    assert len(places) == 3
    for link in _links(page):
        assert client.get(link).status_code == 200, link


def test_the_coordinator_has_no_back_office_in_the_menu_the_administrator_has(
    world: World,
) -> None:
    coordinator, administrator = Client(), Client()
    coordinator.force_login(world.person("coordinator"))
    administrator.force_login(world.person("administrator"))
    admin_index = reverse("admin:index")
    assert f'href="{admin_index}"' not in coordinator.get("/").text
    assert f'href="{URL}"' in coordinator.get("/").text
    assert f'href="{admin_index}"' in administrator.get("/").text
    assert "créés par l'administrateur·rice" in unescape(coordinator.get(URL).text)


def test_the_settings_page_reads_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    client.force_login(world.person("coordinator"))
    with django_assert_max_num_queries(6):
        client.get(URL)
