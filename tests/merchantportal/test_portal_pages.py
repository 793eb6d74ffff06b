"""The merchant portal's pages: what a merchant user sees, answers and never sees (issue #19)."""

import pytest
from django.urls import reverse

from complaints.models import ComplaintAttachment, MerchantReply
from complaints.services import complaint_attach, complaint_log
from merchants.models import MerchantPolicy
from servicedesk.models import Notification
from servicedesk.roles import Role
from tests.merchants.factories import BoothFactory, MerchantFactory, document_file, photo_file

from .factories import forwarded, merchant_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, shop):
    client.force_login(shop["account"].user)
    return client


def test_a_merchant_user_lands_in_the_portal(signed_in):
    response = signed_in.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("merchantportal:home")


def test_the_list_shows_the_forwarded_complaint_with_its_clock_and_a_masked_mobile(signed_in, shop):
    body = signed_in.get(reverse("merchantportal:complaints")).content.decode()
    complaint = shop["complaint"]
    assert complaint.number in body
    assert "138****5678" in body and "13812345678" not in body
    assert 'id="merchant-nav"' in body and "navbar" not in body


def test_the_detail_shows_facts_demand_photos_and_never_internal_things(signed_in, shop, staff):
    complaint = shop["complaint"]
    desk = staff(Role.FRONT_DESK)
    complaint_attach(complaint=complaint, actor=desk, upload=photo_file("sofa.png"))
    complaint_attach(complaint=complaint, actor=desk, upload=document_file("internal.pdf"))
    complaint_log(complaint=complaint, actor=shop["officer"], kind="note", text="内部备注：商户态度差")
    body = signed_in.get(reverse("merchantportal:complaint", args=[complaint.pk])).content.decode()
    assert complaint.facts in body
    assert "138****5678" in body and "13812345678" not in body
    assert "金沙江路" not in body  # the address
    assert "内部备注" not in body
    assert shop["officer"].username not in body and (shop["officer"].first_name or "@@") not in body
    photo, internal = ComplaintAttachment.objects.filter(complaint=complaint).order_by("pk")
    assert reverse("merchantportal:complaint_file", args=[complaint.pk, photo.pk]) in body
    assert signed_in.get(reverse("merchantportal:complaint_file", args=[complaint.pk, photo.pk])).status_code == 200
    assert signed_in.get(reverse("merchantportal:complaint_file", args=[complaint.pk, internal.pk])).status_code == 404


def test_the_mall_may_let_merchants_contact_customers(signed_in, shop):
    MerchantPolicy.objects.create(mall=shop["merchant"].mall, merchants_contact_customers=True)
    body = signed_in.get(reverse("merchantportal:complaint", args=[shop["complaint"].pk])).content.decode()
    assert "13812345678" in body and "金沙江路" in body


def test_answering_on_the_page_with_a_photo(signed_in, shop):
    url = reverse("merchantportal:complaint", args=[shop["complaint"].pk])
    response = signed_in.post(
        url, {"answer": "agrees", "reply": "同意上门维修", "attachments": [photo_file("done.png")]}
    )
    assert response.status_code == 302
    complaint = shop["complaint"]
    complaint.refresh_from_db()
    assert complaint.merchant_reply == MerchantReply.AGREES
    assert complaint.attachments.filter(uploaded_by=shop["account"].user).count() == 1
    assert Notification.objects.filter(recipient=shop["officer"]).exists()
    body = signed_in.get(url).content.decode()
    assert 'id="your-answer"' in body and 'id="answer"' not in body


def test_a_bad_answer_shows_every_error_next_to_its_field(signed_in, shop):
    url = reverse("merchantportal:complaint", args=[shop["complaint"].pk])
    response = signed_in.post(url, {"answer": "partly", "reply": "", "attachments": [photo_file("x.gif")]})
    assert response.status_code == 200
    form = response.context["form"]
    assert {"remedy", "reply", "attachments"} <= set(form.errors)
    shop["complaint"].refresh_from_db()
    assert shop["complaint"].merchant_replied_at is None


def test_another_merchants_complaints_are_404(signed_in, shop, mall, other_mall, staff):
    for where in (mall, other_mall):
        merchant = MerchantFactory(mall=where)
        officer = staff(Role.COMPLAINT_OFFICER, in_mall=where)
        theirs = forwarded(where, officer, BoothFactory(merchant=merchant))
        photo = complaint_attach(complaint=theirs, actor=officer, upload=photo_file("theirs.png"))
        assert signed_in.get(reverse("merchantportal:complaint", args=[theirs.pk])).status_code == 404
        assert signed_in.post(reverse("merchantportal:complaint", args=[theirs.pk]), {}).status_code == 404
        assert signed_in.get(reverse("merchantportal:complaint_file", args=[theirs.pk, photo.pk])).status_code == 404
        # and their photo through our own complaint's URL
        own = reverse("merchantportal:complaint_file", args=[shop["complaint"].pk, photo.pk])
        assert signed_in.get(own).status_code == 404
        assert theirs.number not in signed_in.get(reverse("merchantportal:complaints") + "?show=all").content.decode()


def test_a_complaint_not_yet_forwarded_is_404(signed_in, shop, mall):
    from tests.complaints.factories import register

    mine = register(mall, shop["officer"], booth=shop["booth"])
    assert signed_in.get(reverse("merchantportal:complaint", args=[mine.pk])).status_code == 404


def test_the_list_costs_a_fixed_number_of_queries(signed_in, shop, mall, django_assert_max_num_queries):
    for _n in range(6):
        forwarded(mall, shop["officer"], shop["booth"])
    for show in ("waiting", "all"):
        with django_assert_max_num_queries(12):
            assert signed_in.get(reverse("merchantportal:complaints") + f"?show={show}").status_code == 200
    with django_assert_max_num_queries(12):
        assert signed_in.get(reverse("merchantportal:home")).status_code == 200


def test_staff_get_404_from_the_portal(client, shop, staff):
    for role in (Role.CLERK, Role.COMPLAINT_OFFICER, Role.MANAGER):
        client.force_login(staff(role))
        assert client.get(reverse("merchantportal:home")).status_code == 404
        assert client.get(reverse("merchantportal:complaint", args=[shop["complaint"].pk])).status_code == 404


def test_two_users_of_one_merchant_see_the_same_complaints(client, shop):
    second = merchant_user(shop["merchant"], mobile="13900000002", name="导购小李")
    client.force_login(second.user)
    assert client.get(reverse("merchantportal:complaint", args=[shop["complaint"].pk])).status_code == 200


def test_a_staff_page_asks_nothing_of_merchant_accounts(client, staff):
    # Staff are known by the memberships every staff request loads: telling them from merchant
    # users costs no query of its own on any staff page.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff(Role.COMPLAINT_OFFICER))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("complaints:index")).status_code == 200
    assert not [q for q in queries.captured_queries if "merchantuser" in q["sql"].lower()]
