"""What API clients do: push sales, send referrals. Each calls the desk's own services."""

import base64
import binascii

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Channel, Complaint, ComplaintDeadline, DeadlineKind, Status
from complaints.services import complaint_register
from followups.models import ImportStatus, SalesImport
from followups.services import RowResult, sales_rows_save
from merchants.models import Booth
from servicedesk.texts import render

from .models import Referral


class Rollback(Exception):
    pass


def sales_push(*, client, mall, rows, all_or_nothing=False):
    """Save a pushed batch through the file import's own code path (sales_rows_save): the same
    checks, the same (mall, order number) idempotency, one set-based write. The batch is
    recorded as an import run named after the client, so it shows in the clerk's import list.
    Returns (run, saved, [RowResult])."""
    indexed = [(index, row if isinstance(row, dict) else {}) for index, row in enumerate(rows)]
    now = timezone.now()
    try:
        with transaction.atomic():
            run = SalesImport.objects.create(
                mall=mall,
                file_name=f"API: {client.name}"[:200],
                status=ImportStatus.RUNNING,
                created_by=client.user,
                total_rows=len(indexed),
                heartbeat_at=now,
            )
            results = sales_rows_save(run=run, rows=indexed, now=now)
            rejected = [r for r in results if r.kind == RowResult.REJECTED]
            if all_or_nothing and rejected:
                raise Rollback(results)
            counts = _counts(results)
            SalesImport.objects.filter(pk=run.pk).update(
                status=ImportStatus.DONE,
                rows_done=len(indexed),
                created=counts[RowResult.CREATED],
                updated=counts[RowResult.UPDATED],
                unchanged=counts[RowResult.UNCHANGED],
                rejected=counts[RowResult.REJECTED],
                problems=[{"row": r.row, "column": r.column, "message": r.message} for r in rejected[:1000]],
                finished_at=timezone.now(),
            )
            return run, True, results
    except Rollback as refused:
        results = refused.args[0]
        # Nothing of the batch was kept; the refusal itself is recorded.
        run = SalesImport.objects.create(
            mall=mall,
            file_name=f"API: {client.name}"[:200],
            status=ImportStatus.FAILED,
            created_by=client.user,
            total_rows=len(indexed),
            rows_done=len(indexed),
            rejected=sum(1 for r in results if r.kind == RowResult.REJECTED),
            error=_("Refused whole (all_or_nothing): some rows were rejected."),
            finished_at=timezone.now(),
        )
        return run, False, results


def _counts(results):
    counts = dict.fromkeys(RowResult.KINDS, 0)
    for result in results:
        counts[result.kind] += 1
    return counts


def _attachments(items):
    uploads = []
    for position, item in enumerate(items or ()):
        try:
            content = base64.b64decode(item["content_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError(
                {"attachments": _("Attachment %(n)s is not valid base64.") % {"n": position + 1}}
            ) from None
        uploads.append(SimpleUploadedFile(item["name"], content))
    return uploads


@transaction.atomic
def referral_register(*, client, mall, data):
    """Register the platform's referral as a complaint through complaint_register, with the
    platform's deadline on the working-day calendar. The same (platform, reference) again answers
    the referral already made: (referral, created)."""
    existing = Referral.objects.filter(
        platform=data["platform"], external_reference=data["external_reference"]
    ).select_related("complaint", "mall")
    found = existing.first()
    if found is not None:
        if found.mall_id != mall.pk:
            raise ValidationError(
                {"external_reference": _("This reference was already sent for another mall.")}, code="conflict"
            )
        return found, False
    booth = None
    if data.get("booth"):
        booth = Booth.objects.filter(mall=mall, number__iexact=data["booth"].strip()).first()
        if booth is None:
            raise ValidationError({"booth": _("No booth %(number)s in this mall.") % {"number": data["booth"]}})
    details = {
        "channel": Channel.HOTLINE_12315 if data["platform"] == "12315" else Channel.HOTLINE_12345,
        "category": data["category"],
        "category_other": data.get("category_other", ""),
        "demand": data["demand"],
        "demand_other": data.get("demand_other", ""),
        "facts": data["facts"],
        "goods": data.get("goods", ""),
        "voucher_number": data.get("voucher_number", ""),
        "booth": booth,
    }
    for optional in ("received_at", "purchase_date", "purchase_amount", "claimed_amount"):
        if data.get(optional) is not None:
            details[optional] = data[optional]
    if data.get("deadline_working_days"):
        details["referral_working_days"] = data["deadline_working_days"]
    complaint = complaint_register(
        mall=mall,
        actor=client.user,
        customer_name=data["customer_name"],
        customer_mobile=data["customer_mobile"],
        customer_address=data.get("customer_address", ""),
        attachments=_attachments(data.get("attachments")),
        **details,
    )
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                complaint=complaint,
                client=client,
                mall=mall,
                platform=data["platform"],
                external_reference=data["external_reference"],
            )
    except IntegrityError:  # the same reference sent twice at once: the first one wins
        raise ValidationError(
            {"external_reference": _("This reference is being registered by another request.")}, code="conflict"
        ) from None
    referral.complaint = complaint
    return referral, True


