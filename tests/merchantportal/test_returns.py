"""Returns in the merchant portal: confirm or refuse, goods back and intact with photos (issue #19 §3)."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from returns.models import ReturnStatus
from returns.services import (
    return_approve,
    return_check,
    return_goods_back,
    return_merchant_reply,
    return_refund,
    return_refuse,
)
from servicedesk.models import Notification
from servicedesk.roles import Role
from tests.merchants.factories import MerchantFactory, photo_file
from tests.returns.factories import ReturnFactory

from .factories import merchant_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 11, 20), tick=False):
        yield


@pytest.fixture
def approved(shop, staff):
    r = ReturnFactory(merchant=shop["merchant"], mall=shop["merchant"].mall)
    return_check(return_request=r, actor=staff(Role.FRONT_DESK))
    return_approve(return_request=r, actor=staff(Role.SUPERVISOR))
    r.refresh_from_db()
    assert r.status == ReturnStatus.APPROVED and r.eligible
    return r


def test_the_merchant_confirms_an_approved_return(shop, approved):
    return_merchant_reply(return_request=approved, actor=shop["account"].user, agrees=True, reply="")
    approved.refresh_from_db()
    assert approved.merchant_agrees is True and approved.escalated_at is None
    with pytest.raises(ValidationError):  # once
        return_merchant_reply(return_request=approved, actor=shop["account"].user, agrees=False, reply="改主意")


def test_refusing_an_eligible_return_goes_to_advance_compensation_never_silently(shop, approved, staff):
    manager, supervisor = staff(Role.MANAGER), staff(Role.SUPERVISOR)
    with pytest.raises(ValidationError) as no_reason:
        return_merchant_reply(return_request=approved, actor=shop["account"].user, agrees=False, reply="")
    assert "reply" in no_reason.value.message_dict
    return_merchant_reply(return_request=approved, actor=shop["account"].user, agrees=False, reply="已拆封使用")
    approved.refresh_from_db()
    assert approved.escalated_at is not None
    assert approved.status == ReturnStatus.APPROVED, "the mall keeps its promise: the return goes on"
    for person in (manager, supervisor):
        assert Notification.objects.filter(recipient=person, key=f"return:{approved.pk}:merchant_refused").exists()


def test_goods_back_intact_with_photos_then_the_desk_refunds(shop, approved, staff):
    return_goods_back(return_request=approved, actor=shop["account"].user, intact=True, photos=[photo_file("box.png")])
    approved.refresh_from_db()
    assert approved.status == ReturnStatus.INTACT and approved.goods_received_on == date(2026, 11, 20)
    assert approved.photos.get().uploaded_by == shop["account"].user
    return_refund(return_request=approved, actor=staff(Role.SUPERVISOR), method="original")
    approved.refresh_from_db()
    assert approved.status == ReturnStatus.REFUNDED


def test_goods_not_intact_need_the_reason_and_nothing_is_half_saved(shop, approved):
    with pytest.raises(ValidationError) as refused:
        return_goods_back(
            return_request=approved, actor=shop["account"].user, intact=False, photos=[photo_file("x.gif")]
        )
    assert {"reasons", "photos"} <= set(refused.value.message_dict)
    approved.refresh_from_db()
    assert approved.status == ReturnStatus.APPROVED and approved.goods_received_on is None
    assert not approved.photos.exists()
    return_goods_back(return_request=approved, actor=shop["account"].user, intact=False, reasons=["stained"])
    approved.refresh_from_db()
    assert approved.status == ReturnStatus.NOT_INTACT


def test_the_merchant_cannot_decide_or_refund(shop, staff):
    r = ReturnFactory(merchant=shop["merchant"], mall=shop["merchant"].mall)
    return_check(return_request=r, actor=staff(Role.FRONT_DESK))
    with pytest.raises(PermissionDenied):
        return_refuse(return_request=r, actor=shop["account"].user, reason="不退")
    with pytest.raises(PermissionDenied):
        return_approve(return_request=r, actor=shop["account"].user)


def test_another_merchants_user_gets_404(shop, approved, mall, other_mall):
    for n, where in enumerate((mall, other_mall)):
        stranger = merchant_user(MerchantFactory(mall=where), mobile=f"1390000000{n}")
        with pytest.raises(Http404):
            return_merchant_reply(return_request=approved, actor=stranger.user, agrees=False, reply="不同意")
        with pytest.raises(Http404):
            return_goods_back(return_request=approved, actor=stranger.user, intact=True)
    approved.refresh_from_db()
    assert approved.merchant_replied_at is None and approved.status == ReturnStatus.APPROVED


def test_the_pages(client, shop, approved, mall, other_mall):
    client.force_login(shop["account"].user)
    assert approved.number in client.get(reverse("merchantportal:returns")).content.decode()
    url = reverse("merchantportal:return", args=[approved.pk])
    page = client.get(url).content.decode()
    assert 'id="return-answer"' in page and 'id="goods-back"' in page
    assert "13812345678" not in page
    response = client.post(url, {"step": "answer", "answer-agrees": "no", "answer-reply": ""})
    assert response.status_code == 200 and "reply" in response.context["answer_form"].errors
    response = client.post(
        url,
        {"step": "goods", "goods-intact": "yes", "goods-photos": [photo_file("back.png")]},
    )
    assert response.status_code == 302
    approved.refresh_from_db()
    photo = approved.photos.get()
    assert approved.status == ReturnStatus.INTACT
    assert client.get(reverse("merchantportal:return_photo", args=[approved.pk, photo.pk])).status_code == 200
    for where in (mall, other_mall):
        theirs = ReturnFactory(merchant=MerchantFactory(mall=where))
        assert client.get(reverse("merchantportal:return", args=[theirs.pk])).status_code == 404
        assert theirs.number not in client.get(reverse("merchantportal:returns")).content.decode()
