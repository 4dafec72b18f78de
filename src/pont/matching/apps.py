from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "pont.matching"
    label = "matching"
    verbose_name = _("Employers and matching")
