from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "palabre.demo"
    label = "demo"
    verbose_name = "Demo data"
