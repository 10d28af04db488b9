from django.urls import path

from palabre.initiatives import views

app_name = "initiatives"
urlpatterns = [
    path("nouvelle/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/je-participe/", views.sign_up, name="sign_up"),
    path("benevole/<str:token>/", views.volunteer, name="volunteer"),
    path("benevole/<str:token>/taches/<int:task>/", views.take_task, name="take_task"),
]
