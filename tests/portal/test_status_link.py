"""The customer's status link /c/<token>/ (portal/): tokens, expiry, what the page shows and
never shows, the customer's actions, uploads, rate limits, logs."""

import hashlib
import logging
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from complaints.models import HandlingEntry, Status
from complaints.services import complaint_propose, complaint_resolve
from portal.models import CaseLink, CaseMessage, LinkPolicy
from portal.services import link_issue, message_to_customer
from servicedesk.models import Notification
from sms.models import SmsMessage
from tests.complaints.factories import ComplaintFactory, register

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def url(token):
    return reverse("portal:case", args=[token])


@pytest.fixture
def officer(staff):
    return staff("complaint_officer", first_name="小李", last_name="王大锤")


@pytest.fixture
def proposed(mall, officer):
    return ComplaintFactory(
        mall=mall,
        status=Status.PROPOSED,
        assignee=officer,
        proposal="商户上门更换坐垫，3日内完成。",
        proposed_at=timezone.now(),
        merchant_reply_text="MERCHANT-SECRET-REPLY",
    )


def test_registration_queues_an_sms_whose_link_opens_the_case(client, mall, staff):
    complaint = register(mall, staff("front_desk"))
    sms = SmsMessage.objects.get(key=f"complaint:{complaint.pk}:registered")
    assert sms.event == "case_registered" and sms.mobile == "13812345678"
    link = sms.params["link"]
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert link.endswith(url(token)) and token not in sms.text, "the stored text shows the link masked"
    page = client.get(url(token))
    assert page.status_code == 200 and complaint.number in page.content.decode()


def test_tokens_are_random_long_and_stored_only_hashed(mall, proposed):
    first, second = link_issue(case=proposed, purpose="test"), link_issue(case=proposed, purpose="test")
    assert first != second and len(first) == 32  # 192 random bits, URL-safe
    hashes = set(CaseLink.objects.values_list("token_hash", flat=True))
    assert hashes == {hashlib.sha256(t.encode()).hexdigest() for t in (first, second)}
    assert not CaseLink.objects.filter(token_hash__in=[first, second]).exists()


@pytest.mark.parametrize("token", ["x" * 32, "short", "A" * 31 + "!", "A" * 40])
def test_a_wrong_token_is_a_plain_404_with_the_desk_phone(client, mall, proposed, token):
    link_issue(case=proposed, purpose="test")
    page = client.get(f"/c/{token}/")
    assert page.status_code == 404
    html = page.content.decode()
    assert mall.service_phone in html and proposed.number not in html


def test_another_cases_token_opens_only_that_case(client, mall, proposed):
    other = ComplaintFactory(mall=mall, status=Status.REGISTERED)
    html = client.get(url(link_issue(case=other, purpose="t"))).content.decode()
    assert other.number in html and proposed.number not in html


def test_the_link_expires_90_days_after_the_case_ends(client, mall, proposed):
    token = link_issue(case=proposed, purpose="t")
    ended = timezone.now() - timedelta(days=100)
    type(proposed).objects.filter(pk=proposed.pk).update(status=Status.CLOSED, closed_at=ended)
    with time_machine.travel(ended + timedelta(days=89), tick=False):
        assert client.get(url(token)).status_code == 200
    with time_machine.travel(ended + timedelta(days=90, minutes=1), tick=False):
        page = client.get(url(token))
        assert page.status_code == 404 and mall.service_phone in page.content.decode()
    assert client.get(url(token)).status_code == 404
    LinkPolicy.objects.create(
        mall=mall, effective_from=timezone.localdate(ended) - timedelta(days=1), valid_days_after_end=200
    )
    assert client.get(url(token)).status_code == 200, "the mall's setting, not a constant"


def test_nothing_internal_on_the_page(client, mall, proposed, officer):
    HandlingEntry.objects.create(
        complaint=proposed, kind="note", happened_at=timezone.now(), text="INTERNAL-NOTE-42", author=officer
    )
    ComplaintFactory(mall=mall, customer__name="别的顾客甲", facts="OTHER-CUSTOMER-FACTS")
    message_to_customer(case=proposed, actor=officer, text="明天上午师傅上门。")
    page = client.get(url(link_issue(case=proposed, purpose="t")))
    html = page.content.decode()
    assert "明天上午师傅上门。" in html and "小李" in html and proposed.proposal in html
    for secret in (
        "INTERNAL-NOTE-42",
        "MERCHANT-SECRET-REPLY",
        "王大锤",
        officer.username,
        "别的顾客甲",
        "OTHER-CUSTOMER-FACTS",
    ):
        assert secret not in html, secret
    for staff_path in ("/complaints/", "/admin/", "/customers/", "/accounts/"):
        assert f'href="{staff_path}' not in html
    assert page["X-Robots-Tag"] == "noindex, nofollow" and 'name="robots" content="noindex' in html
    assert "no-store" in page["Cache-Control"]
    assert "unsafe-inline" not in page["Content-Security-Policy"] and "style=" not in html and "<script" not in html


