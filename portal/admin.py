from django.contrib import admin

from servicedesk.admin import PolicyAdmin

from .models import LinkPolicy


@admin.register(LinkPolicy)
class LinkPolicyAdmin(PolicyAdmin):
    policy_fields = ("valid_days_after_end",)
