"""Finding 1 of issue #14: stored XSS through compensation evidence.

The attack: an officer uploads `evidence.png` whose bytes are a real PNG header followed by HTML,
and the browser sends it as `text/html`. The desk stored that claim and served the file inline
with it, so when the manager opened the evidence, its script read the CSRF token and approved the
officer's own proposal. Here the same file is uploaded and the manager opens it in a real browser.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from compensations.models import Status
from servicedesk.models import Mall
from tests.browser import login
from tests.compensations.factories import escalated_complaint, propose

PNG_HEADER = b"\x89PNG\r\n\x1a\n"


def attack_payload(pk):
    script = f"""
    fetch('/compensations/{pk}/').then(r => r.text()).then(html => {{
      const token = html.match(/name="csrfmiddlewaretoken" value="([^"]+)"/)[1];
      const body = new FormData();
      body.append('csrfmiddlewaretoken', token);
      body.append('step', '1');
      body.append('decision', 'approved');
      body.append('comment', 'ok');
      return fetch('/compensations/{pk}/decide/', {{method: 'POST', body}});
    }}).then(() => {{ document.title = 'pwned'; }});
    """
    return PNG_HEADER + b"<html><body><script>" + script.encode() + b"</script></body></html>"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_html_disguised_as_png_evidence_runs_no_script_for_the_manager(demo, page):
    users = get_user_model().objects
    mall = Mall.objects.get(code="SH01")
    complaint = escalated_complaint(mall, deposit="2000.00", clerk=users.get(username="clerk"))
    officer = users.get(username="officer")
    compensation = propose(complaint, officer, "3000.00")
    # The file the attacker's browser sent, with the content type it claimed.
    upload = SimpleUploadedFile("evidence.png", attack_payload(compensation.pk), content_type="text/html")
    from compensations.services.proposal import attach_evidence

    evidence = attach_evidence(compensation, upload, officer)
    evidence.refresh_from_db()
    assert evidence.content_type == "image/png"  # what the bytes say, not what the browser said

    login(page, "manager")
    response = page.goto(f"/compensations/{compensation.pk}/evidence/{evidence.pk}/")
    page.wait_for_load_state("networkidle")  # had a script run, its requests would be done by now
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in response.headers["content-security-policy"]
    assert page.evaluate("document.contentType") == "image/png"
    assert page.title() != "pwned"
    compensation.refresh_from_db()
    assert compensation.status == Status.PROPOSED
    assert not compensation.approvals.exists()

    # The inbox shows the same file as a thumbnail: still nothing runs and nothing is approved.
    page.goto("/compensations/")
    page.wait_for_load_state("networkidle")
    compensation.refresh_from_db()
    assert compensation.status == Status.PROPOSED
