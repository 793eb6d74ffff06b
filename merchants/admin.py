from django.contrib import admin

from servicedesk.admin import NoDeleteAdmin

from .models import Booth, Merchant


@admin.register(Merchant)
class MerchantAdmin(NoDeleteAdmin):
    list_display = ("brand", "company_name", "mall", "category", "status")
    list_filter = ("mall", "category", "status")
    search_fields = ("brand", "company_name", "credit_code")
    list_select_related = ("mall",)


@admin.register(Booth)
class BoothAdmin(NoDeleteAdmin):
    list_display = ("number", "floor", "zone", "mall", "merchant", "is_active")
    list_filter = ("mall", "floor", "is_active")
    search_fields = ("number", "merchant__brand")
    list_select_related = ("mall", "merchant")
