import factory

from merchants.credit_code import with_check_character
from merchants.models import Booth, Merchant, MerchantCategory, MerchantStatus
from tests.factories import MallFactory


class MerchantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Merchant

    mall = factory.SubFactory(MallFactory)
    company_name = factory.Sequence(lambda n: f"上海测试家居有限公司{n}")
    brand = factory.Sequence(lambda n: f"测试品牌{n}")
    credit_code = factory.Sequence(lambda n: with_check_character(f"91310107{n:09d}"))
    category = MerchantCategory.FURNITURE
    status = MerchantStatus.ACTIVE


class BoothFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booth

    mall = factory.SelfAttribute("merchant.mall")
    merchant = factory.SubFactory(MerchantFactory)
    floor = "2F"
    zone = "A"
    number = factory.Sequence(lambda n: f"2F-A-{n:03d}")
