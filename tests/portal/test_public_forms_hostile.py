"""Hostile input on every public form (issue #18 §5, §6; hypothesis): the intake's mobile and code
steps, the complaint and return forms, the survey and the status page's posts. One field of a
valid baseline is replaced by random or malicious text; the answer is a page (a field message,
the done page or the next step), never a 500 (the test client re-raises server errors), and
nothing typed comes back unescaped."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from complaints.models import Result, Status
from followups.models import Callback, CallbackKind
from portal.intake_views import SESSION_KEY
from portal.models import VerificationCode
from portal.services import link_issue
from tests.complaints.factories import ComplaintFactory
from tests.merchants.factories import BoothFactory
from tests.security.test_hostile_input import FEW, SCRIPT, hostile

pytestmark = pytest.mark.django_db


@pytest.fixture
def booth(mall):
    return BoothFactory(merchant__mall=mall)


def day(days_ago):
    return (timezone.localdate() - timedelta(days=days_ago)).isoformat()


def confirmed_session(client, mall, purpose):
    """A mobile confirmed just now for `purpose`, as the code step leaves it."""
    now = timezone.now()
    verification = VerificationCode.objects.create(
        mall=mall,
        mobile="13912345678",
        code_hash="x$y",
        address_hash="z",
        purpose=purpose,
        created_at=now,
        expires_at=now + timedelta(minutes=5),
        verified_at=now,
    )
    session = client.session
    session[SESSION_KEY] = {"mall": mall.pk, "verification": verification.pk}
    session.save()


def assert_page(response):
    assert response.status_code in (200, 404), response.status_code
    assert SCRIPT.encode() not in response.content


def fuzz(client, url, baseline, before=None):
    fields = sorted(baseline)

    @FEW
    @given(field=st.sampled_from([*fields, "unexpected"]), value=hostile)
    def post(field, value):
        if before:
            before()
        assert_page(client.post(url, baseline | {field: value}, follow=True))

    post()


def test_the_mobile_step(client, mall):
    fuzz(
        client,
        reverse("intake:start", args=[mall.code]),
        {"purpose": "complaint", "mobile": "13912345678", "consent": "on"},
    )


def test_the_code_step(client, mall):
    url = reverse("intake:code", args=[mall.code])
    now = timezone.now()

    def fresh():
        verification = VerificationCode.objects.create(
            mall=mall,
            mobile="13912345678",
            code_hash="ab$cd",
            address_hash="z",
            purpose="complaint",
            created_at=now,
            expires_at=now + timedelta(minutes=5),
        )
        session = client.session
        session[SESSION_KEY] = {"mall": mall.pk, "verification": verification.pk}
        session.save()

    fuzz(client, url, {"code": "123456"}, before=fresh)


def test_the_complaint_form(client, mall, booth):
    baseline = {
        "customer_name": "陈先生",
        "booth": str(booth.pk),
        "goods": "布艺沙发",
        "purchase_date": day(20),
        "delivery_date": day(18),
        "voucher_number": "SY1",
        "purchase_amount": "6800.00",
        "category": "Q",
        "category_other": "",
        "demand": "repair",
        "demand_other": "",
        "facts": "坐垫开裂",
        "customer_address": "",
        "consent": "on",
    }
    fuzz(
        client,
        reverse("intake:complaint", args=[mall.code]),
        baseline,
        before=lambda: confirmed_session(client, mall, "complaint"),
    )


def test_the_return_form(client, mall, booth):
    baseline = {
        "customer_name": "陈先生",
        "booth": str(booth.pk),
        "goods": "餐椅",
        "model": "",
        "quantity": "1",
        "price_paid": "1280.00",
        "payment_date": day(4),
        "delivery_date": day(3),
        "voucher_number": "SY2",
        "via_unified_cashier": "on",
        "custom_made": "",
        "gifts": "",
        "consent": "on",
    }
    fuzz(
        client,
        reverse("intake:return", args=[mall.code]),
        baseline,
        before=lambda: confirmed_session(client, mall, "return"),
    )


def test_the_survey_and_the_status_page_posts(client, mall, staff):
    officer = staff("complaint_officer")
    complaint = ComplaintFactory(
        mall=mall,
        status=Status.RESOLVED,
        result=Result.REPAIRED,
        assignee=officer,
        resolved_at=timezone.now() - timedelta(days=1),
    )
    Callback.objects.create(
        mall=mall,
        kind=CallbackKind.SERVICE,
        complaint=complaint,
        customer=complaint.customer,
        assignee=officer,
        due_on=timezone.localdate(),
        deadline_on=timezone.localdate() + timedelta(days=2),
    )
    url = reverse("portal:case", args=[link_issue(case=complaint, purpose="test")])
    for baseline in (
        {"action": "survey", "outcome": "unsatisfied", "note": ""},
        {"action": "message", "text": "x"},
        {"action": "reject", "reason": "x"},
        {"action": "withdraw", "reason": ""},
    ):
        fuzz(client, url, baseline)
