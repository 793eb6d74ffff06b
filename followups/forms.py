from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from servicedesk.forms import DateInput

from .models import CallbackKind, CallbackStatus, Outcome


class SalesImportForm(forms.Form):
    file = forms.FileField(
        label=_("Cashier export (.csv or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class CallbackOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Satisfaction note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the customer said; required when unsatisfied."),
    )
    next_attempt_at = forms.DateTimeField(
        label=_("Next attempt"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("When not reached: when to try again (empty: in two hours)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class HomeVisitForm(forms.Form):
    visit_on = forms.DateField(label=_("Visit date"), widget=DateInput())
    address = forms.CharField(label=_("Address"), max_length=200)
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=None)
    driver = forms.CharField(label=_("Driver"), max_length=50, required=False)

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["officer"].queryset = get_user_model().objects.filter(pk__in=[u.pk for u in staff])
        self.helper = FormHelper()
        self.helper.form_tag = False


class HomeVisitOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(o.value, o.label) for o in (Outcome.SATISFIED, Outcome.MOSTLY_SATISFIED, Outcome.UNSATISFIED)],
        widget=forms.RadioSelect,
    )
    report = forms.CharField(label=_("Visit report"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    photos = forms.FileField(label=_("Photos"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from servicedesk.forms import MultipleFileField

        self.fields["photos"] = MultipleFileField(label=_("Photos"), required=False)
        self.helper = FormHelper()
        self.helper.form_tag = False


class RegisterFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *CallbackKind.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *CallbackStatus.choices], required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", _("All")), *Outcome.choices], required=False)
    start = forms.DateField(label=_("Deadline from"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Deadline to"), required=False, widget=DateInput())
    q = forms.CharField(label=_("Customer, mobile or order"), required=False, max_length=50)
