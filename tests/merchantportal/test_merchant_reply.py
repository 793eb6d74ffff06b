"""The merchant answers a forwarded complaint through the complaint service (issue #19 §2)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from complaints import services
from complaints.models import DeadlineKind, EntryKind, MerchantRemedy, MerchantReply, Status
from complaints.services.clocks import deadlines_scan
from servicedesk.models import Notification
from servicedesk.roles import Role
from servicedesk.texts import render
from tests.merchants.factories import BoothFactory, MerchantFactory, photo_file

from .factories import forwarded, merchant_user

pytestmark = pytest.mark.django_db


def reply_clock(complaint):
    return complaint.deadlines.get(kind=DeadlineKind.MERCHANT_REPLY)


def test_the_merchant_clock_comes_from_the_malls_policy(mall, staff):
    from complaints.models import ComplaintPolicy

    ComplaintPolicy.objects.create(mall=mall, merchant_reply_days=3, effective_from=timezone.localdate())
    merchant = MerchantFactory(mall=mall)
    complaint = forwarded(mall, staff(Role.COMPLAINT_OFFICER), BoothFactory(merchant=merchant))
    clock = reply_clock(complaint)
    assert clock.due_at - clock.started_at == timedelta(days=3)


def test_the_merchants_answer_stops_the_clock_notifies_the_officer_and_shows_as_from_the_merchant(shop):
    complaint, account = shop["complaint"], shop["account"]
    services.complaint_record_merchant_reply(
        complaint=complaint,
        actor=account.user,
        answer=MerchantReply.PARTLY,
        remedy=MerchantRemedy.AMOUNT,
        amount=Decimal("300.00"),
        reply="坐垫可以更换，另补偿300元。",
        attachments=[photo_file("fix.png")],
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.WITH_MERCHANT
    assert complaint.merchant_reply == MerchantReply.PARTLY
    assert complaint.merchant_remedy == MerchantRemedy.AMOUNT
    assert complaint.merchant_amount == Decimal("300.00")
    assert complaint.merchant_replied_by == account.user
    assert reply_clock(complaint).met_at is not None
    notice = Notification.objects.get(recipient=shop["officer"])
    assert complaint.number in render(notice.title)
    entry = complaint.entries.get(kind=EntryKind.MERCHANT)
    assert entry.author == account.user
    assert "商户平台" in render(entry.text)
    assert complaint.attachments.get().uploaded_by == account.user


def test_a_refusal_marks_the_complaint_for_escalation(shop):
    services.complaint_record_merchant_reply(
        complaint=shop["complaint"], actor=shop["account"].user, answer=MerchantReply.REFUSES, reply="非质量问题。"
    )
    shop["complaint"].refresh_from_db()
    assert shop["complaint"].needs_escalation


def test_every_missing_part_of_the_answer_is_reported_at_once_and_nothing_is_saved(shop):
    with pytest.raises(ValidationError) as refused:
        services.complaint_record_merchant_reply(
            complaint=shop["complaint"],
            actor=shop["account"].user,
            answer=MerchantReply.PARTLY,
            remedy="",
            reply="  ",
            attachments=[photo_file("virus.exe")],
        )
    assert set(refused.value.message_dict) == {"remedy", "reply", "attachments"}
    shop["complaint"].refresh_from_db()
    assert shop["complaint"].merchant_replied_at is None
    assert reply_clock(shop["complaint"]).met_at is None


def test_an_amount_is_required_when_the_merchant_offers_one(shop):
    with pytest.raises(ValidationError) as refused:
        services.complaint_record_merchant_reply(
            complaint=shop["complaint"],
            actor=shop["account"].user,
            answer=MerchantReply.PARTLY,
            remedy=MerchantRemedy.AMOUNT,
            reply="补偿",
        )
    assert "amount" in refused.value.message_dict


def test_the_merchant_answers_once_per_forwarding(shop):
    kwargs = {"complaint": shop["complaint"], "actor": shop["account"].user, "answer": "agrees", "reply": "同意维修"}
    services.complaint_record_merchant_reply(**kwargs)
    with pytest.raises(ValidationError):
        services.complaint_record_merchant_reply(**kwargs)


def test_another_merchants_user_cannot_answer(shop, mall, other_mall):
    for merchant in (MerchantFactory(mall=mall), MerchantFactory(mall=other_mall)):
        stranger = merchant_user(merchant, mobile="13900000009")
        with pytest.raises(Http404):
            services.complaint_record_merchant_reply(
                complaint=shop["complaint"], actor=stranger.user, answer="agrees", reply="同意"
            )
    shop["complaint"].refresh_from_db()
    assert shop["complaint"].merchant_replied_at is None


def test_a_merchant_user_cannot_take_any_other_complaint_action(shop):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.complaint_propose(complaint=shop["complaint"], actor=shop["account"].user, proposal="更换")


def test_a_deactivated_merchant_user_cannot_answer(shop):
    account = shop["account"]
    account.is_active = False
    account.save()
    with pytest.raises(Http404):
        services.complaint_record_merchant_reply(
            complaint=shop["complaint"], actor=account.user, answer="agrees", reply="同意"
        )


def test_an_unanswered_complaint_is_reported_overdue_as_today_and_a_late_answer_is_still_recorded(shop, staff):
    supervisor = staff(Role.SUPERVISOR)
    clock = reply_clock(shop["complaint"])
    deadlines_scan(now=clock.due_at + timedelta(minutes=1))
    clock.refresh_from_db()
    assert clock.overdue_at is not None
    assert Notification.objects.filter(recipient=supervisor, key__endswith=":overdue").exists()
    services.complaint_record_merchant_reply(
        complaint=shop["complaint"],
        actor=shop["account"].user,
        answer="refuses",
        reply="超期答复：拒绝",
        now=clock.due_at + timedelta(hours=2),
    )
    clock.refresh_from_db()
    assert clock.met_at > clock.due_at
    shop["complaint"].refresh_from_db()
    assert shop["complaint"].needs_escalation


def test_the_officer_still_records_the_merchants_reply_by_hand(shop):
    services.complaint_record_merchant_reply(
        complaint=shop["complaint"], actor=shop["officer"], answer="agrees", reply="电话里同意维修"
    )
    entry = shop["complaint"].entries.get(kind=EntryKind.MERCHANT)
    assert "商户平台" not in render(entry.text)
