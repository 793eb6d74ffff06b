"""What a merchant user may read: its own merchant's records only, in a fixed number of queries."""

from django.db.models import F, OuterRef, Q, Subquery

from complaints.models import Complaint, ComplaintAttachment, ComplaintDeadline, DeadlineKind, Status

IMAGE_TYPES = ("image/jpeg", "image/png")


def forwarded_complaints(merchant):
    """Complaints the desk forwarded to this merchant, with the merchant clock of the latest
    forwarding (due, met) annotated."""
    clock = ComplaintDeadline.objects.filter(complaint=OuterRef("pk"), kind=DeadlineKind.MERCHANT_REPLY).order_by(
        "-started_at", "-pk"
    )
    return (
        Complaint.objects.filter(merchant=merchant, mall_id=merchant.mall_id, forwarded_at__isnull=False)
        .select_related("customer")
        .annotate(reply_due=Subquery(clock.values("due_at")[:1]), reply_met=Subquery(clock.values("met_at")[:1]))
    )


def awaiting_answer(queryset):
    return queryset.filter(status=Status.WITH_MERCHANT).filter(
        Q(merchant_replied_at__isnull=True) | Q(merchant_replied_at__lt=F("forwarded_at"))
    )


def is_awaiting(complaint):
    return complaint.status == Status.WITH_MERCHANT and (
        complaint.merchant_replied_at is None or complaint.merchant_replied_at < complaint.forwarded_at
    )


def visible_attachments(complaint, merchant):
    """The complaint's photos, and whatever this merchant's own users attached; never the desk's
    other documents."""
    return (
        ComplaintAttachment.objects.filter(complaint=complaint)
        .filter(Q(content_type__in=IMAGE_TYPES) | Q(uploaded_by__merchant_account__merchant=merchant))
        .order_by("uploaded_at", "pk")
    )


def merchant_returns(merchant):
    """This merchant's no-reason returns (every state), newest first."""
    from returns.models import ReturnRequest

    return (
        ReturnRequest.objects.filter(merchant=merchant, mall_id=merchant.mall_id)
        .select_related("customer")
        .order_by("-requested_on", "-pk")
    )


def merchant_exchanges(merchant):
    """This merchant's exchanges (every state), newest first."""
    from exchanges.models import Exchange

    return (
        Exchange.objects.filter(merchant=merchant, mall_id=merchant.mall_id)
        .select_related("customer")
        .order_by("-requested_on", "-pk")
    )


def return_needs_answer(r):
    from returns.models import ReturnStatus

    return r.merchant_replied_at is None and r.status in (
        ReturnStatus.REQUESTED,
        ReturnStatus.CHECKED,
        ReturnStatus.APPROVED,
    )


def merchant_failures(merchant):
    """This merchant's failed price-tag inspections, newest first, with their failure codes."""
    from merchants.models import PriceTagInspection

    return (
        PriceTagInspection.objects.filter(merchant=merchant, mall_id=merchant.mall_id, passed=False)
        .select_related("booth")
        .prefetch_related("failures")
        .order_by("-inspected_at", "-pk")
    )


def failure_standing(merchant, now=None):
    """Where the merchant stands against the mall's flag rule: failures in the window, the limit."""
    from datetime import timedelta

    from django.utils import timezone

    from merchants.models import MerchantPolicy, PriceTagInspection

    now = now or timezone.now()
    policy = MerchantPolicy.for_mall(merchant.mall)
    recent = PriceTagInspection.objects.filter(
        merchant=merchant, passed=False, inspected_at__gt=now - timedelta(days=policy.flag_window_days)
    ).count()
    return {
        "recent": recent,
        "limit": policy.flag_failures,
        "days": policy.flag_window_days,
        "flagged": merchant.flagged,
    }