def test_the_page_costs_at_most_six_queries(client, mall, proposed, officer, django_assert_max_num_queries):
    message_to_customer(case=proposed, actor=officer, text="消息")
    token = link_issue(case=proposed, purpose="t")
    with django_assert_max_num_queries(6):
        assert client.get(url(token)).status_code == 200


def test_the_customer_accepts_the_proposal_and_the_officer_is_told(client, proposed, officer):
    token = link_issue(case=proposed, purpose="t")
    answer = client.post(url(token), {"action": "accept"})
    assert answer.status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == Status.PROPOSED and proposed.customer_agreement, "recorded; the officer resolves"
    assert Notification.objects.filter(recipient=officer, key__contains="customer-accepted").exists()
    html = client.get(answer["Location"]).content.decode()
    assert 'id="accept"' not in html, "accepted once"
    complaint_resolve(
        complaint=proposed, actor=officer, result="repaired", customer_agreement=proposed.customer_agreement
    )
    proposed.refresh_from_db()
    assert proposed.status == Status.RESOLVED
    assert SmsMessage.objects.filter(key__startswith=f"complaint:{proposed.pk}:resolved:").exists()


def test_rejecting_needs_a_reason_next_to_the_field(client, proposed):
    token = link_issue(case=proposed, purpose="t")
    page = client.post(url(token), {"action": "reject", "reason": "  "})
    assert page.status_code == 200 and "invalid-feedback" in page.content.decode()
    proposed.refresh_from_db()
    assert proposed.status == Status.PROPOSED
    client.post(url(token), {"action": "reject", "reason": "只换坐垫不够，要换整套"})
    proposed.refresh_from_db()
    assert proposed.status == Status.ASSIGNED
    assert HandlingEntry.objects.filter(complaint=proposed, text__contains="只换坐垫不够").exists()


def test_withdraw_and_then_no_more_actions(client, proposed):
    token = link_issue(case=proposed, purpose="t")
    client.post(url(token), {"action": "withdraw", "reason": "已和商户私下解决"})
    proposed.refresh_from_db()
    assert proposed.status == Status.WITHDRAWN and proposed.closed_at is not None
    html = client.get(url(token)).content.decode()
    assert 'id="withdraw"' not in html and 'id="accept"' not in html
    page = client.post(url(token), {"action": "accept"})
    assert page.status_code == 200 and "alert-danger" in page.content.decode(), "the state machine refuses"


def test_a_new_proposal_after_rejection_sends_a_new_sms(client, proposed, officer):
    token = link_issue(case=proposed, purpose="t")
    client.post(url(token), {"action": "reject", "reason": "不同意"})
    proposed.refresh_from_db()
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        complaint_propose(complaint=proposed, actor=officer, proposal="换整套沙发")
    assert SmsMessage.objects.filter(event="proposal_made", key__startswith=f"complaint:{proposed.pk}:").count() == 1


