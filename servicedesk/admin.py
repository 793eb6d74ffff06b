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
from .services import mall_save, membership_grant, policy_version_save

# Nothing is ever hard-deleted: records are closed, withdrawn or made inactive instead.
admin.site.disable_action("delete_selected")


class NoDeleteAdmin(SimpleHistoryAdmin):
    def has_delete_permission(self, request, obj=None):
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
