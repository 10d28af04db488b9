from django.urls import path

from palabre.accounts import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.sign_in, name="sign_in"),
    path("connexion/code/", views.request_code, name="request_code"),
    path("connexion/code/saisir/", views.enter_code, name="enter_code"),
    path("deconnexion/", views.sign_out, name="sign_out"),
    path("", views.account, name="account"),
]
