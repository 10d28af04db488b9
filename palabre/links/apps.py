from django.apps import AppConfig


class LinksConfig(AppConfig):
    name = "palabre.links"
    label = "links"
