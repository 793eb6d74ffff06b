"""The approvals inbox from plain values, its rows written in Python (issue #22), gives the page the
old template gave from model instances, for each role that has lists on it and in both
languages: the old template is kept in reference/inbox_before_22.html and the old view's context
is built below as it was."""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from compensations.models import Compensation, Status
from compensations.models.rows import owing_rows, to_pay_rows, waiting_rows
from compensations.models.transitions import PAYERS, PROPOSERS
from compensations.views.registers import awaiting_decision_by
from complaints.models import Complaint
from complaints.models import Status as ComplaintStatus
from servicedesk.access import has_role
from servicedesk.roles import Role
from tests.compensations.factories import approve_all, escalated_complaint, pay, propose
from tests.complaints.factories import ComplaintFactory
from tests.merchants.factories import document_file, photo_file

pytestmark = pytest.mark.django_db

REFERENCE = (Path(__file__).parent / "reference" / "inbox_before_22.html").read_text()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def reference_page(response):
    """The old template rendered with the old view's context (model instances), for the same
    request."""
    request = response.wsgi_request
    user, mall = request.user, request.mall
    waiting = list(awaiting_decision_by(user).for_list().order_by("waiting_since", "pk")[:200])
    for compensation in waiting:
        compensation._decided_steps = len(compensation.approvals.all())
    to_pay = owing = escalated = None
    if mall is not None and has_role(user, mall, *PAYERS):
        to_pay = (
            Compensation.objects.for_mall(mall)
            .filter(status=Status.APPROVED)
            .for_list()
            .order_by("payment_due_on", "pk")[:200]
        )
        owing = Compensation.objects.for_mall(mall).owing().for_list().select_related("receivable")[:200]
    if mall is not None and has_role(user, mall, *PROPOSERS):
        escalated = (
            Complaint.objects.for_mall(mall)
            .filter(status=ComplaintStatus.ESCALATED)
            .exclude(compensations__status__in=[s for s in Status if s != Status.REJECTED])
            .select_related("customer", "merchant")
            .order_by("received_at")[:200]
        )
    context = {
        "section": response.context["section"],
        "waiting": waiting,
        "to_pay": to_pay,
        "owing": owing,
        "escalated": escalated,
        "today": response.context["today"],
    }
    return engines["django"].from_string(REFERENCE).render(context, request)


@pytest.fixture
def every_kind_of_case(mall, officer, manager, clerk, head_office):
    """Cases waiting for the manager (evidence of both kinds, names and facts to escape and cut,
    one- and two-step chains) and for head office (step 2 of 3); approved ones to pay, one late;
    paid ones the merchant owes, with and without a receivable; escalated complaints without a
    proposal, with and without a merchant."""
    waiting = propose(
        escalated_complaint(
            mall,
            booth__merchant__brand="A&B <家具>",
            facts='沙发坐垫塌陷 <b>"严重"</b> & 商户拒绝退货，' + "顾客多次来电要求处理，" * 4,
        ),
        officer,
        "300.00",
        evidence=[photo_file(), document_file('检测报告 <final> & "盖章" 版本.pdf')],
    )
    propose(escalated_complaint(mall), officer, "6800.00")  # manager, then general manager
    approve_all(propose(escalated_complaint(mall), officer, "68000.00"), [manager])  # head office next
    approve_all(propose(escalated_complaint(mall), officer, "1234.56"), [manager])  # to pay
    late = approve_all(propose(escalated_complaint(mall), officer, "99.99"), [manager])
    Compensation.objects.filter(pk=late.pk).update(payment_due_on=timezone.localdate() - timedelta(days=1))
    pay(approve_all(propose(escalated_complaint(mall, deposit="100.00"), officer, "4321.09"), [manager]), clerk)
    pay(approve_all(propose(escalated_complaint(mall, deposit="0"), officer, "50.00"), [manager]), clerk)
    escalated_complaint(mall, customer__name="<i>钱</i> & 女士")
    ComplaintFactory(mall=mall, status=ComplaintStatus.ESCALATED, merchant=None, booth=None)
    assert Compensation.objects.filter(status=Status.APPROVED).count() == 2
    assert Compensation.objects.owing().count() == 2
    return waiting


