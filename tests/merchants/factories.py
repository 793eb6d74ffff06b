from datetime import date

import factory

from merchants.credit_code import with_check_character
from merchants.models import Booth, BoothTenancy, Merchant, MerchantCategory, MerchantStatus
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
        skip_postgeneration_save = True

    mall = factory.SelfAttribute("merchant.mall")
    merchant = factory.SubFactory(MerchantFactory)
    floor = "2F"
    zone = "A"
    number = factory.Sequence(lambda n: f"2F-A-{n:03d}")

    @factory.post_generation
    def tenancy(booth, create, extracted, **kwargs):
        """A booth made with a merchant is held by it, as the booth services would record."""
        if create and booth.merchant_id and extracted is not False:
            BoothTenancy.objects.create(
                mall=booth.mall, booth=booth, merchant=booth.merchant, start_date=kwargs.get("start", date(2025, 1, 1))
            )


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def document_file(name="licence.pdf", content=PDF_BYTES):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def photo_file(name="tag.png", content=PNG_BYTES):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="image/png")


class TenancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoothTenancy

    booth = factory.SubFactory(BoothFactory)
    mall = factory.SelfAttribute("booth.mall")
    merchant = factory.SelfAttribute("booth.merchant")
    start_date = factory.Faker("date_between", start_date="-2y", end_date="-1y")
