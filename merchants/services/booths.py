"""Booths and who holds them. A booth has one merchant at a time; every tenancy is kept."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from servicedesk.access import require_role
from servicedesk.services import save_by

from ..models import MERCHANT_EDITORS, Booth, BoothTenancy


@transaction.atomic
def booth_assign(*, mall, merchant, actor, number, start_date, floor="", zone="", area=None):
    """Give booth `number` to `merchant` from `start_date`, creating the booth if it is new."""
    require_role(actor, mall, *MERCHANT_EDITORS)
    number = number.strip().upper()
    booth = Booth.objects.select_for_update(of=("self",), no_key=True).filter(mall=mall, number=number).first()
    if booth is None:
        if not floor:
            raise ValidationError({"floor": _("Enter the floor of the new booth.")})
        booth = Booth(mall=mall, number=number, floor=floor.strip().upper(), zone=zone.strip().upper(), area=area)
        save_by(booth, actor)
    elif not booth.is_active:
        raise ValidationError({"number": _("Booth %(number)s is closed.") % {"number": number}})
    holder = booth.tenancies.filter(end_date__isnull=True).select_related("merchant").first()
    if holder and holder.merchant_id != merchant.pk:
        raise ValidationError(
            {"number": _("Booth %(number)s is held by %(merchant)s.") % {"number": number, "merchant": holder.merchant}}
        )
    if holder:
        return booth
    overlapping = booth.tenancies.filter(Q(end_date__gte=start_date))
    if overlapping.exists():
        raise ValidationError(
            {"number": _("Booth %(number)s was held by another merchant after that date.") % {"number": number}}
        )
    save_by(BoothTenancy(mall=mall, booth=booth, merchant=merchant, start_date=start_date), actor)
    booth.merchant = merchant
    save_by(booth, actor, update_fields=["merchant"])
    return booth


@transaction.atomic
def booth_release(*, booth, actor, end_date):
    """The merchant leaves the booth on `end_date` (its last day)."""
    require_role(actor, booth.mall_id, *MERCHANT_EDITORS)
    booth = Booth.objects.select_for_update(of=("self",), no_key=True).get(pk=booth.pk)
    tenancy = booth.tenancies.filter(end_date__isnull=True).first()
    if tenancy is None:
        return booth
    if end_date < tenancy.start_date:
        raise ValidationError({"end_date": _("The booth cannot be left before it was taken.")})
    tenancy.end_date = end_date
    save_by(tenancy, actor, update_fields=["end_date"])
    booth.merchant = None
    save_by(booth, actor, update_fields=["merchant"])
    return booth


def merchant_at(mall, number, day):
    """The merchant that held booth `number` on `day`, for complaints about past purchases."""
    tenancy = (
        BoothTenancy.objects.filter(mall=mall, booth__number=number.strip().upper())
        .on(day)
        .select_related("merchant")
        .first()
    )
    return tenancy.merchant if tenancy else None


def last_day_before(day):
    return day - timedelta(days=1)
