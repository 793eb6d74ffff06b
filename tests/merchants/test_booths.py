from datetime import date

import pytest
from django.core.exceptions import ValidationError

from merchants.models import Booth, BoothTenancy, MerchantStatus
from merchants.services import booth_assign, booth_release, merchant_at, merchant_register
from tests.merchants.factories import BoothFactory, MerchantFactory

pytestmark = pytest.mark.django_db


def test_booth_history_finds_who_held_it_on_a_date(mall, clerk):
    old, new = MerchantFactory(mall=mall, brand="老商户"), MerchantFactory(mall=mall, brand="新商户")
    booth = booth_assign(
        mall=mall, merchant=old, actor=clerk, number="2f-b-015", floor="2F", start_date=date(2024, 3, 1)
    )
    booth_release(booth=booth, actor=clerk, end_date=date(2025, 6, 30))
    booth_assign(mall=mall, merchant=new, actor=clerk, number="2F-B-015", start_date=date(2025, 7, 1))
    booth.refresh_from_db()
    assert booth.number == "2F-B-015" and booth.merchant == new
    assert booth.holder_on(date(2024, 12, 25)) == old
    assert booth.holder_on(date(2025, 6, 30)) == old
    assert booth.holder_on(date(2025, 7, 1)) == new
    assert booth.holder_on(date(2024, 1, 1)) is None
    assert merchant_at(mall, "2f-b-015", date(2025, 1, 1)) == old
    assert BoothTenancy.objects.filter(booth=booth).count() == 2


def test_a_booth_has_one_merchant_at_a_time(mall, clerk):
    holder = BoothFactory(merchant__mall=mall, number="1F-A-001")
    other = MerchantFactory(mall=mall)
    with pytest.raises(ValidationError) as error:
        booth_assign(mall=mall, merchant=other, actor=clerk, number="1F-A-001", start_date=date(2026, 1, 1))
    assert str(holder.merchant) in str(error.value)


def test_a_new_tenancy_cannot_start_inside_an_old_one(mall, clerk):
    old, new = MerchantFactory(mall=mall), MerchantFactory(mall=mall)
    booth = booth_assign(mall=mall, merchant=old, actor=clerk, number="B1-1", floor="B1", start_date=date(2024, 1, 1))
    booth_release(booth=booth, actor=clerk, end_date=date(2025, 1, 31))
    with pytest.raises(ValidationError):
        booth_assign(mall=mall, merchant=new, actor=clerk, number="B1-1", start_date=date(2025, 1, 15))


def test_a_new_booth_needs_its_floor(mall, clerk):
    with pytest.raises(ValidationError) as error:
        booth_assign(
            mall=mall, merchant=MerchantFactory(mall=mall), actor=clerk, number="X-1", start_date=date(2026, 1, 1)
        )
    assert "floor" in error.value.message_dict


def test_registering_a_merchant_with_a_taken_booth_saves_nothing(mall, clerk):
    BoothFactory(merchant__mall=mall, number="3F-A-002")
    before = (Booth.objects.count(), BoothTenancy.objects.count())
    with pytest.raises(ValidationError):
        merchant_register(
            mall=mall,
            actor=clerk,
            brand="新品牌",
            company_name="上海新品牌家居有限公司",
            category="furniture",
            booths=[{"number": "3F-A-002", "floor": "3F"}],
        )
    from merchants.models import Merchant

    assert not Merchant.objects.filter(brand="新品牌").exists()
    assert (Booth.objects.count(), BoothTenancy.objects.count()) == before


def test_registration_creates_merchant_booth_and_tenancy(mall, clerk):
    merchant = merchant_register(
        mall=mall,
        actor=clerk,
        brand="新品牌",
        company_name="上海新品牌家居有限公司",
        credit_code="91350100m000100y43",
        category="furniture",
        contract_start=date(2026, 12, 1),
        booths=[{"number": "3f-a-009", "floor": "3f", "zone": "a"}],
    )
    assert merchant.status == MerchantStatus.APPLIED
    assert merchant.credit_code == "91350100M000100Y43"
    booth = merchant.booths.get()
    assert (booth.number, booth.floor, booth.zone) == ("3F-A-009", "3F", "A")
    assert booth.tenancies.get().start_date == date(2026, 12, 1)


def test_duplicate_credit_code_in_the_mall_is_refused(mall, clerk):
    MerchantFactory(mall=mall, credit_code="91350100M000100Y43")
    with pytest.raises(ValidationError) as error:
        merchant_register(
            mall=mall,
            actor=clerk,
            brand="甲",
            company_name="甲公司",
            category="furniture",
            credit_code="91350100M000100Y43",
        )
    assert "统一社会信用代码" in str(error.value)
