from django.urls import path

from palabre.neighbourhoods import views

app_name = "neighbourhoods"
urlpatterns = [
    # Partners work in several neighbourhoods: their page is under none of them. It could only
    # meet the pages below for a neighbourhood slugged "partenaires" (a city has none).
    path("partenaires/<slug:partner_slug>/modifier/", views.edit_partner, name="edit_partner"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/lieux-et-partenaires/", views.places, name="places"),
    # Before the venue page: "nouveau" adds a venue (actions.RESERVED_VENUE_SLUGS keeps any
    # venue from being slugged so).
    path("<slug:slug>/lieux/nouveau/", views.new_venue, name="new_venue"),
    path("<slug:slug>/lieux/<slug:venue_slug>/", views.venue, name="venue"),
    path("<slug:slug>/lieux/<slug:venue_slug>/modifier/", views.edit_venue, name="edit_venue"),
    path("<slug:slug>/partenaires/nouveau/", views.new_partner, name="new_partner"),
]
