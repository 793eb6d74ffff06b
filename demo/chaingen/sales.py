"""A mall's sales from the unified cashier and their callbacks (after-sale, warranty-ending),
as the daily scheduling would have made them, with the calls made so far."""

from datetime import datetime, timedelta
from decimal import Decimal

from followups.services.rows import add_months

from . import words

H = timedelta(hours=1)
DONE_OUTCOMES = ("satisfied", "satisfied", "satisfied", "mostly_satisfied", "unsatisfied")


def add_sales(ctx, plan, mall, rng):
    sales = ctx.tables["followups_sale"]
    start_day, horizon_day = ctx.start.date(), ctx.horizon.date()
    days = (horizon_day - start_day).days
    active = [m for m in mall.merchants if m[3] in ("active", "exit_noticed")] or mall.merchants
    low, high = mall.customers
    for _ in range(plan.sales):
        sale_id = sales.new_id()
        day = start_day + timedelta(days=int(days * rng.random() ** 0.8))
        paid = datetime.combine(day, datetime.min.time()) + timedelta(seconds=36000 + rng.randrange(39600))
        merchant_id, booth_id, *_rest = rng.choice(active)
        goods, code = rng.choice(words.GOODS)
        delivered = day + timedelta(days=rng.randint(1, 20)) if rng.random() < 0.9 else None
        months = 12 if rng.random() < 0.8 else rng.choice((24, 36))
        ends = add_months(delivered, months) if delivered else None
        customer_id = rng.randint(low, high)
        sales.add(
            sale_id,
            f"XS{day:%Y%m%d}{sale_id:09d}",
            paid,
            goods,
            f"{code}-{rng.randint(1, 99)}",
            1,
            Decimal(rng.randint(200, 30000)),
            delivered,
            months,
            ends,
            paid + 20 * H,
            booth_id,
            customer_id,
            mall.id,
            merchant_id,
        )
        if delivered and delivered < horizon_day:
            _callback(
                ctx,
                mall,
                rng,
                "after_sale",
                sale_id,
                customer_id,
                delivered + timedelta(days=1),
                delivered + timedelta(days=7),
            )
        if ends and start_day <= ends - timedelta(days=30) <= horizon_day:
            _callback(
                ctx, mall, rng, "warranty", sale_id, customer_id, ends - timedelta(days=30), ends - timedelta(days=1)
            )


def _callback(ctx, mall, rng, kind, sale_id, customer_id, due, deadline):
    """One callback per sale and kind (the unique key the scheduling relies on). Calls were made
    from the due day on; the ones whose last call would fall after the horizon are still open."""
    table = ctx.tables["followups_callback"]
    attempts_table = ctx.tables["followups_callbackattempt"]
    callback_id = table.new_id()
    assignee = mall.staff["officer1"] if callback_id % 2 else mall.staff["officer2"]
    created = datetime.combine(due, datetime.min.time()) + 2 * H
    draw = rng.random()
    calls = 1 if draw < 0.85 else 2 if draw < 0.93 else 3
    reached = draw < 0.95
    if not reached:
        calls = 3  # unreachable only after every attempt the plan allows
    first = created + rng.uniform(8, 30) * H
    times = [first + n * rng.uniform(3, 20) * H for n in range(calls)]
    if times[-1] >= ctx.horizon:
        table.add(
            callback_id,
            kind,
            0,
            due,
            deadline,
            "open",
            0,
            None,
            "",
            "",
            None,
            None,
            created,
            assignee,
            None,
            customer_id,
            mall.id,
            sale_id,
        )
        return
    outcome = rng.choice(DONE_OUTCOMES) if reached else "not_reached"
    status = "done" if reached else "unreachable"
    table.add(
        callback_id,
        kind,
        0,
        due,
        deadline,
        status,
        calls,
        first,
        outcome,
        "",
        times[-1],
        None,
        created,
        assignee,
        None,
        customer_id,
        mall.id,
        sale_id,
    )
    for number, made in enumerate(times, start=1):
        said = outcome if number == calls else "not_reached"
        attempts_table.add(attempts_table.new_id(), number, made, said, "", callback_id, assignee)
