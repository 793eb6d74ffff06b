"""Registering a complaint: required fields, bad input (DOMAIN.md §9), numbering, flags."""

import threading
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from complaints.forms import IntakeForm
from complaints.models import Complaint, ComplaintDeadline, DeadlineKind, Status
from servicedesk.models import Notification
from servicedesk.roles import Role
from tests.complaints.factories import intake, register
from tests.factories import MallFactory, make_staff
from tests.merchants.factories import BoothFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*parts):
    return datetime(*parts, tzinfo=SHANGHAI)


@pytest.fixture
def desk(mall, staff):
    return staff(Role.FRONT_DESK)


@pytest.fixture
def booth(mall):
    return BoothFactory(merchant__mall=mall, number="2F-B-015", merchant__brand="木语实木")


def form_data(picked=None, **overrides):
    data = intake(booth=None)
    data.update(
        {
            "received_at": timezone.localtime(data["received_at"]).strftime("%Y-%m-%dT%H:%M"),
            "paid_via_unified_cashier": "yes",
            "booth": f"{picked.number} {picked.merchant.brand}" if picked else "",
            "merchant_unknown": "" if picked else "on",
        }
    )
    data.update(overrides)
    return {k: ("" if v is None else v) for k, v in data.items()}


def errors_of(mall, picked=None, **overrides):
    form = IntakeForm(form_data(picked, **overrides), mall=mall)
    form.is_valid()
    return form.errors


def test_a_walk_in_complaint_gets_a_number_clocks_and_a_log_line(mall, desk, booth):
    complaint = register(mall, desk, booth=booth, received_at=at(2026, 11, 26, 10, 30))
    assert complaint.number == "TS-SH01-20261126-0001"
    assert complaint.status == Status.REGISTERED
    assert complaint.merchant == booth.merchant
    assert complaint.first_contact_at == complaint.received_at, "walk-in: the intake is the first contact"
    kinds = set(complaint.deadlines.values_list("kind", flat=True))
    assert kinds == {DeadlineKind.ASSIGNMENT, DeadlineKind.RESOLUTION, DeadlineKind.DELIBERATE_DELAY}
    assert complaint.entries.count() == 1
    assert complaint.customer.mobile == "13812345678"


def test_a_letter_needs_a_first_contact_within_24_hours(mall, desk):
    complaint = register(mall, desk, channel="letter")
    clock = complaint.deadlines.get(kind=DeadlineKind.FIRST_CONTACT)
    assert clock.due_at == complaint.received_at + timedelta(hours=24)


def test_a_12345_referral_carries_its_own_working_day_deadline(mall, desk):
    received = at(2026, 9, 29, 9, 0)  # Tuesday before National Day
    complaint = register(
        mall,
        desk,
        channel="12345",
        referral_working_days=3,
        received_at=received,
        purchase_date=date(2026, 9, 1),
        delivery_date=date(2026, 9, 5),
    )
    clock = complaint.deadlines.get(kind=DeadlineKind.REFERRAL)
    # 30 Sep, (1-7 Oct holiday), 8 Oct, 9 Oct
    assert timezone.localtime(clock.due_at) == at(2026, 10, 9, 9, 0)


def test_the_form_requires_what_domain_requires(mall):
    errors = errors_of(
        mall, customer_name="", customer_mobile="", customer_address="", channel="", category="", demand="", facts=""
    )
    for field in ("customer_name", "customer_mobile", "channel", "category", "demand", "facts"):
        assert field in errors, field
    assert "booth" not in errors, "merchant unknown was ticked"
    assert "customer_address" not in errors, "the address is asked only where the case needs it (the service)"


@pytest.mark.parametrize(
    ("channel", "category", "demand"),
    [
        ("phone", "D", "other"),  # delivery
        ("phone", "I", "apology"),  # installation
        ("walk_in", "S", "compensation"),  # after-sales repair
        ("walk_in", "X", "apology"),  # custom goods: measured at home
        ("phone", "E", "compensation"),  # formaldehyde: tested at home
        ("walk_in", "Q", "repair"),  # repaired on site
        ("phone", "Q", "exchange"),  # replacement brought
        ("phone", "Q", "return"),  # goods collected
    ],
)
def test_the_address_is_required_when_someone_must_go_to_the_customers_home(mall, desk, channel, category, demand):
    with pytest.raises(ValidationError) as error:
        register(mall, desk, customer_address="", channel=channel, category=category, demand=demand, demand_other="x")
    assert "customer_address" in error.value.message_dict
    assert "地址" in error.value.message_dict["customer_address"][0]


