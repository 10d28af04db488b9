"""The open-data page for people: what is published, the licence, the files, what never is."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from palabre.opendata.datasets import DATASETS

pytestmark = pytest.mark.django_db


def test_the_page_links_every_dataset_the_licence_and_the_catalogue(
    django_assert_max_num_queries: object,
) -> None:
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        response = Client().get(reverse("opendata:page"))
    html = response.content.decode()
    for dataset in DATASETS:
        assert f'href="/donnees/{dataset.id}.csv"' in html
        assert f'href="/donnees/api/v1/{dataset.id}"' in html
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in html
    assert 'href="/donnees/api/v1/openapi.json"' in html
    assert 'href="/donnees/catalogue.jsonld"' in html
    assert 'href="/donnees/catalogue.rdf"' in html
    assert "120" in html  # the rate limit, said in words


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_page_speaks_each_language(language: str) -> None:
    client = Client(headers={"accept-language": language})
    response = client.get(reverse("opendata:page"))
    assert response.status_code == 200
    assert f'lang="{language}"' in response.content.decode()
