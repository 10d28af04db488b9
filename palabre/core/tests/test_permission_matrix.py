"""Every URL x every persona -> the expected status. A URL missing from the matrix fails."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from palabre.core.testing import PERSONAS, MatrixRow, World

# URLs deliberately outside the matrix, each with its reason.
NOT_IN_MATRIX = {
    "admin:jsi18n": "static JavaScript catalogue of the admin, no data",
    "admin:view_on_site": "redirect helper of the admin, covered by the object pages",
    "admin:autocomplete": "no autocomplete field is declared yet",
    "admin:login": "Django's own sign-in form, rows below in test_admin_sign_in_pages",
    "admin:logout": "Django's own sign-out, POST only",
    "admin:password_change": "unused: people sign in with a one-time code or a password",
    "admin:password_change_done": "unused, as above",
}


def _all_rows() -> list[MatrixRow]:
    rows: list[MatrixRow] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("palabre."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.matrix")
        except ModuleNotFoundError:
            continue
        rows.extend(module.ROWS)
    rows.extend(importlib.import_module("palabre.core.tests.admin_matrix").ROWS)
    return rows


def _url_names(resolver: URLResolver, namespace: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


ROWS = _all_rows()


def test_every_url_is_in_the_permission_matrix() -> None:
    covered = {row.url_name for row in ROWS} | set(NOT_IN_MATRIX)
    missing = sorted(set(_url_names(get_resolver())) - covered)
    assert not missing, f"URLs without a permission-matrix row: {missing}"


def test_the_matrix_names_only_existing_urls() -> None:
    unknown = sorted({row.url_name for row in ROWS} - set(_url_names(get_resolver())))
    assert not unknown, f"matrix rows for URLs that do not exist: {unknown}"


@pytest.mark.parametrize(
    "row", ROWS, ids=[f"{r.url_name}{'[' + r.state + ']' if r.state else ''}" for r in ROWS]
)
def test_permission_matrix(row: MatrixRow, world: World) -> None:
    url = reverse(row.url_name, kwargs=row.kwargs(world))
    actual = {}
    for persona in PERSONAS:
        client = Client()
        user = world.user(persona)
        if user is not None:
            client.force_login(user)
        send = getattr(client, row.method if not row.state.startswith("with GET") else "get")
        actual[persona] = send(url, row.data(world)).status_code
    assert actual == row.expected


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 200), ("resident", 200), ("coordinator", 302), ("administrator", 302)],
)
def test_admin_sign_in_pages(world: World, persona: str, status: int) -> None:
    client = Client()
    user = world.user(persona)
    if user is not None:
        client.force_login(user)
    assert client.get(reverse("admin:login")).status_code == status
