from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from merchants.open_cases import register_open_cases

        from .open_cases import LABEL, open_complaints_of

        register_open_cases("complaints", LABEL, open_complaints_of)
