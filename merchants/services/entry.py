"""Registering a merchant and its entry (准入): applied -> verified -> active."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk import texts
from servicedesk.access import require_role
from servicedesk.services import save_by
from servicedesk.workflow import lock, lock_and_check

from ..models import (
    MERCHANT_EDITORS,
    MERCHANT_TRANSITIONS,
    REQUIRED_DOCUMENTS,
    DocumentKind,
    Merchant,
    MerchantAction,
    MerchantDocument,
    MerchantStatus,
)
from .booths import booth_assign

EDITABLE_FIELDS = (
    "company_name",
    "brand",
    "other_brands",
    "credit_code",
    "legal_representative",
    "contact_name",
    "mobile",
    "category",
    "contract_start",
    "contract_end",
    "deposit_required",
    "notes",
)


@transaction.atomic
def merchant_register(*, mall, actor, booths=(), **fields):
    """A new merchant in state `applied`, with the booths it will take (floor, zone, number, area).

    Booths that do not exist yet are created; a booth held by another merchant is refused.
    Everything or nothing is saved.
    """
    require_role(actor, mall, *MERCHANT_EDITORS)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be set here: %s") % ", ".join(sorted(unknown)))
    fields["credit_code"] = (fields.get("credit_code") or "").strip().upper()
    merchant = Merchant(mall=mall, status=MerchantStatus.APPLIED, **fields)
    save_by(merchant, actor)
    start = fields.get("contract_start") or timezone.localdate()
    for booth in booths:
        booth_assign(mall=mall, merchant=merchant, actor=actor, start_date=start, **booth)
    return merchant


@transaction.atomic
def merchant_update(*, merchant, actor, **changes):
    require_role(actor, merchant.mall, *MERCHANT_EDITORS)
    merchant = lock(merchant)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    if "credit_code" in changes:
        changes["credit_code"] = (changes["credit_code"] or "").strip().upper()
    for field, value in changes.items():
        setattr(merchant, field, value)
    merchant.validate_constraints()
    return save_by(merchant, actor, update_fields=list(changes))


def missing_documents(merchant):
    """The entry checklist's required documents that are not on file (current)."""
    on_file = set(merchant.documents.current().values_list("kind", flat=True))
    return [kind for kind in REQUIRED_DOCUMENTS if kind not in on_file]


@transaction.atomic
def document_upload(*, merchant, actor, kind, file, valid_until=None, note=""):
    """File a document; an earlier one of the same kind stays on record but is no longer current."""
    require_role(actor, merchant.mall, *MERCHANT_EDITORS)
    document = MerchantDocument(
        mall=merchant.mall,
        merchant=merchant,
        kind=DocumentKind(kind),
        file=file,
        valid_until=valid_until,
        note=note,
        uploaded_by=actor,
    )
    document.full_clean()
    for older in merchant.documents.current().filter(kind=kind):
        older.is_current = False
        save_by(older, actor, update_fields=["is_current"], reason=texts.event("merchant.document_replaced"))
    save_by(document, actor)
    return document


def _require_entry_checklist(merchant, action_label):
    missing = missing_documents(merchant)
    if missing:
        names = "、".join(str(DocumentKind(kind).label) for kind in missing)
        raise ValidationError(
            _("%(action)s needs these documents first: %(missing)s.") % {"action": action_label, "missing": names},
            code="documents_missing",
        )


@transaction.atomic
def merchant_verify(*, merchant, actor):
    """The manager has checked the documents against the originals."""
    merchant, new_status = lock_and_check(merchant, MERCHANT_TRANSITIONS, MerchantAction.VERIFY, actor, related=())
    merchant.status = new_status
    _require_entry_checklist(merchant, _("Verification"))
    return save_by(merchant, actor, update_fields=["status"], reason=texts.event("merchant.documents_verified"))


@transaction.atomic
def merchant_activate(*, merchant, actor):
    merchant, new_status = lock_and_check(merchant, MERCHANT_TRANSITIONS, MerchantAction.ACTIVATE, actor, related=())
    merchant.status = new_status
    _require_entry_checklist(merchant, _("Starting to trade"))
    if not merchant.booths.exists():
        raise ValidationError(_("A merchant needs at least one booth before it can trade."), code="no_booth")
    return save_by(merchant, actor, update_fields=["status"], reason=texts.event("merchant.started_trading"))