@pytest.mark.parametrize(
    ("channel", "category", "demand"),
    [
        ("phone", "A", "apology"),  # attitude on the phone
        ("walk_in", "P", "compensation"),  # price tag
        ("phone", "M", "compensation"),  # false claims
        ("phone", "K", "other"),  # paid outside the unified cashier
        ("12315", "D", "repair"),  # a referral: the officer records it at first contact
        ("letter", "Q", "return"),
        ("online", "I", "repair"),
    ],
)
def test_no_address_is_needed_where_nobody_goes_to_the_customer_or_it_is_not_asked_at_intake(
    mall, desk, channel, category, demand
):
    complaint = register(
        mall, desk, customer_address="", channel=channel, category=category, demand=demand, demand_other="x"
    )
    assert complaint.pk and complaint.customer.address == ""


def test_a_known_customers_address_on_file_is_enough(mall, desk):
    register(mall, desk, customer_address="上海市普陀区金沙江路100号")
    again = register(mall, desk, customer_address="", channel="phone", category="D", demand="repair")
    assert again.customer.address == "上海市普陀区金沙江路100号"


def test_the_missing_address_is_reported_with_the_other_errors_at_once(mall, desk):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        register(mall, desk, customer_address="", category="D", purchase_date=tomorrow, delivery_date=None)
    assert {"customer_address", "purchase_date"} <= set(error.value.message_dict)


def test_a_booth_or_merchant_unknown_is_required(mall):
    errors = errors_of(mall, merchant_unknown="")
    assert "请选择展位" in errors["booth"][0] or "Pick the booth" in errors["booth"][0]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("customer_mobile", "12812345678"),
        ("customer_mobile", "1381234567"),
        ("customer_other_phone", "62345678"),
        ("purchase_amount", "0"),
        ("purchase_amount", "-5"),
        ("purchase_amount", "10000000.01"),
        ("purchase_amount", "12.345"),
        ("claimed_amount", "0.00"),
        ("facts", "投" * 2001),
        ("booth", "9F-Z-999"),
    ],
)
def test_bad_input_is_refused_next_to_the_field(mall, booth, field, value):
    errors = errors_of(mall, picked=booth, **{field: value})
    assert field in errors, errors


def test_an_other_category_or_demand_must_be_described(mall, desk):
    with pytest.raises(ValidationError) as error:
        register(mall, desk, category="O", demand="other")
    assert {"category_other", "demand_other"} <= set(error.value.message_dict)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"received_at": timezone.now() + timedelta(days=1)}, "received_at"),
        ({"purchase_date": timezone.localdate() + timedelta(days=2), "delivery_date": None}, "purchase_date"),
        ({"purchase_date": date(2026, 5, 10), "delivery_date": date(2026, 5, 1)}, "delivery_date"),
    ],
)
def test_dates_are_not_in_the_future_and_in_order(mall, desk, overrides, field):
    with pytest.raises(ValidationError) as error:
        register(mall, desk, **overrides)
    assert field in error.value.message_dict
    assert not Complaint.objects.exists(), "nothing saved half-way"


def test_delivery_after_the_complaint_was_received_is_refused(mall, desk):
    received = timezone.now() - timedelta(days=10)
    with pytest.raises(ValidationError) as error:
        register(mall, desk, received_at=received, delivery_date=timezone.localdate() - timedelta(days=2))
    assert "delivery_date" in error.value.message_dict


def test_a_booth_of_another_mall_is_refused(mall, other_mall, desk):
    foreign = BoothFactory(merchant__mall=other_mall)
    with pytest.raises(ValidationError) as error:
        register(mall, desk, booth=foreign)
    assert "booth" in error.value.message_dict


