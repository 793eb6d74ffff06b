"""Reads of the reports: which malls a period covers, the rollup, the figures as sent.

Everything here only reads (a replica may serve it); writes are in reports.services.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from servicedesk.models import Mall
from servicedesk.replica import read_replica

from .layout import ROLLUP, fmt, value
from .models import ReportArchive
from .weekly import POLICY_KEYS, total, weekly_figures


def report_malls(user, period):
    """The malls `user` may read that were active on at least one day of `period`, by code.

    A mall made inactive later stays in the periods it was active (its rollup row, its totals)."""
    return Mall.objects.for_user(user).active_during(period).order_by("code")


def report_mall(user, code, period):
    """A mall named in a drill-down link (?mall=SH01), if the user may read it for `period`."""
    return report_malls(user, period).filter(code=code).first()


@read_replica()
def rollup_figures(malls, period):
    """({mall_id: figures}, chain totals) for the malls, in the same handful of grouped queries
    whatever their number."""
    figures = weekly_figures([m.pk for m in malls], period)
    return figures, total(figures.values())


def week_over_week_base(malls, period):
    """The previous week's received, ended and closure rate of each mall and of the chain (the
    rollup's "vs last week"), in one grouped query."""
    from .weekly import intake_counts

    return intake_counts([m.pk for m in malls], period)


def appraisal_sheets(malls, period):
    """[(mall, appraisal)] for a month: its figures, the appraisal settings in force on its
    first day, its spot checks, and whether any booth was let (so inspections were due). A
    fixed number of grouped queries whatever the number of malls."""
    from django.db.models import Q

    from frontdesk.selectors import spot_check_figures
    from merchants.models import BoothTenancy

    from .appraisal import appraise
    from .models import AppraisalPolicy

    ids = [m.pk for m in malls]
    figures = weekly_figures(ids, period)
    policies = AppraisalPolicy.in_force(malls, on=period.first_day)
    spot_checks = spot_check_figures(ids, period.first_day.year, period.first_day.month)
    traded = set(
        BoothTenancy.objects.filter(mall_id__in=ids, start_date__lte=period.last_day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.first_day))
        .values_list("mall_id", flat=True)
        .distinct()
    )
    return [
        (
            mall,
            appraise(
                mall,
                figures[mall.pk],
                policy=policies[mall.pk],
                spot_checks=spot_checks[mall.pk],
                traded=mall.pk in traded,
            ),
        )
        for mall in malls
    ]


def _plain(v):
    if isinstance(v, Decimal):
        return str(v)
    return v


def snapshot(figures):
    """Every figure the report shows, as JSON: what the archive keeps of a report it sent."""
    kept = {line.key: _plain(value(figures, line.key)) for line in ROLLUP}
    kept.update({key: figures.get(key) for key in POLICY_KEYS})
    kept["top_merchants"] = [
        {"rank": m["rank"], "brand": m["brand"], "mall": m["mall"], "n": m["n"]} for m in figures["top_merchants"]
    ]
    kept["top_more"] = figures["top_more"]
    return kept


def rollup_snapshot(malls, figures, totals):
    return {"malls": {m.code: snapshot(figures[m.pk]) for m in malls}, "total": snapshot(totals)}


def sent_report(kind, mall, period):
    """The archived report of the period as it was e-mailed, or None (not sent yet)."""
    return (
        ReportArchive.objects.filter(kind=kind, mall=mall, period_key=period.key, emailed_at__isnull=False)
        .exclude(figures={})
        .first()
    )


def _shown(kept, line):
    raw = kept.get(line.key)
    if raw is None:
        return fmt(None, line.fmt)
    return fmt(Decimal(raw) if line.fmt != "count" else raw, line.fmt)


def differences(sent, figures):
    """[(label, as sent, now)] for every figure whose shown value changed since it was sent."""
    now = snapshot(figures)
    changed = []
    for line in ROLLUP:
        before, after = _shown(sent, line), _shown(now, line)
        if before != after:
            changed.append((line.title(figures), before, after))
    if sent.get("top_merchants") != now["top_merchants"] or sent.get("top_more") != now["top_more"]:
        changed.append((str(_("Merchants with most complaints")), _top_text(sent), _top_text(now)))
    return changed


def rollup_differences(sent, malls, totals):
    """The chain totals' changes, and malls added to or missing from the rollup as sent."""
    changed = differences(sent["total"], totals)
    codes_now = {m.code for m in malls}
    codes_sent = set(sent["malls"])
    return changed, sorted(codes_now - codes_sent), sorted(codes_sent - codes_now)


def _top_text(kept):
    text = "、".join(f"{m['rank']}. {m['brand']} {m['n']}" for m in kept.get("top_merchants") or []) or "—"
    more = kept.get("top_more")
    if more:
        text += f" (+{more['count']} × {more['n']})"
    return text
