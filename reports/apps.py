from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from servicedesk import dashboards

        from .dashboard import chain_dashboard, mall_dashboard

        dashboards.register("mall", mall_dashboard)
        dashboards.register("chain", chain_dashboard)
