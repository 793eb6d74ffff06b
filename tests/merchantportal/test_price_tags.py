"""Price-tag failures in the merchant portal: "fixed" with a photo, the inspector re-checks (issue #19 §4)."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from merchants.models import InspectionPhoto
from merchants.services import inspection_record, inspection_report_fixed
from servicedesk.models import Notification
from servicedesk.roles import Role
from tests.merchants.factories import BoothFactory, MerchantFactory, photo_file

from .factories import merchant_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspector(staff):
    return staff(Role.PRICE_TAG_OFFICER)


@pytest.fixture
def failed(shop, inspector):
    return inspection_record(booth=shop["booth"], actor=inspector, items_checked=10, failures=[("tag_missing", "餐桌")])


def test_fixed_with_a_photo_notifies_the_inspector_who_re_checks(shop, failed, inspector):
    inspection_report_fixed(
        inspection=failed, actor=shop["account"].user, photos=[photo_file("tag.png")], note="已补标价签"
    )
    failed.refresh_from_db()
    assert failed.merchant_reported_fixed_at is not None and failed.fixed_at is None, "open until re-checked"
    assert InspectionPhoto.objects.get(inspection=failed, by_merchant=True)
    assert Notification.objects.filter(recipient=inspector, key=f"inspection:{failed.pk}:merchant_fixed").exists()
    again = inspection_record(booth=shop["booth"], actor=inspector, items_checked=10, reinspection_of=failed)
    failed.refresh_from_db()
    assert again.passed and failed.fixed_at == again.inspected_at


def test_a_failed_re_check_starts_a_new_24_hour_deadline(shop, failed, inspector):
    inspection_report_fixed(inspection=failed, actor=shop["account"].user, photos=[photo_file("tag.png")])
    again = inspection_record(
        booth=shop["booth"], actor=inspector, items_checked=10, failures=[("tag_mismatch", "")], reinspection_of=failed
    )
    assert not again.passed
    assert (again.fix_deadline - again.inspected_at).total_seconds() == 24 * 3600
    failed.refresh_from_db()
    assert failed.fixed_at is None


def test_a_photo_is_required_and_the_report_is_made_once(shop, failed):
    with pytest.raises(ValidationError) as refused:
        inspection_report_fixed(inspection=failed, actor=shop["account"].user, photos=[])
    assert "photos" in refused.value.message_dict
    inspection_report_fixed(inspection=failed, actor=shop["account"].user, photos=[photo_file("tag.png")])
    with pytest.raises(ValidationError):
        inspection_report_fixed(inspection=failed, actor=shop["account"].user, photos=[photo_file("tag.png")])


def test_staff_and_other_merchants_cannot_report_it(shop, failed, mall, other_mall, inspector):
    for n, where in enumerate((mall, other_mall)):
        stranger = merchant_user(MerchantFactory(mall=where), mobile=f"1390000002{n}")
        with pytest.raises(Http404):
            inspection_report_fixed(inspection=failed, actor=stranger.user, photos=[photo_file("tag.png")])
    with pytest.raises(Http404):
        inspection_report_fixed(inspection=failed, actor=inspector, photos=[photo_file("tag.png")])


def test_the_pages_show_the_deadline_and_where_the_merchant_stands(client, shop, failed, mall, other_mall, staff):
    client.force_login(shop["account"].user)
    body = client.get(reverse("merchantportal:price_tags")).content.decode()
    assert 'id="standing"' in body and "餐桌" in body
    url = reverse("merchantportal:price_tag", args=[failed.pk])
    assert client.post(url, {"note": "x"}).context["form"].errors["photos"]
    assert client.post(url, {"photos": [photo_file("tag.png")]}).status_code == 302
    photo = InspectionPhoto.objects.get(inspection=failed, by_merchant=True)
    assert client.get(reverse("merchantportal:price_tag_photo", args=[failed.pk, photo.pk])).status_code == 200
    for where in (mall, other_mall):
        booth = BoothFactory(merchant=MerchantFactory(mall=where))
        theirs = inspection_record(
            booth=booth,
            actor=staff(Role.PRICE_TAG_OFFICER, in_mall=where),
            items_checked=5,
            failures=[("tag_missing", "")],
        )
        assert client.get(reverse("merchantportal:price_tag", args=[theirs.pk])).status_code == 404
    client.force_login(staff(Role.PRICE_TAG_OFFICER))
    assert "merchant-reported" in client.get(reverse("merchants:inspections")).content.decode()
