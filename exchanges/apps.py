from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    name = "exchanges"
    verbose_name = _("Exchanges")

    def ready(self):
        from portal.cases import CaseKind, register_case_kind
        from servicedesk.customer_records import register_action, register_records
        from sms.events import register_event

        from . import customer_page
        from .customer_records import LABEL, exchange_records
        from .models import DESK

        register_records("exchanges", LABEL, exchange_records, section="returns", order=25)
        # The returns summary register carries the exchanges' line (one paper form).
        from returns import exchange_line

        from .selectors import summary_line

        exchange_line.provide(line=summary_line)
        register_action(
            "exchange", _("New exchange"), "exchanges:new", roles=DESK, sale_label=_("Exchange this sale"), order=25
        )
        # The customer's status page (/c/<token>/) and SMS (DOMAIN.md §8a): registration goes out
        # as the shared "case_registered"; the steps a customer waits for have their own texts.
        register_case_kind(
            CaseKind(
                case_type="exchange",
                model_label="exchanges.exchange",
                label=_("exchange"),
                load=customer_page.load,
                ended_at=customer_page.ended_at,
                view=customer_page.view,
                status=customer_page.status,
                facts=customer_page.facts,
            )
        )
        link = {"secret": ("link",)}
        register_event(
            "exchange_confirmed",
            "您的换货{number}已同意办理，客服中心将与您确定替换商品和差价。详情：{link}",
            params=("number", "link"),
            **link,
        )
        register_event(
            "exchange_refused",
            "您的换货{number}未能办理：{reason} 详情：{link} 如有疑问请致电{phone}。",
            params=("number", "reason", "link", "phone"),
            **link,
        )
        register_event(
            "exchange_replacement",
            "您的换货{number}替换商品已确定：{goods}，{money}。详情：{link}",
            params=("number", "goods", "money", "link"),
            **link,
        )
        register_event(
            "exchange_picked_up",
            "您的换货{number}旧货已于{day}取回，新货送达前我们会与您联系。详情：{link}",
            params=("number", "day", "link"),
            **link,
        )
        register_event(
            "exchange_delivered",
            "您的换货{number}新货已于{day}送达。如有问题请查看：{link} 或致电{phone}。",
            params=("number", "day", "link", "phone"),
            **link,
        )
