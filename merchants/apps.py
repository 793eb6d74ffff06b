from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MerchantsConfig(AppConfig):
    name = "merchants"
    verbose_name = _("Merchants")

    def ready(self):
        from servicedesk.navigation import register_section, section_roles
        from servicedesk.roles import Role
        from sms.events import register_event

        register_section(
            "merchants",
            _("Merchants"),
            "merchants:index",
            # The front desk and the officers look merchants and booths up for the cases they take.
            roles=section_roles(
                "merchants.models",
                "merchants.services",
                readers=(Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.HEAD_OFFICE),
            ),
            summary=_("Merchant files and booths, entry and exit, deposits, price-tag inspections."),
            order=50,
        )

        # The merchant portal's texts to the merchant's own users (always Chinese, like every SMS).
        register_event(
            "merchant_invitation",
            "{merchant}：客服中心邀请您使用商户平台，请在{hours}小时内点击设置密码：{link}",
            params=("merchant", "hours", "link"),
            secret=("link",),
        )
        register_event(
            "merchant_reply_due",
            "投诉{number}请于{due}前在商户平台答复客服中心：{link}",
            params=("number", "due", "link"),
        )
