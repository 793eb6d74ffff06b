from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from servicedesk.models import StaffMembership
from servicedesk.roles import Role
from servicedesk.uploads import validate_photo

from .models import StopAction, StopTask
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
    """One choice list of the cases the run can take: r<pk> a return to pick up, v<pk> a home visit."""

    case = forms.ChoiceField(label=_("case"))
    address = forms.CharField(label=_("address"), max_length=200, required=False, help_text=_("Empty: the case's own."))

    def __init__(self, *args, mall, **kwargs):
        super().__init__(*args, **kwargs)
        returns, visits = open_cases(mall)
        self.returns = {f"r{r.pk}": r for r in returns}
        self.visits = {f"v{v.pk}": v for v in visits}
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
        )

    def service_kwargs(self):
        key = self.cleaned_data["case"]
        if key in self.returns:
            return {
                "task": StopTask.PICK_UP,
                "return_request": self.returns[key],
                "address": self.cleaned_data["address"],
            }
        return {"task": StopTask.VISIT, "home_visit": self.visits[key], "address": self.cleaned_data["address"]}


class StopDoneForm(forms.Form):
    action = forms.ChoiceField(
        label=_("done"),
        choices=StopAction.choices,
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
