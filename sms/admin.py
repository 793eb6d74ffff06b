from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from servicedesk.admin import PolicyAdmin

from .models import SmsMessage, SmsOptOut, SmsPolicy
from .services import sms_requeue


@admin.register(SmsPolicy)
class SmsPolicyAdmin(PolicyAdmin):
    policy_fields = ("enabled", "quiet_from", "quiet_until", "sign_name")


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    """The outbox, read-only: what went to whom (masked), when, and what went wrong."""

    list_display = ("created_at", "mall", "masked_mobile", "event", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status", "event", "mall")
    list_select_related = ("mall",)
    search_fields = ("key",)
    fields = (
        "mall",
        "masked_mobile",
        "event",
        "key",
        "text",
        "status",
        "not_before",
        "attempts",
        "last_error",
        "provider_ref",
        "created_at",
        "claimed_at",
        "sent_at",
    )
    readonly_fields = fields
    actions = ["send_again"]

    @admin.display(description=_("mobile"))
    def masked_mobile(self, obj):
        return obj.masked_mobile

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send again (failed or outcome unknown only)"))
    def send_again(self, request, queryset):
        done = 0
        for message in queryset:
            try:
                sms_requeue(message)
                done += 1
            except ValueError:
                continue
        self.message_user(request, _("%(count)d message(s) queued again.") % {"count": done}, messages.SUCCESS)


@admin.register(SmsOptOut)
class SmsOptOutAdmin(admin.ModelAdmin):
    list_display = ("mall", "masked", "source", "created_at", "ended_at")
    list_filter = ("mall",)
    readonly_fields = ("mall", "mobile", "source", "created_at", "ended_at")

    @admin.display(description=_("mobile"))
    def masked(self, obj):
        return str(obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
