from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from servicedesk.forms import DeskForm as BaseDeskForm
from servicedesk.limits import TEXT_MAX
from servicedesk.notifications import staff_of
from servicedesk.roles import Role

from .models import (
    ANNOUNCEMENT_TEXT_MAX,
    ANNOUNCEMENT_TYPES,
    BroadcastScript,
    Channel,
    CheckChannel,
    Duty,
    EmergencyType,
    EnquiryTopic,
    IncidentKind,
    Severity,
    Shift,
    SlotType,
    VisitorBody,
    Weekday,
    checklist,
)


class DeskForm(BaseDeskForm):
    """Forms render their fields with crispy; the template owns the <form> tag and button."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def _staff_choices(mall, *roles):
    users = staff_of(mall, *roles) if roles else get_user_model().objects.none()
    return users.filter(memberships__mall=mall).order_by("username").distinct()


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class SlotForm(DeskForm):
    weekday = forms.TypedChoiceField(
        label=_("weekday"),
        choices=[("", "—"), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Every week on this day."),
    )
    on_date = forms.DateField(
        label=_("on date"), widget=DateInput(), required=False, help_text=_("Or once, on this day.")
    )
    starts_at = forms.TimeField(label=_("starts at"), widget=TimeInput())
    ends_at = forms.TimeField(label=_("ends at"), widget=TimeInput())
    slot_type = forms.ChoiceField(label=_("type"), choices=SlotType.choices)
    script = forms.ModelChoiceField(label=_("script"), queryset=BroadcastScript.objects.none(), required=False)
    announcer = StaffChoiceField(
        label=_("announcer"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Leave empty for whoever is on duty at the desk."),
    )
    notes = forms.CharField(label=_("notes"), max_length=200, required=False)
    instructed_by = StaffChoiceField(
        label=_("on the instruction of"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Emergencies: the manager who ordered the broadcast."),
    )

    def __init__(self, *args, mall, weekly_allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["script"].queryset = BroadcastScript.objects.for_mall(mall).active()
        self.fields["announcer"].queryset = _staff_choices(mall, Role.FRONT_DESK, Role.SUPERVISOR, Role.MANAGER)
        self.fields["instructed_by"].queryset = _staff_choices(mall, Role.MANAGER)
        if not weekly_allowed:
            del self.fields["weekday"]
            self.fields["on_date"].required = True
            self.fields["on_date"].help_text = ""


class AnnouncementForm(DeskForm):
    """A one-off announcement in the desk's own words (寻人寻物, a notice), read out now."""

    slot_type = forms.ChoiceField(
        label=_("type"), choices=[(t.value, t.label) for t in ANNOUNCEMENT_TYPES], initial=SlotType.PAGING
    )
    text = forms.CharField(
        label=_("announcement text"),
        max_length=ANNOUNCEMENT_TEXT_MAX,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("e.g. Lost: a blue child's backpack near the 2F lifts…")}
        ),
    )


