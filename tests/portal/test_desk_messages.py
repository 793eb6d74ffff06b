"""The desk's side of the customer conversation (issue #18 §1): the complaint page lists the
customer's messages and photos and lets the officer write to the customer."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.models import Status
from portal.models import CaseMessage
from portal.services import customer_send, link_issue, link_open
from tests.complaints.factories import ComplaintFactory

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def officer(staff):
    return staff("complaint_officer", first_name="小李", last_name="王大锤")


def test_the_officer_writes_to_the_customer_from_the_complaint_page(client, mall, officer):
    complaint = ComplaintFactory(mall=mall, status=Status.ASSIGNED, assignee=officer)
    token = link_issue(case=complaint, purpose="t")
    link, _case, _expired = link_open(token)
    customer_send(link=link, text="坐垫开裂", photos=[SimpleUploadedFile("a.png", PNG, content_type="image/png")])
    client.force_login(officer)
    html = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert 'id="customer-messages"' in html and "坐垫开裂" in html and 'id="send-customer-message"' in html
    photo = CaseMessage.objects.exclude(photo="").get()
    download = client.get(reverse("complaints:customer_photo", args=[complaint.pk, photo.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "image/png"

    response = client.post(reverse("complaints:customer_message", args=[complaint.pk]), {"text": "明天上门查看。"})
    assert response.status_code == 302 and response.url.endswith("#customer-messages")
    page = client.get(reverse("portal:case", args=[token])).content.decode()
    assert "明天上门查看。" in page and "小李" in page and "王大锤" not in page

    response = client.post(reverse("complaints:customer_message", args=[complaint.pk]), {"text": "  "}, follow=True)
    assert "请" in response.content.decode() and CaseMessage.objects.filter(direction="to_customer").count() == 1


def test_readers_and_closed_cases_cannot_write(client, mall, officer, staff):
    complaint = ComplaintFactory(mall=mall, status=Status.ASSIGNED, assignee=officer)
    client.force_login(staff("head_office", in_mall=None))
    assert client.post(reverse("complaints:customer_message", args=[complaint.pk]), {"text": "x"}).status_code in (
        403,
        404,
    )
    closed = ComplaintFactory(mall=mall, status=Status.WITHDRAWN, assignee=officer, closed_at=complaint.received_at)
    client.force_login(officer)
    html = client.get(reverse("complaints:detail", args=[closed.pk])).content.decode()
    assert 'id="send-customer-message"' not in html
    assert not CaseMessage.objects.exists()
