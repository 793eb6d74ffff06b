"""Forms of the complaint desk. They parse and check fields; the services apply the rules."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from merchants.models import Booth
from servicedesk.forms import DeskForm, DeskModelForm, MultipleFileField, MultipleFileInput
from servicedesk.phones import normalise_mobile, normalise_phone, validate_mobile, validate_phone
from servicedesk.uploads import validate_document

from .models import (
    AMOUNT_MAX,
    TEXT_MAX,
    Action,
    CallbackResponse,
    Complaint,
    EntryKind,
    ExternalBody,
    MerchantReply,
    NotAcceptedReason,
    Result,
    StaffComplaint,
)

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BoothField(forms.CharField):
    """Typed as "2F-B-015" or picked from the list "2F-B-015 木语实木": the booth number comes first."""

    def __init__(self, *args, mall=None, **kwargs):
        self.mall = mall
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value).strip()
        if not value:
            return None
        number = value.split()[0]
        booth = Booth.objects.filter(mall=self.mall, number__iexact=number).select_related("merchant").first()
        if booth is None:
            raise forms.ValidationError(_("There is no booth %(number)s in this mall.") % {"number": number})
        return booth


class IntakeForm(DeskModelForm):
    past_fields = ("received_at", "purchase_date", "delivery_date")

    customer_mobile = forms.CharField(
        label=_("Customer's mobile"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off", "autofocus": True}),
    )
    customer_name = forms.CharField(label=_("Customer's name"), max_length=50)
    # Required only where someone must go to the customer's home (complaints.models.needs_address).
    customer_address = forms.CharField(
        label=_("Customer's address"),
        max_length=200,
        required=False,
        help_text=_("Needed for delivery, installation, repair, measuring or testing at home, or goods to collect."),
    )
    customer_other_phone = forms.CharField(label=_("Other phone"), max_length=30, required=False)
    paid_via_unified_cashier = forms.TypedChoiceField(
        label=_("Paid through the unified cashier?"),
        choices=[("yes", _("Yes, with the mall's receipt or slip")), ("no", _("No, paid to the merchant directly"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    merchant_unknown = forms.BooleanField(label=_("Merchant unknown"), required=False)
    attachments = MultipleFileField(
        validators=[validate_document],
        widget=MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
        label=_("Photos and receipts"),
        required=False,
        help_text=_("JPG, PNG or PDF, at most 5 MB each."),
    )

    class Meta:
        model = Complaint
        fields = [
            "channel",
            "received_at",
            "official_visit",
            "purchase_date",
            "voucher_number",
            "goods",
            "goods_model",
            "purchase_amount",
            "delivery_date",
            "category",
            "category_other",
            "demand",
            "demand_other",
            "facts",
            "claimed_amount",
            "referral_working_days",
        ]
        widgets = {
            "received_at": DATETIME_INPUT,
            "purchase_date": DATE_INPUT,
            "delivery_date": DATE_INPUT,
            "facts": forms.Textarea(attrs={"rows": 4}),
        }

    # Rarely needed at the desk: folded away under "More details" (and out of the Tab order)
    # unless one of them has a value or an error.
    MORE_FIELDS = (
        "customer_other_phone",
        "received_at",
        "official_visit",
        "goods_model",
        "delivery_date",
        "attachments",
    )

    def __init__(self, *args, mall, **kwargs):
        super().__init__(*args, **kwargs)
        self.mall = mall
        self.fields["booth"] = BoothField(
            label=_("Booth or brand"),
            required=False,
            mall=mall,
            max_length=100,
            widget=forms.TextInput(attrs={"list": "booth-list", "autocomplete": "off"}),
            help_text=_("Type the booth number or the brand and pick from the list."),
        )
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["received_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        # One field to type the date into (a date picker costs three Tab stops).
        self.fields["purchase_date"].widget = forms.TextInput(
            attrs={"placeholder": "2026-11-20", "autocomplete": "off"}
        )
        self.fields["purchase_date"].input_formats = ["%Y-%m-%d", "%Y%m%d", "%Y/%m/%d", "%Y.%m.%d"]
        self.fields["purchase_date"].help_text = _("e.g. 2026-11-20 or 20261120")
        for name in ("purchase_amount", "claimed_amount"):
            self.fields[name].widget.attrs.update({"step": "0.01", "min": "0.01"})
        if self.initial.get("customer_mobile") and self.initial.get("customer_name"):
            # A known customer is filled in already: the cursor starts at how it came in.
            self.fields["customer_mobile"].widget.attrs.pop("autofocus", None)
            self.fields["channel"].widget.attrs["autofocus"] = True

    def more_open(self):
        """Open "More details" when it holds an error or a value the clerk should see."""
        if any(name in self.errors for name in self.MORE_FIELDS):
            return True
        if self.is_bound:
            return False
        return any(self.initial.get(name) for name in ("customer_other_phone", "goods_model", "delivery_date"))

    def booths(self):
        return Booth.objects.filter(mall=self.mall).select_related("merchant").order_by("number")

    def clean_customer_mobile(self):
        mobile = normalise_mobile(self.cleaned_data["customer_mobile"])
        validate_mobile(mobile)
        return mobile

    def clean_customer_other_phone(self):
        phone = normalise_phone(self.cleaned_data["customer_other_phone"])
        if phone:
            validate_phone(phone)
        return phone

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("booth") and not cleaned.get("merchant_unknown") and "booth" not in self.errors:
            self.add_error("booth", _("Pick the booth, or tick “Merchant unknown”."))
        return cleaned

    def check_rules(self, data):
        # The service's rules over several fields, in the same round as the field errors.
        from .services.intake import validate_intake

        validate_intake(self.mall, data)

    def _get_validation_exclusions(self):
        # Constraints over several fields are checked by the service with messages per field.
        return super()._get_validation_exclusions() | {"mall", "number", "customer", "registered_by"}

    def validate_constraints(self):
        pass

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data.pop("merchant_unknown", None)
        return data


class NoteForm(DeskForm):
    note = forms.CharField(
        label=_("Note"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RequiredNoteForm(DeskForm):
    note = forms.CharField(label=_("Reason"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class EmptyForm(DeskForm):
    pass


class AssignForm(DeskForm):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=None)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.username


class MerchantReplyForm(DeskForm):
    answer = forms.ChoiceField(label=_("Merchant's answer"), choices=MerchantReply.choices, widget=forms.RadioSelect)
    reply = forms.CharField(
        label=_("What the merchant said"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProposeForm(DeskForm):
    proposal = forms.CharField(
        label=_("Proposed resolution"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResolveForm(DeskForm):
    result = forms.ChoiceField(label=_("Result"), choices=Result.choices, widget=forms.RadioSelect)
    customer_agreement = forms.CharField(
        label=_("Customer's agreement"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who agreed, when and how (in person, by phone)."),
    )
    settled_amount = forms.DecimalField(
        label=_("Settled amount (yuan)"),
        required=False,
        min_value=Decimal("0"),
        max_value=AMOUNT_MAX,
        max_digits=10,
        decimal_places=2,
    )


class NotAcceptForm(DeskForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=NotAcceptedReason.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PauseForm(DeskForm):
    reason = forms.CharField(
        label=_("Quality test"), max_length=200, help_text=_("Which test, where, when the report is expected.")
    )


class ReferForm(DeskForm):
    body = forms.ChoiceField(label=_("Referred to"), choices=ExternalBody.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CallBackForm(DeskForm):
    response = forms.ChoiceField(
        label=_("Customer's response"), choices=CallbackResponse.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class IdentifyMerchantForm(DeskForm):
    def __init__(self, *args, mall, **kwargs):
        super().__init__(*args, **kwargs)
        self.mall = mall
        self.fields["booth"] = BoothField(
            label=_("Booth or brand"),
            mall=mall,
            max_length=100,
            widget=forms.TextInput(attrs={"list": "booth-list", "autocomplete": "off"}),
            help_text=_("Type the booth number or the brand and pick from the list."),
        )

    def booths(self):
        return Booth.objects.filter(mall=self.mall).select_related("merchant").order_by("number")


# Each action's page asks only for what the action needs.
ACTION_FORMS = {
    Action.ACKNOWLEDGE: NoteForm,
    Action.IDENTIFY_MERCHANT: IdentifyMerchantForm,
    Action.ASSIGN: AssignForm,
    Action.TAKE: EmptyForm,
    Action.FORWARD: NoteForm,
    Action.MERCHANT_REPLY: MerchantReplyForm,
    Action.PROPOSE: ProposeForm,
    Action.RESOLVE: ResolveForm,
    Action.REJECT_PROPOSAL: RequiredNoteForm,
    Action.NOT_ACCEPT: NotAcceptForm,
    Action.WITHDRAW: RequiredNoteForm,
    Action.PAUSE: PauseForm,
    Action.RESUME: EmptyForm,
    Action.ESCALATE: NoteForm,
    Action.REFER: ReferForm,
    Action.CALL_BACK: CallBackForm,
    Action.CALLBACK_FAILED: NoteForm,
    Action.REOPEN: RequiredNoteForm,
    Action.CLOSE: NoteForm,
}


class LogForm(DeskForm):
    past_fields = ("happened_at",)

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k, label) for k, label in EntryKind.choices if k != EntryKind.ACTION],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    happened_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    text = forms.CharField(
        label=_("What happened"),
        max_length=TEXT_MAX,
        widget=forms.TextInput(attrs={"class": "form-control", "data-reply-picker": "on"}),
    )


class StaffComplaintForm(DeskModelForm):
    past_fields = ("received_at",)

    caller_phone = forms.CharField(label=_("Caller's phone"), max_length=30)

    class Meta:
        model = StaffComplaint
        fields = ["received_at", "caller_name", "caller_phone", "staff_name", "issue", "description"]
        widgets = {"received_at": DATETIME_INPUT, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, mall, **kwargs):
        super().__init__(*args, **kwargs)
        self.mall = mall
        self.fields["booth"] = BoothField(
            label=_("Booth"),
            required=False,
            mall=mall,
            max_length=100,
            widget=forms.TextInput(attrs={"list": "booth-list", "autocomplete": "off"}),
        )
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["received_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def booths(self):
        return Booth.objects.filter(mall=self.mall).select_related("merchant").order_by("number")

    def clean_caller_phone(self):
        phone = normalise_phone(self.cleaned_data["caller_phone"])
        validate_phone(phone)
        return phone

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"mall", "number", "taken_by"}


class StaffAnswerForm(DeskForm):
    past_fields = ("answered_at",)

    action_taken = forms.CharField(
        label=_("Action taken"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    answered_at = forms.DateTimeField(
        label=_("Customer answered at"), widget=DATETIME_INPUT, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    result = forms.CharField(label=_("Result"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))
