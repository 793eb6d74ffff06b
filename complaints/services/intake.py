"""Registering a complaint at the desk, and the documents that come with it."""

import secrets
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from merchants.models import Booth
from servicedesk.access import require_role
from servicedesk.customer_links import case_sms
from servicedesk.models import Customer
from servicedesk.notifications import notify, staff_of
from servicedesk.numbering import issue_number
from servicedesk.phones import normalise_mobile
from servicedesk.roles import Role
from servicedesk.services import customer_find_or_create, customer_of_confirmed_mobile, save_by
from servicedesk.texts import event
from servicedesk.uploads import validate_document
from servicedesk.workflow import CUSTOMER, check

from ..models import (
    FACE_TO_FACE_CHANNELS,
    REFERRAL_CHANNELS,
    TRANSITIONS,
    Action,
    Category,
    Channel,
    Complaint,
    ComplaintAttachment,
    ComplaintPolicy,
    DeadlineKind,
    Demand,
    needs_address,
)
from .clocks import clock_start
from .common import complaint_url, log_action

# The complaint fields a desk clerk fills in at intake (customer details come separately).
INTAKE_FIELDS = frozenset(
    {
        "channel",
        "received_at",
        "official_visit",
        "purchase_date",
        "voucher_number",
        "paid_via_unified_cashier",
        "booth",
        "goods",
        "goods_model",
        "purchase_amount",
        "delivery_date",
        "category",
        "category_other",
        "demand",
        "demand_other",
        "facts",
        "claimed_amount",
        "referral_working_days",
    }
)
# API clients attach what the 12315/12345 platform sent with a referral (api.services).
ATTACHMENT_ROLES = (Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.API_CLIENT)


def validate_intake(mall, details):
    """The rules of DOMAIN.md §2 and §9 that look at more than one field. Errors per field."""
    errors = {}
    now = timezone.now()
    today = timezone.localdate()
    received_at = details.get("received_at")
    purchase_date = details.get("purchase_date")
    delivery_date = details.get("delivery_date")
    if received_at and received_at > now + timedelta(minutes=5):
        errors["received_at"] = _("The time received cannot be in the future.")
    for field in ("purchase_date", "delivery_date"):
        if details.get(field) and details[field] > today:
            errors[field] = _("This date cannot be in the future.")
    received_day = timezone.localdate(received_at) if received_at else today
    if purchase_date and delivery_date and delivery_date < purchase_date:
        errors.setdefault("delivery_date", _("Delivery cannot be before the purchase."))
    latest = delivery_date or purchase_date
    if latest and latest > received_day and "received_at" not in errors:
        errors.setdefault(
            "delivery_date" if delivery_date else "purchase_date",
            _("The purchase and delivery must come before the complaint was received."),
        )
    if details.get("category") == Category.OTHER and not (details.get("category_other") or "").strip():
        errors["category_other"] = _("Describe the category when you choose Other.")
    if details.get("demand") == Demand.OTHER and not (details.get("demand_other") or "").strip():
        errors["demand_other"] = _("Describe the demand when you choose Other.")
    booth = details.get("booth")
    if booth is not None:
        if booth.mall_id != mall.pk:
            errors["booth"] = _("This booth is not in this mall.")
        elif not booth_was_active(booth, purchase_date):
            errors["booth"] = _("Booth %(number)s was not trading on the purchase date.") % {"number": booth.number}
    if details.get("referral_working_days") and details.get("channel") not in REFERRAL_CHANNELS:
        errors["referral_working_days"] = _("Only 12315 and 12345 referrals carry their own deadline.")
    if errors:
        raise ValidationError(errors)


def booth_was_active(booth, day):
    """Whether the booth traded on `day`, from its history; today's state when history is younger.

    A booth whose merchant has since left is still a valid booth for a purchase made while it
    traded: that is exactly the exited-merchant complaint the desk must accept.
    """
    if day is None:
        return booth.is_active
    moment = timezone.make_aware(datetime.combine(day, time.max))
    try:
        then = booth.history.as_of(moment)
    except Booth.DoesNotExist:
        return booth.is_active
    return then.is_active


@transaction.atomic
def complaint_register(
    *,
    mall,
    actor,
    customer_name,
    customer_mobile,
    customer_address="",
    customer_other_phone="",
    attachments=(),
    **details,
):
    """Register a complaint: number, customer, clocks, repeat check, manager alert for officials."""
    new_status = check(TRANSITIONS, state=None, action=Action.REGISTER, actor=actor, mall=mall)
    unknown = set(details) - INTAKE_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be set at intake: %s") % ", ".join(sorted(unknown)))
    return _register(
        mall=mall,
        actor=actor,
        new_status=new_status,
        customer_name=customer_name,
        customer_mobile=customer_mobile,
        customer_address=customer_address,
        customer_other_phone=customer_other_phone,
        attachments=attachments,
        **details,
    )


# What a customer fills in on the mall's intake page (portal.intake): the case, not the desk's
# own fields (channel, time received, official visit, referral deadline).
ONLINE_FIELDS = frozenset(
    {
        "booth",
        "goods",
        "purchase_date",
        "delivery_date",
        "voucher_number",
        "purchase_amount",
        "category",
        "category_other",
        "demand",
        "demand_other",
        "facts",
    }
)


