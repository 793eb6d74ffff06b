from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from merchants.accounts import merchants_own
from returns.services.flow import validate_sale
from servicedesk import texts
from servicedesk.access import require_role
from servicedesk.amounts import amount_text
from servicedesk.customer_links import case_sms
from servicedesk.limits import AMOUNT_MAX, TEXT_MAX
from servicedesk.notifications import notify, staff_of
from servicedesk.numbering import issue_number
from servicedesk.roles import Role
from servicedesk.services import customer_find_or_create, save_by
from servicedesk.workflow import lock_and_check

from ..eligibility import assess_exchange
from ..models import (
    DESK,
    EXCHANGE_TRANSITIONS,
    Direction,
    Exchange,
    ExchangeAction,
    ExchangeKind,
    FreightPayer,
)

SALE_FIELDS = (
    "kind",
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
    "reason",
    "failed_repairs",
    "days_in_repair",
)
FLAGS = ("custom_made", "sample", "special_price", "imported_special_order", "installed")


def _day_errors(errors, name, day, not_before, before_message):
    if day > timezone.localdate():
        errors[name] = _("The date cannot be in the future.")
    elif not_before and day < not_before:
        errors[name] = before_message


@transaction.atomic
def exchange_register(*, mall, actor, customer_name, customer_mobile, requested_on=None, **sale):
    """Register an exchange request against a sale, with its eligibility stored for the desk to
    read (a no-reason exchange: the mall's return window; a quality one: the warranty)."""
    require_role(actor, mall, *DESK)
    unknown = set(sale) - set(SALE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be set here: %s") % ", ".join(sorted(unknown)))
    requested_on = requested_on or timezone.localdate()
    errors = {}
    try:
        validate_sale(mall, sale, requested_on)
    except ValidationError as error:
        errors.update(error.message_dict)
    if not (sale.get("reason") or "").strip():
        errors["reason"] = _("Say why the customer wants an exchange (for a quality exchange: the defect).")
    if errors:
        raise ValidationError(errors)
    result = assess_exchange(
        mall=mall,
        kind=sale.get("kind"),
        request_date=requested_on,
        payment_date=sale.get("payment_date"),
        delivery_date=sale.get("delivery_date"),
        voucher_number=sale.get("voucher_number", ""),
        via_unified_cashier=sale.get("via_unified_cashier", True),
        flags={flag: sale.get(flag) for flag in FLAGS},
        failed_repairs=sale.get("failed_repairs") or 0,
        days_in_repair=sale.get("days_in_repair") or 0,
    )
    customer, _created = customer_find_or_create(mall=mall, name=customer_name, mobile=customer_mobile, actor=actor)
    exchange = Exchange(
        mall=mall,
        number=issue_number("HH", mall),
        customer=customer,
        requested_on=requested_on,
        registered_by=actor,
        eligible=result.eligible,
        eligibility_reasons=result.reasons if not result.eligible else result.grounds,
        **{**sale, "reason": sale["reason"].strip()},
    )
    exchange = save_by(exchange, actor)
    case_sms(exchange, event="case_registered", occasion="registered")
    return exchange


@transaction.atomic
def exchange_confirm(*, exchange, actor, merchant_contact=""):
    """The desk records that the merchant agreed. Only an eligible exchange is confirmed: the mall
    promises nothing more (an ineligible one is refused with its reasons)."""
    e, e.status = lock_and_check(
        exchange, EXCHANGE_TRANSITIONS, ExchangeAction.CONFIRM, actor, merchant_party=merchants_own
    )
    if not e.eligible:
        raise ValidationError(
            _("This exchange is not eligible: %(reasons)s Refuse it instead.")
            % {"reasons": " ".join(e.eligibility_reasons)}
        )
    if not merchant_contact and merchants_own(actor, e):
        from merchants.accounts import merchant_account

        merchant_contact = merchant_account(actor).name
    e.merchant_contact = (merchant_contact or "").strip()[:50]
    e.confirmed_by, e.confirmed_at = actor, timezone.now()
    e = save_by(e, actor, update_fields=["status", "merchant_contact", "confirmed_by", "confirmed_at"])
    case_sms(e, event="exchange_confirmed", occasion="confirmed")
    return e


def _reason(reason, field):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("Write the reason.")})
    if len(reason) > TEXT_MAX:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": TEXT_MAX}})
    return reason


