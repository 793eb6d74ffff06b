"""A mall's complaints with their clocks, handling log and service callbacks; the advance
compensations that grow out of escalated ones (approvals, payout, deposit deduction); returns."""

import json
from datetime import datetime, timedelta
from decimal import Decimal

from . import words

H = timedelta(hours=1)
CHANNELS = (
    ("walk_in", 45),
    ("phone", 30),
    ("12315", 8),
    ("12345", 5),
    ("online", 5),
    ("letter", 2),
    ("council", 2),
    ("media", 1),
    ("head_office", 2),
)
CATEGORIES = (
    ("Q", 25),
    ("D", 12),
    ("I", 12),
    ("S", 12),
    ("E", 5),
    ("P", 4),
    ("M", 3),
    ("C", 5),
    ("X", 6),
    ("R", 6),
    ("A", 5),
    ("K", 2),
    ("G", 1),
    ("F", 1),
    ("O", 1),
)
DEMANDS = (("repair", 30), ("exchange", 20), ("return", 25), ("compensation", 15), ("apology", 5), ("other", 5))
RESULTS = ("repaired", "exchanged", "returned", "compensated", "explained")
# The happy path: (timestamp field, status once it is set, hours after the previous step).
STAGES = (
    ("first_contact_at", None, (0.2, 20)),
    ("assigned_at", "assigned", (0.5, 24)),
    ("forwarded_at", "with_merchant", (1, 48)),
    ("merchant_replied_at", None, (4, 110)),
    ("proposed_at", "proposed", (2, 60)),
    ("resolved_at", "resolved", (2, 40)),
    ("callback_at", "called_back", (24, 60)),
    ("closed_at", "closed", (1, 40)),
)
ORDERED_TIMES = ("received_at", *(field for field, _status, _hours in STAGES))
# Side exits: (after which step, status, probability).
EXITS = {"assigned_at": ("not_accepted", 0.04), "forwarded_at": ("withdrawn", 0.04)}
# Clocks: (kind, started from, hours allowed, the step that stops it).
CLOCKS = (
    ("first_contact", "received_at", 24, "first_contact_at"),
    ("assignment", "received_at", 24, "assigned_at"),
    ("merchant_reply", "forwarded_at", 120, "merchant_replied_at"),
    ("resolution", "received_at", 168, "resolved_at"),
    ("callback", "resolved_at", 72, "callback_at"),
)


def weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def received_times(ctx, count, rng):
    """Sorted intake times: more recent years busier (the chain grows), opening hours only."""
    days = (ctx.horizon - ctx.start).days
    times = []
    for _ in range(count):
        day = ctx.start + timedelta(days=int(days * rng.random() ** 0.8))
        times.append(day + timedelta(hours=10, seconds=rng.randrange(11 * 3600)))
    times.sort()
    return times


def progress(ctx, complaint, rng, escalate_p):
    """Walk the happy path until the generation horizon; maybe leave it by a side exit."""
    t = complaint["received_at"]
    face_to_face = complaint["channel"] in ("walk_in", "phone")
    status = "registered"
    for field, new_status, (low, high) in STAGES:
        step = t if field == "first_contact_at" and face_to_face else t + rng.uniform(low, high) * H
        if step >= ctx.horizon:
            break
        t = complaint[field] = step
        status = new_status or status
        if field == "merchant_replied_at":
            escalated = complaint["merchant_id"] and rng.random() < escalate_p
            complaint["merchant_reply"] = "refuses" if escalated else "agrees"
            complaint["merchant_reply_text"] = words.ENTRY_TEXTS["merchant_replied"]
            if escalated:
                return _exit(complaint, "escalated", t + rng.uniform(1, 24) * H, ctx, status, needs_escalation=True)
        if field == "resolved_at":
            complaint["result"] = rng.choice(RESULTS)
            complaint["customer_agreement"] = "顾客同意"
        if field == "callback_at":
            complaint["callback_response"] = "satisfied" if rng.random() < 0.9 else "mostly_satisfied"
        exit_rule = EXITS.get(field)
        if exit_rule and rng.random() < exit_rule[1]:
            return _exit(complaint, exit_rule[0], t + rng.uniform(1, 48) * H, ctx, status)
    complaint["status"] = status
    return t if status == "closed" else None


