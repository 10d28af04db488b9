from django.urls import path

from palabre.contributions import views

app_name = "contributions"
urlpatterns = [
    path("atelier/<int:pk>/", views.capture, name="capture"),
]
