from django.urls import path

from palabre.links import views

app_name = "links"
urlpatterns = [
    path("", views.recover, name="recover"),
]