def _exit(complaint, status, when, ctx, current, needs_escalation=False):
    """Leave the happy path at `when`, unless that is still to come (then it is where it got)."""
    if when >= ctx.horizon:
        complaint["status"] = current
        return None
    complaint["status"] = status
    complaint["closed_at"] = when  # ended here: counts as closed in the reports, as the services do
    complaint["decision_note"] = "顾客撤回投诉" if status == "withdrawn" else "转先行赔偿审核"
    if status == "not_accepted":
        complaint["not_accepted_reason"] = "not_bought_here"
        complaint["decision_note"] = "非本商场购买"
    complaint["needs_escalation"] = needs_escalation
    return when


def add_complaints(ctx, plan, mall, rng, on_escalated):
    """Complaints for one mall, numbered per day in time order. `on_escalated(complaint, when)`
    proposes the advance compensation. Returns the complaint ids (for returns' customers)."""
    tables = ctx.tables
    table = tables["complaints_complaint"]
    escalate_p = min(0.5, plan.compensations / max(plan.complaints * 0.9, 1))
    officers = (mall.staff["officer1"], mall.staff["officer2"])
    for received in received_times(ctx, plan.complaints, rng):
        complaint_id = table.new_id()
        merchant_id, booth_id, *_rest = rng.choice(mall.merchants)
        if rng.random() < 0.05:
            merchant_id = booth_id = None
        goods, model_code = rng.choice(words.GOODS)
        category, demand = weighted(rng, CATEGORIES), weighted(rng, DEMANDS)
        purchase = received.date() - timedelta(days=rng.randint(3, 400))
        complaint = {
            "id": complaint_id,
            "number": ctx.next_number("TS", mall, received.date()),
            "channel": weighted(rng, CHANNELS),
            "received_at": received,
            "purchase_date": purchase,
            "voucher_number": f"XS{purchase:%Y%m%d}{rng.randrange(10**6):06d}",
            "goods": goods,
            "goods_model": f"{model_code}-{rng.randint(1, 99)}",
            "purchase_amount": Decimal(rng.randint(500, 30000)),
            "delivery_date": purchase + timedelta(days=rng.randint(1, 20)),
            "category": category,
            "category_other": "其他问题" if category == "O" else "",
            "demand": demand,
            "demand_other": "其他要求" if demand == "other" else "",
            "facts": rng.choice(words.FACTS).format(n=rng.randint(2, 9)),
            "claimed_amount": Decimal(rng.randint(100, 30000)) if demand == "compensation" else None,
            "created_at": received,
            "assignee_id": None,
            "booth_id": booth_id,
            "customer_id": rng.randint(*mall.customers),
            "mall_id": mall.id,
            "merchant_id": merchant_id,
            "registered_by_id": mall.staff["frontdesk"],
            "official_visit": False,
        }
        complaint["official_visit"] = complaint["channel"] == "media"
        ended = progress(ctx, complaint, rng, escalate_p)
        if complaint.get("assigned_at"):
            complaint["assignee_id"] = officers[complaint_id % 2]
        table.add_record(complaint)
        _clocks(ctx, complaint, ended)
        _log(ctx, complaint, mall)
        _service_callback(ctx, complaint, mall)
        if complaint["status"] == "escalated":
            on_escalated(complaint, ended)


def _clocks(ctx, complaint, ended):
    """One row per clock that started; the ones still running have no `met_at`. A case that
    ended (closed, not accepted, withdrawn, escalated) stops every clock when it ended."""
    table = ctx.tables["complaints_complaintdeadline"]
    for kind, start_field, hours, stop_field in CLOCKS:
        started = complaint.get(start_field)
        if started is None:
            continue
        met = complaint.get(stop_field) or ended
        table.add(table.new_id(), kind, started, started + hours * H, met, complaint["id"])


