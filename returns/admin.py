"""Each mall's no-reason return promise (退货管理参数), as dated versions."""

from django.contrib import admin

from servicedesk.admin import PolicyAdmin

from .models import ReturnPolicy


@admin.register(ReturnPolicy)
class ReturnPolicyAdmin(PolicyAdmin):
    policy_fields = (
        "window_days",
        "count_from",
        "max_repackaging_percent",
        "refund_days",
        "delay_days",
        "manager_above",
    )
