from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndustriesConfig(AppConfig):
    name = "cleanprod.industries"
    verbose_name = _("Industries")
