import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from merchants.accounts import merchants_own
from servicedesk import texts
from servicedesk.access import has_role, require_role
from servicedesk.amounts import amount_text
from servicedesk.customer_links import case_sms
from servicedesk.notifications import notify, staff_of
from servicedesk.numbering import issue_number
from servicedesk.roles import Role
from servicedesk.services import customer_find_or_create, customer_of_confirmed_mobile, save_by
from servicedesk.uploads import validate_photo
from servicedesk.workflow import lock, lock_and_check

from ..eligibility import assess_return
from ..models import (
    DESK,
    RETURN_TRANSITIONS,
    CostPayer,
    NotIntactReason,
    RefundMethod,
    ReturnAction,
    ReturnKind,
    ReturnPhoto,
    ReturnRequest,
    ReturnStatus,
)

SALE_FIELDS = (
    "voucher_number",
    "via_unified_cashier",
    "merchant",
    "booth",
    "goods",
    "model",
    "quantity",
    "price_paid",
    "payment_date",
    "delivery_date",
    "custom_made",
    "sample",
    "special_price",
    "imported_special_order",
    "installed",
    "gifts",
    "kind",
)


def _store_photos(r, actor, photos):
    for upload in photos:
        photo = ReturnPhoto(
            return_request=r,
            token=secrets.token_hex(8),
            original_name=upload.name[:200],
            content_type=validate_photo.content_type(upload),
            uploaded_by=actor,
        )
        photo.file.save(upload.name, upload, save=False)
        save_by(photo, actor)


def _check_photos(photos, errors):
    for upload in photos:
        try:
            validate_photo.content_type(upload)
        except ValidationError as error:
            errors.setdefault("photos", []).extend(error.messages)


