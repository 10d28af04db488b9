from django.urls import path, re_path

from palabre.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("rapport/", views.reports, name="reports"),
    re_path(
        r"^rapport/(?P<year>[0-9]{4})-(?P<language>[a-z]{2})\.(?P<kind>pdf|csv)$",
        views.report_file,
        name="report_file",
    ),
]
