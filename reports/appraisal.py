"""The 商场客户服务月考核表: score = weight x min(1, actual / target) per item (DOMAIN.md §8).

An item with nothing to measure in the month (no complaints received, no callbacks due ...)
scores its full weight: nothing was done late. "External escalations" is an "at most 0" item:
its weight less the penalty per escalation, never below zero.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from .models import AppraisalPolicy


@dataclass
class Item:
    key: str
    label: str
    target: Decimal | None
    weight: int
    actual: Decimal | None
    score: Decimal


GRADES = ((90, _("Excellent")), (80, _("Good")), (70, _("Pass")), (0, _("Fail")))


def grade(total):
    for floor, label in GRADES:
        if total >= floor:
            return label
    return GRADES[-1][1]


def item_score(weight, actual, target):
    if actual is None or not target:
        return Decimal(weight)
    return (Decimal(weight) * min(Decimal(1), Decimal(actual) / Decimal(target))).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def appraise(mall, month_figures, spot_check_average=None):
    """Items, total and grade for one mall's month. `month_figures` come from weekly_figures()
    over the month (the sections are period-agnostic)."""
    p = AppraisalPolicy.for_mall(mall)
    f = month_figures
    external = f.get("external", 0)
    rows = [
        (
            "first_response",
            _("First response within 24 h rate"),
            p.first_response_target,
            p.first_response_weight,
            f.get("first_contact_rate"),
        ),
        ("on_time", _("On-time closure rate"), p.on_time_target, p.on_time_weight, f.get("on_time_rate")),
        ("callback", _("Callback completion rate"), p.callback_target, p.callback_weight, f.get("callback_rate")),
        (
            "satisfaction",
            _("Satisfaction rate"),
            p.satisfaction_target,
            p.satisfaction_weight,
            f.get("satisfaction_rate"),
        ),
        ("price_tag", _("Price-tag pass rate"), p.price_tag_target, p.price_tag_weight, f.get("tag_pass_rate")),
        ("recovery", _("Compensation recovery rate"), p.recovery_target, p.recovery_weight, f.get("recovery_rate")),
        ("spot_check", _("Service spot checks (points)"), p.spot_check_target, p.spot_check_weight, spot_check_average),
    ]
    items = [
        Item(key, label, target, weight, actual, item_score(weight, actual, target))
        for key, label, target, weight, actual in rows
    ]
    items.insert(
        4,
        Item(
            "external",
            _("External escalations (count, target 0)"),
            Decimal(0),
            p.external_weight,
            Decimal(external),
            Decimal(max(0, p.external_weight - p.external_penalty * external)),
        ),
    )
    total = sum((item.score for item in items), Decimal(0))
    return {"items": items, "total": total, "grade": grade(total), "policy": p}
