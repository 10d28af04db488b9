from django.urls import path

from palabre.core import views

app_name = "core"
urlpatterns = [
    path("accessibilite/", views.accessibility, name="accessibility"),
    # At the root, so that the service worker may answer for every page of the site.
    path("sw.js", views.service_worker, name="service_worker"),
    path("palabre.webmanifest", views.manifest, name="manifest"),
]
