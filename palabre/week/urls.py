from django.urls import path

from palabre.week import views

app_name = "week"
urlpatterns = [
    path("", views.week, name="week"),
    path("reglages/", views.settings_page, name="settings"),
    path("actions-en-attente/", views.city_support, name="city_support"),
]
