"""The worklist's figures move when a call is made (the callback done today counts today, whatever
its deadline), rates carry their % sign, and the officer is named by name (李专员), not username."""

import pytest
from django.urls import reverse

from followups.models import Outcome
from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory
from tests.followups.factories import CallbackFactory

pytestmark = pytest.mark.django_db


def _figures(page):
    figures = page.context["figures"]
    return figures["due"], figures["done"], figures["reached"]


def test_a_completed_callback_counts_on_the_worklist_at_once(client, mall, staff):
    officer = staff(Role.COMPLAINT_OFFICER, username="officer", first_name="李专员")
    callback = CallbackFactory(sale__mall=mall, assignee=officer)  # due today, deadline in 6 days
    client.force_login(officer)
    before = client.get(reverse("followups:index"))
    assert _figures(before) == (1, 0, 0)
    assert 'id="callback-rate">0.0%<' in before.text and 'id="satisfaction-rate">—<' in before.text

    response = client.post(
        reverse("followups:callback", args=[callback.pk]), {"outcome": Outcome.SATISFIED, "note": "很满意"}
    )
    assert response.status_code == 302
    after = client.get(reverse("followups:index"))
    assert _figures(after) == (1, 1, 1)
    assert 'id="callback-rate">100.0%<' in after.text and 'id="satisfaction-rate">100.0%<' in after.text

    page = client.get(reverse("followups:callback", args=[callback.pk])).text
    attempts = page[page.index('id="attempts"') :]
    assert "李专员" in attempts[: attempts.index("</ol>")]
    assert ">officer<" not in page and " officer " not in page


def test_people_are_named_by_their_names_in_pickers_history_and_texts(client, mall, staff):
    officer = staff(Role.COMPLAINT_OFFICER, username="officer", first_name="李专员")
    supervisor = staff(Role.SUPERVISOR, username="supervisor", first_name="周主管")
    complaint = ComplaintFactory(mall=mall)
    client.force_login(supervisor)
    form = client.get(reverse("complaints:act", args=[complaint.pk, "assign"])).text
    assert "李专员" in form and ">officer<" not in form
    client.post(reverse("complaints:act", args=[complaint.pk, "assign"]), {"assignee": officer.pk, "note": ""})
    complaint.refresh_from_db()
    assert complaint.assignee == officer
    detail = client.get(reverse("complaints:detail", args=[complaint.pk])).text
    assert "李专员" in detail and "周主管" in detail
    assert ">officer<" not in detail and ">supervisor<" not in detail
    assert str(officer) == "李专员"
