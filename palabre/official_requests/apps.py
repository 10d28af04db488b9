from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficialRequestsConfig(AppConfig):
    name = "palabre.official_requests"
    label = "official_requests"
    verbose_name = _("Requests to officials")
