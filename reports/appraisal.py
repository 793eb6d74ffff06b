"""The 商场客户服务月考核表 (DOMAIN.md §8): score = weight x min(1, actual / target) per item.

Three kinds of item (docs/reports.md, "月考核表"):
- measured: there was something to measure; scored as above ("external escalations" is an "at
  most 0" item: its weight less the penalty per referral, never below zero);
- duty not done: the desk had a duty and did not perform it (no price-tag inspections while
  booths traded, no service spot checks in a month the mall traded, callbacks due but none
  made): scores 0, its weight counts;
- no data: nothing to measure (no complaints received, no payouts ...): shown as "no data", and
  its weight is spread over the other items in proportion to their weights.
A month with nothing measured at all has no total and no grade.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
MEASURED, NO_DATA, NOT_DONE = "measured", "no_data", "not_done"
# Items measured in their own units rather than in percent.
COUNTED_ITEMS = {"external", "spot_check"}


@dataclass
class Item:
    key: str
    label: str
    target: Decimal | None
    weight: int
    actual: Decimal | None
    status: str
    fraction: Decimal | None = None  # of the weight earned (0-1); None without data
    effective_weight: Decimal | None = None  # the weight after spreading the no-data items'
    score: Decimal | None = None
    detail: str = ""  # how the actual figure is made up (satisfaction: phone and survey answers)

    @property
    def no_data(self):
        return self.status == NO_DATA

    @property
    def is_rate(self):
        """Target and actual are percentages (the external count and the spot-check points are not)."""
        return self.key not in COUNTED_ITEMS

    @property
    def not_done(self):
        return self.status == NOT_DONE


GRADES = ((90, _("Excellent")), (80, _("Good")), (70, _("Pass")), (0, _("Fail")))


def grade(total):
    if total is None:
        return None
    for floor, label in GRADES:
        if total >= floor:
            return label
    return GRADES[-1][1]


def fraction(actual, target):
    """min(1, actual / target) as a Decimal; a target of 0 is always met."""
    if not target:
        return Decimal(1)
    return min(Decimal(1), Decimal(actual) / Decimal(target))


def item_score(weight, actual, target):
    """weight x min(1, actual / target), two places (a measured item at its own weight)."""
    return (Decimal(weight) * fraction(actual, target)).quantize(CENT, rounding=ROUND_HALF_UP)


def _rated(key, label, target, weight, actual, *, measured, duty):
    """A rate item: measured when there is something to measure; else 0 when the duty was not
    done, else no data."""
    if measured and actual is not None:
        return Item(key, label, target, weight, actual, MEASURED, fraction(actual, target))
    if duty:
        return Item(key, label, target, weight, None, NOT_DONE, Decimal(0))
    return Item(key, label, target, weight, None, NO_DATA)


def appraise(mall, f, *, policy, spot_checks=(0, None), traded=True):
    """Items, total and grade of one mall's month.

    `f`: the month's figures from weekly_figures() (the sections work for any period);
    `policy`: the AppraisalPolicy in force on the month's first day; `spot_checks`: (number,
    average score) of the month's service spot checks; `traded`: some booth was let during the
    month (the mall was open for business, so inspections and spot checks were due)."""
    p = policy
    spot_count, spot_average = spot_checks
    hours = f.get("first_contact_hours")
    first_response_label = (
        _("First response in time (within %(hours)s h)") % {"hours": hours}
        if hours is not None
        else _("First response in time")
    )
    external = f.get("external", 0)
    handled = f.get("carried_in", 0) + f.get("received", 0)
    items = [
        _rated(
            "first_response",
            first_response_label,
            p.first_response_target,
            p.first_response_weight,
            f.get("first_contact_rate"),
            measured=f.get("received", 0) > 0,
            duty=False,
        ),
        _rated(
            "on_time",
            _("On-time closure rate"),
            p.on_time_target,
            p.on_time_weight,
            f.get("on_time_rate"),
            measured=f.get("ended_resolved", 0) > 0,
            duty=False,
        ),
        _rated(
            "callback",
            _("Callback completion rate"),
            p.callback_target,
            p.callback_weight,
            f.get("callback_rate"),
            measured=f.get("callbacks_due", 0) > 0,
            duty=False,
        ),
        _rated(
            "satisfaction",
            _("Satisfaction rate"),
            p.satisfaction_target,
            p.satisfaction_weight,
            f.get("satisfaction_rate"),
            measured=f.get("callbacks_reached", 0) > 0,
            duty=f.get("callbacks_due", 0) > 0 and f.get("callbacks_done", 0) == 0,
        ),
    ]
    if f.get("callbacks_reached", 0):
        items[-1].detail = _(
            "K′ %(reached)s: %(phone)s by phone or visit (%(phone_satisfied)s satisfied), "
            "%(survey)s by the survey link (%(survey_satisfied)s satisfied)"
        ) % {
            "reached": f["callbacks_reached"],
            "phone": f.get("callbacks_reached_phone", 0),
            "phone_satisfied": f.get("callbacks_satisfied_phone", 0),
            "survey": f.get("callbacks_reached_survey", 0),
            "survey_satisfied": f.get("callbacks_satisfied_survey", 0),
        }
    if handled or external:
        left = max(0, p.external_weight - p.external_penalty * external)
        share = Decimal(left) / Decimal(p.external_weight) if p.external_weight else Decimal(1)
        items.append(
            Item(
                "external",
                _("External escalations (count, target 0)"),
                Decimal(0),
                p.external_weight,
                Decimal(external),
                MEASURED,
                share,
            )
        )
    else:
        items.append(
            Item("external", _("External escalations (count, target 0)"), Decimal(0), p.external_weight, None, NO_DATA)
        )
    items += [
        _rated(
            "price_tag",
            _("Price-tag pass rate"),
            p.price_tag_target,
            p.price_tag_weight,
            f.get("tag_pass_rate"),
            measured=f.get("tags_checked", 0) > 0,
            duty=traded,
        ),
        _rated(
            "recovery",
            _("Compensation recovery rate"),
            p.recovery_target,
            p.recovery_weight,
            f.get("recovery_rate"),
            measured=f.get("compensation_paid_amount", 0) > 0,
            duty=False,
        ),
        _rated(
            "spot_check",
            _("Service spot checks (points)"),
            p.spot_check_target,
            p.spot_check_weight,
            spot_average,
            measured=spot_count > 0 and spot_average is not None,
            duty=traded,
        ),
    ]
    counted = [item for item in items if not item.no_data]
    all_weights = sum(item.weight for item in items)
    counted_weights = sum(item.weight for item in counted)
    spread = sum(item.weight for item in items if item.no_data)
    if not counted or not counted_weights:
        return {"items": items, "total": None, "grade": None, "spread": spread, "nothing_measured": True, "policy": p}
    exact_total = Decimal(0)
    for item in counted:
        weight = Decimal(item.weight) * all_weights / counted_weights
        item.effective_weight = weight.quantize(CENT, rounding=ROUND_HALF_UP)
        item.score = (weight * item.fraction).quantize(CENT, rounding=ROUND_HALF_UP)
        exact_total += weight * item.fraction
    # Rounded once, at the end: the items are shown to two places, the total is not their sum
    # of roundings (a perfect month is 100.00, never 99.99).
    total = exact_total.quantize(CENT, rounding=ROUND_HALF_UP)
    return {
        "items": items,
        "total": total,
        "grade": grade(total),
        "spread": spread,
        "no_data_items": [item for item in items if item.no_data],
        "nothing_measured": False,
        "policy": p,
    }
