from django.urls import path

from palabre.callbacks import views

app_name = "callbacks"
urlpatterns = [
    path("", views.ask, name="ask"),
    path("merci/", views.thanks, name="thanks"),
    path("<int:pk>/appele/", views.called, name="called"),
]
