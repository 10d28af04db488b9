from django.urls import include, path

from palabre.initiatives import manage_views, views

app_name = "initiatives"
urlpatterns = [
    path("", views.showcase, name="showcase"),
    path("quartier/<slug:slug>/", views.showcase, name="neighbourhood_showcase"),
    path("guides/", include("palabre.initiatives.playbook_urls")),
    path("nouvelle/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/je-participe/", views.sign_up, name="sign_up"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("benevole/<str:token>/", views.volunteer, name="volunteer"),
    path("benevole/<str:token>/taches/<int:task>/", views.take_task, name="take_task"),
    path("benevole/<str:token>/taches/<int:task>/fait/", views.finish_task, name="finish_task"),
    path("benevole/<str:token>/taches/<int:task>/rendre/", views.release_task, name="release_task"),
    # The leads' page and what it posts.
    path("<int:pk>/gerer/", manage_views.manage, name="manage"),
    path("<int:pk>/gerer/statut/", manage_views.move, name="move"),
    path("<int:pk>/gerer/details/", manage_views.details, name="details"),
    path("<int:pk>/gerer/taches/", manage_views.add_task, name="add_task"),
    path("<int:pk>/gerer/taches/<int:task>/", manage_views.update_task, name="update_task"),
    path("<int:pk>/gerer/benevoles/<int:volunteer>/", manage_views.make_lead, name="make_lead"),
    path("<int:pk>/gerer/besoins/", manage_views.add_need, name="add_need"),
    path("<int:pk>/gerer/besoins/<int:need>/", manage_views.need_met, name="need_met"),
    path("<int:pk>/gerer/ville/<str:kind>/<int:item>/", manage_views.ask_city, name="ask_city"),
    path("<int:pk>/gerer/budget/", manage_views.budget, name="budget"),
    path("<int:pk>/gerer/depenses/", manage_views.add_expense, name="add_expense"),
    path("<int:pk>/gerer/depenses/<int:expense>/recu/", manage_views.receipt, name="receipt"),
    path("<int:pk>/gerer/photos/", manage_views.add_photo, name="add_photo"),
    path("<int:pk>/gerer/compte-rendu/", manage_views.report, name="report"),
]
