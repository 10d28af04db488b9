from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from palabre.core.views import healthz
from palabre.workshops.views import invitation_link

urlpatterns = [
    path("", include("palabre.core.urls")),
    path("compte/", include("palabre.accounts.urls")),
    path("quartiers/", include("palabre.neighbourhoods.urls")),
    path("ateliers/", include("palabre.workshops.urls")),
    path("parole/", include("palabre.contributions.urls")),
    path("demandes/", include("palabre.official_requests.urls")),
    path("actions/", include("palabre.initiatives.urls")),
    path("i/<str:code>", invitation_link, name="invitation_link"),
    path("langue/", set_language, name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("gestion/", admin.site.urls),
]
