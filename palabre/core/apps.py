from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "palabre.core"
    label = "core"
