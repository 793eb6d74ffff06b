"""Every upload of the desk is served with the type its bytes show, `nosniff`, and as a download
unless it is a JPEG, PNG or PDF (issue #14, findings 1 and 10)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from complaints.models import ComplaintAttachment
from complaints.services import complaint_attach
from followups.models import CallbackKind, HomeVisit, HomeVisitPhoto
from merchants.models import DocumentKind
from merchants.services import document_upload
from servicedesk.roles import Role
from servicedesk.uploads import serve_upload, sniff_content_type
from tests.compensations.factories import escalated_complaint, propose
from tests.complaints.factories import ComplaintFactory
from tests.followups.factories import CallbackFactory
from tests.merchants.factories import PDF_BYTES, PNG_BYTES, MerchantFactory, document_file, photo_file

pytestmark = pytest.mark.django_db

HTML_AS_PNG = b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"
PLAIN_HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def assert_safe(response, content_type, inline):
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline" if inline else "attachment"), disposition
    assert "script-src" not in response["Content-Security-Policy"]  # default-src 'none' covers scripts
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PNG_BYTES, "image/png"),
        (HTML_AS_PNG, "image/png"),
        (PDF_BYTES, "application/pdf"),
        (b"\xff\xd8\xff\xe0JFIF", "image/jpeg"),
        (PLAIN_HTML, "application/octet-stream"),
        (b"<svg onload=alert(1)>", "application/octet-stream"),
        (b"", "application/octet-stream"),
    ],
)
def test_the_type_comes_from_the_bytes(content, expected):
    assert sniff_content_type(ContentFile(content)) == expected


def test_a_file_that_is_not_an_image_or_pdf_is_only_ever_downloaded(tmp_path):
    class Stored:
        def open(self, mode):
            return ContentFile(PLAIN_HTML, name="evidence.png")

    response = serve_upload(Stored(), "evidence.png")
    assert_safe(response, "application/octet-stream", inline=False)
    assert 'filename="evidence.bin"' in response["Content-Disposition"]
    assert "sandbox" in response["Content-Security-Policy"]


def test_complaint_attachment_sent_as_html_is_stored_and_served_as_png(client, mall, staff):
    desk = staff(Role.FRONT_DESK)
    complaint = ComplaintFactory(mall=mall)
    upload = SimpleUploadedFile("sofa.png", HTML_AS_PNG, content_type="text/html")
    attachment = complaint_attach(complaint=complaint, actor=desk, upload=upload)
    assert ComplaintAttachment.objects.get(pk=attachment.pk).content_type == "image/png"
    client.force_login(desk)
    response = client.get(reverse("complaints:attachment", args=[complaint.pk, attachment.pk]))
    assert_safe(response, "image/png", inline=True)


def test_evidence_stored_before_the_fix_with_the_browsers_type_is_served_by_its_bytes(client, mall, staff):
    officer = staff(Role.COMPLAINT_OFFICER)
    compensation = propose(escalated_complaint(mall), officer, "300.00", evidence=[photo_file("e.png")])
    evidence = compensation.evidence.get()
    # A row written by the old code: the uploader's claim stored, the file's bytes replaced by HTML.
    type(evidence).objects.filter(pk=evidence.pk).update(content_type="text/html")
    with evidence.file.open("wb") as handle:
        handle.write(PLAIN_HTML)
    client.force_login(staff(Role.MANAGER))
    response = client.get(reverse("compensations:evidence", args=[compensation.pk, evidence.pk]))
    assert_safe(response, "application/octet-stream", inline=False)


def test_merchant_document_and_compensation_receipt_are_served_safely(client, mall, staff):
    clerk = staff(Role.CLERK)
    merchant = MerchantFactory(mall=mall)
    document = document_upload(merchant=merchant, actor=clerk, kind=DocumentKind.LICENCE, file=document_file())
    client.force_login(clerk)
    response = client.get(reverse("merchants:document_file", args=[merchant.pk, document.pk]))
    assert_safe(response, "application/pdf", inline=True)
    assert "sandbox" not in response["Content-Security-Policy"]  # Chromium's PDF viewer refuses sandboxing


def test_home_visit_photos_are_served_by_an_authenticated_view_not_media(client, mall, other_mall, staff):
    officer = staff(Role.COMPLAINT_OFFICER)
    complaint = ComplaintFactory(mall=mall)
    callback = CallbackFactory(
        sale=None, mall=mall, customer=complaint.customer, complaint=complaint, kind=CallbackKind.HOME_VISIT
    )
    callback.assignee = officer
    callback.save(update_fields=["assignee"])
    visit = HomeVisit.objects.create(
        mall=mall, callback=callback, visit_on=timezone.localdate(), address="上海市普陀区", officer=officer
    )
    photo = HomeVisitPhoto.objects.create(visit=visit, image=photo_file("sofa.png"))
    url = reverse("followups:visit_photo", args=[callback.pk, photo.pk])

    client.force_login(officer)
    page = client.get(reverse("followups:callback", args=[callback.pk])).content.decode()
    assert url in page and "/media/" not in page
    assert_safe(client.get(url), "image/png", inline=True)

    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(staff(Role.COMPLAINT_OFFICER, in_mall=other_mall))
    assert client.get(url).status_code == 404
