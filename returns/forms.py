from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from merchants.models import Booth, Merchant, MerchantStatus
from servicedesk.forms import DateInput, DeskModelForm
from servicedesk.forms import DeskForm as BaseDeskForm
from servicedesk.limits import TEXT_MAX
from servicedesk.phones import normalise_mobile, validate_mobile

from .models import NotIntactReason, RefundMethod, ReturnRequest

DATE = DateInput()


class DeskForm(BaseDeskForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


# The sale as the desk types it from the receipt: the same fields, in the same order, on the
# return request and on the exchange request (exchanges.forms), checked by the same rules.
SALE_FIELDS = [
    "kind",
    "voucher_number",
    "via_unified_cashier",
    "merchant",
    "booth",
    "goods",
    "model",
    "quantity",
    "price_paid",
    "payment_date",
    "delivery_date",
    "custom_made",
    "sample",
    "special_price",
    "imported_special_order",
    "installed",
]
SALE_WIDGETS = {"payment_date": DATE, "delivery_date": DATE}


class SaleRequestForm(DeskModelForm):
    """The customer and the sale of a request about goods bought here: the return request and the
    exchange request (exchanges.forms.ExchangeRequestForm) are this form with a model and their
    own fields (`Meta.fields` = SALE_FIELDS + theirs)."""

    customer_name = forms.CharField(label=_("customer name"), max_length=50)
    customer_mobile = forms.CharField(
        label=_("customer mobile"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )

    def __init__(self, *args, mall=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.mall = mall
        # Exited merchants stay selectable: their customers still return and exchange goods, and
        # the mall answers for their sales (Art 43).
        self.fields["merchant"].queryset = (
            Merchant.objects.filter(mall=mall)
            .exclude(status__in=[MerchantStatus.APPLIED, MerchantStatus.VERIFIED])
            .order_by("brand")
        )
        self.fields["booth"].queryset = Booth.objects.filter(mall=mall).order_by("number")
        self.fields["booth"].required = False

    def clean_customer_mobile(self):
        mobile = normalise_mobile(self.cleaned_data["customer_mobile"])
        validate_mobile(mobile)
        return mobile

    def check_rules(self, data):
        # The service's rules over the sale (future dates, delivery before payment, the booth's
        # holder), in the same round as the field errors; the service checks them again.
        from .services.flow import validate_sale

        validate_sale(self.mall, {name: data.get(name) for name in self.Meta.fields}, timezone.localdate())

    def _get_validation_exclusions(self):
        # Set by the service, not typed.
        return super()._get_validation_exclusions() | {"mall", "number", "customer", "requested_on", "registered_by"}

    def sale(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReturnRequestForm(SaleRequestForm):
    class Meta:
        model = ReturnRequest
        fields = [*SALE_FIELDS, "gifts"]
        widgets = SALE_WIDGETS


class OverrideForm(DeskForm):
    override_reason = forms.CharField(
        label=_("override reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_MAX
    )


class MerchantReplyForm(DeskForm):
    agrees = forms.TypedChoiceField(
        label=_("merchant agrees"),
        choices=[("yes", _("Agrees to take the goods back")), ("no", _("Does not agree"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reply = forms.CharField(label=_("merchant's reply"), max_length=500, required=False)


class ApproveForm(DeskForm):
    pickup_date = forms.DateField(label=_("pick-up date"), widget=DATE, required=False)
    pickup_address = forms.CharField(label=_("pick-up address"), max_length=200, required=False)
    driver = forms.CharField(label=_("driver"), max_length=50, required=False)


class RefuseForm(DeskForm):
    refusal_reason = forms.CharField(
        label=_("refusal reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_MAX
    )


class ReceiveForm(DeskForm):
    past_fields = ("received_on",)

    received_on = forms.DateField(label=_("goods received on"), widget=DATE, initial=timezone.localdate)


class InspectForm(DeskForm):
    intact = forms.TypedChoiceField(
        label=_("condition"),
        choices=[
            ("yes", _("Intact: quality, function, body, accessories and labels complete")),
            ("no", _("Not intact")),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reasons = forms.MultipleChoiceField(
        label=_("why not intact"), choices=NotIntactReason.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    gifts_returned = forms.BooleanField(label=_("gifts returned"), required=False, initial=True)
    note = forms.CharField(label=_("inspection note"), max_length=500, required=False)


class RefundForm(DeskForm):
    method = forms.ChoiceField(label=_("refund method"), choices=RefundMethod.choices)
    reference = forms.CharField(label=_("refund reference"), max_length=60, required=False)
    freight_fee = forms.DecimalField(label=_("freight charged to customer"), min_value=0, decimal_places=2, initial=0)
    installation_fee = forms.DecimalField(
        label=_("installation charged to customer"), min_value=0, decimal_places=2, initial=0
    )
    repackaging_fee = forms.DecimalField(label=_("repackaging fee"), min_value=0, decimal_places=2, initial=0)
    gift_deduction = forms.DecimalField(label=_("deduction for gifts kept"), min_value=0, decimal_places=2, initial=0)


class EmptyForm(DeskForm):
    pass


class PeriodForm(BaseDeskForm):
    start = forms.DateField(label=_("from"), widget=DATE)
    end = forms.DateField(label=_("to"), widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period cannot end before it starts."))
        return data
