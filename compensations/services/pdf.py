"""The 售后服务先行赔偿审批表 as a PDF (WeasyPrint, Noto Sans CJK), archived with the record.

WeasyPrint needs Pango and HarfBuzz from the system (see README); it is imported only here, so
the rest of the desk runs without them.
"""

import hashlib
import secrets
from datetime import UTC, datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string

from servicedesk.pdf import render_pdf
from servicedesk.services import save_by

from .common import now

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def form_context(compensation, printed_at=None):
    approvals = list(compensation.approvals.select_related("approver").order_by("step"))
    signed = {approval.step: approval for approval in approvals}
    # One signature box per tier of the chain, signed or still empty.
    boxes = [{"step": n, "tier": tier, "approval": signed.get(n)} for n, tier in enumerate(compensation.chain, start=1)]
    from ..models import Tier

    for box in boxes:
        box["tier_label"] = Tier(box["tier"]).label
    from ..models import CompensationPolicy

    return {
        "c": compensation,
        "boxes": boxes,
        "complaint": compensation.complaint,
        "printed_at": printed_at or now(),
        # Until the final approval sets the due date, the form states the mall's payment period.
        "payment_days": CompensationPolicy.for_mall(compensation.mall).payment_working_days,
    }


def render_form_pdf(compensation):
    return render_pdf("compensations/approval_form_pdf.html", form_context(compensation))


def form_version(compensation):
    """A digest of everything the form shows except its print date: one PDF per version."""
    html = render_to_string("compensations/approval_form_pdf.html", form_context(compensation, printed_at=EPOCH))
    return hashlib.sha256(html.encode()).hexdigest()


@transaction.atomic
def compensation_archive_form(*, compensation, actor):
    """The form as it stands now, as PDF bytes, archived with the record.

    Rendered (about half a second) and stored once per version of the case; while nothing the
    form shows has changed, every later download is the stored file, with no new history row.
    """
    compensation = type(compensation).objects.select_for_update(of=("self",), no_key=True).get(pk=compensation.pk)
    version = form_version(compensation)
    if compensation.form_pdf and compensation.form_pdf_version == version:
        try:
            with compensation.form_pdf.open("rb") as stored:
                return stored.read()
        except FileNotFoundError:
            pass  # the file was lost (restored database without media): render it again
    content = render_form_pdf(compensation)
    compensation.upload_token = secrets.token_hex(8)
    compensation.form_pdf.save(f"{compensation.number}.pdf", ContentFile(content), save=False)
    compensation.form_pdf_at = now()
    compensation.form_pdf_version = version
    save_by(
        compensation,
        actor,
        update_fields=["upload_token", "form_pdf", "form_pdf_at", "form_pdf_version"],
        reason="PDF",
    )
    return content
