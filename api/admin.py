"""The administrator's side of the API: clients (token shown once, rotate, revoke, last use) and
the webhook delivery log with replay. Nothing here deletes."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .clients import api_client_create, api_client_revoke, api_client_rotate, api_client_update
from .models import ApiClient, Scope, WebhookDelivery, WebhookSubscription
from .webhooks import webhook_replay


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = ApiClient
        fields = ("name", "malls", "scopes", "rate_per_minute")


def _show_token(request, client, token):
    response = TemplateResponse(
        request,
        "admin/api/token_once.html",
        {"client": client, "token": token, "title": _("The token of %(name)s") % {"name": client.name}},
    )
    response["Cache-Control"] = "no-store"
    return response


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    form = ApiClientForm
    list_display = ("name", "scope_list", "token_hint", "rate_per_minute", "last_used_at", "rotated_at", "revoked_at")
    readonly_fields = ("token_hint", "created_at", "created_by", "rotated_at", "revoked_at", "last_used_at")
    filter_horizontal = ("malls",)
    actions = ("rotate_token", "revoke")

    @admin.display(description=_("scopes"))
    def scope_list(self, obj):
        return ", ".join(obj.scopes)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return (*self.readonly_fields, "name")
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if change:
                api_client_update(
                    client=obj,
                    actor=request.user,
                    malls=data["malls"],
                    scopes=data["scopes"],
                    rate_per_minute=data["rate_per_minute"],
                )
            else:
                client, token = api_client_create(
                    name=data["name"],
                    malls=data["malls"],
                    scopes=data["scopes"],
                    rate_per_minute=data["rate_per_minute"],
                    actor=request.user,
                )
                obj.pk = client.pk
                request._api_new_token = (client, token)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))

    def save_related(self, request, form, formsets, change):
        pass  # the services set the malls and the user's memberships

    def response_add(self, request, obj, post_url_continue=None):
        created = getattr(request, "_api_new_token", None)
        if created:
            return _show_token(request, *created)
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description=_("Rotate the token (the old one stops at once)"))
    def rotate_token(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Rotate one client at a time."), messages.WARNING)
            return None
        try:
            client, token = api_client_rotate(client=queryset.get(), actor=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        return _show_token(request, client, token)

    @admin.action(description=_("Revoke (the token stops at once, webhooks stop)"))
    def revoke(self, request, queryset):
        for client in queryset:
            api_client_revoke(client=client, actor=request.user)
        self.message_user(request, _("Revoked."), messages.SUCCESS)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("client", "url", "is_active", "created_at")
    list_filter = ("is_active", "client")
    fields = ("client", "url", "events", "is_active", "created_at")
    readonly_fields = ("client", "url", "events", "created_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "event_type",
        "event_id",
        "subscription",
        "status",
        "attempts",
        "last_response",
        "next_attempt_at",
        "delivered_at",
    )
    list_filter = ("status", "event__type", "subscription__client")
    list_select_related = ("event", "subscription__client")
    search_fields = ("event__event_id",)
    actions = ("replay",)
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields] + ["payload"]
    show_full_result_count = False

    @admin.display(description=_("event"))
    def event_type(self, obj):
        return obj.event.get_type_display()

    @admin.display(description=_("event id"))
    def event_id(self, obj):
        return obj.event.event_id

    @admin.display(description=_("payload"))
    def payload(self, obj):
        return obj.event.payload

    @admin.action(description=_("Send again (same event id)"))
    def replay(self, request, queryset):
        for delivery in queryset:
            webhook_replay(delivery=delivery, actor=request.user)
        self.message_user(request, _("Queued to be sent again."), messages.SUCCESS)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the log is read-only; "send again" is the one thing done here

    def has_delete_permission(self, request, obj=None):
        return False
