from django.apps import AppConfig


class WeekConfig(AppConfig):
    name = "palabre.week"
    label = "week"
