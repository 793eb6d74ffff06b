from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.models import AMOUNT_MAX, TEXT_MAX, MerchantRemedy, MerchantReply
from returns.models import NotIntactReason
from servicedesk.forms import DeskForm, MultipleFileField, MultipleFileInput
from servicedesk.uploads import validate_document, validate_photo

MAX_FILES = 5


class AnswerForm(DeskForm):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (MerchantReply.AGREES, _("I accept the customer's demand")),
            (MerchantReply.PARTLY, _("I propose something else")),
            (MerchantReply.REFUSES, _("I refuse")),
        ],
        widget=forms.RadioSelect,
    )
    remedy = forms.ChoiceField(
        label=_("What you propose"),
        choices=[("", "—"), *MerchantRemedy.choices],
        required=False,
        help_text=_("Only when you propose something else."),
    )
    amount = forms.DecimalField(
        label=_("Amount you offer (yuan)"),
        required=False,
        min_value=0,
        max_value=AMOUNT_MAX,
        max_digits=10,
        decimal_places=2,
    )
    reply = forms.CharField(
        label=_("Explanation (or the reason for refusing)"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = MultipleFileField(
        label=_("Photos or documents (JPG, PNG or PDF, at most 5)"),
        required=False,
        validators=[validate_document],
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("At most %(count)s files at once.") % {"count": MAX_FILES})
        return files

    def check_rules(self, data):
        errors = {}
        if data.get("answer") == MerchantReply.PARTLY:
            if not data.get("remedy"):
                errors["remedy"] = _("Choose what you propose instead.")
            elif data["remedy"] == MerchantRemedy.AMOUNT and not data.get("amount"):
                errors["amount"] = _("Enter the amount you offer.")
        if errors:
            raise forms.ValidationError(errors)


class SetPasswordForm(DeskForm):
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password_again = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class ReturnAnswerForm(DeskForm):
    agrees = forms.TypedChoiceField(
        label=_("Your answer"),
        choices=[("yes", _("I confirm the return")), ("no", _("I refuse the return"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reply = forms.CharField(
        label=_("Note (the reason, when you refuse)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def check_rules(self, data):
        if data.get("agrees") is False and not (data.get("reply") or "").strip():
            raise forms.ValidationError({"reply": _("Give the reason for refusing.")})


class GoodsBackForm(DeskForm):
    """Goods received, and whether they are intact, in one step on the phone."""

    intact = forms.TypedChoiceField(
        label=_("Are the goods intact?"),
        choices=[("yes", _("Intact")), ("no", _("Not intact"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reasons = forms.MultipleChoiceField(
        label=_("What is wrong"),
        choices=NotIntactReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    photos = MultipleFileField(
        label=_("Photos of the goods (JPG or PNG, at most 5)"),
        required=False,
        validators=[validate_photo],
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("At most %(count)s files at once.") % {"count": MAX_FILES})
        return files

    def check_rules(self, data):
        if data.get("intact") is False and not data.get("reasons"):
            raise forms.ValidationError({"reasons": _("Say what is wrong with the goods.")})
        if data.get("intact") is True and data.get("reasons"):
            raise forms.ValidationError({"reasons": _("Goods with these faults are not intact.")})


class PriceTagFixedForm(DeskForm):
    photos = MultipleFileField(
        label=_("Photo of the corrected price tag (JPG or PNG)"),
        validators=[validate_photo],
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("At most %(count)s files at once.") % {"count": MAX_FILES})
        return files


class ExchangeRefuseForm(DeskForm):
    merchant_refusal_reason = forms.CharField(
        label=_("Why you do not agree"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The customer service centre reads it and decides; the customer is not shown your words."),
    )
