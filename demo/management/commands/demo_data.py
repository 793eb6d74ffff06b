"""Load the demo malls, merchants and users. Safe to run again: it changes nothing the second time."""

from datetime import date, time
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from merchants.credit_code import with_check_character
from merchants.models import Booth, BoothTenancy, DepositEntry, EntryKind, Merchant, MerchantCategory, MerchantStatus
from servicedesk.models import POLICY_EPOCH, Mall, StaffMembership
from servicedesk.roles import Role
from servicedesk.services import membership_grant

from ._demo_cases import load_demo_cases
from ._demo_exchanges import load_demo_exchanges_and_run

MALLS = [
    {
        "code": "SH01",
        "name": "上海真北商场",
        "city": "上海",
        "address": "上海市普陀区真北路1108号",
        "service_phone": "021-52700000",
        "opens_at": time(10, 0),
        "closes_at": time(21, 0),
    },
    {
        "code": "WX01",
        "name": "无锡商场",
        "city": "无锡",
        "address": "无锡市梁溪区通扬路88号",
        "service_phone": "0510-82700000",
        "opens_at": time(9, 30),
        "closes_at": time(21, 0),
    },
]

F, B, S, L, C = (
    MerchantCategory.FURNITURE,
    MerchantCategory.BUILDING_MATERIALS,
    MerchantCategory.SOFT_FURNISHINGS,
    MerchantCategory.LIGHTING,
    MerchantCategory.CUSTOM,
)
# (mall, brand, company, category, floor, zone, booth)
MERCHANTS = [
    ("SH01", "梵居沙发", "上海梵居家具有限公司", F, "1F", "A", "1F-A-008"),
    ("SH01", "木语实木", "上海木语家居有限公司", F, "2F", "B", "2F-B-015"),
    ("SH01", "简一定制", "上海简一定制家居有限公司", C, "3F", "A", "3F-A-002"),
    ("SH01", "雅帘软装", "上海雅帘软装设计有限公司", S, "4F", "C", "4F-C-021"),
    ("SH01", "明灯照明", "上海明灯照明电器有限公司", L, "4F", "D", "4F-D-006"),
    ("SH01", "石纹瓷砖", "上海石纹建材有限公司", B, "B1", "A", "B1-A-011"),
    ("SH01", "安睡床垫", "上海安睡寝具有限公司", F, "2F", "C", "2F-C-003"),
    ("WX01", "锦绣家纺", "无锡锦绣家纺有限公司", S, "1F", "A", "1F-A-005"),
    ("WX01", "北欧印象", "无锡北欧印象家具有限公司", F, "2F", "A", "2F-A-012"),
    ("WX01", "匠心橱柜", "无锡匠心橱柜有限公司", C, "3F", "B", "3F-B-007"),
    ("WX01", "水韵卫浴", "无锡水韵卫浴有限公司", B, "B1", "B", "B1-B-001"),
    ("WX01", "清风地板", "无锡清风地板有限公司", B, "B1", "C", "B1-C-009"),
]

DAY_MINUTES = 24 * 60

# username: (full name, role, mall code or None for the whole chain)
USERS = {
    "frontdesk": ("王前台", Role.FRONT_DESK, "SH01"),
    "officer": ("李专员", Role.COMPLAINT_OFFICER, "SH01"),
    "pricetag": ("赵标价", Role.PRICE_TAG_OFFICER, "SH01"),
    "clerk": ("孙内勤", Role.CLERK, "SH01"),
    "supervisor": ("周主管", Role.SUPERVISOR, "SH01"),
    "manager": ("吴经理", Role.MANAGER, "SH01"),
    # The van's driver (issue #21): today's run on /drivers/today/, best on a phone.
    "driver": ("钱师傅", Role.DRIVER, "SH01"),
    "headoffice": ("郑督查", Role.HEAD_OFFICE, None),
    # A compensation above 50,000 yuan needs two head-office signatures from different people.
    "headoffice2": ("冯审批", Role.HEAD_OFFICE, None),
    "admin": ("系统管理员", Role.ADMIN, None),
}

# The merchant portal's demo login (issue #19): a user of 梵居沙发 (SH01, booth 1F-A-008, whose
# complaint the demo forwards), signed in with its mobile as the user name, like every merchant user.
MERCHANT_LOGIN = {"mall": "SH01", "brand": "梵居沙发", "mobile": "13900000001", "name": "陈店长"}


