"""QuickChoiceLabels: get_FOO_display() answers what Django's own does, in the active language,
for every choice of every choice field, and a value outside the choices as it is (issue #22)."""

import pytest
from django.db import models
from django.utils import translation

from compensations.models import Compensation
from complaints.models import Complaint, ComplaintDeadline
from servicedesk.choice_labels import QuickChoiceLabels


def _choice_fields(model):
    return [field for field in model._meta.concrete_fields if field.choices]


@pytest.mark.parametrize("model", [Complaint, ComplaintDeadline, Compensation])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_labels_as_djangos_own(language, model):
    assert issubclass(model, QuickChoiceLabels)
    fields = _choice_fields(model)
    assert fields
    complaint = model()
    with translation.override(language):
        for field in fields:
            for value, _label in [*field.flatchoices, ("not-a-choice", None), ("", None)]:
                setattr(complaint, field.attname, value)
                expected = models.Model._get_FIELD_display(complaint, field)
                shown = getattr(complaint, f"get_{field.name}_display")()
                assert shown == expected and type(shown) is type(expected), (field.name, value)


def test_the_language_is_read_at_each_call():
    complaint = Complaint(status="closed")
    status = Complaint._meta.get_field("status")
    status.__dict__.pop("_quick_choice_labels", None)
    complaint.get_status_display()
    assert "_quick_choice_labels" in status.__dict__  # the quick labels answered, not Django's
    with translation.override("en"):
        assert complaint.get_status_display() == "Closed"
    with translation.override("zh-hans"):
        assert complaint.get_status_display() != "Closed"
