"""The DCAT-AP catalogue of the open data, for regional and national portals to harvest.

Written by hand from dicts (ADR 0073): one JSON-LD document (`catalogue()`), and the same
graph as RDF/XML (`rdf_xml()`), which is what CKAN's DCAT harvesters read. Only the small
subset of JSON-LD written here is turned into RDF/XML: nodes with `@id` and `@type`,
references `{"@id": …}`, literals with a language or a datatype, and nested nodes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from palabre.opendata import publishing
from palabre.opendata.datasets import DATASETS, Dataset
from palabre.opendata.records import absolute

NAMESPACES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
LANGUAGES = ("fr", "nl", "en")
EU = "http://publications.europa.eu/resource/authority"
EU_LANGUAGES = {"fr": "FRA", "nl": "NLD", "en": "ENG"}
FORMATS = {
    "json": ("JSON", "application/json"),
    "csv": ("CSV", "text/csv"),
}
TITLE = _("Open data of the participation platform")
DESCRIPTION = _(
    "Workshops, requests to officials and their answers, citizen actions, participatory "
    "budget results and opinion maps, without any personal data."
)
SERVICE_TITLE = _("Open data API")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _texts(text: Promise | str) -> list[dict[str, str]]:
    """One literal per language (the catalogue says everything in fr, nl and en)."""
    found = []
    for language in LANGUAGES:
        with translation.override(language):
            found.append({"@value": str(text), "@language": language})
    return found


def _when(moment: datetime | None) -> dict[str, str] | None:
    if moment is None:
        return None
    return {"@value": moment.isoformat(timespec="seconds"), "@type": "xsd:dateTime"}


def _ref(address: str) -> dict[str, str]:
    return {"@id": address}


def _distribution(dataset: Dataset, kind: str) -> dict[str, Any]:
    name, media_type = FORMATS[kind]
    if kind == "json":
        address = absolute(reverse(f"opendata:api:{dataset.id}"))
        links: dict[str, Any] = {
            "dcat:accessURL": _ref(address),
            "dcat:accessService": _ref(_service_id()),
            "dct:conformsTo": _ref(absolute(reverse("opendata:api:openapi-json"))),
        }
    else:
        address = absolute(reverse("opendata:csv", kwargs={"dataset": dataset.id}))
        links = {"dcat:accessURL": _ref(address), "dcat:downloadURL": _ref(address)}
    return {
        "@id": address,
        "@type": "dcat:Distribution",
        "dct:title": [
            {"@value": f"{part['@value']} ({name})", "@language": part["@language"]}
            for part in _texts(dataset.title)
        ],
        **links,
        "dct:format": _ref(f"{EU}/file-type/{name}"),
        "dcat:mediaType": _ref(f"https://www.iana.org/assignments/media-types/{media_type}"),
        "dct:license": _ref(publishing.licence()),
    }


def _page_address() -> str:
    return absolute(reverse("opendata:page"))


def _publisher_id() -> str:
    return f"{_page_address()}#publisher"


def _service_id() -> str:
    return absolute(reverse("opendata:api:index"))


def _contact() -> dict[str, Any]:
    contact: dict[str, Any] = {
        "@type": "vcard:Organization",
        "vcard:fn": settings.SERVICE_NAME,
        "vcard:hasURL": _ref(_page_address()),
    }
    if settings.SERVICE_EMAIL:
        contact["vcard:hasEmail"] = _ref(f"mailto:{settings.SERVICE_EMAIL}")
    return contact


def _dataset(dataset: Dataset) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@id": f"{_page_address()}#{dataset.id}",
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.id,
        "dct:title": _texts(dataset.title),
        "dct:description": _texts(dataset.description),
        "dcat:keyword": [text for keyword in dataset.keywords for text in _texts(keyword)],
        "dcat:theme": [_ref(f"{EU}/data-theme/{theme}") for theme in dataset.themes],
        "dct:publisher": _ref(_publisher_id()),
        "dcat:contactPoint": _contact(),
        "dcat:landingPage": _ref(f"{_page_address()}#{dataset.id}"),
        "dct:accessRights": _ref(f"{EU}/access-right/PUBLIC"),
        "dct:language": [_ref(f"{EU}/language/{code}") for code in EU_LANGUAGES.values()],
        "dct:license": _ref(publishing.licence()),
        "dcat:distribution": [_distribution(dataset, "json"), _distribution(dataset, "csv")],
    }
    modified = _when(dataset.modified())
    if modified is not None:
        node["dct:modified"] = modified
    return node


def catalogue() -> dict[str, Any]:
    """The DCAT-AP catalogue as a JSON-LD document (a few queries: one per dataset)."""
    datasets = [_dataset(dataset) for dataset in DATASETS]
    stamps = [d["dct:modified"]["@value"] for d in datasets if "dct:modified" in d]
    node: dict[str, Any] = {
        "@context": {prefix: address for prefix, address in NAMESPACES.items() if prefix != "rdf"},
        "@id": absolute(reverse("opendata:catalogue_jsonld")),
        "@type": "dcat:Catalog",
        "dct:title": [
            {"@value": f"{part['@value']} — {settings.CITY_NAME}", "@language": part["@language"]}
            for part in _texts(TITLE)
        ],
        "dct:description": _texts(DESCRIPTION),
        "dct:publisher": {
            "@id": _publisher_id(),
            "@type": "foaf:Agent",
            "foaf:name": settings.PUBLISHER_NAME,
        },
        "dct:license": _ref(publishing.licence()),
        "dct:language": [_ref(f"{EU}/language/{code}") for code in EU_LANGUAGES.values()],
        "foaf:homepage": _ref(_page_address()),
        "dcat:dataset": datasets,
        "dcat:service": [
            {
                "@id": _service_id(),
                "@type": "dcat:DataService",
                "dct:title": _texts(SERVICE_TITLE),
                "dcat:endpointURL": _ref(_service_id()),
                "dcat:endpointDescription": _ref(absolute(reverse("opendata:api:openapi-json"))),
                "dcat:servesDataset": [_ref(d["@id"]) for d in datasets],
                "dct:license": _ref(publishing.licence()),
            }
        ],
    }
    if stamps:
        node["dct:modified"] = {"@value": max(stamps), "@type": "xsd:dateTime"}
    return node


# RDF/XML -----------------------------------------------------------------------------------


def _qualified(name: str) -> str:
    prefix, local = name.split(":", 1)
    return f"{{{NAMESPACES[prefix]}}}{local}"


def _expand(name: str) -> str:
    prefix, local = name.split(":", 1)
    return f"{NAMESPACES[prefix]}{local}" if prefix in NAMESPACES else name


def _node(parent: ET.Element | None, node: dict[str, Any]) -> ET.Element:
    element = (
        ET.Element(_qualified(node["@type"]))
        if parent is None
        else ET.SubElement(parent, _qualified(node["@type"]))
    )
    if "@id" in node:
        element.set(_qualified("rdf:about"), node["@id"])
    for name, values in node.items():
        if name.startswith("@"):
            continue
        for value in values if isinstance(values, list) else [values]:
            _property(element, name, value)
    return element


def _property(element: ET.Element, name: str, value: Any) -> None:
    child = ET.SubElement(element, _qualified(name))
    if isinstance(value, str):
        child.text = value
    elif "@type" in value and "@value" not in value:
        _node(child, value)
    elif "@id" in value:
        child.set(_qualified("rdf:resource"), value["@id"])
    else:
        child.text = value["@value"]
        if "@language" in value:
            child.set(XML_LANG, value["@language"])
        if "@type" in value:
            child.set(_qualified("rdf:datatype"), _expand(value["@type"]))


def rdf_xml(document: dict[str, Any]) -> bytes:
    """The JSON-LD catalogue as RDF/XML."""
    for prefix, address in NAMESPACES.items():
        ET.register_namespace(prefix, address)
    root = ET.Element(_qualified("rdf:RDF"))
    _node(root, document)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
