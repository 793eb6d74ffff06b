"""Price-tag inspections: record, mark fixed, re-inspect; two failures in 30 days flag the merchant."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk import texts
from servicedesk.access import require_role
from servicedesk.notifications import notify, staff_of
from servicedesk.roles import Role
from servicedesk.services import save_by
from servicedesk.uploads import validate_photo
from servicedesk.workflow import lock

from ..models import (
    Booth,
    FailureCode,
    InspectionPhoto,
    MerchantPolicy,
    PriceTagFailure,
    PriceTagInspection,
)

INSPECTORS = (Role.PRICE_TAG_OFFICER, Role.SUPERVISOR)


def validate_inspection(*, booth, items_checked, codes, inspected_at, reinspection_of=None):
    """The inspection's rules, all reported at once; returns the merchant holding the booth on the
    day. The form runs them in the same round as its field errors, the service again."""
    errors = {}
    if inspected_at > timezone.now() + timedelta(minutes=5):
        errors["inspected_at"] = _("The inspection time cannot be in the future.")
    if items_checked is None or items_checked < 1:
        errors["items_checked"] = _("Count at least one item checked.")
    codes = [FailureCode(code) for code in codes]
    if len(set(codes)) != len(codes):
        errors["failures"] = _("Each failure code is recorded once per inspection.")
    merchant = booth.holder_on(timezone.localdate(inspected_at))
    if merchant is None:
        errors["booth"] = _("Booth %(number)s has no merchant to inspect.") % {"number": booth.number}
    if reinspection_of is not None and (
        reinspection_of.booth_id != booth.pk or reinspection_of.passed or reinspection_of.fixed_at
    ):
        errors["reinspection_of"] = _("Only an unfixed failure of the same booth can be re-inspected.")
    if errors:
        raise ValidationError(errors)
    return merchant


@transaction.atomic
def inspection_record(
    *, booth, actor, items_checked, failures=(), inspected_at=None, photos=(), notes="", reinspection_of=None
):
    """Record an inspection of `booth`. `failures` is a list of (code, goods) pairs."""
    require_role(actor, booth.mall_id, *INSPECTORS)
    inspected_at = inspected_at or timezone.now()
    booth = Booth.objects.select_related("mall").get(pk=booth.pk)
    merchant = validate_inspection(
        booth=booth,
        items_checked=items_checked,
        codes=[code for code, _goods in failures],
        inspected_at=inspected_at,
        reinspection_of=reinspection_of,
    )

    policy = MerchantPolicy.for_mall(booth.mall)
    passed = not failures
    inspection = PriceTagInspection(
        mall=booth.mall,
        booth=booth,
        merchant=merchant,
        inspected_at=inspected_at,
        inspector=actor,
        items_checked=items_checked,
        passed=passed,
        fix_deadline=None if passed else inspected_at + timedelta(hours=policy.price_tag_fix_hours),
        reinspection_of=reinspection_of,
        notes=notes,
    )
    save_by(inspection, actor)
    PriceTagFailure.objects.bulk_create(
        [PriceTagFailure(inspection=inspection, code=code, goods=goods or "") for code, goods in failures]
    )
    for photo in photos:
        picture = InspectionPhoto(inspection=inspection, image=photo)
        picture.full_clean(exclude=["inspection"])
        picture.save()
    if reinspection_of is not None and passed:
        reinspection_of.fixed_at = inspected_at
        save_by(reinspection_of, actor, update_fields=["fixed_at"], reason=texts.event("inspection.passed_again"))
    if not passed:
        _flag_if_repeated(merchant, policy, inspected_at, actor)
    return inspection


def _flag_if_repeated(merchant, policy, inspected_at, actor):
    since = inspected_at - timedelta(days=policy.flag_window_days)
    failures = merchant.inspections.filter(passed=False, inspected_at__gt=since, inspected_at__lte=inspected_at)
    if failures.count() < policy.flag_failures:
        return
    merchant = lock(merchant)
    if not merchant.flagged:
        merchant.flagged = True
        merchant.flagged_reason = texts.event("merchant.flagged", n=failures.count(), days=policy.flag_window_days)
        save_by(merchant, actor, update_fields=["flagged", "flagged_reason"], reason=merchant.flagged_reason)
    notify(
        staff_of(merchant.mall, Role.MANAGER, Role.SUPERVISOR),
        key=f"merchant:{merchant.pk}:price_tag_flag:{timezone.localdate(inspected_at).isoformat()}",
        title=texts.event("notice.merchant_flagged", merchant=merchant),
        body=merchant.flagged_reason,
        url=f"/merchants/{merchant.pk}/",
        mall=merchant.mall,
    )


@transaction.atomic
def inspection_mark_fixed(*, inspection, actor, fixed_at=None):
    require_role(actor, inspection.mall_id, *INSPECTORS)
    inspection = PriceTagInspection.objects.select_for_update(of=("self",), no_key=True).get(pk=inspection.pk)
    if inspection.passed:
        raise ValidationError(_("This inspection passed; there is nothing to fix."))
    if inspection.fixed_at:
        raise ValidationError(_("This failure was already marked fixed."))
    fixed_at = fixed_at or timezone.now()
    if fixed_at < inspection.inspected_at:
        raise ValidationError({"fixed_at": _("It cannot be fixed before it was found.")})
    inspection.fixed_at = fixed_at
    return save_by(inspection, actor, update_fields=["fixed_at"], reason=texts.event("inspection.fixed"))


@transaction.atomic
def inspection_report_fixed(*, inspection, actor, photos=(), note="", now=None):
    """The merchant's own user says the failure is fixed, with at least one photo of the tag as it
    is now. The inspection stays open (`fixed_at` empty) until the inspector re-checks it
    (inspection_record with reinspection_of): the inspector, and the price-tag officers of the
    mall, are notified."""
    from ..accounts import require_merchant_of

    require_merchant_of(actor, inspection.merchant_id)
    inspection = PriceTagInspection.objects.select_for_update(of=("self",), no_key=True).get(pk=inspection.pk)
    errors = {}
    if inspection.passed or inspection.fixed_at:
        raise ValidationError(_("This inspection has nothing left to fix."))
    if inspection.merchant_reported_fixed_at:
        raise ValidationError(_("You already reported this fixed; the inspector will re-check it."))
    if not photos:
        errors["photos"] = _("Add a photo of the corrected price tag.")
    for photo in photos:
        try:
            validate_photo.content_type(photo)
        except ValidationError as error:
            errors.setdefault("photos", []).extend(error.messages)
    note = (note or "").strip()
    if len(note) > 500:
        errors["note"] = _("At most 500 characters.")
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    inspection.merchant_reported_fixed_at = now
    inspection.merchant_reported_by = actor
    inspection.merchant_fix_note = note
    save_by(
        inspection,
        actor,
        update_fields=["merchant_reported_fixed_at", "merchant_reported_by", "merchant_fix_note"],
        reason=texts.event("inspection.merchant_reported_fixed"),
    )
    for photo in photos:
        picture = InspectionPhoto(inspection=inspection, image=photo, by_merchant=True)
        picture.full_clean(exclude=["inspection"])
        picture.save()
    recipients = {inspection.inspector, *staff_of(inspection.mall, Role.PRICE_TAG_OFFICER)}
    notify(
        [user for user in recipients if user.is_active],
        key=f"inspection:{inspection.pk}:merchant_fixed",
        title=texts.event(
            "notice.price_tag_reported_fixed", merchant=str(inspection.merchant), booth=inspection.booth.number
        ),
        body=note,
        url="/merchants/inspections/",
        mall=inspection.mall,
    )
    return inspection


@transaction.atomic
def merchant_clear_flag(*, merchant, actor, reason):
    require_role(actor, merchant.mall_id, Role.MANAGER, Role.SUPERVISOR)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the flag is cleared.")})
    merchant = lock(merchant)
    merchant.flagged = False
    merchant.flagged_reason = ""
    return save_by(merchant, actor, update_fields=["flagged", "flagged_reason"], reason=reason.strip())


def week_bounds(day):
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def weekly_coverage(mall, day=None):
    """Share of the mall's occupied booths inspected in the ISO week of `day` (two queries)."""
    day = day or timezone.localdate()
    monday, sunday = week_bounds(day)
    occupied = Booth.objects.filter(mall=mall, is_active=True, merchant__isnull=False).count()
    week = PriceTagInspection.objects.filter(
        mall=mall, inspected_at__date__gte=monday, inspected_at__date__lte=sunday
    ).aggregate(
        booths=Count("booth", distinct=True),
        failed=Count("pk", filter=Q(passed=False)),
        total=Count("pk"),
    )
    target = MerchantPolicy.for_mall(mall).inspection_weekly_coverage
    share = (100 * week["booths"] / occupied) if occupied else 0
    return {
        "monday": monday,
        "sunday": sunday,
        "occupied": occupied,
        "inspected": week["booths"],
        "inspections": week["total"],
        "failed": week["failed"],
        "share": round(share, 1),
        "target": target,
        "met": share >= float(target),
    }
