from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from servicedesk.forms import DateInput, DeskForm
from servicedesk.limits import TEXT_MAX
from servicedesk.satisfaction import Satisfaction

from .models import CallbackKind, CallbackStatus, Outcome


class SalesImportForm(DeskForm):
    file = forms.FileField(
        label=_("Cashier export (.csv or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class CallbackOutcomeForm(DeskForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Satisfaction note"),
        required=False,
        max_length=TEXT_MAX,
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


class CustomerCallForm(DeskForm):
    """One call to a customer with several callbacks due: did it reach them, and if so what they
    said about each (满意 / 基本满意 / 不满意). Fields per callback: outcome_<id>, note_<id>."""

    REACHED = "reached"
    call = forms.ChoiceField(
        label=_("The call"),
        choices=[
            (REACHED, _("Reached the customer")),
            (Outcome.NOT_REACHED.value, Outcome.NOT_REACHED.label),
            (Outcome.WRONG_NUMBER.value, Outcome.WRONG_NUMBER.label),
        ],
        widget=forms.RadioSelect,
        initial=REACHED,
    )
    next_attempt_at = forms.DateTimeField(
        label=_("Next attempt"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("When not reached: when to try again (empty: in two hours)."),
    )

    def __init__(self, *args, callbacks, **kwargs):
        super().__init__(*args, **kwargs)
        self.callbacks = list(callbacks)
        for callback in self.callbacks:
            self.fields[f"outcome_{callback.pk}"] = forms.ChoiceField(
                label=_("What the customer said"),
                choices=Satisfaction.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"note_{callback.pk}"] = forms.CharField(
                label=_("Satisfaction note"),
                required=False,
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("What the customer said; required when unsatisfied."),
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("call") == self.REACHED:
            for callback in self.callbacks:
                if not cleaned.get(f"outcome_{callback.pk}"):
                    self.add_error(f"outcome_{callback.pk}", _("Choose what the customer said about this callback."))
        return cleaned

    def outcomes(self):
        call = self.cleaned_data["call"]
        return {c.pk: self.cleaned_data[f"outcome_{c.pk}"] if call == self.REACHED else call for c in self.callbacks}

    def notes(self):
        return {c.pk: self.cleaned_data.get(f"note_{c.pk}", "") for c in self.callbacks}


class HomeVisitForm(DeskForm):
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


class HomeVisitOutcomeForm(DeskForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(o.value, o.label) for o in (Outcome.SATISFIED, Outcome.MOSTLY_SATISFIED, Outcome.UNSATISFIED)],
        widget=forms.RadioSelect,
    )
    report = forms.CharField(label=_("Visit report"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    photos = forms.FileField(label=_("Photos"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from servicedesk.forms import MultipleFileField

        self.fields["photos"] = MultipleFileField(label=_("Photos"), required=False)
        self.helper = FormHelper()
        self.helper.form_tag = False


class RegisterFilterForm(DeskForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *CallbackKind.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *CallbackStatus.choices], required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", _("All")), *Outcome.choices], required=False)
    start = forms.DateField(label=_("Deadline from"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Deadline to"), required=False, widget=DateInput())
    q = forms.CharField(label=_("Customer, mobile or order"), required=False, max_length=50)
