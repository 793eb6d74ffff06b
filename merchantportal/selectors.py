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
