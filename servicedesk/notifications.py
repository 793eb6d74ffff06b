"""Notify staff: in-app (the bell) and by e-mail, once per event and recipient.

`notify(...)` is called inside a business service's transaction; the e-mails go out from a Celery
task after the transaction commits, so a rolled-back action sends nothing.
"""

from datetime import timedelta
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation

from .fixedsql import FixedQuery
from .models import Notification, StaffMembership
from .scans import scan_each
from .texts import is_event, render


def staff_of(mall, *roles):
    """Active users holding one of `roles` in `mall` (chain roles: held for every mall)."""
    role_values = [getattr(role, "value", role) for role in roles]
    memberships = StaffMembership.objects.filter(is_active=True, role__in=role_values).filter(
        Q(mall=mall) | Q(mall__isnull=True)
    )
    return get_user_model().objects.filter(is_active=True, memberships__in=memberships).distinct()


def notify(recipients, *, key, title, body="", url="", mall=None):
    """Create one notification per recipient for event `key`; already-notified ones are skipped.

    Returns the notifications created now (empty when everybody had it already).
    """
    recipients = list(recipients)
    if not recipients:
        return []
    already = set(Notification.objects.filter(key=key, recipient__in=recipients).values_list("recipient_id", flat=True))
    fresh = [
        # An event is kept whole (it is rendered in the reader's language); a plain title is cut.
        Notification(
            recipient=user, mall=mall, key=key, title=title if is_event(title) else title[:200], body=body, url=url
        )
        for user in recipients
        if user.pk not in already
    ]
    # ignore_conflicts: a concurrent scan that got there first wins; nobody gets it twice.
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    created_ids = list(
        Notification.objects.filter(
            key=key, recipient__in=[n.recipient for n in fresh], emailed_at__isnull=True
        ).values_list("pk", flat=True)
    )
    if created_ids:
        from .enqueue import enqueue
        from .tasks import email_notifications

        # The rows are the outbox: if the broker is down, the sweep e-mails them later.
        transaction.on_commit(lambda: enqueue(email_notifications, created_ids))
    return fresh


def send_notification_emails(ids):
    """E-mail each notification not yet e-mailed, each in its own transaction
    (servicedesk.scans): claimed rows are skipped, so it is safe to run twice, and one that fails
    (a bad address, the mail server refusing it) stays unsent for the sweep while the others go.
    If any failed, the first error is raised after the rest were sent, so the task retries."""
    scan = _email_each(ids)
    if scan.errors:
        raise scan.errors[0]
    return scan.total


def _email_each(ids):
    pending = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related("recipient")
    return scan_each(pending, _email_one, name="notification e-mails")


def _email_one(notification):
    sent = 0
    if notification.recipient.email:
        link = f"\n\n{settings.SITE_URL}{notification.url}" if notification.url else ""
        # E-mails go out in the site's first language (staff read Chinese unless they ask).
        with translation.override(settings.LANGUAGE_CODE):
            title, body = render(notification.title), render(notification.body)
        send_mail(
            subject=f"[客服中心] {title}",
            message=f"{body}{link}",
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
        sent = 1
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])
    return sent


def unread_count(user):
    """The number under the bell on every page: the user's unread notifications."""
    rows = _unread_count_statement().rows(user.pk)
    return rows[0][0] if rows else 0


@cache
def _unread_count_statement():
    # Compiled once per process (servicedesk/fixedsql.py): QuerySet.count() cost ~0.5 ms of Python
    # per page for a statement PostgreSQL answers from the notification_unread index in 0.02 ms
    # (issue #22). Grouped by the one recipient: one row with the count, none when there is none.
    return FixedQuery(
        Notification,
        lambda user_id: (
            Notification.objects.filter(recipient_id=user_id)
            .filter(read_at__isnull=True)
            .order_by()
            .values("recipient_id")
            .annotate(unread=Count("*"))
            .values_list("unread")
        ),
        ("recipient_id",),
    )


def mark_read(user, ids=None):
    """Mark the user's notifications (all, or those in `ids`) read."""
    unread = Notification.objects.for_recipient(user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


# A notification the task has not e-mailed within this time is e-mailed by the sweep.
SWEEP_AFTER = timedelta(minutes=2)


def send_unsent_notifications(now=None, batch=500):
    """E-mail every notification still unsent (the broker was down, or a worker died mid-task).

    Safe alongside the normal task: send_notification_emails claims rows with SKIP LOCKED and
    skips those already e-mailed, so nobody gets a message twice.
    """
    cutoff = (now or timezone.now()) - SWEEP_AFTER
    sent, after = 0, 0
    while True:
        ids = list(
            Notification.objects.filter(emailed_at__isnull=True, created_at__lte=cutoff, pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return sent
        after = ids[-1]  # a row that fails stays unsent for the next sweep, and never loops this one
        sent += _email_each(ids).total  # a row that fails is logged and left for the next sweep