class ScriptForm(DeskForm):
    title = forms.CharField(label=_("title"), max_length=60)
    slot_type = forms.ChoiceField(label=_("type"), choices=SlotType.choices)
    text_zh = forms.CharField(label=_("Chinese text"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}))
    text_en = forms.CharField(
        label=_("English text"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class HandoverForm(DeskForm):
    shift = forms.ChoiceField(label=_("outgoing shift"), choices=Shift.choices)
    keys_and_items = forms.CharField(
        label=_("keys and items handed over"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Keys, radios, petty cash, lost property, the broadcast microphone..."),
    )
    open_matters = forms.CharField(
        label=_("open matters"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(
        label=_("notes"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class HandoverConfirmForm(DeskForm):
    discrepancies = forms.CharField(
        label=_("discrepancies found"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Anything missing or different from what was recorded."),
    )
    take = forms.TypedMultipleChoiceField(
        label=_("Important matters I take over"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("An important matter still unfinished is handed over only if you take it over."),
    )

    def __init__(self, *args, important=(), **kwargs):
        super().__init__(*args, **kwargs)
        if important:
            self.fields["take"].choices = [(m.pk, m.text) for m in important]
        else:
            del self.fields["take"]


class MatterForm(DeskForm):
    text = forms.CharField(label=_("matter"), max_length=500, widget=forms.TextInput)
    important = forms.BooleanField(
        label=_("important"),
        required=False,
        help_text=_("An important matter cannot be handed over unfinished unless the next shift takes it."),
    )


class SignLogForm(DeskForm):
    remarks = forms.CharField(label=_("supervisor's remarks"), max_length=500, required=False)


class EnquiryForm(DeskForm):
    channel = forms.ChoiceField(label=_("channel"), choices=Channel.choices, widget=forms.RadioSelect)
    # The cursor starts here: the channel is kept from the last caller.
    topic = forms.ChoiceField(
        label=_("topic"), choices=EnquiryTopic.choices, widget=forms.Select(attrs={"autofocus": True})
    )
    question = forms.CharField(label=_("question"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))
    answer = forms.CharField(
        label=_("answer"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    minutes_taken = forms.IntegerField(label=_("minutes taken"), min_value=1, max_value=240, initial=1)
    customer_name = forms.CharField(label=_("customer name"), max_length=50, required=False)
    customer_mobile = forms.CharField(
        label=_("customer mobile"),
        max_length=20,
        required=False,
        help_text=_("Needed to turn the enquiry into a complaint or return request."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )


class SpotCheckForm(DeskForm):
    staff_checked = StaffChoiceField(label=_("staff checked"), queryset=get_user_model().objects.none())
    findings = forms.CharField(
        label=_("findings and coaching"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, mall, channel, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = CheckChannel(channel)
        self.fields["staff_checked"].queryset = _staff_choices(mall, Role.FRONT_DESK, Role.COMPLAINT_OFFICER)
        for code, label, most in checklist(channel):
            self.fields[code] = forms.IntegerField(
                label=f"{label}（{most}）",
                min_value=0,
                max_value=most,
                initial=most,
            )

    def scores(self):
        return {code: self.cleaned_data[code] for code, _label, _most in checklist(self.channel)}


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


class RosterNewForm(DeskForm):
    month = forms.DateField(
        label=_("month"), input_formats=["%Y-%m", "%Y-%m-%d"], widget=MonthInput(), help_text=_("e.g. 2026-04")
    )
    copy_previous = forms.BooleanField(
        label=_("Start from four weeks earlier"),
        required=False,
        initial=True,
        help_text=_("Everyone still on the desk gets the duty they had on the same weekday four weeks before."),
    )


class RosterGridForm(DeskForm):
    """The roster's cells as one form: a select per person and day (`d-<user id>-<day>`), plus the
    reason a published roster changes."""

    reason = forms.CharField(
        label=_("reason for the change"),
        max_length=200,
        required=False,
        help_text=_("Needed once the roster is published: a cover (顶班), approved leave..."),
    )

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.cell_names = {}
        for row in sheet.rows:
            for day, duty, _conflict in row.cells:
                name = f"d-{row.staff.pk}-{day.day}"
                self.fields[name] = forms.ChoiceField(
                    choices=Duty.choices, initial=duty.value, required=False, label=f"{row.staff} {day}"
                )
                self.cell_names[name] = (row.staff.pk, day)

    def duties(self):
        """{(user id, date): duty} as posted; a cell left out keeps its value."""
        return {key: self.cleaned_data[name] for name, key in self.cell_names.items() if self.cleaned_data.get(name)}


class IncidentForm(DeskForm):
    """One form for the four kinds; the view keeps the fields of the kind being logged."""

    past_fields = ("occurred_at",)

    occurred_at = forms.DateTimeField(
        label=_("time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Leave empty for now."),
    )
    body_type = forms.ChoiceField(label=_("visiting body"), choices=[("", "—"), *VisitorBody.choices], required=False)
    party_organisation = forms.CharField(label=_("department or outlet"), max_length=100, required=False)
    emergency_type = forms.ChoiceField(
        label=_("emergency"), choices=[("", "—"), *EmergencyType.choices], required=False
    )
    severity = forms.ChoiceField(label=_("severity"), choices=[("", "—"), *Severity.choices], required=False)
    place = forms.CharField(label=_("place"), max_length=100, required=False)
    party_name = forms.CharField(label=_("name"), max_length=100, required=False)
    party_phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    summary = forms.CharField(label=_("what happened"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    acted_by = forms.CharField(label=_("who acted"), max_length=200, required=False)

    KIND_FIELDS = {
        IncidentKind.VISIT: ("occurred_at", "body_type", "party_organisation", "party_name", "party_phone", "summary"),
        IncidentKind.EMERGENCY: ("occurred_at", "emergency_type", "severity", "place", "summary", "acted_by"),
        IncidentKind.REPAIR: ("occurred_at", "place", "summary", "party_name", "party_phone"),
        IncidentKind.SUGGESTION: ("occurred_at", "party_name", "party_phone", "summary"),
    }
    LABELS = {
        IncidentKind.VISIT: {"party_name": _("visitors"), "summary": _("purpose of the visit")},
        IncidentKind.EMERGENCY: {"summary": _("what happened")},
        IncidentKind.REPAIR: {"summary": _("what is broken"), "party_name": _("reported by")},
        IncidentKind.SUGGESTION: {"party_name": _("customer"), "summary": _("suggestion")},
    }

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = IncidentKind(kind)
        keep = self.KIND_FIELDS[self.kind]
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for name, label in self.LABELS[IncidentKind(kind)].items():
            self.fields[name].label = label

    def check_rules(self, data):
        from .services.incidents import incident_check

        errors = incident_check(self.kind, {name: value for name, value in data.items() if name != "summary"})
        if errors:
            raise ValidationError(errors)


class IncidentNoteForm(DeskForm):
    text = forms.CharField(label=_("follow-up"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class IncidentCloseForm(DeskForm):
    outcome = forms.CharField(
        label=pgettext_lazy("incident", "outcome"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