def test_messages_and_photos_are_checked(client, proposed):
    token = link_issue(case=proposed, purpose="t")
    ok = client.post(
        url(token), {"action": "message", "text": "坐垫照片", "photos": [SimpleUploadedFile("a.png", PNG)]}
    )
    assert ok.status_code == 302
    assert CaseMessage.objects.filter(case_id=proposed.pk).count() == 2
    photo = CaseMessage.objects.exclude(photo="").get()
    served = client.get(reverse("portal:photo", args=[token, photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    bad = client.post(url(token), {"action": "message", "photos": [SimpleUploadedFile("virus.png", b"MZ\x90\x00")]})
    assert bad.status_code == 200 and "virus.png" in bad.content.decode()
    many = [SimpleUploadedFile(f"p{i}.png", PNG) for i in range(10)]
    too_many = client.post(url(token), {"action": "message", "photos": many})
    assert too_many.status_code == 200 and "10" in too_many.content.decode()
    assert CaseMessage.objects.exclude(photo="").count() == 1, "nothing half-saved"
    empty = client.post(url(token), {"action": "message", "text": ""})
    assert empty.status_code == 200 and "invalid-feedback" in empty.content.decode()


def test_a_photo_of_another_case_is_not_served(client, mall, proposed):
    other = ComplaintFactory(mall=mall)
    other_token = link_issue(case=other, purpose="t")
    client.post(url(other_token), {"action": "message", "photos": [SimpleUploadedFile("a.png", PNG)]})
    photo = CaseMessage.objects.get()
    token = link_issue(case=proposed, purpose="t")
    assert client.get(reverse("portal:photo", args=[token, photo.pk])).status_code == 404


def test_sms_opt_out_from_the_page(client, proposed):
    from sms.models import SmsOptOut

    client.post(url(link_issue(case=proposed, purpose="t")), {"action": "sms_off"})
    assert SmsOptOut.objects.filter(mall=proposed.mall, mobile=proposed.customer.mobile, ended_at=None).exists()


@time_machine.travel("2026-12-02 10:00:30 +0800", tick=False)  # every request in one rate-limit window
def test_rate_limits(client, settings, proposed):
    settings.RATELIMIT_ENABLE = True
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    token = link_issue(case=proposed, purpose="t")
    answers = [client.post(url(token), {"action": "nothing"}, REMOTE_ADDR=address).status_code for _ in range(11)]
    assert answers[:10] == [200] * 10 and answers[10] == 429
    gets = [client.get("/c/" + "x" * 32 + "/", REMOTE_ADDR=address + "0").status_code for _ in range(61)]
    assert gets[-1] == 429 and gets[0] == 404


def test_tokens_never_reach_the_log(client, caplog, proposed):
    caplog.set_level(logging.INFO)
    token = link_issue(case=proposed, purpose="t")
    wrong = "Q" * 32
    client.get(f"/c/{wrong}/")
    client.get(url(token))
    from servicedesk.logmask import MaskCustomerLinks

    handler_filter = MaskCustomerLinks()
    for record in caplog.records:
        handler_filter.filter(record)
        assert wrong not in record.getMessage() and token not in record.getMessage()
    assert any("/c/QQQQ…" in record.getMessage() for record in caplog.records), "the 404 was logged, masked"


def test_the_printed_receipt_carries_a_fresh_link_as_a_qr_code(client, mall, staff, proposed):
    client.force_login(staff("front_desk"))
    detail = client.get(reverse("complaints:detail", args=[proposed.pk])).content.decode()
    slip = reverse("complaints:slip", args=[proposed.pk])
    assert f'method="post" action="{slip}"' in detail, "the case page prints with a POST"
    html = client.post(slip).content.decode()
    assert 'id="slip-qr"' in html and 'src="data:image/svg+xml' in html
    link = CaseLink.objects.get(case_id=proposed.pk, purpose="print")
    assert link.case_type == "complaint" and link.mall_id == mall.pk
    client.post(slip)
    assert CaseLink.objects.filter(case_id=proposed.pk, purpose="print").count() == 2, "each print its own link"
    client.post(reverse("complaints:slip_pdf", args=[proposed.pk]))
    assert CaseLink.objects.filter(case_id=proposed.pk, purpose="print").count() == 3


def test_the_printed_receipt_promises_the_malls_link_days(client, mall, staff, proposed):
    LinkPolicy.objects.create(
        mall=mall, effective_from=timezone.localdate() - timedelta(days=1), valid_days_after_end=45
    )
    client.force_login(staff("front_desk"))
    html = client.post(reverse("complaints:slip", args=[proposed.pk])).content.decode()
    assert "45 天" in html or "45天" in html or "45 days" in html, "the mall's setting, not the default 90"
    assert "90" not in html.split('id="slip-qr"')[1].split("</div>")[0]


def test_a_get_of_the_slip_issues_no_link(client, mall, staff, proposed):
    """A GET never writes: the slip opened by its address shows no QR code and offers the POST."""
    client.force_login(staff("front_desk"))
    for name in ("complaints:slip", "complaints:slip_pdf"):
        assert client.get(reverse(name, args=[proposed.pk])).status_code == 200
    html = client.get(reverse("complaints:slip", args=[proposed.pk])).content.decode()
    assert 'id="slip-qr"' not in html and 'id="issue-link"' in html
    assert not CaseLink.objects.filter(case_id=proposed.pk).exists()
