from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from merchants.models import Booth, Merchant, MerchantStatus
from servicedesk.forms import DateInput, DeskModelForm
from servicedesk.forms import DeskForm as BaseDeskForm
from servicedesk.limits import AMOUNT_MAX, TEXT_MAX
from servicedesk.phones import normalise_mobile, validate_mobile

from .models import Exchange

DATE = DateInput()


class DeskForm(BaseDeskForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ExchangeRequestForm(DeskModelForm):
    customer_name = forms.CharField(label=_("customer name"), max_length=50)
    customer_mobile = forms.CharField(
        label=_("customer mobile"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )

    class Meta:
        model = Exchange
        fields = [
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
            "reason",
            "failed_repairs",
            "days_in_repair",
        ]
        widgets = {"payment_date": DATE, "delivery_date": DATE, "reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, mall=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.mall = mall
        # Exited merchants stay selectable: the mall answers for their sales (Art 43).
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
        # The sale's rules across fields, in the same round as the field errors; the service
        # checks them again.
        from returns.services.flow import validate_sale

        validate_sale(self.mall, {name: data.get(name) for name in self.Meta.fields}, timezone.localdate())

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"mall", "number", "customer", "requested_on", "registered_by"}

    def sale(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ConfirmForm(DeskForm):
    merchant_contact = forms.CharField(label=_("merchant's contact who confirmed"), max_length=50, required=False)


class RefuseForm(DeskForm):
    refusal_reason = forms.CharField(
        label=_("refusal reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_MAX
    )


class ReplacementForm(DeskForm):
    new_goods = forms.CharField(label=_("replacement goods"), max_length=100)
    new_model = forms.CharField(label=_("replacement model"), max_length=60, required=False)
    new_quantity = forms.IntegerField(label=_("replacement quantity"), min_value=1, initial=1)
    new_price = forms.DecimalField(
        label=_("replacement price (yuan)"), min_value=Decimal("0.01"), max_value=AMOUNT_MAX, decimal_places=2
    )


class SettleForm(DeskForm):
    cashier_reference = forms.CharField(label=_("unified-cashier reference"), max_length=60, required=False)


class PickUpForm(DeskForm):
    past_fields = ("picked_up_on",)

    picked_up_on = forms.DateField(label=_("old goods picked up on"), widget=DATE, initial=timezone.localdate)
    driver = forms.CharField(label=_("driver"), max_length=50, required=False)


class DeliverForm(DeskForm):
    past_fields = ("delivered_on",)

    delivered_on = forms.DateField(label=_("new goods delivered on"), widget=DATE, initial=timezone.localdate)


class EmptyForm(DeskForm):
    pass


class OverrideForm(DeskForm):
    override_reason = forms.CharField(
        label=_("reason for overriding the merchant"), widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_MAX
    )


class FreightForm(DeskForm):
    freight_amount = forms.DecimalField(
        label=_("freight both ways (yuan)"), min_value=Decimal("0.01"), max_value=AMOUNT_MAX, decimal_places=2
    )
