from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.models import AMOUNT_MAX, TEXT_MAX, MerchantRemedy, MerchantReply
from servicedesk.forms import DeskForm, MultipleFileField, MultipleFileInput
from servicedesk.uploads import validate_document

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
