from django.urls import URLPattern, path

from palabre.network import views

app_name = "network"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("flux.json", views.feed_json, name="feed"),
    path("ailleurs/", views.elsewhere, name="elsewhere"),
    path("suivre/", views.follow, name="follow"),
    path("villes/<int:pk>/", views.city, name="city"),
    path("villes/<int:pk>/relire/", views.refresh, name="refresh"),
    path("villes/<int:pk>/ne-plus-suivre/", views.unfollow, name="unfollow"),
    path("villes/<int:pk>/importer-guide/", views.import_playbook, name="import_playbook"),
    path("villes/<int:pk>/importer-format/", views.import_format, name="import_format"),
    path("partage/guides/<int:pk>/", views.share_playbook, name="share_playbook"),
    path("partage/ateliers/<int:pk>/", views.make_format, name="make_format"),
    path("partage/evenements/<int:pk>/", views.open_event, name="open_event"),
    path("formats/<int:pk>/", views.format_page, name="format"),
    path("formats/<int:pk>/partage/", views.share_format, name="share_format"),
]
