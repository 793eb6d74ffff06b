"""Each mall's approval tiers and payment period; compensations themselves read-only.

Compensations change only through the desk's services (approval under a row lock, payout with
the deposit deduction), so the admin never edits them.
"""

from django.contrib import admin

from servicedesk.admin import NoDeleteAdmin, PolicyAdmin

from .models import Compensation, CompensationPolicy


@admin.register(CompensationPolicy)
class CompensationPolicyAdmin(PolicyAdmin):
    policy_fields = ("manager_limit", "general_manager_limit", "payment_working_days")


@admin.register(Compensation)
class CompensationAdmin(NoDeleteAdmin):
    list_display = ("number", "mall", "status", "amount", "tier", "proposed_at", "paid_at")
    list_filter = ("mall", "status", "tier")
    search_fields = ("number", "complaint__number", "merchant__brand")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