@pytest.mark.parametrize("role", [Role.MANAGER, Role.CLERK, Role.SUPERVISOR, Role.HEAD_OFFICE])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_page_is_the_old_templates(client, staff, every_kind_of_case, manager, head_office, role, language):
    user = {Role.MANAGER: manager, Role.HEAD_OFFICE: head_office}.get(role) or staff(role)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        response = client.get(reverse("compensations:index"))
        assert response.status_code == 200
        shown = CSRF.sub("CSRF", response.content.decode())
        expected = CSRF.sub("CSRF", reference_page(response))
    assert shown == expected
    assert f'<html lang="{language}">' in shown
    lists = {
        Role.MANAGER: ("inbox", "to-pay", "owing"),
        Role.CLERK: ("to-pay", "owing"),
        Role.SUPERVISOR: ("escalated",),
        Role.HEAD_OFFICE: ("inbox",),
    }[role]
    for section in ("to-pay", "owing", "escalated"):
        assert (f'id="{section}"' in shown) == (section in lists), section
    if role == Role.MANAGER:
        assert shown.count('id="waiting-') == 2 and "evidence-thumb" in shown and "table-danger" in shown
        assert "A&amp;B &lt;家具&gt;" in shown and "&lt;b&gt;&quot;严重&quot;&lt;/b&gt;" in shown
        assert "顾客多次来电要求处理，" * 4 not in shown, "the facts cut at 60 characters"
    if role == Role.HEAD_OFFICE:
        assert shown.count('id="waiting-') == 1
    if role == Role.SUPERVISOR:
        assert "&lt;i&gt;钱&lt;/i&gt; &amp; 女士" in shown


@pytest.mark.parametrize("role", [Role.MANAGER, Role.SUPERVISOR])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_empty_lists_are_the_old_templates(client, staff, role, language):
    client.force_login(staff(role))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        response = client.get(reverse("compensations:index"))
        shown = CSRF.sub("CSRF", response.content.decode())
        assert shown == CSRF.sub("CSRF", reference_page(response))
    assert 'id="inbox-empty"' in shown


def test_rows_are_the_models_values(every_kind_of_case, manager, django_assert_num_queries):
    """Field by field what the model instances give, in one query a list (two for the waiting:
    their evidence)."""
    waiting = awaiting_decision_by(manager).order_by("waiting_since", "pk")
    with django_assert_num_queries(2):
        rows = waiting_rows(waiting)
    for row, case in zip(rows, waiting.for_list(), strict=True):
        assert (row.pk, row.number, row.mall_code, row.merchant_brand, row.amount) == (
            case.pk,
            case.number,
            case.mall.code,
            case.merchant.brand,
            case.amount,
        )
        assert (row.waiting_since, row.complaint_pk, row.complaint_number, row.complaint_facts) == (
            case.waiting_since,
            case.complaint.pk,
            case.complaint.number,
            case.complaint.facts,
        )
        assert (row.reason, row.next_tier, row.steps, row.next_step) == (
            case.reason,
            case.next_tier,
            len(case.chain),
            case.next_step,
        )
        assert [(e.pk, e.original_name, e.is_image) for e in row.evidence] == [
            (e.pk, e.original_name, e.is_image) for e in case.evidence.all()
        ]
    assert [len(r.evidence) for r in rows] == [2, 0]
    owing = Compensation.objects.owing().order_by("pk")
    with django_assert_num_queries(1):
        rows = owing_rows(owing)
    for row, case in zip(rows, owing.select_related("receivable"), strict=True):
        due_on = case.receivable.due_on if case.receivable_id else None
        assert (row.outstanding, row.receivable_due_on, row.status) == (case.outstanding, due_on, case.status)
        assert row.outstanding > Decimal("0")
    to_pay = Compensation.objects.filter(status=Status.APPROVED).order_by("pk")
    with django_assert_num_queries(1):
        rows = to_pay_rows(to_pay)
    assert [(r.pk, r.amount, r.payment_due_on, r.merchant_brand) for r in rows] == [
        (c.pk, c.amount, c.payment_due_on, c.merchant.brand) for c in to_pay
    ]
