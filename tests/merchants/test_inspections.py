from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from merchants.models import FailureCode, MerchantPolicy, PriceTagInspection
from merchants.services import inspection_mark_fixed, inspection_record, weekly_coverage
from servicedesk.models import Notification
from servicedesk.roles import Role
from tests.merchants.factories import BoothFactory, photo_file

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 26, 15, 0, tzinfo=SH)


@pytest.fixture
def inspector(staff):
    return staff(Role.PRICE_TAG_OFFICER)


@pytest.fixture
def booth(mall):
    return BoothFactory(merchant__mall=mall, number="2F-B-015")


@time_machine.travel(NOW, tick=False)
def test_a_pass_has_no_deadline(booth, inspector):
    inspection = inspection_record(booth=booth, actor=inspector, items_checked=20)
    assert inspection.passed and inspection.fix_deadline is None
    assert inspection.merchant == booth.merchant


@time_machine.travel(NOW, tick=False)
def test_a_failure_must_be_fixed_within_24_hours(booth, inspector):
    inspection = inspection_record(
        booth=booth,
        actor=inspector,
        items_checked=20,
        failures=[(FailureCode.TAG_MISSING, "三人沙发"), (FailureCode.FALSE_ORIGINAL_PRICE, "三人沙发")],
        photos=[photo_file()],
    )
    assert not inspection.passed
    assert inspection.fix_deadline == NOW + timedelta(hours=24)
    assert set(inspection.failures.values_list("code", flat=True)) == {"tag_missing", "false_original_price"}
    assert inspection.photos.count() == 1


@time_machine.travel(NOW, tick=False)
def test_fix_hours_are_a_mall_setting(booth, inspector, mall):
    MerchantPolicy.objects.update_or_create(mall=mall, defaults={"price_tag_fix_hours": 48})
    inspection = inspection_record(booth=booth, actor=inspector, items_checked=5, failures=[("tag_missing", "")])
    assert inspection.fix_deadline == NOW + timedelta(hours=48)


def test_two_failures_in_30_days_flag_the_merchant_and_tell_the_manager(booth, inspector, staff):
    manager = staff(Role.MANAGER)
    with time_machine.travel(datetime(2026, 11, 1, 10, tzinfo=SH), tick=False):
        inspection_record(booth=booth, actor=inspector, items_checked=10, failures=[("tag_missing", "")])
    booth.merchant.refresh_from_db()
    assert not booth.merchant.flagged
    with time_machine.travel(datetime(2026, 11, 25, 10, tzinfo=SH), tick=False):
        inspection_record(booth=booth, actor=inspector, items_checked=10, failures=[("charge_beyond_tag", "")])
    booth.merchant.refresh_from_db()
    assert booth.merchant.flagged
    assert "30" in booth.merchant.flagged_reason
    assert Notification.objects.filter(recipient=manager, key__contains="price_tag_flag").count() == 1


def test_failures_more_than_30_days_apart_do_not_flag(booth, inspector):
    with time_machine.travel(datetime(2026, 9, 1, 10, tzinfo=SH), tick=False):
        inspection_record(booth=booth, actor=inspector, items_checked=10, failures=[("tag_missing", "")])
    with time_machine.travel(datetime(2026, 11, 1, 10, tzinfo=SH), tick=False):
        inspection_record(booth=booth, actor=inspector, items_checked=10, failures=[("tag_missing", "")])
    booth.merchant.refresh_from_db()
    assert not booth.merchant.flagged


@time_machine.travel(NOW, tick=False)
def test_a_passing_reinspection_marks_the_failure_fixed(booth, inspector):
    failed = inspection_record(booth=booth, actor=inspector, items_checked=10, failures=[("tag_missing", "")])
    with time_machine.travel(NOW + timedelta(hours=5), tick=False):
        again = inspection_record(booth=booth, actor=inspector, items_checked=10, reinspection_of=failed)
    failed.refresh_from_db()
    assert again.passed and failed.fixed_at == NOW + timedelta(hours=5)
    with pytest.raises(ValidationError):
        inspection_record(booth=booth, actor=inspector, items_checked=10, reinspection_of=failed)


@time_machine.travel(NOW, tick=False)
def test_mark_fixed_once_and_not_before_the_failure(booth, inspector):
    failed = inspection_record(booth=booth, actor=inspector, items_checked=10, failures=[("tag_missing", "")])
    with pytest.raises(ValidationError):
        inspection_mark_fixed(inspection=failed, actor=inspector, fixed_at=NOW - timedelta(hours=1))
    inspection_mark_fixed(inspection=failed, actor=inspector)
    with pytest.raises(ValidationError):
        inspection_mark_fixed(inspection=failed, actor=inspector)


@pytest.mark.parametrize("items", [0, None])
def test_bad_input_is_refused(items, booth, inspector):
    with pytest.raises(ValidationError) as error:
        inspection_record(booth=booth, actor=inspector, items_checked=items)
    assert "items_checked" in error.value.message_dict
    assert not PriceTagInspection.objects.exists()


def test_a_booth_without_merchant_cannot_be_inspected(mall, inspector):
    empty = BoothFactory(mall=mall, merchant=None)
    with pytest.raises(ValidationError) as error:
        inspection_record(booth=empty, actor=inspector, items_checked=3)
    assert "booth" in error.value.message_dict


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.CLERK, Role.MANAGER, Role.HEAD_OFFICE, Role.COMPLAINT_OFFICER])
def test_only_price_tag_officers_and_supervisors_inspect(role, booth, staff):
    with pytest.raises(PermissionDenied):
        inspection_record(booth=booth, actor=staff(role), items_checked=3)


def test_weekly_coverage(mall, inspector):
    booths = [BoothFactory(merchant__mall=mall) for _ in range(20)]
    with time_machine.travel(datetime(2026, 11, 23, 10, tzinfo=SH), tick=False):  # a Monday
        inspection_record(booth=booths[0], actor=inspector, items_checked=5)
        inspection_record(booth=booths[1], actor=inspector, items_checked=5, failures=[("tag_missing", "")])
    with time_machine.travel(datetime(2026, 11, 29, 20, tzinfo=SH), tick=False):  # that Sunday evening
        inspection_record(booth=booths[1], actor=inspector, items_checked=5)
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=SH), tick=False):  # next week
        inspection_record(booth=booths[2], actor=inspector, items_checked=5)
    week = weekly_coverage(mall, date(2026, 11, 26))
    assert (week["occupied"], week["inspected"], week["inspections"], week["failed"]) == (20, 2, 3, 1)
    assert week["share"] == 10.0 and week["met"]
