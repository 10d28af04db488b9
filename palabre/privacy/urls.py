from django.urls import path

from palabre.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.page, name="page"),
    path("mes-donnees/", views.my_data, name="my_data"),
    path("mes-donnees/<str:token>/", views.link_data, name="link_data"),
    path("effacer-mon-compte/", views.erase, name="erase"),
    path("effacer/<str:token>/", views.erase_link, name="erase_link"),
]
