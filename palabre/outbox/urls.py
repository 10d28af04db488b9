from django.urls import path

from palabre.outbox import views

app_name = "outbox"
urlpatterns = [
    path("", views.failed, name="failed"),
    path("<int:pk>/renvoyer/", views.try_again, name="try_again"),
    path("sms/<str:token>/", views.sms_reply, name="sms_reply"),
]
