from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from returns.forms import SALE_FIELDS, SALE_WIDGETS, SaleRequestForm
from servicedesk.forms import DateInput
from servicedesk.forms import DeskForm as BaseDeskForm
from servicedesk.limits import AMOUNT_MAX, TEXT_MAX

from .models import Exchange

DATE = DateInput()


class DeskForm(BaseDeskForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ExchangeRequestForm(SaleRequestForm):
    """The return request's customer and sale (returns.forms.SaleRequestForm), and why the
    customer wants the goods exchanged."""

    class Meta:
        model = Exchange
        fields = [*SALE_FIELDS, "reason", "failed_repairs", "days_in_repair"]
        widgets = {**SALE_WIDGETS, "reason": forms.Textarea(attrs={"rows": 3})}


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
