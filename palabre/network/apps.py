from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "palabre.network"
    label = "network"
    verbose_name = _("Network of cities")
