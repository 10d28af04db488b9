from django.contrib import admin
from django.urls import include, path

from palabre.accounts.views import admin_sign_in, change_language
from palabre.core.views import healthz, healthz_web
from palabre.workshops.views import invitation_link

urlpatterns = [
    path("", include("palabre.home.urls")),
    path("", include("palabre.core.urls")),
    path("compte/", include("palabre.accounts.urls")),
    path("quartiers/", include("palabre.neighbourhoods.urls")),
    path("ateliers/", include("palabre.workshops.urls")),
    path("parole/", include("palabre.contributions.urls")),
    path("demandes/", include("palabre.official_requests.urls")),
    path("actions/", include("palabre.initiatives.urls")),
    path("budget-participatif/", include("palabre.budgets.urls")),
    path("avis/", include("palabre.conversations.urls")),
    path("inclusion/", include("palabre.inclusion.urls")),
    path("bilan/", include("palabre.evaluation.urls")),
    path("donnees/", include("palabre.opendata.urls")),
    path("reseau/", include("palabre.network.urls")),
    path("lien/", include("palabre.links.urls")),
    path("vie-privee/", include("palabre.privacy.urls")),
    path("semaine/", include("palabre.week.urls")),
    path("courriels/", include("palabre.outbox.urls")),
    path("rappel/", include("palabre.callbacks.urls")),
    path("i/<str:code>", invitation_link, name="invitation_link"),
    path("langue/", change_language, name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("healthz/web", healthz_web, name="healthz_web"),
    # Before the admin's own URLs, so that its sign-in has the site's limits (unnamed: the
    # admin still reverses "admin:login" to this same address).
    path("gestion/login/", admin_sign_in),
    path("gestion/", admin.site.urls),
]

# 404 and 403 use templates/404.html and 403.html through Django's own views; the 500 page needs
# a view that renders it without the database or context processors.
handler500 = "palabre.core.views.server_error"