class Command(BaseCommand):
    help = "Load demo malls, merchants with booths, and the demo users (only with DEBUG on)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-cases",
            action="store_true",
            help="Malls, merchants and users only: no complaints, returns, sales or callbacks (browser tests).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_data only runs with DEBUG=true: it creates users with a published password.")
        with transaction.atomic():
            malls = self._malls()
            admin = self._users(malls)
            self._merchants(malls, admin)
            self._merchant_user(malls)
            users = {u.username: u for u in get_user_model().objects.filter(username__in=USERS)}
            if not options["without_cases"]:
                load_demo_cases(malls["SH01"], users)
                load_demo_exchanges_and_run(malls["SH01"], users)
            self._broadcast_programme(malls)
            self._demo_frontdesk_policy(malls)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Demo logins (password {settings.DEMO_PASSWORD}): " + ", ".join(USERS))
        self.stdout.write(f"Merchant portal (/merchant/): {MERCHANT_LOGIN['mobile']}, same password")

    def _merchant_user(self, malls):
        from merchants.models import MerchantUser

        merchant = Merchant.objects.get(mall=malls[MERCHANT_LOGIN["mall"]], brand=MERCHANT_LOGIN["brand"])
        user, created = get_user_model().objects.get_or_create(username=MERCHANT_LOGIN["mobile"])
        if created:
            user.first_name = MERCHANT_LOGIN["name"]
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        MerchantUser.objects.get_or_create(
            user=user,
            defaults={"merchant": merchant, "name": MERCHANT_LOGIN["name"], "mobile": MERCHANT_LOGIN["mobile"]},
        )

    def _broadcast_programme(self, malls):
        """The default broadcast programme for each demo mall that has a supervisor (SH01).
        The service leaves weekdays that already have slots alone, so a rerun adds nothing."""
        from frontdesk.services import programme_generate_default

        for mall in malls.values():
            planner = (
                get_user_model()
                .objects.filter(memberships__mall=mall, memberships__role=Role.SUPERVISOR, memberships__is_active=True)
                .first()
            )
            if planner is not None:
                programme_generate_default(mall=mall, actor=planner)

    def _demo_frontdesk_policy(self, malls):
        """In the demo, any line of today's programme can be ticked at any hour (a line may
        normally be ticked from 10 minutes before it starts): someone trying the demo at night
        sees a working desk. The nightly missed-line flagging (23:45) still applies."""
        from frontdesk.models import FrontDeskPolicy

        for mall in malls.values():
            if not FrontDeskPolicy.objects.filter(mall=mall).exists():
                FrontDeskPolicy.objects.create(mall=mall, effective_from=POLICY_EPOCH, early_tick_minutes=DAY_MINUTES)

    def _malls(self):
        malls = {}
        for row in MALLS:
            mall, _created = Mall.objects.get_or_create(code=row["code"], defaults=row)
            malls[mall.code] = mall
        return malls

    def _merchants(self, malls, admin):
        for n, (mall_code, brand, company, category, floor, zone, number) in enumerate(MERCHANTS, start=1):
            mall = malls[mall_code]
            merchant, _created = Merchant.objects.get_or_create(
                mall=mall,
                brand=brand,
                defaults={
                    "company_name": company,
                    "credit_code": with_check_character(f"913101{n:06d}DEMO0"[:17].replace("O", "0")),
                    "legal_representative": "张" + brand[:1],
                    "contact_name": "陈" + brand[-1:],
                    "mobile": f"139{n:08d}",
                    "category": category,
                    "status": MerchantStatus.ACTIVE,
                    "contract_start": date(2025, 1, 1),
                    "contract_end": date(2027, 12, 31),
                    "deposit_required": Decimal("50000.00"),
                },
            )
            booth, _created = Booth.objects.get_or_create(
                mall=mall,
                number=number,
                defaults={"merchant": merchant, "floor": floor, "zone": zone, "area": Decimal("120.00")},
            )
            BoothTenancy.objects.get_or_create(
                mall=mall, booth=booth, merchant=merchant, defaults={"start_date": date(2025, 1, 1)}
            )
            if not merchant.deposit_entries.exists():
                DepositEntry.objects.create(
                    mall=mall,
                    merchant=merchant,
                    kind=EntryKind.COLLECT,
                    amount=Decimal("50000.00"),
                    entry_date=date(2025, 1, 1),
                    reason="入场时收取质量保证金",
                    recorded_by=admin,
                )

    def _users(self, malls):
        User = get_user_model()
        admin, _created = User.objects.get_or_create(username="admin")
        admin.is_staff = admin.is_superuser = True
        # One hash for all (the password is published anyway): PBKDF2 costs ~0.3 s a user.
        password = make_password(settings.DEMO_PASSWORD)
        for username, (full_name, role, mall_code) in USERS.items():
            user = admin if username == "admin" else User.objects.get_or_create(username=username)[0]
            user.first_name, user.last_name = full_name, ""
            user.password = password
            user.save()
            mall = malls[mall_code] if mall_code else None
            held = StaffMembership.objects.filter(user=user, mall=mall, role=role, is_active=True).exists()
            if not held:
                membership_grant(user=user, mall=mall, role=role, actor=admin)
        return admin
