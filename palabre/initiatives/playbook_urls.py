"""URLs of the playbook pages (coordinators), included under /actions/guides/."""

from django.urls import URLPattern, path

from palabre.initiatives import playbook_views

urlpatterns: list[URLPattern] = [
    path("", playbook_views.playbook_list, name="playbooks"),
    path("nouveau/", playbook_views.playbook_edit, name="playbook_new"),
    path("importer/", playbook_views.playbook_import, name="playbook_import"),
    path("<int:pk>/", playbook_views.playbook_edit, name="playbook_edit"),
    path("<int:pk>/exporter/", playbook_views.playbook_export, name="playbook_export"),
]
