from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MerchantsConfig(AppConfig):
    name = "merchants"
    verbose_name = _("Merchants")

    def ready(self):
        from sms.events import register_event

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
