"""The 售后服务先行赔偿审批表 as a PDF (WeasyPrint, Noto Sans CJK), archived with the record.

WeasyPrint needs Pango and HarfBuzz from the system (see README); it is imported only here, so
the rest of the desk runs without them.
"""

import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string

from servicedesk.services import save_by

from .common import now


def form_context(compensation):
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
        "printed_at": now(),
        # Until the final approval sets the due date, the form states the mall's payment period.
        "payment_days": CompensationPolicy.for_mall(compensation.mall).payment_working_days,
    }


def render_form_pdf(compensation):
    from weasyprint import HTML

    html = render_to_string("compensations/approval_form_pdf.html", form_context(compensation))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


@transaction.atomic
def compensation_archive_form(*, compensation, actor):
    """Render the form as it stands now and keep the PDF with the record; returns the bytes."""
    content = render_form_pdf(compensation)
    compensation.upload_token = secrets.token_hex(8)
    compensation.form_pdf.save(f"{compensation.number}.pdf", ContentFile(content), save=False)
    compensation.form_pdf_at = now()
    save_by(compensation, actor, update_fields=["upload_token", "form_pdf", "form_pdf_at"], reason="PDF")
    return content
