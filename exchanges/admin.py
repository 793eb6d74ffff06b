"""Each mall's exchange settings (换货参数), as dated versions."""

from django.contrib import admin

from servicedesk.admin import PolicyAdmin

from .models import ExchangePolicy


@admin.register(ExchangePolicy)
class ExchangePolicyAdmin(PolicyAdmin):
    policy_fields = ("delay_days",)
