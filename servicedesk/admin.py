"""The admin is for reference data (malls, staff roles, schedules); desk work happens in the app."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Customer, Mall, PhoneViewLog, StaffMembership
from .services import membership_grant

# Nothing is ever hard-deleted: records are closed, withdrawn or made inactive instead.
admin.site.disable_action("delete_selected")


class NoDeleteAdmin(SimpleHistoryAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Mall)
class MallAdmin(NoDeleteAdmin):
    list_display = ("code", "name", "city", "service_phone", "opens_at", "closes_at", "is_active")
    list_filter = ("is_active", "city")
    search_fields = ("code", "name", "city")


@admin.register(StaffMembership)
class StaffMembershipAdmin(NoDeleteAdmin):
    list_display = ("user", "mall", "role", "is_active", "created_at")
    list_filter = ("role", "is_active", "mall")
    search_fields = ("user__username", "user__first_name", "user__last_name", "mall__code")
    autocomplete_fields = ("user", "mall")
    list_select_related = ("user", "mall")

    def save_model(self, request, obj, form, change):
        # Roles go through the service so the user's group (model permissions) follows.
        if obj.is_active:
            saved = membership_grant(user=obj.user, mall=obj.mall, role=obj.role, actor=request.user)
            obj.pk = saved.pk
        else:
            super().save_model(request, obj, form, change)


@admin.register(Customer)
class CustomerAdmin(NoDeleteAdmin):
    list_display = ("name", "masked_mobile", "mall", "created_at")
    list_filter = ("mall",)
    search_fields = ("name", "mobile")
    list_select_related = ("mall",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PhoneViewLog)
class PhoneViewLogAdmin(admin.ModelAdmin):
    """The access log: read-only, nothing added, changed or deleted by hand."""

    list_display = ("viewed_at", "viewer", "customer", "mall", "page")
    list_filter = ("mall",)
    search_fields = ("viewer__username", "customer__name")
    date_hierarchy = "viewed_at"
    list_select_related = ("viewer", "customer", "mall")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Celery beat's schedules: disabled, never deleted, every change in the admin's history ---------
from django_celery_beat.admin import PeriodicTaskAdmin as BeatPeriodicTaskAdmin  # noqa: E402
from django_celery_beat.models import PeriodicTask  # noqa: E402


class PeriodicTaskAdmin(BeatPeriodicTaskAdmin):
    """django-celery-beat's admin, whose enable/disable/toggle actions also write the admin log
    (the "History" page of each schedule), as the change form already does. No delete (see
    servicedesk.apps.lock_admin_deletes): a schedule nobody wants is disabled."""

    def _logged(self, request, queryset, message):
        for task in queryset:
            self.log_change(request, task, message)

    @admin.action(description=BeatPeriodicTaskAdmin.enable_tasks.short_description)
    def enable_tasks(self, request, queryset):
        self._logged(request, queryset, "enabled")
        return super().enable_tasks(request, queryset)

    @admin.action(description=BeatPeriodicTaskAdmin.disable_tasks.short_description)
    def disable_tasks(self, request, queryset):
        self._logged(request, queryset, "disabled")
        return super().disable_tasks(request, queryset)

    @admin.action(description=BeatPeriodicTaskAdmin.toggle_tasks.short_description)
    def toggle_tasks(self, request, queryset):
        self._logged(request, queryset, "enabled/disabled toggled")
        return super().toggle_tasks(request, queryset)


admin.site.unregister(PeriodicTask)
admin.site.register(PeriodicTask, PeriodicTaskAdmin)


# --- Users: no delete; two-factor reset as an audited action ------------------------------------
from django.contrib import messages  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin  # noqa: E402
from django.utils.translation import gettext  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from .models import TwoFactorEvent  # noqa: E402
from .two_factor import two_factor_reset  # noqa: E402

User = get_user_model()


class UserAdmin(BaseUserAdmin):
    actions = ["reset_two_factor"]

    @admin.action(description=_("Reset two-factor sign-in (phone lost)"))
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            reason = gettext("reset in the admin by %(admin)s") % {"admin": request.user.username}
            two_factor_reset(user=user, actor=request.user, reason=reason)
            self.log_change(request, user, "two-factor sign-in reset")
        self.message_user(
            request,
            gettext("Two-factor sign-in reset for %(n)s users; they set up the app again at their next login.")
            % {"n": queryset.count()},
            messages.SUCCESS,
        )


admin.site.unregister(User)
admin.site.register(User, UserAdmin)


@admin.register(TwoFactorEvent)
class TwoFactorEventAdmin(admin.ModelAdmin):
    """The two-factor audit trail: read-only."""

    list_display = ("at", "user", "action", "actor", "reason")
    list_filter = ("action",)
    search_fields = ("user__username", "actor__username")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
