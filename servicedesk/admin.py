"""The admin is for reference data (malls, staff roles, schedules); desk work happens in the app."""

from datetime import timedelta

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Customer, Mall, PhoneViewLog, StaffMembership
from .services import mall_save, membership_end, membership_grant, policy_version_save

# Nothing is ever hard-deleted: records are closed, withdrawn or made inactive instead.
admin.site.disable_action("delete_selected")


class NoDeleteAdmin(SimpleHistoryAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoDeleteAdmin):
    """Desk records change only through the apps' services (one write path per action, the
    admin included); the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PolicyAdmin(NoDeleteAdmin):
    """A mall's settings as dated versions (servicedesk.models.MallPolicy).

    A version in force since before today is read-only: it measured past periods. The
    administrator adds a new version taking effect today or later, prefilled from the one it
    replaces ("New version from this" on a version's page, or ?mall=<id> on the add page).
    """

    list_filter = ("mall",)
    list_select_related = ("mall",)
    ordering = ("mall__code", "-effective_from")
    policy_fields = ()  # the columns after mall, date and state

    def get_list_display(self, request):
        return ("mall", "effective_from", "state", *self.policy_fields)

    def get_queryset(self, request):
        later = self.model.objects.filter(
            mall=OuterRef("mall"),
            effective_from__gt=OuterRef("effective_from"),
            effective_from__lte=timezone.localdate(),
        )
        return super().get_queryset(request).annotate(superseded=Exists(later))

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.effective_from > timezone.localdate():
            return _("from %(day)s") % {"day": obj.effective_from}
        if getattr(obj, "superseded", False):
            return _("superseded")
        return _("in force")

    def get_readonly_fields(self, request, obj=None):
        return ("new_version",) if obj is not None else ()

    @admin.display(description=_("new version"))
    def new_version(self, obj):
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_add")
        return format_html('<a href="{}?copy={}">{}</a>', url, obj.pk, _("New version from this one"))

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.effective_from < timezone.localdate():
            return False
        return super().has_change_permission(request, obj)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        tomorrow = timezone.localdate() + timedelta(days=1)
        source = None
        if request.GET.get("copy", "").isdigit():
            source = self.model.objects.filter(pk=request.GET["copy"]).first()
        elif request.GET.get("mall", "").isdigit():
            source = self.model.for_mall(int(request.GET["mall"]), on=tomorrow)
        if source is not None:
            initial.update(model_to_dict(source, exclude=["id", "effective_from"]))
        initial.setdefault("effective_from", tomorrow)
        return initial

    def save_model(self, request, obj, form, change):
        policy_version_save(policy=obj, actor=request.user)


@admin.register(Mall)
class MallAdmin(NoDeleteAdmin):
    list_display = ("code", "name", "city", "service_phone", "opens_at", "closes_at", "is_active", "deactivated_on")
    list_filter = ("is_active", "city")
    search_fields = ("code", "name", "city")
    readonly_fields = ("deactivated_on",)

    def save_model(self, request, obj, form, change):
        mall_save(mall=obj, actor=request.user)


@admin.register(StaffMembership)
class StaffMembershipAdmin(NoDeleteAdmin):
    list_display = ("user", "mall", "role", "is_active", "created_at")
    list_filter = ("role", "is_active", "mall")
    search_fields = ("user__username", "user__first_name", "user__last_name", "mall__code")
    autocomplete_fields = ("user", "mall")
    list_select_related = ("user", "mall")

    def save_model(self, request, obj, form, change):
        # One write path per action, the admin's included: granting and ending a role go through
        # the services, so the user's group (model permissions) follows the membership.
        if obj.is_active:
            saved = membership_grant(user=obj.user, mall=obj.mall, role=obj.role, actor=request.user)
            obj.pk = saved.pk
        elif change:
            stored = StaffMembership.objects.get(pk=obj.pk)
            if stored.is_active:
                membership_end(membership=stored, actor=request.user)
        else:  # a membership added already ended grants nothing: no group to follow
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