@transaction.atomic
def exchange_merchant_refuse(*, exchange, actor, reason):
    """The merchant's own user refuses in its portal, with its reason. The customer is not told
    yet: the supervisor and the manager are, and decide (uphold the refusal or override it)."""
    e, e.status = lock_and_check(
        exchange, EXCHANGE_TRANSITIONS, ExchangeAction.MERCHANT_REFUSE, actor, merchant_party=merchants_own
    )
    e.merchant_refusal_reason = _reason(reason, "merchant_refusal_reason")
    e.merchant_refused_at = timezone.now()
    e = save_by(e, actor, update_fields=["status", "merchant_refusal_reason", "merchant_refused_at"])
    notify(
        staff_of(e.mall, Role.SUPERVISOR, Role.MANAGER),
        key=f"exchange:{e.pk}:merchant_refused",
        title=texts.event("notice.exchange_merchant_refused", number=e.number),
        body=texts.event("notice.exchange_merchant_refused_body", merchant=str(e.merchant)),
        url=e.get_absolute_url(),
        mall=e.mall,
    )
    return e


@transaction.atomic
def exchange_override(*, exchange, actor, reason):
    """The supervisor or manager overrides the merchant's refusal of an eligible exchange: the
    mall treats it as agreed (its promise to the customer stands; DOMAIN.md §1, Art 43) and the
    case goes on as confirmed. The written reason is kept and audited (history)."""
    e, e.status = lock_and_check(exchange, EXCHANGE_TRANSITIONS, ExchangeAction.OVERRIDE, actor)
    override_reason = _reason(reason, "override_reason")
    if not e.eligible:
        raise ValidationError(
            {
                "override_reason": _("This exchange is not eligible: %(reasons)s Uphold the refusal instead.")
                % {"reasons": " ".join(e.eligibility_reasons)}
            }
        )
    now = timezone.now()
    e.override_reason, e.overridden_by, e.overridden_at = override_reason, actor, now
    e.confirmed_by, e.confirmed_at = actor, now
    e = save_by(
        e,
        actor,
        update_fields=["status", "override_reason", "overridden_by", "overridden_at", "confirmed_by", "confirmed_at"],
    )
    case_sms(e, event="exchange_confirmed", occasion="confirmed")
    return e


@transaction.atomic
def exchange_refuse(*, exchange, actor, reason):
    e, e.status = lock_and_check(
        exchange, EXCHANGE_TRANSITIONS, ExchangeAction.REFUSE, actor, merchant_party=merchants_own
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"refusal_reason": _("Write the reason the customer is told.")})
    if len(reason) > TEXT_MAX:
        raise ValidationError({"refusal_reason": _("At most %(n)s characters.") % {"n": TEXT_MAX}})
    e.refusal_reason, e.refused_at = reason, timezone.now()
    e = save_by(e, actor, update_fields=["status", "refusal_reason", "refused_at"])
    short = reason if len(reason) <= 60 else reason[:59] + "…"
    case_sms(e, event="exchange_refused", occasion="refused", reason=short)
    return e


@transaction.atomic
def exchange_agree_replacement(*, exchange, actor, new_goods, new_price, new_model="", new_quantity=1):
    """The replacement the customer takes and its price: the difference follows from it."""
    e, e.status = lock_and_check(
        exchange, EXCHANGE_TRANSITIONS, ExchangeAction.AGREE_REPLACEMENT, actor, merchant_party=merchants_own
    )
    errors = {}
    new_goods = (new_goods or "").strip()
    if not new_goods:
        errors["new_goods"] = _("Name the replacement goods.")
    if new_price is None or new_price <= 0:
        errors["new_price"] = _("The price must be more than zero.")
    elif new_price > AMOUNT_MAX:
        errors["new_price"] = _("At most %(max)s yuan.") % {"max": amount_text(AMOUNT_MAX)}
    if not new_quantity or new_quantity < 1:
        errors["new_quantity"] = _("At least 1.")
    if errors:
        raise ValidationError(errors)
    e.new_goods, e.new_model, e.new_quantity = new_goods, (new_model or "").strip(), new_quantity
    e.new_price = Decimal(new_price).quantize(Decimal("0.01"))
    difference = e.difference
    if difference > 0:
        e.difference_direction, e.difference_amount = Direction.CUSTOMER_PAYS, difference
    elif difference < 0:
        e.difference_direction, e.difference_amount = Direction.REFUND, -difference
    else:
        e.difference_direction, e.difference_amount = Direction.NONE, Decimal("0.00")
    e = save_by(
        e,
        actor,
        update_fields=[
            "status",
            "new_goods",
            "new_model",
            "new_quantity",
            "new_price",
            "difference_direction",
            "difference_amount",
        ],
    )
    _replacement_sms(e)
    return e