ACCEPTED_STATES = {
    Status.ASSIGNED,
    Status.WITH_MERCHANT,
    Status.PROPOSED,
    Status.RESOLVED,
    Status.CALLED_BACK,
    Status.CLOSED,
    Status.ESCALATED,
    Status.EXTERNAL,
    Status.WITHDRAWN,
}
MEDIATION = {
    Status.RESOLVED: "resolved",
    Status.CALLED_BACK: "resolved",
    Status.CLOSED: "closed",
    Status.WITHDRAWN: "withdrawn",
    Status.EXTERNAL: "referred",
    Status.ESCALATED: "escalated",
    Status.NOT_ACCEPTED: "closed",
}


def referral_outcome(referral, referral_due=None):
    """What the platform needs back: accepted or not, in time or not, and the mediation result."""
    complaint = referral.complaint
    if complaint.status == Status.NOT_ACCEPTED:
        acceptance, decided_at = "not_accepted", complaint.closed_at
    elif complaint.status in ACCEPTED_STATES or complaint.assigned_at:
        acceptance, decided_at = "accepted", complaint.assigned_at or complaint.closed_at
    else:
        acceptance, decided_at = "pending", None
    if referral_due is None:
        referral_due = (
            ComplaintDeadline.objects.filter(complaint=complaint, kind=DeadlineKind.REFERRAL)
            .order_by("started_at")
            .values_list("due_at", flat=True)
            .first()
        )
    in_time = None
    if decided_at and referral_due:
        in_time = decided_at <= referral_due
    return {
        "acceptance": acceptance,
        "decided_at": decided_at,
        "decision_due_at": referral_due,
        "decided_in_time": in_time,
        "not_accepted_reason": complaint.not_accepted_reason,
        "mediation": MEDIATION.get(complaint.status, "open"),
        "result": complaint.result,
        "resolved_at": complaint.resolved_at,
        "closed_at": complaint.closed_at,
        # Stored as an event when the desk wrote it (issue 15): shown in the caller's language.
        "note": render(complaint.decision_note),
    }


def referral_complaints(referrals):
    """Attach each referral's outcome, with the referral deadlines of the page in one query."""
    referrals = list(referrals)
    due = {}
    for complaint_id, due_at in (
        ComplaintDeadline.objects.filter(complaint__in=[r.complaint_id for r in referrals], kind=DeadlineKind.REFERRAL)
        .order_by("-started_at")
        .values_list("complaint_id", "due_at")
    ):
        due[complaint_id] = due_at
    for referral in referrals:
        referral.outcome = referral_outcome(referral, due.get(referral.complaint_id))
    return referrals


__all__ = ["Complaint", "referral_complaints", "referral_outcome", "referral_register", "sales_push"]
