"""The admin shows complaints for reference and holds each mall's clock settings.

Complaints change only through the desk's services, so they are read-only here.
"""

from django.contrib import admin

from servicedesk.admin import PolicyAdmin, ReadOnlyAdmin

from .models import Complaint, ComplaintPolicy, StaffComplaint


@admin.register(ComplaintPolicy)
class ComplaintPolicyAdmin(PolicyAdmin):
    policy_fields = (
        "first_contact_hours",
        "assignment_working_days",
        "merchant_reply_days",
        "resolution_days",
        "deliberate_delay_days",
        "referral_working_days",
        "callback_days",
    )


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ("number", "mall", "status", "channel", "category", "received_at", "assignee")
    list_filter = ("mall", "status", "channel", "category")
    search_fields = ("number", "customer__name", "customer__mobile")
    list_select_related = ("mall", "assignee")


@admin.register(StaffComplaint)
class StaffComplaintAdmin(ReadOnlyAdmin):
    list_display = ("number", "mall", "status", "issue", "received_at")
    list_filter = ("mall", "status", "issue")
    list_select_related = ("mall",)