def _replacement_sms(e):
    from ..customer_page import sms_texts

    with override("zh-hans"):  # the customer's SMS is in Chinese
        params = sms_texts(e)
    case_sms(e, event="exchange_replacement", occasion="replacement", **params)


@transaction.atomic
def exchange_record_freight(*, exchange, actor, freight_amount):
    """The freight of taking the old goods back and bringing the new, before the money is
    settled: a no-reason exchange's customer pays it both ways (the slip's terms), a quality
    exchange's merchant bears it (DOMAIN.md §1)."""
    e, e.status = lock_and_check(
        exchange, EXCHANGE_TRANSITIONS, ExchangeAction.RECORD_FREIGHT, actor, merchant_party=merchants_own
    )
    if freight_amount is None or freight_amount <= 0:
        raise ValidationError({"freight_amount": _("The freight must be more than zero.")})
    if freight_amount > AMOUNT_MAX:
        raise ValidationError({"freight_amount": _("At most %(max)s yuan.") % {"max": amount_text(AMOUNT_MAX)}})
    e.freight_amount = Decimal(freight_amount).quantize(Decimal("0.01"))
    e.freight_payer = FreightPayer.CUSTOMER if e.kind == ExchangeKind.NO_REASON else FreightPayer.MERCHANT
    return save_by(e, actor, update_fields=["freight_amount", "freight_payer"])


@transaction.atomic
def exchange_settle(*, exchange, actor, cashier_reference=""):
    """The difference paid by or refunded to the customer at the unified cashier: its reference is
    required whenever money moved."""
    e, e.status = lock_and_check(
        exchange, EXCHANGE_TRANSITIONS, ExchangeAction.SETTLE, actor, merchant_party=merchants_own
    )
    reference = (cashier_reference or "").strip()
    if (e.difference_direction != Direction.NONE or e.customer_pays_freight) and not reference:
        raise ValidationError(
            {"cashier_reference": _("Give the unified cashier's reference for the money paid or refunded.")}
        )
    e.cashier_reference, e.settled_at = reference, timezone.now()
    return save_by(e, actor, update_fields=["status", "cashier_reference", "settled_at"])


@transaction.atomic
def exchange_pick_up(*, exchange, actor, picked_up_on=None, driver=""):
    e, e.status = lock_and_check(
        exchange, EXCHANGE_TRANSITIONS, ExchangeAction.PICK_UP, actor, merchant_party=merchants_own
    )
    picked_up_on = picked_up_on or timezone.localdate()
    errors = {}
    _day_errors(
        errors, "picked_up_on", picked_up_on, e.requested_on, _("The goods cannot be picked up before the request.")
    )
    if errors:
        raise ValidationError(errors)
    e.picked_up_on, e.driver = picked_up_on, (driver or "").strip()[:50]
    e = save_by(e, actor, update_fields=["status", "picked_up_on", "driver"])
    case_sms(e, event="exchange_picked_up", occasion="picked_up", day=picked_up_on.isoformat())
    return e


@transaction.atomic
def exchange_deliver(*, exchange, actor, delivered_on=None):
    e, e.status = lock_and_check(
        exchange, EXCHANGE_TRANSITIONS, ExchangeAction.DELIVER, actor, merchant_party=merchants_own
    )
    delivered_on = delivered_on or timezone.localdate()
    errors = {}
    _day_errors(
        errors,
        "delivered_on",
        delivered_on,
        e.picked_up_on,
        _("The new goods cannot be delivered before the old ones were picked up."),
    )
    if errors:
        raise ValidationError(errors)
    e.delivered_on = delivered_on
    e = save_by(e, actor, update_fields=["status", "delivered_on"])
    case_sms(e, event="exchange_delivered", occasion="delivered", day=delivered_on.isoformat())
    return e


@transaction.atomic
def exchange_close(*, exchange, actor):
    e, e.status = lock_and_check(
        exchange, EXCHANGE_TRANSITIONS, ExchangeAction.CLOSE, actor, merchant_party=merchants_own
    )
    e.closed_at = timezone.now()
    return save_by(e, actor, update_fields=["status", "closed_at"])
