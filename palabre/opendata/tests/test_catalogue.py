"""The DCAT-AP catalogue: JSON-LD and RDF/XML naming every dataset, its licence and files."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from palabre.core.testing import World
from palabre.opendata.catalogue import NAMESPACES
from palabre.opendata.datasets import DATASETS
from palabre.opendata.tests.city import OpenCity, make_open_city

pytestmark = pytest.mark.django_db
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
RDF = NAMESPACES["rdf"]
DCAT = NAMESPACES["dcat"]
DCT = NAMESPACES["dct"]


@pytest.fixture
def city(world: World) -> OpenCity:
    return make_open_city(world)


def jsonld() -> dict[str, Any]:
    response = Client().get(reverse("opendata:catalogue_jsonld"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    found: dict[str, Any] = json.loads(response.content)
    return found


def test_the_json_ld_catalogue_names_every_dataset_with_its_licence(city: OpenCity) -> None:
    document = jsonld()
    assert document["@type"] == "dcat:Catalog"
    assert document["@context"]["dcat"] == DCAT
    assert document["dct:license"] == {"@id": LICENCE}
    assert document["dct:publisher"]["foaf:name"]
    datasets = document["dcat:dataset"]
    assert [d["dct:identifier"] for d in datasets] == [d.id for d in DATASETS]
    for dataset in datasets:
        assert dataset["@type"] == "dcat:Dataset"
        assert {t["@language"] for t in dataset["dct:title"]} == {"fr", "nl", "en"}
        assert dataset["dct:license"] == {"@id": LICENCE}
        assert dataset["dcat:theme"]
        formats = {d["dct:format"]["@id"].rsplit("/", 1)[1] for d in dataset["dcat:distribution"]}
        assert formats == {"JSON", "CSV"}
        csv_file = next(d for d in dataset["dcat:distribution"] if "dcat:downloadURL" in d)
        assert csv_file["dcat:mediaType"]["@id"].endswith("/text/csv")
        assert csv_file["dcat:downloadURL"]["@id"].endswith(
            f"/donnees/{dataset['dct:identifier']}.csv"
        )
    service = document["dcat:service"][0]
    assert service["dcat:endpointDescription"]["@id"].endswith("/donnees/api/v1/openapi.json")


def test_each_dataset_says_when_it_last_changed(city: OpenCity) -> None:
    datasets = {d["dct:identifier"]: d for d in jsonld()["dcat:dataset"]}
    for dataset in datasets.values():
        assert dataset["dct:modified"]["@type"] == "xsd:dateTime"
    stamp = datasets["opinion-maps"]["dct:modified"]["@value"]
    assert stamp.startswith(city.conversation.opinion_map.computed_at.date().isoformat())


def test_the_catalogue_titles_follow_each_language(city: OpenCity) -> None:
    titles = {t["@language"]: t["@value"] for t in jsonld()["dcat:dataset"][0]["dct:title"]}
    assert titles["en"] == "Neighbourhood workshops and city-wide events"


def test_the_rdf_xml_catalogue_is_well_formed_with_the_same_datasets(city: OpenCity) -> None:
    response = Client().get(reverse("opendata:catalogue_rdf"))
    assert response["Content-Type"] == "application/rdf+xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314 - our own answer, in a test
    assert root.tag == f"{{{RDF}}}RDF"
    [catalogue] = root.findall(f"{{{DCAT}}}Catalog")
    datasets = catalogue.findall(f"{{{DCAT}}}dataset/{{{DCAT}}}Dataset")
    abouts = [d.get(f"{{{RDF}}}about") for d in datasets]
    assert abouts == [d["@id"] for d in jsonld()["dcat:dataset"]]
    assert catalogue.find(f"{{{DCT}}}license").get(f"{{{RDF}}}resource") == LICENCE  # type: ignore[union-attr]
    titles = datasets[0].findall(f"{{{DCT}}}title")
    assert {t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in titles} == {
        "fr",
        "nl",
        "en",
    }
    modified = datasets[0].find(f"{{{DCT}}}modified")
    assert modified is not None
    assert modified.get(f"{{{RDF}}}datatype") == "http://www.w3.org/2001/XMLSchema#dateTime"
    downloads = datasets[0].findall(
        f"{{{DCAT}}}distribution/{{{DCAT}}}Distribution/{{{DCAT}}}downloadURL"
    )
    assert [d.get(f"{{{RDF}}}resource", "").rsplit("/", 1)[1] for d in downloads] == [
        "workshops.csv"
    ]


def test_an_empty_city_still_has_a_catalogue(db: None) -> None:
    document = jsonld()
    assert len(document["dcat:dataset"]) == len(DATASETS)
    assert "dct:modified" not in document
