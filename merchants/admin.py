from django.contrib import admin

from servicedesk.admin import PolicyAdmin, ReadOnlyAdmin

from .models import Booth, BoothTenancy, Merchant, MerchantPolicy


@admin.register(MerchantPolicy)
class MerchantPolicyAdmin(PolicyAdmin):
    policy_fields = (
        "deposit_hold_months",
        "deposit_topup_days",
        "deposit_low_threshold",
        "inspection_weekly_coverage",
        "price_tag_fix_hours",
        "flag_failures",
        "flag_window_days",
    )


@admin.register(Merchant)
class MerchantAdmin(ReadOnlyAdmin):
    list_display = ("brand", "company_name", "mall", "category", "status", "flagged")
    list_filter = ("mall", "category", "status", "flagged")
    search_fields = ("brand", "company_name", "credit_code")
    list_select_related = ("mall",)


@admin.register(Booth)
class BoothAdmin(ReadOnlyAdmin):
    list_display = ("number", "floor", "zone", "mall", "merchant", "is_active")
    list_filter = ("mall", "floor", "is_active")
    search_fields = ("number", "merchant__brand")
    list_select_related = ("mall", "merchant")


@admin.register(BoothTenancy)
class BoothTenancyAdmin(ReadOnlyAdmin):
    list_display = ("booth", "merchant", "start_date", "end_date", "mall")
    list_filter = ("mall",)
    search_fields = ("booth__number", "merchant__brand")
    list_select_related = ("mall", "booth", "merchant")
