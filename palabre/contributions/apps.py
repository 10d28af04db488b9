from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    name = "palabre.contributions"
    label = "contributions"
    verbose_name = _("Residents' voice")
