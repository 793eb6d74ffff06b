from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Customer
from .phones import normalise_mobile, normalise_phone


class CustomerForm(forms.ModelForm):
    """Typed at the desk: the mobile is cleaned of spaces, dashes and a +86 prefix first."""

    # Longer than the stored 11 digits so "+86 138 1234 5678" reaches clean_mobile; the model's
    # validators then check the cleaned number.
    mobile = forms.CharField(
        label=_("mobile"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    other_phone = forms.CharField(
        label=_("other phone"),
        max_length=30,
        required=False,
        help_text=Customer._meta.get_field("other_phone").help_text,
    )

    class Meta:
        model = Customer
        fields = ["name", "mobile", "other_phone", "address", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, mall=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.mall = mall
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_mobile(self):
        return normalise_mobile(self.cleaned_data["mobile"])

    def clean_other_phone(self):
        return normalise_phone(self.cleaned_data["other_phone"])

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the customer's name."))
        return name

    def _get_validation_exclusions(self):
        # Uniqueness per mall is checked by the service (a returning customer is found, not
        # refused); the mall is not a form field.
        return super()._get_validation_exclusions() | {"mall"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (photos, attachments); each is checked by the field's
    validators, and every file's problem is reported, not just the first."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = list(data) if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            return super().clean(None, initial) or []
        cleaned, errors = [], []
        for upload in files:
            try:
                cleaned.append(super().clean(upload, initial))
            except forms.ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


class DateInput(forms.DateInput):
    """The browser's date picker; it only understands ISO dates, whatever the page's language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
