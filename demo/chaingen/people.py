"""A mall's staff, merchants (with booths, tenancies and the deposit collected) and customers."""

from datetime import datetime, timedelta
from decimal import Decimal

from merchants.credit_code import with_check_character

from . import words

# The desk of every generated mall: (username suffix, role). Logins: <mall code>-<suffix>.
MALL_STAFF = (
    ("frontdesk", "front_desk"),
    ("officer1", "complaint_officer"),
    ("officer2", "complaint_officer"),
    ("supervisor", "supervisor"),
    ("manager", "manager"),
    ("clerk", "clerk"),
)
CHAIN_STAFF = (("hq-headoffice", "head_office"), ("hq-admin", "admin"))
MOBILE_PREFIXES = [f"1{p}" for p in (30, 31, 32, 33, 35, 36, 37, 38, 39, 50, 51, 52, 55, 56, 57, 58, 59, 80, 86, 89)]
MERCHANT_CATEGORIES = ("furniture", "building_materials", "soft_furnishings", "lighting", "appliances", "custom")


def person_name(rng):
    return rng.choice(words.SURNAMES) + "".join(rng.choices(words.GIVEN, k=rng.choice((1, 2))))


def add_user(ctx, username, role, mall_id, joined):
    tables = ctx.tables
    user_id = tables["auth_user"].new_id()
    admin = role == "admin"
    tables["auth_user"].add(
        user_id, ctx.password_hash, admin, username, username, "", f"{username}@example.com", admin, True, joined
    )
    tables["servicedesk_staffmembership"].add(
        tables["servicedesk_staffmembership"].new_id(), role, True, joined, mall_id, user_id
    )
    return user_id


def add_chain_staff(ctx):
    return {role: add_user(ctx, name, role, None, ctx.start) for name, role in CHAIN_STAFF}


def add_mall(ctx, plan):
    mall_id = ctx.tables["servicedesk_mall"].new_id()
    ctx.tables["servicedesk_mall"].add(
        mall_id,
        plan.code,
        plan.name,
        plan.city,
        f"{plan.city}市{words.DISTRICTS[plan.index % 10]}1号",
        "",
        "10:00",
        "21:00",
        True,
    )
    staff = {
        suffix: add_user(ctx, f"{plan.code.lower()}-{suffix}", role, mall_id, ctx.start) for suffix, role in MALL_STAFF
    }
    return mall_id, staff


def add_merchants(ctx, plan, mall_id, staff, rng):
    """Merchants with one booth each (a few vacant booths too), the tenancy, and the deposit
    collected at entry. Returns [(merchant id, booth id, brand, status)] and {merchant id: balance}."""
    tables = ctx.tables
    merchants, balances = [], {}
    horizon_day = ctx.horizon.date()
    for n in range(plan.merchants):
        merchant_id = tables["merchants_merchant"].new_id()
        brand = rng.choice(words.BRAND_HEADS) + rng.choice(words.BRAND_TAILS) + f"{n % 97:02d}"
        start = ctx.start.date() - timedelta(days=rng.randint(30, 900))
        status, exited_on, hold_until = "active", None, None
        draw = rng.random()
        if draw < 0.05:
            status = "exit_noticed"
        elif draw < 0.12:
            exited_on = horizon_day - timedelta(days=rng.randint(20, 500))
            hold_until = exited_on + timedelta(days=182)
            status = "deposit_released" if hold_until < horizon_day - timedelta(days=10) else "exited"
        deposit = Decimal(rng.choice((10_000, 20_000, 30_000, 50_000, 100_000)))
        tables["merchants_merchant"].add_record(
            {
                "id": merchant_id,
                "company_name": f"{plan.city}{brand}家居有限公司",
                "brand": brand,
                "credit_code": with_check_character(f"9131{mall_id:05d}{n:08d}"),
                "contact_name": person_name(rng),
                "mobile": f"139{mall_id:04d}{n:04d}"[:11],
                "category": rng.choice(MERCHANT_CATEGORIES),
                "status": status,
                "contract_start": start,
                "contract_end": start + timedelta(days=365 * 5),
                "created_at": datetime.combine(start, datetime.min.time()),
                "mall_id": mall_id,
                "deposit_required": deposit,
                "exit_notice_date": exited_on - timedelta(days=30) if exited_on else None,
                "planned_exit_date": exited_on,
                "exited_on": exited_on,
                "deposit_hold_until": hold_until,
            }
        )
        booth_id = tables["merchants_booth"].new_id()
        tables["merchants_booth"].add(
            booth_id,
            f"{1 + n % 5}F",
            "ABCD"[n % 4],
            f"{1 + n % 5}F-{n:04d}",
            Decimal(rng.randint(40, 400)),
            True,
            mall_id,
            None if exited_on else merchant_id,
        )
        tables["merchants_boothtenancy"].add(
            tables["merchants_boothtenancy"].new_id(), start, exited_on, booth_id, mall_id, merchant_id
        )
        deposit_entry(ctx, mall_id, merchant_id, "collect", deposit, start, "入场收取质量保证金", staff["clerk"])
        balances[merchant_id] = deposit
        merchants.append((merchant_id, booth_id, brand, status, hold_until))
    return merchants, balances


def deposit_entry(ctx, mall_id, merchant_id, kind, amount, day, reason, user_id, source_id=None):
    ctx.tables["merchants_depositentry"].add(
        ctx.tables["merchants_depositentry"].new_id(),
        kind,
        amount,
        day,
        reason,
        source_id,
        datetime.combine(day, datetime.min.time()) + timedelta(hours=11),
        mall_id,
        merchant_id,
        user_id,
        ctx.compensation_type_id if source_id else None,
    )


def release_deposits(ctx, mall_id, merchants, balances, staff, last_deduction):
    """Released merchants get their remaining balance back: the balance ends at exactly 0."""
    for merchant_id, _booth, _brand, status, hold_until in merchants:
        if status == "deposit_released" and balances[merchant_id] > 0:
            day = max(hold_until, last_deduction.get(merchant_id, hold_until)) + timedelta(days=1)
            deposit_entry(
                ctx, mall_id, merchant_id, "release", balances[merchant_id], day, "退还质量保证金", staff["manager"]
            )
            balances[merchant_id] = Decimal(0)


def add_customers(ctx, plan, mall_id, count, rng):
    """`count` customers; mobiles unique within the mall by construction. Returns the id range."""
    table = ctx.tables["servicedesk_customer"]
    first = table.last_id + 1
    created = ctx.start
    for i in range(count):
        prefix = MOBILE_PREFIXES[i % len(MOBILE_PREFIXES)]
        mobile = f"{prefix}{(i // len(MOBILE_PREFIXES) * 7919 + plan.index * 104_729) % 100_000_000:08d}"
        street = f"{rng.choice(words.DISTRICTS)}{rng.randint(1, 999)}号"
        address = f"{plan.city}市{street}{rng.randint(1, 30)}0{rng.randint(1, 4)}室"
        table.add(table.new_id(), person_name(rng), mobile, "", address, "", created, mall_id)
    return first, table.last_id