@transaction.atomic
def complaint_register_online(*, mall, customer_name, customer_mobile, customer_address="", attachments=(), **details):
    """The customer's own complaint from the mall's intake page (/m/<code>/), the mobile already
    confirmed by an SMS code (portal.intake): channel 网络, the desk's rules and messages, the
    same registration, link SMS and clocks; written by the customer-link user. The desk is told."""
    from .customer import customer_link_user

    new_status = check(TRANSITIONS, state=None, action=Action.REGISTER, actor=CUSTOMER, mall=mall)
    unknown = set(details) - ONLINE_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be set at intake: %s") % ", ".join(sorted(unknown)))
    details["channel"] = Channel.ONLINE
    details["paid_via_unified_cashier"] = bool((details.get("voucher_number") or "").strip())
    complaint = _register(
        mall=mall,
        actor=customer_link_user(),
        new_status=new_status,
        customer_name=customer_name,
        customer_mobile=customer_mobile,
        customer_address=customer_address,
        attachments=attachments,
        confirmed_mobile=True,
        **details,
    )
    notify(
        staff_of(mall, Role.FRONT_DESK, Role.SUPERVISOR),
        key=f"complaint:{complaint.pk}:online",
        title=event("notice.online_complaint", number=complaint.number),
        url=complaint_url(complaint),
        mall=mall,
    )
    return complaint


def _register(
    *,
    mall,
    actor,
    new_status,
    customer_name,
    customer_mobile,
    customer_address="",
    customer_other_phone="",
    attachments=(),
    confirmed_mobile=False,
    **details,
):
    details.setdefault("received_at", timezone.now())
    errors = {}
    if needs_address(details.get("channel"), details.get("category"), details.get("demand")) and not (
        (customer_address or "").strip() or _address_on_file(mall, customer_mobile)
    ):
        errors["customer_address"] = _(
            "Enter the customer's address: someone must go to the customer's home for this case "
            "(delivery, installation, repair, measuring, testing, or goods to collect or bring)."
        )
    try:
        validate_intake(mall, details)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    find_customer = customer_of_confirmed_mobile if confirmed_mobile else customer_find_or_create
    customer, _created = find_customer(
        mall=mall,
        name=customer_name,
        mobile=customer_mobile,
        other_phone=customer_other_phone,
        address=customer_address,
        actor=actor,
    )
    complaint = Complaint(mall=mall, customer=customer, registered_by=actor, status=new_status, **details)
    if complaint.booth_id:
        complaint.merchant = complaint.booth.merchant
    if complaint.channel == Channel.MEDIA:
        complaint.official_visit = True
    if complaint.channel in FACE_TO_FACE_CHANNELS:
        # The customer is at the desk or on the line: the first contact is the intake itself.
        complaint.first_contact_at = complaint.received_at
    complaint.repeat_of = _earlier_complaint_on_same_order(complaint)
    complaint.number = issue_number("TS", mall, timezone.localdate(complaint.received_at))
    save_by(complaint, actor)
    log_action(complaint, actor=actor, text=event("complaint.registered", channel=Channel(complaint.channel).label))

    policy = ComplaintPolicy.for_mall(mall)
    start = complaint.received_at
    if complaint.first_contact_at is None:
        clock_start(complaint, DeadlineKind.FIRST_CONTACT, start, policy)
    for kind in (DeadlineKind.ASSIGNMENT, DeadlineKind.RESOLUTION, DeadlineKind.DELIBERATE_DELAY):
        clock_start(complaint, kind, start, policy)
    if complaint.channel in REFERRAL_CHANNELS:
        clock_start(complaint, DeadlineKind.REFERRAL, start, policy)

    for upload in attachments:
        store_attachment(complaint, actor, upload)
    case_sms(complaint, event="case_registered", occasion="registered")
    if complaint.official_visit:
        notify(
            staff_of(mall, Role.MANAGER),
            key=f"complaint:{complaint.pk}:official",
            title=event("notice.official_complaint", number=complaint.number),
            body=event(
                "notice.official_complaint_body", channel=Channel(complaint.channel).label, when=complaint.received_at
            ),
            url=complaint_url(complaint),
            mall=mall,
        )
    return complaint


def _address_on_file(mall, mobile):
    """The known customer's address, so a returning customer is not asked again."""
    return Customer.objects.filter(mall=mall, mobile=normalise_mobile(mobile)).exclude(address="").exists()


def _earlier_complaint_on_same_order(complaint):
    """The same customer's complaint on the same order within the repeat window, if any."""
    if not complaint.voucher_number:
        return None
    window = timedelta(days=ComplaintPolicy.for_mall(complaint.mall).repeat_days)
    return (
        Complaint.objects.filter(
            mall=complaint.mall,
            customer=complaint.customer,
            voucher_number=complaint.voucher_number,
            received_at__gte=complaint.received_at - window,
            received_at__lte=complaint.received_at,
        )
        .order_by("-received_at")
        .first()
    )


@transaction.atomic
def complaint_attach(*, complaint, actor, upload):
    """Store a photo or scan with the complaint (type and size checked)."""
    require_role(actor, complaint.mall, *ATTACHMENT_ROLES)
    return store_attachment(complaint, actor, upload)


def attachment_check(upload):
    """The upload's content type, or a ValidationError naming the file (type and size)."""
    return validate_document.content_type(upload)


def store_attachment(complaint, actor, upload):
    """The stored file of a caller that has checked the actor (desk staff, or the merchant's
    own user answering in the portal)."""
    content_type = attachment_check(upload)
    attachment = ComplaintAttachment(
        complaint=complaint,
        token=secrets.token_hex(8),
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name, upload, save=False)
    return save_by(attachment, actor)
