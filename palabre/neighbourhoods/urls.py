from django.urls import path

from palabre.neighbourhoods import views

app_name = "neighbourhoods"
urlpatterns = [
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/lieux/<slug:venue_slug>/", views.venue, name="venue"),
]
