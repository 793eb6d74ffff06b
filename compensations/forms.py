from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicedesk.forms import DeskForm, MultipleFileField
from servicedesk.uploads import validate_document

from .models import TEXT_MAX, Decision, PaymentMethod, Reason

MONEY = {"max_digits": 10, "decimal_places": 2, "widget": forms.NumberInput(attrs={"step": "0.01", "min": "0"})}


def _money(label, min_value=Decimal("0"), **kwargs):
    return forms.DecimalField(label=label, min_value=min_value, **MONEY, **kwargs)


class ProposalForm(DeskForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=Reason.choices)
    loss_price = _money(_("Price paid (yuan)"))
    loss_costs = _money(
        _("Necessary costs (yuan)"), initial=Decimal("0.00"), help_text=_("Transport, installation, inspection.")
    )
    loss_penalties = _money(
        _("Agreed penalties (yuan)"),
        initial=Decimal("0.00"),
        help_text=_("E.g. 7 per mille of the deposit per day of late delivery."),
    )
    amount = _money(
        _("Compensation amount (yuan)"),
        min_value=Decimal("0.01"),
        help_text=_("At most the documented loss (the sum above)."),
    )
    merchant_position = forms.CharField(
        label=_("Merchant's position"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    paid_via_unified_cashier = forms.BooleanField(
        label=_("I have checked the unified cashier receipt or sales slip"), required=False
    )
    proposal_note = forms.CharField(
        label=_("Grounds for advance compensation"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = MultipleFileField(label=_("Evidence (PDF, JPG, PNG)"), required=False, validators=[validate_document])

    def __init__(self, *args, complaint=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.complaint = complaint

    def check_rules(self, data):
        # The money rules of the service (the amount within the documented loss), in the same
        # round as the field errors; the complaint's own preconditions are the page's refusal.
        money = ("reason", "loss_price", "loss_costs", "loss_penalties", "amount")
        if self.complaint is None or any(name not in data for name in money):
            return
        from .services import validate_proposal

        try:
            validate_proposal(complaint=self.complaint, **{name: data[name] for name in money})
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                raise


class DecisionForm(DeskForm):
    decision = forms.ChoiceField(choices=Decision.choices, widget=forms.HiddenInput)
    step = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), max_length=TEXT_MAX, required=False)


class PayoutForm(DeskForm):
    past_fields = ("paid_at",)

    paid_at = forms.DateTimeField(
        label=_("Paid at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    payment_method = forms.ChoiceField(label=_("Payment method"), choices=PaymentMethod.choices)
    payment_reference = forms.CharField(
        label=_("Payment reference"),
        max_length=60,
        required=False,
        help_text=_("Transfer or refund number; not needed for cash."),
    )
    receipt = forms.FileField(label=_("Customer's signed receipt (scan or photo)"), validators=[validate_document])
    claim_assigned = forms.BooleanField(
        label=_("The customer signed the assignment of the claim against the merchant to the mall"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class RecoveryForm(DeskForm):
    past_fields = ("received_on",)

    amount = _money(_("Amount received (yuan)"), min_value=Decimal("0.01"))
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Reference"), max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()


class WriteOffForm(DeskForm):
    reason = forms.CharField(
        label=_("Reason for the write-off"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
