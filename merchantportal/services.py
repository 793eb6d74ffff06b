"""The merchant portal's own periodic work: remind merchant users before their reply is due.

Writes of records (answers, invitations) are the owning apps' services
(complaints.services.complaint_record_merchant_reply, merchants.services.merchant_user_invite ...).
"""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from complaints.models import ComplaintDeadline, DeadlineKind
from merchants.models import MerchantPolicy, MerchantUser
from servicedesk.notifications import notify
from servicedesk.texts import event
from sms.services import sms_queue

# MerchantPolicy.merchant_reminder_hours is at most 240 (10 days).
_LOOKAHEAD = timedelta(hours=240)


def merchant_reply_reminders(now=None):
    """In-app and SMS reminders to every active user of the merchant whose answer is due within
    the mall's `merchant_reminder_hours` (24 by default). Keyed per clock and user: running it
    every 15 minutes, twice, or after a day off sends each reminder once. Returns how many
    notifications were created."""
    now = now or timezone.now()
    clocks = (
        ComplaintDeadline.objects.filter(
            kind=DeadlineKind.MERCHANT_REPLY,
            met_at__isnull=True,
            due_at__gt=now,
            due_at__lte=now + _LOOKAHEAD,
            complaint__paused_since__isnull=True,
            complaint__merchant__isnull=False,
        )
        .select_related("complaint__mall", "complaint__merchant")
        .order_by("due_at")
    )
    policies, sent = {}, 0
    for clock in clocks:
        complaint = clock.complaint
        policy = policies.get(complaint.mall_id) or policies.setdefault(
            complaint.mall_id, MerchantPolicy.for_mall(complaint.mall)
        )
        if clock.due_at - timedelta(hours=policy.merchant_reminder_hours) > now:
            continue
        accounts = list(
            MerchantUser.objects.filter(
                merchant=complaint.merchant, is_active=True, user__is_active=True
            ).select_related("user")
        )
        if not accounts:
            continue
        key = f"complaint:{complaint.pk}:merchant_reminder:{clock.pk}"
        path = reverse("merchantportal:complaint", args=[complaint.pk])
        sent += len(
            notify(
                [account.user for account in accounts],
                key=key,
                title=event("notice.merchant_reply_due", number=complaint.number, due=clock.due_at),
                body=event("notice.merchant_reply_due_body"),
                url=path,
                mall=complaint.mall,
            )
        )
        due_text = timezone.localtime(clock.due_at).strftime("%m月%d日%H:%M")
        for account in accounts:
            sms_queue(
                mall=complaint.mall,
                mobile=account.mobile,
                event="merchant_reply_due",
                params={"number": complaint.number, "due": due_text, "link": settings.SITE_URL.rstrip("/") + path},
                key=f"{key}:{account.pk}",
                now=now,
            )
    return sent
