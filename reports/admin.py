"""Each mall's monthly appraisal targets and weights (月考核参数), as dated versions."""

from django.contrib import admin

from servicedesk.admin import PolicyAdmin

from .models import AppraisalPolicy


@admin.register(AppraisalPolicy)
class AppraisalPolicyAdmin(PolicyAdmin):
    policy_fields = (
        "first_response_weight",
        "on_time_target",
        "on_time_weight",
        "callback_weight",
        "satisfaction_weight",
        "external_weight",
        "price_tag_weight",
        "recovery_weight",
        "spot_check_weight",
    )
