from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from exchanges.models import Exchange, ExchangeStatus
from followups.models import HomeVisit
from returns.models import ReturnRequest
from servicedesk.models import StaffMembership
from servicedesk.roles import Role
from servicedesk.uploads import validate_photo

from .models import DRIVER_MARKS, StopTask
from .services import open_cases


class RunForm(forms.Form):
    run_on = forms.DateField(label=_("run date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    # Not required here: the service names a missing driver together with a past date.
    driver = forms.ModelChoiceField(label=_("driver"), queryset=get_user_model().objects.none(), required=False)
    vehicle = forms.CharField(label=_("vehicle"), max_length=60, required=False)

    def __init__(self, *args, mall, **kwargs):
        super().__init__(*args, **kwargs)
        drivers = StaffMembership.objects.active().filter(mall=mall, role=Role.DRIVER).values("user")
        self.fields["driver"].queryset = get_user_model().objects.filter(pk__in=drivers).order_by("username")
        self.fields["driver"].label_from_instance = lambda u: u.get_full_name() or u.username


class StopForm(forms.Form):
    """One choice list of the cases the run can take: r<pk> a return to pick up, v<pk> a home visit,
    x<pk> an exchange's old goods to pick up, d<pk> an exchange's new goods to deliver."""

    case = forms.ChoiceField(label=_("case"))
    address = forms.CharField(label=_("address"), max_length=200, required=False, help_text=_("Empty: the case's own."))

    def __init__(self, *args, mall, **kwargs):
        super().__init__(*args, **kwargs)
        returns, visits, exchanges = open_cases(mall)
        self.returns = {f"r{r.pk}": r for r in returns}
        self.visits = {f"v{v.pk}": v for v in visits}
        self.pick_ups = {f"x{e.pk}": e for e in exchanges if e.status == ExchangeStatus.SETTLED}
        self.deliveries = {f"d{e.pk}": e for e in exchanges}
        self.fields["case"].choices = (
            [("", "---------")]
            + [
                (key, f"{StopTask.PICK_UP.label} {r.number} {r.customer.name} {r.goods}")
                for key, r in self.returns.items()
            ]
            + [
                (key, f"{StopTask.VISIT.label} {v.visit_on} {v.callback.customer.name}")
                for key, v in self.visits.items()
            ]
            + [
                (key, f"{StopTask.EXCHANGE_PICK_UP.label} {e.number} {e.customer.name} {e.goods}")
                for key, e in self.pick_ups.items()
            ]
            + [
                (key, f"{StopTask.EXCHANGE_DELIVERY.label} {e.number} {e.customer.name} {e.new_goods}")
                for key, e in self.deliveries.items()
            ]
        )

    def service_kwargs(self):
        key, address = self.cleaned_data["case"], self.cleaned_data["address"]
        if key in self.returns:
            return {"task": StopTask.PICK_UP, "return_request": self.returns[key], "address": address}
        if key in self.pick_ups:
            return {"task": StopTask.EXCHANGE_PICK_UP, "exchange": self.pick_ups[key], "address": address}
        if key in self.deliveries:
            return {"task": StopTask.EXCHANGE_DELIVERY, "exchange": self.deliveries[key], "address": address}
        return {"task": StopTask.VISIT, "home_visit": self.visits[key], "address": address}


def names_another_malls_case(key, mall):
    """Whether a posted case key (r/v/x/d and a pk) names a record of another mall: 404, as any
    other mall's record addressed by its id."""
    models = {"r": ReturnRequest, "v": HomeVisit, "x": Exchange, "d": Exchange}
    if len(key) < 2 or key[0] not in models or not key[1:].isdigit():
        return False
    return models[key[0]].objects.filter(pk=int(key[1:])).exclude(mall=mall).exists()


class StopDoneForm(forms.Form):
    action = forms.ChoiceField(
        label=_("done"),
        choices=[(mark.value, mark.label) for mark in DRIVER_MARKS],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what was done.")},
    )
    photo = forms.FileField(
        label=_("photo"),
        validators=[validate_photo],
        error_messages={"required": _("Take a photo.")},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"}),
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class StopCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for cancelling"),
        max_length=200,
        help_text=_("For example: the customer asked for another day."),
        error_messages={"required": _("Say why the stop is cancelled.")},
    )
