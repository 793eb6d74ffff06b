"""The public forms of the mall's intake page: parse and check fields in the desk's words (the
desk's DeskForm rules: every error at once, next to its field); the services apply the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.models import Channel, Complaint
from merchants.models import Booth
from returns.models import ReturnRequest
from servicedesk.forms import DeskForm, DeskModelForm, MultipleFileField, MultipleFileInput
from servicedesk.uploads import validate_document

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_INTAKE_PHOTOS = 10


class PhoneStyled:
    """Bootstrap classes on every widget (the public pages render fields by hand)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, Consent):
                field.error_messages["required"] = CONSENT_NEEDED
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            elif not isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-control"


CONSENT_NEEDED = _("Please read the privacy notice and tick to agree.")


class Consent(forms.BooleanField):
    def __init__(self):
        super().__init__(
            label=_("I have read the privacy notice and agree that the mall uses these details to handle my case.")
        )


class MobileForm(PhoneStyled, DeskForm):
    purpose = forms.ChoiceField(
        label=_("What do you want to do?"),
        choices=[("complaint", _("Make a complaint")), ("return", _("Ask for a 7-day no-reason return"))],
        widget=forms.RadioSelect,
        initial="complaint",
    )
    mobile = forms.CharField(
        label=_("Your mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    consent = Consent()


class CodeForm(PhoneStyled, DeskForm):
    code = forms.CharField(
        label=_("The 6-digit code in the SMS"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class BoothChoice(forms.ModelChoiceField):
    def label_from_instance(self, booth):
        brand = booth.merchant.brand if booth.merchant_id else ""
        return f"{booth.number} {brand}".strip()


def booth_choice(mall):
    """The mall's active booths to pick from, with the merchant's name (one query)."""
    return BoothChoice(
        label=_("Merchant or booth"),
        queryset=Booth.objects.filter(mall=mall, is_active=True).select_related("merchant").order_by("number"),
        empty_label=_("Choose the merchant or booth"),
        error_messages={"invalid_choice": _("Choose a merchant or booth from the list.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class OnlineComplaintForm(PhoneStyled, DeskModelForm):
    past_fields = ("purchase_date", "delivery_date")

    customer_name = forms.CharField(label=_("Your name"), max_length=50)
    customer_address = forms.CharField(
        label=_("Your address"),
        max_length=200,
        required=False,
        help_text=_("Needed when someone must come to your home (delivery, installation, repair, measuring)."),
    )
    attachments = MultipleFileField(
        validators=[validate_document],
        widget=MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
        label=_("Photos of the goods and the receipt"),
        required=False,
        help_text=_("JPG, PNG or PDF, at most 5 MB each, up to 10."),
    )
    consent = Consent()

    class Meta:
        model = Complaint
        fields = [
            "purchase_date",
            "delivery_date",
            "goods",
            "voucher_number",
            "purchase_amount",
            "category",
            "category_other",
            "demand",
            "demand_other",
            "facts",
        ]
        widgets = {
            "purchase_date": DATE_INPUT,
            "delivery_date": DATE_INPUT,
            "facts": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {
            "voucher_number": _("Unified-cashier order number"),
            "facts": _("What happened"),
            "demand": _("What you ask for"),
        }

    def __init__(self, *args, mall, **kwargs):
        super().__init__(*args, **kwargs)
        self.mall = mall
        self.fields["booth"] = booth_choice(mall)
        self.order_fields(["customer_name", "booth", "goods", "purchase_date", "delivery_date", "voucher_number"])
        self.fields["goods"].required = True
        self.fields["purchase_amount"].widget.attrs.update({"step": "0.01", "min": "0.01"})

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_INTAKE_PHOTOS:
            raise forms.ValidationError(_("At most %(max)d files.") % {"max": MAX_INTAKE_PHOTOS})
        return files

    def check_rules(self, data):
        from complaints.services import validate_intake

        validate_intake(self.mall, {**data, "channel": Channel.ONLINE})

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"mall", "number", "customer", "registered_by", "channel"}

    def validate_constraints(self):
        pass

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data.pop("consent", None)
        return data


class OnlineReturnForm(PhoneStyled, DeskModelForm):
    past_fields = ("payment_date", "delivery_date")

    customer_name = forms.CharField(label=_("Your name"), max_length=50)
    consent = Consent()

    class Meta:
        model = ReturnRequest
        fields = [
            "goods",
            "model",
            "quantity",
            "price_paid",
            "payment_date",
            "delivery_date",
            "voucher_number",
            "via_unified_cashier",
            "custom_made",
            "sample",
            "special_price",
            "imported_special_order",
            "installed",
            "gifts",
        ]
        widgets = {"payment_date": DATE_INPUT, "delivery_date": DATE_INPUT}
        labels = {"voucher_number": _("Unified-cashier order number")}

    def __init__(self, *args, mall, **kwargs):
        super().__init__(*args, **kwargs)
        self.mall = mall
        self.fields["booth"] = booth_choice(mall)
        self.order_fields(["customer_name", "booth"])
        self.fields["price_paid"].widget.attrs.update({"step": "0.01", "min": "0.01"})

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {
            "mall",
            "number",
            "customer",
            "requested_on",
            "registered_by",
            "merchant",
            "kind",
        }

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data.pop("consent", None)
        return data