def validate_sale(mall, sale, request_date):
    """The sale's rules over several fields, all reported at once (dates not in the future, the
    delivery not before the payment nor after the request, merchant and booth of this mall and
    the booth held by the merchant on the payment date). The form runs them with the fields that
    parsed, in the same round as its field errors; return_register runs them again."""
    errors = {}
    today = timezone.localdate()
    payment, delivery = sale.get("payment_date"), sale.get("delivery_date")
    for name, day in (("payment_date", payment), ("delivery_date", delivery)):
        if day and day > today:
            errors[name] = _("The date cannot be in the future.")
    if payment and delivery and delivery < payment:
        errors["delivery_date"] = _("Delivery cannot be before payment.")
    if delivery and request_date < delivery:
        errors["delivery_date"] = _("The goods cannot be delivered after the return was requested.")
    merchant, booth = sale.get("merchant"), sale.get("booth")
    if merchant is not None and merchant.mall_id != mall.pk:
        errors["merchant"] = _("This merchant is not in this mall.")
    if booth is not None and payment:
        if booth.mall_id != mall.pk:
            errors["booth"] = _("This booth is not in this mall.")
        elif merchant is not None and booth.holder_on(payment) != merchant:
            errors["booth"] = _("On the payment date this booth was not held by this merchant.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def return_register(*, mall, actor, customer_name, customer_mobile, requested_on=None, **sale):
    """Register a return request for the customer (found or created by mobile)."""
    require_role(actor, mall, *DESK)
    return_request = _register(mall, actor, customer_name, customer_mobile, requested_on, customer_find_or_create, sale)
    # The walk-in customer leaves with the number and the link in an SMS, as an online one does.
    case_sms(return_request, event="case_registered", occasion="registered")
    return return_request


# What the customer gives on the mall's intake page (portal.intake): the sale, not the kind.
ONLINE_SALE_FIELDS = tuple(name for name in SALE_FIELDS if name not in ("kind", "merchant"))


@transaction.atomic
def return_register_online(*, mall, customer_name, customer_mobile, **sale):
    """A no-reason return request from the mall's intake page, the mobile confirmed by an SMS code
    (portal.intake): the desk's checks and messages, registered by the customer-link user; the
    merchant is the booth's holder on the payment date. Returns (request, eligibility): the
    eligibility the desk sees at check (returns.eligibility), for the customer to read now."""
    from complaints.services.customer import customer_link_user

    unknown = set(sale) - set(ONLINE_SALE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be set here: %s") % ", ".join(sorted(unknown)))
    booth = sale.get("booth")
    if booth is not None and booth.mall_id == mall.pk:
        sale["merchant"] = (
            booth.holder_on(sale["payment_date"]) if sale.get("payment_date") else None
        ) or booth.merchant
    if sale.get("merchant") is None:
        raise ValidationError({"booth": _("Choose the merchant or booth you bought from.")})
    sale["kind"] = ReturnKind.NO_REASON
    actor = customer_link_user()
    return_request = _register(mall, actor, customer_name, customer_mobile, None, customer_of_confirmed_mobile, sale)
    case_sms(return_request, event="case_registered", occasion="registered")
    notify(
        staff_of(mall, Role.FRONT_DESK, Role.SUPERVISOR),
        key=f"return:{return_request.pk}:online",
        title=texts.event("notice.online_return", number=return_request.number),
        url=reverse("returns:detail", args=[return_request.pk]),
        mall=mall,
    )
    return return_request, assess_return(return_request)


def _register(mall, actor, customer_name, customer_mobile, requested_on, find_customer, sale):
    unknown = set(sale) - set(SALE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be set here: %s") % ", ".join(sorted(unknown)))
    requested_on = requested_on or timezone.localdate()
    validate_sale(mall, sale, requested_on)
    customer, _created = find_customer(mall=mall, name=customer_name, mobile=customer_mobile, actor=actor)
    return_request = ReturnRequest(
        mall=mall,
        number=issue_number("TH", mall),
        customer=customer,
        requested_on=requested_on,
        registered_by=actor,
        **sale,
    )
    return save_by(return_request, actor)


@transaction.atomic
def return_check(*, return_request, actor):
    """Assess eligibility and store every reason that applies."""
    r, new_status = lock_and_check(
        return_request, RETURN_TRANSITIONS, ReturnAction.CHECK, actor, merchant_party=merchants_own
    )
    r.status = new_status
    if r.kind == ReturnKind.QUALITY:
        # A quality defect is the operator's to put right whatever the no-reason exclusions.
        r.eligible, r.ineligibility_reasons = True, []
    else:
        result = assess_return(r)
        r.eligible, r.ineligibility_reasons = result.eligible, result.reasons
    return save_by(r, actor, update_fields=["status", "eligible", "ineligibility_reasons"])


@transaction.atomic
def return_override(*, return_request, actor, reason):
    """A manager accepts an ineligible return anyway, with a written reason (audited)."""
    r = lock(return_request, "mall")
    if not has_role(actor, r.mall_id, Role.MANAGER):
        raise PermissionDenied(_("Only the service centre manager may override eligibility."))
    if r.status != ReturnStatus.CHECKED or r.eligible is not False:
        raise ValidationError(_("Only a checked, ineligible return can be overridden."))
    if not (reason or "").strip():
        raise ValidationError({"override_reason": _("Write why the return is accepted anyway.")})
    r.override_reason = reason.strip()
    r.overridden_by = actor
    return save_by(
        r,
        actor,
        update_fields=["override_reason", "overridden_by"],
        reason=texts.event("return.overridden", reason=reason),
    )


def _acceptable(r):
    return r.eligible or r.overridden_by_id is not None


@transaction.atomic
def return_merchant_reply(*, return_request, actor, agrees, reply=""):
    """Record the merchant's confirmation (by the desk, or by the merchant's own user in the
    merchant portal, once). A merchant refusing an acceptable return does not stop it: the mall
    honours its promise and the case goes to advance compensation (DOMAIN.md §3)."""
    r = lock(return_request, "mall")
    by_merchant = merchants_own(actor, r)
    if not by_merchant:
        require_role(actor, r.mall_id, *DESK)
    if r.status not in (ReturnStatus.REQUESTED, ReturnStatus.CHECKED, ReturnStatus.APPROVED):
        raise ValidationError(_("The merchant's reply is recorded before the goods come back."))
    if by_merchant and r.merchant_replied_at is not None:
        raise ValidationError(_("Your answer to this return was already recorded."))
    reply = (reply or "").strip()
    if by_merchant and not agrees and not reply:
        raise ValidationError({"reply": _("Give the reason for refusing.")})
    if len(reply) > 500:
        raise ValidationError({"reply": _("At most 500 characters.")})
    r.merchant_agrees = bool(agrees)
    r.merchant_reply = reply
    r.merchant_replied_at = timezone.now()
    fields = ["merchant_agrees", "merchant_reply", "merchant_replied_at"]
    if not agrees and _acceptable(r) and r.escalated_at is None:
        r.escalated_at = timezone.now()
        fields.append("escalated_at")
        notify(
            staff_of(r.mall, Role.SUPERVISOR, Role.MANAGER),
            key=f"return:{r.pk}:merchant_refused",
            title=texts.event("notice.return_refused", number=r.number),
            body=texts.event("notice.return_refused_body", merchant=r.merchant),
            url=r.get_absolute_url(),
            mall=r.mall,
        )
    return save_by(r, actor, update_fields=fields)


def _check_decider(r, actor):
    """Approval and refusal follow the same who-may rules (DOMAIN.md §3): never the person who
    registered the return; above the mall's limit (20,000 yuan by default) only the manager."""
    policy = r.policy()
    if actor.pk == r.registered_by_id:
        raise PermissionDenied(_("The person who registered a return may not approve or refuse it."))
    if r.price_paid > policy.manager_above and not has_role(actor, r.mall_id, Role.MANAGER):
        raise PermissionDenied(
            _("Returns above %(limit)s yuan are decided by the manager.") % {"limit": amount_text(policy.manager_above)}
        )


@transaction.atomic
def return_approve(*, return_request, actor, pickup_date=None, pickup_address="", driver=""):
    r, new_status = lock_and_check(
        return_request, RETURN_TRANSITIONS, ReturnAction.APPROVE, actor, merchant_party=merchants_own
    )
    r.status = new_status
    _check_decider(r, actor)
    if not _acceptable(r):
        raise ValidationError(
            _("This return is not eligible: %(reasons)s Refuse it, or ask the manager to override.")
            % {"reasons": " ".join(r.ineligibility_reasons)}
        )
    # A pick-up sends a driver to the customer: it needs an address (the customer's on file by default).
    pickup_address = (pickup_address or "").strip()
    if pickup_date and not pickup_address:
        pickup_address = r.customer.address.strip()
        if not pickup_address:
            raise ValidationError({"pickup_address": _("A pick-up needs the address the driver goes to.")})
    r.decided_by, r.decided_at = actor, timezone.now()
    r.pickup_date, r.pickup_address, r.driver = pickup_date, pickup_address, (driver or "").strip()
    return save_by(
        r, actor, update_fields=["status", "decided_by", "decided_at", "pickup_date", "pickup_address", "driver"]
    )


@transaction.atomic
def return_refuse(*, return_request, actor, reason):
    r, new_status = lock_and_check(
        return_request, RETURN_TRANSITIONS, ReturnAction.REFUSE, actor, merchant_party=merchants_own
    )
    r.status = new_status
    _check_decider(r, actor)
    if not (reason or "").strip():
        raise ValidationError({"refusal_reason": _("Write the reason the customer is told.")})
    r.refusal_reason = reason.strip()
    r.decided_by, r.decided_at = actor, timezone.now()
    return save_by(r, actor, update_fields=["status", "refusal_reason", "decided_by", "decided_at"])


@transaction.atomic
def return_receive_goods(*, return_request, actor, received_on=None, photos=()):
    r, new_status = lock_and_check(
        return_request, RETURN_TRANSITIONS, ReturnAction.RECEIVE_GOODS, actor, merchant_party=merchants_own
    )
    r.status = new_status
    received_on = received_on or timezone.localdate()
    errors = {}
    if received_on > timezone.localdate():
        errors["received_on"] = _("The date cannot be in the future.")
    elif received_on < r.requested_on:
        errors["received_on"] = _("The goods cannot come back before the request.")
    _check_photos(photos, errors)
    if errors:
        raise ValidationError(errors)
    r.goods_received_on = received_on
    save_by(r, actor, update_fields=["status", "goods_received_on"])
    _store_photos(r, actor, photos)
    return r


@transaction.atomic
def return_inspect(*, return_request, actor, intact, reasons=(), note="", gifts_returned=True, photos=()):
    """Opening the box to look is fine; removed labels, stains, damage or broken seals are not."""
    action = ReturnAction.INSPECT_INTACT if intact else ReturnAction.INSPECT_NOT_INTACT
    r, new_status = lock_and_check(return_request, RETURN_TRANSITIONS, action, actor, merchant_party=merchants_own)
    r.status = new_status
    reasons = [NotIntactReason(reason).value for reason in reasons]
    errors = {}
    if intact and reasons:
        errors["reasons"] = _("Goods with these faults are not intact.")
    if not intact and not reasons:
        errors["reasons"] = _("Say what is wrong with the goods.")
    _check_photos(photos, errors)
    if errors:
        raise ValidationError(errors)
    r.not_intact_reasons, r.inspection_note, r.gifts_returned = reasons, (note or "").strip(), bool(gifts_returned)
    save_by(r, actor, update_fields=["status", "not_intact_reasons", "inspection_note", "gifts_returned"])
    _store_photos(r, actor, photos)
    return r


@transaction.atomic
def return_goods_back(*, return_request, actor, intact, reasons=(), note="", photos=()):
    """Goods received and inspected in one step (the merchant portal's form): nothing is saved
    unless both moves are allowed and valid."""
    r = return_receive_goods(return_request=return_request, actor=actor)
    return return_inspect(return_request=r, actor=actor, intact=intact, reasons=reasons, note=note, photos=photos)


def refund_due(r, policy=None):
    policy = policy or r.policy()
    if r.goods_received_on is None:
        return None
    from datetime import timedelta

    return r.goods_received_on + timedelta(days=policy.refund_days)


@transaction.atomic
def return_refund(
    *,
    return_request,
    actor,
    method,
    reference="",
    freight_fee=Decimal("0"),
    installation_fee=Decimal("0"),
    repackaging_fee=Decimal("0"),
    gift_deduction=Decimal("0"),
):
    """Record the refund: the price paid less what the customer bears, never more than was paid."""
    r, new_status = lock_and_check(
        return_request, RETURN_TRANSITIONS, ReturnAction.REFUND, actor, merchant_party=merchants_own
    )
    r.status = new_status
    policy = r.policy()
    fees = {
        "freight_fee": Decimal(freight_fee or 0),
        "installation_fee": Decimal(installation_fee or 0),
        "repackaging_fee": Decimal(repackaging_fee or 0),
        "gift_deduction": Decimal(gift_deduction or 0),
    }
    errors = {}
    for name, value in fees.items():
        if value < 0:
            errors[name] = _("The amount cannot be negative.")
    cap = (r.price_paid * policy.max_repackaging_percent / 100).quantize(Decimal("0.01"))
    if fees["repackaging_fee"] > cap:
        errors["repackaging_fee"] = _("Repackaging is at most %(pct)s%% of the price: %(cap)s yuan.") % {
            "pct": policy.repackaging_percent_text,
            "cap": amount_text(cap),
        }
    if r.kind == ReturnKind.QUALITY:
        for name in ("freight_fee", "installation_fee", "repackaging_fee"):
            if fees[name] > 0:
                errors[name] = _("For a quality return the merchant or mall pays this, not the customer.")
    if fees["gift_deduction"] > 0 and r.gifts_returned:
        errors["gift_deduction"] = _("The gifts came back; nothing is deducted for them.")
    if method not in RefundMethod.values:
        errors["method"] = _("Choose how the money goes back.")
    refund = r.price_paid - sum(fees.values())
    if refund <= 0:
        errors.setdefault("freight_fee", _("The deductions leave nothing to refund."))
    if errors:
        raise ValidationError(errors)
    for name, value in fees.items():
        setattr(r, name, value)
    r.freight_payer = CostPayer.OPERATOR if r.kind == ReturnKind.QUALITY else CostPayer.CUSTOMER
    r.refund_amount = refund
    r.refund_method = method
    r.refund_reference = (reference or "").strip()
    r.refunded_at = timezone.now()
    case_sms(r, event="refunded", occasion="refunded", amount=amount_text(refund))
    return save_by(
        r,
        actor,
        update_fields=[
            "status",
            *fees,
            "freight_payer",
            "refund_amount",
            "refund_method",
            "refund_reference",
            "refunded_at",
        ],
    )


@transaction.atomic
def return_close(*, return_request, actor):
    r, new_status = lock_and_check(
        return_request, RETURN_TRANSITIONS, ReturnAction.CLOSE, actor, merchant_party=merchants_own
    )
    r.status = new_status
    r.closed_at = timezone.now()
    return save_by(r, actor, update_fields=["status", "closed_at"])
