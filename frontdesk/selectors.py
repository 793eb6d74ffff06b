"""Reads other parts of the desk rely on: the dashboard's enquiry counts and the monthly
appraisal's spot-check item (DOMAIN.md §8: service spot checks >= 90 points, weight 10)."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count

from .models import Channel, Enquiry, EnquiryTopic, SpotCheck


def spot_check_average(mall, year, month):
    """The month's average spot-check score (Decimal, 0-100, two places) or None without checks.

    Months are calendar months in the mall's time zone (Asia/Shanghai)."""
    average = SpotCheck.objects.for_mall(mall).in_month(year, month).aggregate(avg=Avg("score"))["avg"]
    if average is None:
        return None
    return Decimal(average).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def enquiry_counts(mall, day):
    """{"total": n, "by_channel": {channel: n}, "by_topic": [(label, n), ...]} for one day. Two queries."""
    enquiries = Enquiry.objects.for_mall(mall).on_day(day)
    by_channel = dict.fromkeys(Channel.values, 0)
    by_channel.update(dict(enquiries.values_list("channel").annotate(n=Count("pk")).order_by()))
    topics = dict(enquiries.values_list("topic").annotate(n=Count("pk")).order_by())
    by_topic = [(EnquiryTopic(topic).label, n) for topic, n in sorted(topics.items(), key=lambda kv: -kv[1])]
    return {"total": sum(by_channel.values()), "by_channel": by_channel, "by_topic": by_topic}


def spot_check_figures(mall_ids, year, month):
    """{mall_id: (number of checks, average score or None)} for the month, all malls in one
    grouped query (the head-office appraisal of every mall)."""
    rows = (
        SpotCheck.objects.filter(mall_id__in=list(mall_ids))
        .in_month(year, month)
        .values("mall_id")
        .annotate(n=Count("pk"), avg=Avg("score"))
    )
    found = {
        row["mall_id"]: (row["n"], Decimal(row["avg"]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
        for row in rows
    }
    return {mall_id: found.get(mall_id, (0, None)) for mall_id in mall_ids}
