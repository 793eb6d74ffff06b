"""The admin holds each mall's callback plans; sales, imports and callbacks are for reference
(they change only through the followups services)."""

from django.contrib import admin

from servicedesk.admin import PolicyAdmin, ReadOnlyAdmin

from .models import Callback, CallbackPolicy, Sale, SalesImport


@admin.register(CallbackPolicy)
class CallbackPolicyAdmin(PolicyAdmin):
    policy_fields = (
        "after_sale_enabled",
        "after_sale_within_days",
        "warranty_enabled",
        "warranty_days_before",
        "service_enabled",
        "home_visit_enabled",
        "max_attempts",
        "attempt_window_days",
    )


@admin.register(Sale)
class SaleAdmin(ReadOnlyAdmin):
    list_display = ("order_number", "mall", "paid_at", "goods", "amount", "delivery_date", "warranty_ends_on")
    list_filter = ("mall",)
    search_fields = ("order_number", "customer__mobile")
    list_select_related = ("mall",)
    show_full_result_count = False  # millions of rows: no COUNT(*) per page


@admin.register(SalesImport)
class SalesImportAdmin(ReadOnlyAdmin):
    list_display = ("file_name", "mall", "status", "created", "updated", "unchanged", "rejected", "created_at")
    list_filter = ("mall", "status")


@admin.register(Callback)
class CallbackAdmin(ReadOnlyAdmin):
    list_display = ("kind", "mall", "customer", "due_on", "deadline_on", "assignee", "status", "outcome")
    list_filter = ("mall", "kind", "status")
    list_select_related = ("mall", "customer", "assignee")
    raw_id_fields = ("sale", "complaint", "customer")
