from datetime import date, datetime, timedelta
from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.core import validators
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Customer
from .phones import normalise_mobile, normalise_phone

# A time typed at the desk may run a few minutes ahead of the server's clock.
FUTURE_SLACK = timedelta(minutes=5)


def _min_value_message(limit):
    try:
        limit = Decimal(str(limit))
    except ArithmeticError:
        return _("This cannot be less than %(limit_value)s.")
    if limit == 0:
        return _("This cannot be negative.")
    if limit in (Decimal("0.01"), Decimal("1")):  # the smallest amount or count: the rule is "> 0"
        return _("This must be more than 0.")
    return _("This cannot be less than %(limit_value)s.")


class DeskFormMixin:
    """What every staff form shares: every error at once, next to its field, in the domain's words.

    - Messages say what to do ("请填写…", "最多 2000 字…", "必须大于 0"), not Django's defaults.
    - Text is never cut: the browser's `maxlength` (which silently drops what is pasted past the
      limit) becomes `data-maxlength`, read by static/js/textcount.js for a live counter; the
      server refuses a text over the limit with a message naming it.
    - The fields named in `past_fields` may not lie in the future, and `check_rules(data)` runs the
      service's rules over several fields; both run in the same round as the field errors (with
      whatever parsed), so nobody fixes one error only to meet the next.
    """

    past_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = getattr(getattr(self, "_meta", None), "model", None)
        for name, field in self.fields.items():
            _speak_the_domain(field, _model_validators(model, name))

    def check_rules(self, data):
        """Override: raise the service's ValidationError({field: message}) for rules over several
        fields. Called with the fields that parsed; fields with an error of their own are left out."""

    def clean(self):
        data = super().clean()
        data = self.cleaned_data if data is None else data
        now = timezone.now()
        for name in self.past_fields:
            value = data.get(name)
            if isinstance(value, datetime) and value > now + FUTURE_SLACK:
                self.add_error(name, _("This time cannot be in the future."))
            elif isinstance(value, date) and not isinstance(value, datetime) and value > timezone.localdate():
                self.add_error(name, _("This date cannot be in the future."))
        try:
            self.check_rules({k: v for k, v in data.items() if k not in self.errors})
        except ValidationError as error:
            add_errors(self, error)
        return data


def add_errors(form, error):
    """Put a service's ValidationError next to the fields it names (the rest at the top of the
    form); a field that already shows an error keeps it and gets no second one."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            if target is not None and target in form.errors:
                continue
            form.add_error(target, messages)
    else:
        form.add_error(None, error.messages)
    return form


def _model_validators(model, name):
    """A model form also runs the model field's validators; their messages are replaced too."""
    if model is None:
        return []
    try:
        return getattr(model._meta.get_field(name), "validators", [])
    except FieldDoesNotExist:  # a form-only field
        return []


def _speak_the_domain(field, model_validators=()):
    messages = {
        "required": _("Fill in “%(label)s”.") % {"label": field.label} if field.label else _("Fill this in."),
        "max_length": _("At most %(limit_value)d characters; this has %(show_value)d. Shorten it: nothing is cut."),
        "max_value": _("This cannot be more than %(limit_value)s."),
        "max_digits": _("This number is too large."),
        "max_decimal_places": _("At most %(max)s digits after the decimal point."),
        "invalid_choice": _("Choose one of the options offered."),
    }
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField):
        messages["required"] = _("Choose “%(label)s”.") % {"label": field.label} if field.label else _("Choose one.")
    if isinstance(field, forms.FileField):
        messages["required"] = _("Attach “%(label)s”.") % {"label": field.label} if field.label else _("Attach a file.")
    if isinstance(field, forms.DateTimeField):
        messages["invalid"] = _("Enter a time like 2026-11-20 09:30.")
    elif isinstance(field, forms.DateField):
        messages["invalid"] = _("Enter a date like 2026-11-20.")
    elif isinstance(field, forms.DecimalField | forms.IntegerField):
        messages["invalid"] = _("Enter a number.")
    for validator in [*field.validators, *model_validators]:
        if isinstance(validator, validators.MinValueValidator):
            messages["min_value"] = _min_value_message(validator.limit_value)
    field.error_messages.update(messages)
    limit = getattr(field, "max_length", None)
    if limit and isinstance(field.widget, forms.TextInput | forms.Textarea):
        field.widget.attrs.pop("maxlength", None)
        field.widget.attrs["data-maxlength"] = str(limit)


class DeskForm(DeskFormMixin, forms.Form):
    pass


class DeskModelForm(DeskFormMixin, forms.ModelForm):
    pass


class CustomerForm(DeskModelForm):
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