def _log(ctx, complaint, mall):
    table = ctx.tables["complaints_handlingentry"]
    author = complaint["assignee_id"] or mall.staff["frontdesk"]
    for field, _status, _hours in STAGES:
        when = complaint.get(field)
        if when is None:
            continue
        key = field.removesuffix("_at")
        kind = {"first_contact": "call", "merchant_replied": "merchant", "called_back": "call"}.get(key, "action")
        table.add(table.new_id(), kind, when, words.ENTRY_TEXTS.get(key, "处理"), when, author, complaint["id"])


def _service_callback(ctx, complaint, mall):
    """The callback the daily scheduling makes the day after resolution (DOMAIN.md §6): the
    complaint's one callback record, so a called-back complaint's response is written here
    (`callback_at` and `callback_response` are the generator's own notes, not columns)."""
    resolved = complaint.get("resolved_at")
    if resolved is None or resolved.date() >= ctx.horizon.date():
        return
    table = ctx.tables["followups_callback"]
    callback_id = table.new_id()
    due = resolved.date() + timedelta(days=1)
    called = complaint.get("callback_at")
    assignee = complaint["assignee_id"]
    created = datetime.combine(due, datetime.min.time()) + 2 * H
    if called:
        table.add(
            callback_id,
            "service",
            0,
            due,
            due + timedelta(days=2),
            "done",
            1,
            called,
            complaint["callback_response"],
            "",
            called,
            None,
            created,
            assignee,
            complaint["id"],
            complaint["customer_id"],
            complaint["mall_id"],
            None,
        )
        ctx.tables["followups_callbackattempt"].add(
            ctx.tables["followups_callbackattempt"].new_id(),
            1,
            called,
            complaint["callback_response"],
            "",
            callback_id,
            assignee,
        )
    else:
        table.add(
            callback_id,
            "service",
            0,
            due,
            due + timedelta(days=2),
            "open",
            0,
            None,
            "",
            "",
            None,
            None,
            created,
            assignee,
            complaint["id"],
            complaint["customer_id"],
            complaint["mall_id"],
            None,
        )


def add_compensation(ctx, mall, complaint, escalated_at, rng):
    """The advance compensation of an escalated complaint, as far as the horizon lets it get."""
    tables = ctx.tables
    proposed = escalated_at + rng.uniform(1, 24) * H
    if proposed >= ctx.horizon:
        return
    comp_id = tables["compensations_compensation"].new_id()
    merchant_id = complaint["merchant_id"]
    amount = Decimal(round(min(max(rng.lognormvariate(8.0, 1.0), 200), 200_000), -1)).quantize(Decimal("0.01"))
    chain = ["manager"]
    if amount > 5000:
        chain.append("general_manager")
    if amount > 50000:
        chain.append("head_office")
    record = {
        "id": comp_id,
        "number": ctx.next_number("PC", mall, proposed.date()),
        "status": "proposed",
        "reason": rng.choice(("quality", "delivery_delay", "installation", "merchant_gone", "service")),
        "loss_price": (amount * Decimal(rng.uniform(1.0, 1.3))).quantize(Decimal("0.01")),
        "amount": amount,
        "merchant_position": "商户拒绝处理",
        "deposit_balance_at_proposal": mall.balances[merchant_id],
        "proposed_at": proposed,
        "tier": chain[-1],
        "chain": json.dumps(chain),
        "created_at": proposed,
        "complaint_id": complaint["id"],
        "mall_id": mall.id,
        "merchant_id": merchant_id,
        "proposed_by_id": complaint["assignee_id"] or mall.staff["officer1"],
    }
    t = proposed
    for step, tier in enumerate(chain, start=1):
        decided = t + rng.uniform(4, 60) * H
        if decided >= ctx.horizon:
            record.update(next_tier=tier, waiting_since=t)
            tables["compensations_compensation"].add_record(record)
            return
        rejected = step == 1 and rng.random() < 0.08
        approver = mall.staff["manager"] if tier == "manager" else ctx.chain_staff["head_office"]
        tables["compensations_compensationapproval"].add(
            tables["compensations_compensationapproval"].new_id(),
            step,
            tier,
            "rejected" if rejected else "approved",
            decided,
            "",
            approver,
            comp_id,
        )
        t = decided
        if rejected:
            record.update(status="rejected", rejected_at=t)
            tables["compensations_compensation"].add_record(record)
            return
    record.update(status="approved", approved_at=t, payment_due_on=t.date() + timedelta(days=5))
    paid = t + rng.uniform(4, 72) * H
    if paid < ctx.horizon:
        record.update(
            paid_at=paid, paid_by_id=mall.staff["manager"], payment_method="original_route", claim_assigned=True
        )
        _recover(ctx, mall, record, paid, rng)
    tables["compensations_compensation"].add_record(record)


