from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class FrontdeskConfig(AppConfig):
    name = "frontdesk"
    verbose_name = pgettext_lazy("desk section", "Front desk")
