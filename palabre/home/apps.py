from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "palabre.home"
    label = "home"
