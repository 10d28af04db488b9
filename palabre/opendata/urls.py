from django.urls import path, re_path

from palabre.opendata import views
from palabre.opendata.api import api, not_found

app_name = "opendata"
urlpatterns = [
    path("", views.page, name="page"),
    path("catalogue.jsonld", views.catalogue_jsonld, name="catalogue_jsonld"),
    path("catalogue.rdf", views.catalogue_rdf, name="catalogue_rdf"),
    path("<slug:dataset>.csv", views.csv_file, name="csv"),
    path("api/v1/", api.urls),
    # After the API: what none of its operations matched still answers in JSON.
    re_path(r"^api/v1/.", not_found),
]
