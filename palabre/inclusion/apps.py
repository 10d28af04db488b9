from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InclusionConfig(AppConfig):
    name = "palabre.inclusion"
    label = "inclusion"
    verbose_name = _("Inclusion")
