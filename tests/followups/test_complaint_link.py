"""The complaint page and the callback worklist record a service callback in one place."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_complaint_page_sends_the_call_to_the_worklist_once_a_service_callback_exists(client, mall, staff):
    from django.urls import reverse
    from django.utils import timezone

    from followups.models import Callback, CallbackKind
    from tests.complaints.factories import ComplaintFactory

    officer = staff("complaint_officer")
    complaint = ComplaintFactory(
        mall=mall, status="resolved", assignee=officer, resolved_at=timezone.now(), result="repaired"
    )
    client.force_login(officer)
    before = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert reverse("complaints:act", args=[complaint.pk, "call_back"]) in before
    Callback.objects.create(
        mall=mall,
        kind=CallbackKind.SERVICE,
        complaint=complaint,
        round=0,
        customer=complaint.customer,
        due_on=timezone.localdate(),
        deadline_on=timezone.localdate(),
        assignee=officer,
    )
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert 'id="service-callback"' in page
    assert reverse("complaints:act", args=[complaint.pk, "call_back"]) not in page
