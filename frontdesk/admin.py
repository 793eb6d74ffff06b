from django.contrib import admin

from servicedesk.admin import PolicyAdmin, ReadOnlyAdmin

from .models import (
    BroadcastScript,
    BroadcastSlot,
    DeskIncident,
    DutyRoster,
    Enquiry,
    FrontDeskPolicy,
    Handover,
    SpotCheck,
)


@admin.register(FrontDeskPolicy)
class FrontDeskPolicyAdmin(PolicyAdmin):
    policy_fields = (
        "staff_reminder_minutes",
        "first_closing_notice_minutes",
        "second_closing_notice_minutes",
        "slot_minutes",
        "handover_confirm_minutes",
        "spot_check_target",
        "roster_min_per_shift",
        "roster_max_consecutive_days",
        "visit_report_hours",
        "emergency_report_hours",
        "repair_due_hours",
        "suggestion_reply_days",
    )


@admin.register(BroadcastScript)
class BroadcastScriptAdmin(ReadOnlyAdmin):
    list_display = ("title", "mall", "slot_type", "version", "is_active")
    list_filter = ("mall", "slot_type", "is_active")
    list_select_related = ("mall",)


@admin.register(BroadcastSlot)
class BroadcastSlotAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "mall", "weekday", "on_date", "approved_by", "is_active")
    list_filter = ("mall", "weekday", "slot_type", "is_active")
    list_select_related = ("mall", "approved_by")


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "mall", "outgoing", "confirmed_by", "flagged_at")
    list_filter = ("mall", "shift")
    list_select_related = ("mall", "outgoing", "confirmed_by")


@admin.register(Enquiry)
class EnquiryAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "mall", "channel", "converted_to")
    list_filter = ("mall", "channel", "topic")
    list_select_related = ("mall",)


@admin.register(SpotCheck)
class SpotCheckAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "mall", "staff_checked", "checker", "score")
    list_filter = ("mall", "channel")
    list_select_related = ("mall", "staff_checked", "checker")


@admin.register(DutyRoster)
class DutyRosterAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "mall", "status", "drawn_up_by", "published_at")
    list_filter = ("mall", "status")
    list_select_related = ("mall", "drawn_up_by")


@admin.register(DeskIncident)
class DeskIncidentAdmin(ReadOnlyAdmin):
    list_display = ("number", "mall", "kind", "status", "occurred_at", "due_at")
    list_filter = ("mall", "kind", "status")
    list_select_related = ("mall",)
