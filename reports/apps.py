from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from servicedesk import dashboards
        from servicedesk.navigation import register_section
        from servicedesk.roles import Role

        register_section(
            "reports",
            _("Reports"),
            "reports:index",
            # Reports change nothing: read by the clerk who prepares the week, the mall's supervisor
            # and manager, and head office which receives every mall's.
            roles=(Role.CLERK, Role.SUPERVISOR, Role.MANAGER, Role.HEAD_OFFICE),
            summary=_("Weekly report and monthly appraisal for the mall and head office."),
            order=80,
        )

        from .dashboard import chain_dashboard, mall_dashboard

        dashboards.register("mall", mall_dashboard)
        dashboards.register("chain", chain_dashboard)

        # The callback register (followups) is built here when it is long: reports keeps the exports.
        from servicedesk import long_exports

        from .services import export_queue

        long_exports.provide(queue=export_queue)