def test_a_booth_that_was_closed_on_the_purchase_date_is_refused(mall, desk, booth, time_machine):
    time_machine.move_to(at(2026, 3, 1, 12, 0), tick=False)
    booth.is_active = False
    booth.save()
    time_machine.move_to(at(2026, 4, 1, 12, 0), tick=False)
    with pytest.raises(ValidationError) as error:
        register(
            mall,
            desk,
            booth=booth,
            received_at=timezone.now(),
            purchase_date=date(2026, 3, 10),
            delivery_date=date(2026, 3, 12),
        )
    assert "booth" in error.value.message_dict


def test_the_exited_merchants_booth_is_fine_for_a_purchase_made_while_it_traded(mall, desk, booth, time_machine):
    time_machine.move_to(at(2026, 1, 5, 12, 0), tick=False)
    booth.save()  # history: trading in January
    time_machine.move_to(at(2026, 3, 1, 12, 0), tick=False)
    booth.is_active = False
    booth.save()
    booth.merchant.status = "exited"
    booth.merchant.save()
    time_machine.move_to(at(2026, 4, 1, 12, 0), tick=False)
    complaint = register(
        mall,
        desk,
        booth=booth,
        received_at=timezone.now(),
        purchase_date=date(2026, 1, 10),
        delivery_date=date(2026, 1, 20),
    )
    assert complaint.merchant_has_exited


def test_a_purchase_outside_the_unified_cashier_is_recorded(mall, desk):
    complaint = register(mall, desk, paid_via_unified_cashier=False)
    assert complaint.paid_via_unified_cashier is False


def test_the_same_order_within_30_days_is_flagged_as_a_repeat(mall, desk):
    first = register(mall, desk, received_at=timezone.now() - timedelta(days=20))
    second = register(mall, desk)
    assert second.repeat_of == first
    other_order = register(mall, desk, voucher_number="SY-OTHER")
    assert other_order.repeat_of is None


def test_an_order_complained_about_long_ago_is_not_a_repeat(mall, desk):
    register(
        mall,
        desk,
        received_at=timezone.now() - timedelta(days=45),
        purchase_date=timezone.localdate() - timedelta(days=60),
        delivery_date=timezone.localdate() - timedelta(days=50),
    )
    assert register(mall, desk).repeat_of is None


def test_a_media_complaint_notifies_the_manager_at_once(mall, desk, staff):
    manager = staff(Role.MANAGER)
    complaint = register(mall, desk, channel="media")
    assert complaint.official_visit
    assert Notification.objects.filter(recipient=manager, key=f"complaint:{complaint.pk}:official").exists()


def test_a_government_visit_is_flagged_and_notifies_the_manager(mall, desk, staff):
    manager = staff(Role.MANAGER)
    complaint = register(mall, desk, official_visit=True)
    note = Notification.objects.get(recipient=manager)
    assert complaint.number in note.title


def test_an_existing_customer_is_found_not_duplicated(mall, desk):
    first = register(mall, desk)
    second = register(mall, desk, customer_name="张女士", voucher_number="")
    assert first.customer == second.customer


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_numbers_stay_unique_and_gap_free_under_concurrent_intake(postgres):
    mall = MallFactory(code="SH01")
    desk = make_staff(Role.FRONT_DESK, mall)
    received = at(2026, 11, 26, 10, 0)
    start = threading.Barrier(6)
    numbers, errors = [], []

    def submit(n):
        try:
            start.wait()
            complaint = register(
                mall,
                desk,
                customer_mobile=f"1391234560{n}",
                received_at=received,
                purchase_date=date(2026, 11, 1),
                delivery_date=date(2026, 11, 5),
                voucher_number=f"SY{n}",
            )
            numbers.append(complaint.number)
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(numbers) == [f"TS-SH01-20261126-{n:04d}" for n in range(1, 7)]


def test_a_failed_intake_releases_its_number(mall, desk):
    received = at(2026, 11, 26, 10, 0)
    common = {"received_at": received, "purchase_date": date(2026, 11, 1), "delivery_date": date(2026, 11, 5)}
    with pytest.raises(ValidationError):
        register(mall, desk, category="O", **common)
    assert register(mall, desk, **common).number == "TS-SH01-20261126-0001"


def test_amounts_keep_two_places(mall, desk):
    complaint = register(mall, desk, purchase_amount=Decimal("6800.50"))
    complaint.refresh_from_db()
    assert complaint.purchase_amount == Decimal("6800.50")
    assert ComplaintDeadline.objects.filter(complaint=complaint).count() == 3
