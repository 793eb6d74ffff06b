"""The default programme (DOMAIN.md §7) drawn from a mall's opening hours, and the default scripts."""

from dataclasses import dataclass
from datetime import time

from ..models import SlotType

# The starting script library. Titles are the keys: a mall's own edits are never overwritten.
DEFAULT_SCRIPTS = {
    "staff": (
        "员工营业准备提醒",
        SlotType.STAFF,
        "各位员工请注意：商场即将开门营业，请各展位做好营业前的准备工作，整理好仪容仪表和展位卫生，"
        "以饱满的热情迎接顾客的光临。",
        "Attention, all staff: the mall opens shortly. Please get your booth ready, check your appearance "
        "and be ready to welcome our customers.",
    ),
    "welcome": (
        "开业迎宾",
        SlotType.OPENING,
        "尊敬的顾客朋友们，您好！欢迎光临{mall}。本商场客户服务中心位于一楼总台，如您需要咨询、投诉或办理"
        "退换货，请到总台或拨打服务热线{phone}，祝您购物愉快！",
        "Good day and welcome to {mall}. The customer service centre is at the main desk on the first floor; "
        "for enquiries, complaints or returns please come to the desk or call {phone}. Enjoy your visit!",
    ),
    "safety": (
        "安全提示",
        SlotType.SAFETY,
        "顾客朋友们请注意：请照看好随行的老人和儿童，不要让儿童攀爬家具和扶梯；请保管好您的随身物品。"
        "商场内禁止吸烟，如遇紧急情况请听从工作人员指引，沿安全出口有序疏散。",
        "Dear customers, please keep an eye on children and elderly companions, do not let children climb on "
        "furniture or escalators, and look after your belongings. Smoking is not allowed. In an emergency, "
        "follow the staff and leave calmly by the marked exits.",
    ),
    "cashier": (
        "统一收银提示",
        SlotType.CASHIER,
        "顾客朋友们请注意：为保障您的权益，请您在购物后到商场统一收银台付款并索取收银凭证，"
        "切勿将货款直接交给商户或个人，否则商场将无法为您提供先行赔偿等售后保障。",
        "Dear customers, to protect your rights please pay only at the mall's unified cashier and keep your "
        "receipt. Do not pay a merchant or anyone else directly: the mall's guarantees, such as advance "
        "compensation, cover only payments made at the unified cashier.",
    ),
    "closing_first": (
        "闭店提示（第一次）",
        SlotType.CLOSING,
        "顾客朋友们请注意：本商场营业时间即将结束，距离闭店还有{minutes}分钟，请您抓紧时间选购，"
        "并到统一收银台付款。感谢您的光临！",
        "Dear customers, the mall closes in {minutes} minutes. Please finish your shopping and pay at the "
        "unified cashier. Thank you for visiting!",
    ),
    "closing_second": (
        "闭店提示（第二次）",
        SlotType.CLOSING,
        "顾客朋友们请注意：距离闭店还有{minutes}分钟，请您带好随身物品和随行的老人、儿童，准备离场。",
        "Dear customers, the mall closes in {minutes} minutes. Please take your belongings and your companions "
        "with you and make your way to the exits.",
    ),
    "farewell": (
        "闭店送宾",
        SlotType.CLOSING,
        "尊敬的顾客朋友们，今天的营业时间已经结束，感谢您光临{mall}，请带好随身物品从正门离场，欢迎您再次光临，再见！",
        "Dear customers, {mall} is now closing. Thank you for your visit; please take your belongings and leave "
        "by the main entrance. We look forward to seeing you again. Goodbye!",
    ),
}


@dataclass(frozen=True)
class DefaultSlot:
    starts_at: time
    ends_at: time
    slot_type: str
    script_key: str


def _minutes(value):
    return value.hour * 60 + value.minute


def _time(minutes):
    return time(minutes // 60, minutes % 60)


def _overlaps(start, end, taken):
    return any(start < other_end and other_start < end for other_start, other_end, *_rest in taken)


def default_slots(opens_at, closes_at, policy):
    """The default day: staff reminder before opening, welcome at opening, hourly safety (on the
    hour) and cashier (on the half hour) reminders, two closing notices, and the farewell, which
    plays the last minutes up to closing so it stays inside opening hours. Hourly reminders that
    would clash with a fixed slot are left out."""
    opens, closes, length = _minutes(opens_at), _minutes(closes_at), policy.slot_minutes
    staff_start = max(0, opens - policy.staff_reminder_minutes)
    fixed = [
        (staff_start, min(staff_start + length, opens), SlotType.STAFF, "staff"),
        (opens, opens + length, SlotType.OPENING, "welcome"),
        (
            closes - policy.first_closing_notice_minutes,
            closes - policy.first_closing_notice_minutes + length,
            SlotType.CLOSING,
            "closing_first",
        ),
        (
            closes - policy.second_closing_notice_minutes,
            closes - policy.second_closing_notice_minutes + length,
            SlotType.CLOSING,
            "closing_second",
        ),
        (closes - length, closes, SlotType.CLOSING, "farewell"),
    ]
    # A short day or long slots can make fixed slots clash too: keep the earlier-listed one.
    taken = []
    for slot in fixed:
        start, end = slot[0], slot[1]
        if start < end and not _overlaps(start, end, taken):
            taken.append(slot)
    hour = (opens // 60 + 1) * 60
    while hour < closes:
        for start, slot_type, key in ((hour, SlotType.SAFETY, "safety"), (hour + 30, SlotType.CASHIER, "cashier")):
            end = start + length
            if start >= opens and end <= closes and not _overlaps(start, end, taken):
                taken.append((start, end, slot_type, key))
        hour += 60
    return [DefaultSlot(_time(s), _time(e), t, k) for s, e, t, k in sorted(taken)]
