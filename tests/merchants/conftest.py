import pytest

from merchants.models import DocumentKind, MerchantStatus
from servicedesk.roles import Role
from tests.merchants.factories import BoothFactory, MerchantFactory, document_file


@pytest.fixture
def clerk(staff):
    return staff(Role.CLERK)


@pytest.fixture
def manager(staff):
    return staff(Role.MANAGER)


@pytest.fixture
def applied_merchant(mall):
    merchant = MerchantFactory(mall=mall, status=MerchantStatus.APPLIED)
    BoothFactory(merchant=merchant)
    return merchant


@pytest.fixture
def with_documents():
    """Put the entry checklist's documents on a merchant's file."""
    from merchants.services import document_upload

    def add(
        merchant, actor, kinds=(DocumentKind.LICENCE, DocumentKind.BRAND_AUTHORISATION, DocumentKind.INSPECTION_REPORT)
    ):
        for kind in kinds:
            document_upload(merchant=merchant, actor=actor, kind=kind, file=document_file())
        return merchant

    return add
