"""The open-data page for people, the CSV files and the DCAT-AP catalogue (the JSON API is in
api.py)."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.views.decorators.http import require_GET

from palabre.core import throttle
from palabre.core.shortcuts import render_page
from palabre.core.spreadsheets import csv_download
from palabre.core.suppression import THRESHOLD
from palabre.opendata import catalogue, publishing
from palabre.opendata.datasets import BY_ID, DATASETS
from palabre.opendata.records import absolute


@require_GET
def page(request: HttpRequest) -> HttpResponse:
    """What is published, under which licence, in which formats, and what never is."""
    return render_page(
        request,
        "opendata/page.html",
        {
            "datasets": [
                {
                    "id": dataset.id,
                    "title": dataset.title,
                    "description": dataset.description,
                    "json": reverse(f"opendata:api:{dataset.id}"),
                    "csv": reverse("opendata:csv", kwargs={"dataset": dataset.id}),
                }
                for dataset in DATASETS
            ],
            "licence": publishing.licence(),
            "licence_name": publishing.licence_name(),
            "attribution": publishing.attribution(),
            "threshold": THRESHOLD,
            "per_minute": publishing.REQUESTS_PER_MINUTE.hits,
            "api": absolute(reverse("opendata:api:index")),
        },
    )


def _limited(request: HttpRequest) -> HttpResponse | None:
    wait = publishing.wait_for(request)
    if wait is None:
        return None
    response = throttle.too_many_response(
        request,
        wait,
        reason=str(publishing.TOO_MANY),
    )
    publishing.published(response)
    return response


@require_GET
def csv_file(request: HttpRequest, dataset: str) -> HttpResponseBase:
    """A whole dataset as a CSV file (UTF-8 with BOM, so that spreadsheets read the accents)."""
    found = BY_ID.get(dataset)
    if found is None:
        raise Http404
    refused = _limited(request)
    if refused is not None:
        return refused
    response, out = csv_download(f"palabre-{found.id}.csv")
    out.writerow(found.columns)
    for record in found.records(list(found.rows())):
        out.writerows(found.lines(record))
    return publishing.published(response)


@require_GET
def catalogue_jsonld(request: HttpRequest) -> HttpResponseBase:
    """The DCAT-AP catalogue in JSON-LD."""
    refused = _limited(request)
    if refused is not None:
        return refused
    response = HttpResponse(
        json.dumps(catalogue.catalogue(), ensure_ascii=False, indent=2),
        content_type="application/ld+json; charset=utf-8",
    )
    return publishing.published(response)


@require_GET
def catalogue_rdf(request: HttpRequest) -> HttpResponseBase:
    """The DCAT-AP catalogue in RDF/XML (what CKAN's DCAT harvesters read)."""
    refused = _limited(request)
    if refused is not None:
        return refused
    response = HttpResponse(
        catalogue.rdf_xml(catalogue.catalogue()),
        content_type="application/rdf+xml; charset=utf-8",
    )
    return publishing.published(response)
