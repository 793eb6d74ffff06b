"""The enquiry log: quick entry, customer carried into complaint or return, daily counts."""

from datetime import date
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from frontdesk import services
from frontdesk.models import Enquiry
from frontdesk.selectors import enquiry_counts
from servicedesk.models import Customer
from tests.factories import CustomerFactory
from tests.frontdesk.conftest import at
from tests.frontdesk.factories import EnquiryFactory

pytestmark = pytest.mark.django_db


def record(mall, actor, **kwargs):
    fields = {"channel": "walk_in", "topic": "directions", "question": "洗手间在哪？", "answer": "二楼东侧"}
    return services.enquiry_record(mall=mall, actor=actor, **{**fields, **kwargs})


def test_an_enquiry_with_a_known_mobile_finds_the_customer(mall, desk, clock):
    known = CustomerFactory(mall=mall, name="王先生", mobile="13812345678")
    enquiry = record(mall, desk, customer_name="王先生", customer_mobile="138-1234-5678")
    assert enquiry.customer == known
    assert Customer.objects.count() == 1
    assert enquiry.received_at == at(2026, 3, 2, 15, 0) and enquiry.received_on == date(2026, 3, 2)


def test_name_and_mobile_come_together_and_a_bad_mobile_is_explained(mall, desk):
    with pytest.raises(ValidationError) as refused:
        record(mall, desk, customer_mobile="13812345678")
    assert "customer_name" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        record(mall, desk, customer_name="王先生", customer_mobile="1234")
    assert "customer_mobile" in refused.value.message_dict
    assert not Enquiry.objects.exists() and not Customer.objects.exists()


@pytest.mark.parametrize(("kind", "section"), [("complaint", "/complaints/"), ("return", "/returns/")])
def test_conversion_opens_the_intake_with_the_customer_carried_over(kind, section, client, mall, desk, clock):
    enquiry = record(mall, desk, topic="complaint", customer_name="李女士", customer_mobile="13912345678")
    client.force_login(desk)
    response = client.get(reverse("frontdesk:enquiry_convert", args=[enquiry.pk, kind]))
    assert response.status_code == 302
    target = urlparse(response.url)
    assert target.path.startswith(section)
    assert parse_qs(target.query) == {"customer": [str(enquiry.customer_id)], "enquiry": [str(enquiry.pk)]}
    assert Customer.objects.get(pk=parse_qs(target.query)["customer"][0]).name == "李女士"


def test_an_enquiry_without_a_customer_cannot_be_converted(client, mall, desk):
    enquiry = record(mall, desk)
    client.force_login(desk)
    response = client.get(reverse("frontdesk:enquiry_convert", args=[enquiry.pk, "complaint"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("frontdesk:enquiries")


def test_the_case_app_marks_the_enquiry_converted_once(mall, desk):
    enquiry = record(mall, desk, customer_name="李女士", customer_mobile="13912345678")
    services.enquiry_mark_converted(enquiry=enquiry, kind="complaint", reference="TS-SH01-20260302-0001", actor=desk)
    enquiry.refresh_from_db()
    assert (enquiry.converted_to, enquiry.converted_reference) == ("complaint", "TS-SH01-20260302-0001")
    with pytest.raises(ValidationError):
        services.enquiry_mark_converted(enquiry=enquiry, kind="return", reference="TH-1", actor=desk)


def test_daily_counts_by_channel_and_topic(mall, other_mall, desk, clock, django_assert_num_queries):
    EnquiryFactory.create_batch(3, mall=mall, recorded_by=desk, channel="phone", topic="delivery")
    EnquiryFactory.create_batch(2, mall=mall, recorded_by=desk, channel="walk_in", topic="directions")
    EnquiryFactory(mall=mall, recorded_by=desk, received_at=at(2026, 3, 1, 20, 0))  # yesterday
    EnquiryFactory(mall=other_mall, recorded_by=desk)
    with django_assert_num_queries(2):
        counts = enquiry_counts(mall, date(2026, 3, 2))
    assert counts["total"] == 5
    assert counts["by_channel"] == {"walk_in": 2, "phone": 3}
    assert [n for _label, n in counts["by_topic"]] == [3, 2]


def test_an_enquiry_becomes_a_return_with_its_customer_and_knows_it(client, mall, desk):
    from tests.merchants.factories import MerchantFactory

    enquiry = record(mall, desk, topic="return", customer_name="李女士", customer_mobile="13912345678")
    merchant = MerchantFactory(mall=mall)
    client.force_login(desk)
    start = client.get(reverse("frontdesk:enquiry_convert", args=[enquiry.pk, "return"])).url
    form = client.get(start).context["form"]
    assert form.initial == {"customer_name": "李女士", "customer_mobile": "13912345678"}
    today = timezone.localdate().isoformat()
    response = client.post(
        start,
        {
            "customer_name": "李女士",
            "customer_mobile": "13912345678",
            "kind": "no_reason",
            "merchant": merchant.pk,
            "goods": "餐椅",
            "quantity": "1",
            "price_paid": "800",
            "payment_date": today,
            "voucher_number": "SY1",
            "via_unified_cashier": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    enquiry.refresh_from_db()
    assert enquiry.converted_to == "return" and enquiry.converted_reference.startswith("TH-SH01-")
    from returns.models import ReturnRequest

    assert ReturnRequest.objects.get().customer_id == enquiry.customer_id


def test_an_enquiry_opens_the_complaint_intake_with_its_customer(client, mall, desk):
    enquiry = record(mall, desk, topic="complaint", customer_name="李女士", customer_mobile="13912345678")
    client.force_login(desk)
    start = client.get(reverse("frontdesk:enquiry_convert", args=[enquiry.pk, "complaint"])).url
    assert urlparse(start).path == reverse("complaints:intake")
    form = client.get(start).context["form"]
    assert (form.initial["customer_name"], form.initial["customer_mobile"]) == ("李女士", "13912345678")


def test_after_saving_the_form_is_open_again_for_the_next_caller_on_the_same_channel(client, mall, desk):
    client.force_login(desk)
    response = client.post(
        reverse("frontdesk:enquiries"),
        {
            "channel": "phone",
            "topic": "parking",
            "question": "停车怎么收费？",
            "answer": "两小时免费",
            "minutes_taken": 1,
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#enquiry-entry")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert '<details class="card mb-3 no-print" id="enquiry-entry" open>' in html
    form = page.context["form"]
    assert not form.is_bound and form.initial["channel"] == "phone", "a phone shift stays on phone"
    assert "autofocus" in form.fields["topic"].widget.attrs
    assert "咨询已登记" in html


def test_the_form_opens_with_the_customer_from_their_page_or_the_phone_search(client, mall, other_mall, desk):
    client.force_login(desk)
    customer = CustomerFactory(mall=mall, name="孙女士", mobile="13512345678")
    form = client.get(reverse("frontdesk:enquiries"), {"customer": customer.pk}).context["form"]
    assert form.initial["customer_name"] == "孙女士" and form.initial["customer_mobile"] == "13512345678"
    stranger = CustomerFactory(mall=other_mall)
    form = client.get(reverse("frontdesk:enquiries"), {"customer": stranger.pk}).context["form"]
    assert "customer_name" not in form.initial, "another mall's customer fills nothing"
    form = client.get(reverse("frontdesk:enquiries"), {"mobile": "135 0000 1111"}).context["form"]
    assert form.initial["customer_mobile"] == "13500001111"
