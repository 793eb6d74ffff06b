from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicedesk.forms import DateInput, DeskModelForm, MultipleFileField, MultipleFileInput
from servicedesk.forms import DeskForm as BaseDeskForm
from servicedesk.limits import TEXT_MAX
from servicedesk.phones import normalise_mobile
from servicedesk.uploads import validate_document, validate_photo

from .models import (
    Booth,
    DocumentKind,
    EntryKind,
    FailureCode,
    Merchant,
    MerchantCategory,
    MerchantStatus,
    MerchantUserKind,
)
from .services.entry import EDITABLE_FIELDS


class DeskForm(BaseDeskForm):
    """Forms render their fields with crispy; the template owns the <form> tag and button."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class MerchantForm(DeskModelForm):
    # Longer than the stored 11 digits so "139 1234 5678" reaches clean_mobile.
    mobile = forms.CharField(label=_("mobile"), max_length=20, required=False)

    class Meta:
        model = Merchant
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "contract_start": DateInput(),
            "contract_end": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_credit_code(self):
        return self.cleaned_data["credit_code"].strip().upper()

    def clean_mobile(self):
        return normalise_mobile(self.cleaned_data["mobile"])

    def _get_validation_exclusions(self):
        # The mall is set by the service; uniqueness per mall is checked there.
        return super()._get_validation_exclusions() | {"mall"}


class MerchantRegisterForm(MerchantForm):
    booth_number = forms.CharField(label=_("booth number"), max_length=20)
    booth_floor = forms.CharField(
        label=_("floor"), max_length=10, required=False, help_text=_("Needed for a new booth.")
    )
    booth_zone = forms.CharField(label=_("zone"), max_length=10, required=False)
    booth_area = forms.DecimalField(label=_("area (m²)"), max_digits=8, decimal_places=2, required=False, min_value=0)

    def booth(self):
        data = self.cleaned_data
        return {
            "number": data["booth_number"],
            "floor": data.get("booth_floor") or "",
            "zone": data.get("booth_zone") or "",
            "area": data.get("booth_area"),
        }


class BoothAssignForm(DeskForm):
    number = forms.CharField(label=_("booth number"), max_length=20)
    floor = forms.CharField(label=_("floor"), max_length=10, required=False, help_text=_("Needed for a new booth."))
    zone = forms.CharField(label=_("zone"), max_length=10, required=False)
    area = forms.DecimalField(label=_("area (m²)"), max_digits=8, decimal_places=2, required=False, min_value=0)
    start_date = forms.DateField(label=_("from"), widget=DateInput(), initial=timezone.localdate)


class DocumentForm(DeskForm):
    kind = forms.ChoiceField(label=_("document"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("file"), validators=[validate_document], help_text=_("PDF, JPG or PNG, at most 5 MB.")
    )
    valid_until = forms.DateField(label=_("valid until"), required=False, widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class ExitNoticeForm(DeskForm):
    past_fields = ("notice_date",)

    notice_date = forms.DateField(label=_("exit notice date"), widget=DateInput(), initial=timezone.localdate)
    planned_exit_date = forms.DateField(label=_("planned exit date"), widget=DateInput())
    after_sales_agent = forms.CharField(
        label=_("after-sales agent"), max_length=100, help_text=_("Brand or factory that takes warranty work.")
    )
    after_sales_contact = forms.CharField(label=_("after-sales contact person"), max_length=50, required=False)
    after_sales_phone = forms.CharField(label=_("after-sales phone"), max_length=20)

    def __init__(self, *args, merchant=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.merchant = merchant

    def check_rules(self, data):
        # The notice's date order and the merchant's contract, in the same round as field errors.
        from .services.exit import validate_exit_notice

        if self.merchant is not None:
            validate_exit_notice(self.merchant, data)


class ConfirmExitForm(DeskForm):
    past_fields = ("exited_on",)

    exited_on = forms.DateField(label=_("exit date"), widget=DateInput(), initial=timezone.localdate)


class DepositEntryForm(DeskForm):
    kind = forms.ChoiceField(
        label=_("entry"), choices=[(k.value, k.label) for k in (EntryKind.COLLECT, EntryKind.TOP_UP)]
    )
    amount = forms.DecimalField(label=_("amount (yuan)"), max_digits=12, decimal_places=2, min_value=0.01)
    entry_date = forms.DateField(label=_("date"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)

    def clean_entry_date(self):
        day = self.cleaned_data["entry_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class InspectionForm(DeskForm):
    booth = forms.ModelChoiceField(label=_("booth"), queryset=Booth.objects.none())
    items_checked = forms.IntegerField(label=_("items checked"), min_value=1, max_value=10000)
    failures = forms.MultipleChoiceField(
        label=_("failures"), choices=FailureCode.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    goods = forms.CharField(
        label=_("goods concerned"), max_length=100, required=False, help_text=_("Which items failed, if any.")
    )
    photos = MultipleFileField(
        label=_("photos"),
        required=False,
        validators=[validate_photo],
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=_("JPG or PNG, at most 5 MB each."),
    )
    notes = forms.CharField(
        label=_("notes"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, mall=None, reinspection_of=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.reinspection_of = reinspection_of
        self.fields["booth"].queryset = (
            Booth.objects.filter(mall=mall, is_active=True, merchant__isnull=False)
            .select_related("merchant")
            .order_by("number")
        )
        self.fields["booth"].label_from_instance = lambda b: f"{b.number} {b.merchant}"

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        if len(photos) > 10:
            raise forms.ValidationError(_("At most 10 photos per inspection."))
        return photos

    def check_rules(self, data):
        # The booth's holder on the day and the re-inspected failure, in the same round as the
        # field errors (the service checks them again when it records).
        from .services.inspections import validate_inspection

        if data.get("booth") is not None:
            validate_inspection(
                booth=data["booth"],
                items_checked=data.get("items_checked"),
                codes=data.get("failures") or (),
                inspected_at=timezone.now(),
                reinspection_of=self.reinspection_of,
            )


class RosterImportForm(DeskForm):
    file = forms.FileField(
        label=_("roster file"),
        help_text=_("Excel (.xlsx) or CSV with the columns of the merchant roster; at most 5 MB."),
    )


class FlagClearForm(DeskForm):
    reason = forms.CharField(label=_("reason"), max_length=200)


STATUS_CHOICES = MerchantStatus.choices
CATEGORY_CHOICES = MerchantCategory.choices


class MerchantUserInviteForm(DeskForm):
    name = forms.CharField(label=_("Name"), max_length=50)
    mobile = forms.CharField(label=_("mobile"), max_length=20)
    kind = forms.ChoiceField(label=_("Kind"), choices=MerchantUserKind.choices, initial=MerchantUserKind.OWNER)
    sent_by = forms.ChoiceField(
        label=_("Give the invitation"),
        choices=[("sms", _("By SMS to this mobile")), ("print", _("Printed as a QR code"))],
        initial="sms",
        widget=forms.RadioSelect,
    )

    def clean_mobile(self):
        return normalise_mobile(self.cleaned_data["mobile"])
