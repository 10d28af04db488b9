from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "palabre.privacy"
    label = "privacy"