def _recover(ctx, mall, record, paid, rng):
    """Deduct what the deposit can cover (never below zero); the rest stays owed."""
    merchant_id, amount = record["merchant_id"], record["amount"]
    deducted = min(amount, mall.balances[merchant_id])
    record["status"] = "recovering"
    if deducted > 0:
        mall.balances[merchant_id] -= deducted
        day = paid.date()
        mall.last_deduction[merchant_id] = max(day, mall.last_deduction.get(merchant_id, day))
        from .people import deposit_entry

        deposit_entry(
            ctx,
            mall.id,
            merchant_id,
            "deduct",
            deducted,
            day,
            f"先行赔偿 {record['number']}",
            mall.staff["manager"],
            source_id=record["id"],
        )
        table = ctx.tables["compensations_compensationrecovery"]
        table.add(table.new_id(), "deposit", deducted, day, "", paid, record["id"], mall.staff["manager"])
        record["recovered_amount"] = deducted
        record["status"] = "recovered" if deducted == amount else "partly_recovered"
    closed = paid + rng.uniform(24, 240) * H
    if record["status"] == "recovered" and closed < ctx.horizon:
        record.update(status="closed", closed_at=closed)


RETURN_STEPS = (("checked", 2), ("approved", 24), ("goods_received", 72), ("refunded", 96), ("closed", 24))


def add_returns(ctx, plan, mall, rng):
    table = ctx.tables["returns_returnrequest"]
    days = (ctx.horizon - ctx.start).days
    for _ in range(plan.returns):
        requested = (ctx.start + timedelta(days=int(days * rng.random() ** 0.8))).date()
        registered = datetime.combine(requested, datetime.min.time()) + timedelta(hours=10 + rng.random() * 10)
        merchant_id, booth_id, *_rest = rng.choice(mall.merchants)
        goods, code = rng.choice(words.GOODS)
        paid_on = requested - timedelta(days=rng.randint(2, 10))
        price = Decimal(rng.randint(300, 20000))
        record = {
            "id": table.new_id(),
            "number": ctx.next_number("TH", mall, requested),
            "status": "requested",
            "kind": "no_reason",
            "requested_on": requested,
            "registered_at": registered,
            "voucher_number": f"XS{paid_on:%Y%m%d}{rng.randrange(10**6):06d}",
            "goods": goods,
            "model": f"{code}-{rng.randint(1, 99)}",
            "price_paid": price,
            "payment_date": paid_on,
            "delivery_date": paid_on + timedelta(days=rng.randint(0, 1)),
            "booth_id": booth_id,
            "customer_id": rng.randint(*mall.customers),
            "mall_id": mall.id,
            "merchant_id": merchant_id,
            "registered_by_id": mall.staff["frontdesk"],
        }
        t = registered
        refuse = rng.random() < 0.12
        for status, hours in RETURN_STEPS:
            t = t + rng.uniform(0.5, 1.5) * hours * H
            if t >= ctx.horizon:
                break
            record["status"] = status
            if status == "checked":
                record["eligible"] = not refuse
                if refuse:
                    record.update(custom_made=True, ineligibility_reasons='["custom_made"]')
            elif status == "approved":
                record.update(decided_at=t, decided_by_id=mall.staff["supervisor"], merchant_agrees=True)
                if refuse:
                    record.update(status="refused", refusal_reason="定制商品不适用七天无理由退货")
                    break
            elif status == "goods_received":
                record["goods_received_on"] = t.date()
            elif status == "refunded":
                record.update(refund_amount=price, refund_method="original", refunded_at=t)
            elif status == "closed":
                record["closed_at"] = t
        table.add_record(record)
