"""Categories (chain-wide headings) and each mall's warranty numbers; articles are written in the app."""

from django.contrib import admin

from servicedesk.admin import NoDeleteAdmin, PolicyAdmin

from .models import Category, WarrantyPolicy


@admin.register(Category)
class CategoryAdmin(NoDeleteAdmin):
    list_display = ("name", "position", "is_active")
    list_editable = ("position", "is_active")


@admin.register(WarrantyPolicy)
class WarrantyPolicyAdmin(PolicyAdmin):
    policy_fields = (
        "warranty_months",
        "full_remedy_days",
        "exchange_days",
        "failed_repairs",
        "repair_days",
        "review_months",
    )
