from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MerchantPortalConfig(AppConfig):
    name = "merchantportal"
    verbose_name = _("Merchant portal")
