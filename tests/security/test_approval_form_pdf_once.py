"""Finding 11 of issue #14: every GET of a compensation's 审批表 PDF rendered it again (0.5 s),
kept another file and wrote another history row. Now: once per version of the case."""

import pytest
from django.urls import reverse

from compensations.services import pdf as pdf_service
from servicedesk.roles import Role
from tests.compensations.factories import approve_all, escalated_complaint, propose

pytestmark = pytest.mark.django_db


def test_the_form_is_rendered_once_per_version(client, mall, staff, pdf_text, monkeypatch):
    officer, manager = staff(Role.COMPLAINT_OFFICER), staff(Role.MANAGER)
    compensation = propose(escalated_complaint(mall), officer, "3000.00")
    renders = []
    real = pdf_service.render_form_pdf
    monkeypatch.setattr(pdf_service, "render_form_pdf", lambda c: renders.append(c.pk) or real(c))
    url = reverse("compensations:compensation_approval_pdf", args=[compensation.pk])
    client.force_login(manager)

    first = client.get(url)
    history = compensation.history.count()
    stored = type(compensation).objects.get(pk=compensation.pk).form_pdf.name
    for _ in range(3):
        again = client.get(url)
        assert again.content == first.content
    assert len(renders) == 1
    assert compensation.history.count() == history, "no history row per download"
    assert type(compensation).objects.get(pk=compensation.pk).form_pdf.name == stored

    approve_all(compensation, [manager])  # a new version: the manager's signature is on the form
    signed = client.get(url)
    assert len(renders) == 2
    assert "已同意" in pdf_text(signed.content).replace(" ", "") or signed.content != first.content
    client.get(url)
    assert len(renders) == 2
