from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "palabre.outbox"
    label = "outbox"
