"""Online intake /m/<mall code>/ (issue #18 §5, §6): the mobile confirmed by a 6-digit SMS code
(5 minutes, 5 tries, 5 codes per mobile and 20 per address an hour), then a complaint (channel
网络) through complaint_register with the desk's rules and messages, the number and link on
screen and by SMS; privacy notice and consent, noindex, no staff links."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from complaints.models import Channel, Complaint, ComplaintAttachment
from complaints.services.customer import CUSTOMER_LINK_USERNAME
from portal import intake
from portal.models import VerificationCode
from servicedesk.models import Notification
from sms.models import SmsMessage
from tests.merchants.factories import BoothFactory

pytestmark = pytest.mark.django_db

MOBILE = "13912345678"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def booth(mall):
    return BoothFactory(merchant__mall=mall, merchant__brand="木语实木")


@pytest.fixture
def codes(monkeypatch):
    """The codes the SMS would carry, in order (the outbox scrubs them once sent)."""
    issued = iter(["246810", "135791", "864200", "975310", "112233", "445566", "778899"] * 4)
    sent = []

    def new_code():
        sent.append(next(issued))
        return sent[-1]

    monkeypatch.setattr(intake, "new_code", new_code)
    return sent


def start_url(mall):
    return reverse("intake:start", args=[mall.code])


def ask_code(client, mall, mobile=MOBILE, purpose="complaint", address="10.0.0.1", consent="on"):
    return client.post(start_url(mall), {"purpose": purpose, "mobile": mobile, "consent": consent}, REMOTE_ADDR=address)


def confirm(client, mall, codes, mobile=MOBILE):
    assert ask_code(client, mall, mobile).status_code == 302
    return client.post(reverse("intake:code", args=[mall.code]), {"code": codes[-1]})


def complaint_data(the_booth, **overrides):
    data = {
        "customer_name": "陈先生",
        "booth": the_booth.pk,
        "goods": "布艺沙发",
        "purchase_date": (timezone.localdate() - timedelta(days=20)).isoformat(),
        "voucher_number": "SY20261101001",
        "category": "Q",
        "demand": "repair",
        "facts": "沙发坐垫两周就开裂了。",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_a_customer_files_a_complaint_online(client, mall, booth, staff, codes):
    desk = staff("front_desk")
    page = client.get(start_url(mall))
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex, nofollow"
    html = page.content.decode()
    assert 'id="privacy-notice"' in html and 'name="consent"' in html and mall.service_phone in html
    response = ask_code(client, mall, mobile="139 1234 5678")
    assert response.status_code == 302 and response.url == reverse("intake:code", args=[mall.code])
    sms = SmsMessage.objects.get(event="verification_code")
    assert sms.mobile == MOBILE and sms.params["code"] == codes[-1] and codes[-1] not in sms.text
    assert "139****5678" in client.get(response.url).content.decode()
    response = client.post(response.url, {"code": codes[-1]})
    assert response.status_code == 302 and response.url == reverse("intake:complaint", args=[mall.code])
    form_page = client.get(response.url).content.decode()
    assert "2F-A" in form_page and "木语实木" in form_page
    photo = SimpleUploadedFile("goods.png", PNG, content_type="image/png")
    done = client.post(response.url, {**complaint_data(booth), "attachments": [photo]})
    assert done.status_code == 200, done.content.decode()[:2000]
    complaint = Complaint.objects.get()
    assert complaint.channel == Channel.ONLINE and complaint.customer.mobile == MOBILE
    assert complaint.registered_by.username == CUSTOMER_LINK_USERNAME and complaint.merchant == booth.merchant
    assert complaint.first_contact_at is None, "not face to face: the first-contact clock runs"
    assert ComplaintAttachment.objects.filter(complaint=complaint).count() == 1
    html = done.content.decode()
    assert complaint.number in html and 'id="status-link"' in html
    assert SmsMessage.objects.filter(key=f"complaint:{complaint.pk}:registered").exists()
    assert Notification.objects.filter(recipient=desk, key=f"complaint:{complaint.pk}:online").exists()
    status_path = html.split('id="status-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert complaint.number in client.get(status_path).content.decode()
    # The confirmation is spent: another complaint needs a new code.
    again = client.get(reverse("intake:complaint", args=[mall.code]))
    assert again.status_code == 302 and again.url == start_url(mall)


def test_every_error_at_once_and_nothing_saved(client, mall, booth, codes):
    confirm(client, mall, codes)
    url = reverse("intake:complaint", args=[mall.code])
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    bad = SimpleUploadedFile("virus.exe", b"MZ" + b"\x00" * 30, content_type="application/octet-stream")
    response = client.post(
        url,
        complaint_data(
            booth, customer_name="", facts="", purchase_date=future, category="O", consent="", attachments=[bad]
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"customer_name", "facts", "purchase_date", "category_other", "consent", "attachments"} <= set(form.errors)
    html = response.content.decode()
    assert "请阅读隐私说明并勾选同意" in html
    assert not Complaint.objects.exists()
    # Fixed, it goes through with the same confirmation.
    assert client.post(url, complaint_data(booth)).status_code == 200
    assert Complaint.objects.count() == 1


def test_a_booth_of_another_mall_or_inactive_is_refused(client, mall, other_mall, booth, codes):
    elsewhere = BoothFactory(merchant__mall=other_mall)
    closed = BoothFactory(merchant__mall=mall, is_active=False)
    confirm(client, mall, codes)
    url = reverse("intake:complaint", args=[mall.code])
    page = client.get(url).content.decode()
    assert elsewhere.number not in page and closed.number not in page
    for wrong in (elsewhere.pk, closed.pk, "abc"):
        response = client.post(url, complaint_data(booth, booth=wrong))
        assert "booth" in response.context["form"].errors
    assert not Complaint.objects.exists()


def test_the_form_needs_a_confirmed_mobile(client, mall, booth, codes):
    url = reverse("intake:complaint", args=[mall.code])
    assert client.get(url).url == start_url(mall)
    assert client.post(url, complaint_data(booth)).url == start_url(mall)
    ask_code(client, mall)
    assert client.post(url, complaint_data(booth)).url == start_url(mall), "asked, not confirmed"
    assert not Complaint.objects.exists()


def test_consent_and_a_valid_mobile_are_needed_for_a_code(client, mall, codes):
    response = ask_code(client, mall, consent="")
    assert response.status_code == 200 and "consent" in response.context["form"].errors
    response = ask_code(client, mall, mobile="12345")
    assert response.status_code == 200 and "mobile" in response.context["form"].errors
    assert not VerificationCode.objects.exists() and not SmsMessage.objects.exists()


def test_a_wrong_code_counts_and_five_wrong_ones_use_it_up(client, mall, codes):
    ask_code(client, mall)
    url = reverse("intake:code", args=[mall.code])
    answers = []
    for wrong in ("000000", "12345", "abcdef", "999999"):
        response = client.post(url, {"code": wrong})
        answers.append(response.context["form"].errors["code"][0])
    assert answers[0] == "验证码不正确，还可以再试 4 次。" and answers[-1].endswith("1 次。")
    response = client.post(url, {"code": "111111"})
    assert "请重新获取" in response.context["form"].errors["code"][0]
    response = client.post(url, {"code": codes[-1]})
    assert response.status_code == 200, "the right code after five wrong ones is refused"
    assert VerificationCode.objects.get().verified_at is None


def test_a_code_expires_after_five_minutes(client, mall, codes):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        ask_code(client, mall)
        clock.shift(timedelta(minutes=5, seconds=1))
        response = client.post(reverse("intake:code", args=[mall.code]), {"code": codes[-1]})
        assert "已过期" in response.context["form"].errors["code"][0]
        assert client.post(reverse("intake:code", args=[mall.code]), {"code": codes[-1]}).status_code == 200


def test_codes_are_limited_per_mobile_and_per_address(client, mall, codes):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        answers = [ask_code(client, mall, address="10.1.1.1").status_code for _ in range(6)]
        assert answers == [302] * 5 + [200], "5 codes per mobile an hour"
        clock.shift(timedelta(hours=1, seconds=1))
        assert ask_code(client, mall, address="10.1.1.2").status_code == 302
        address = "10.9.9.9"
        answers = [ask_code(client, mall, mobile=f"1380000{n:04d}", address=address).status_code for n in range(21)]
        assert answers == [302] * 20 + [200], "20 codes per address an hour"
    assert SmsMessage.objects.filter(event="verification_code").count() == 5 + 1 + 20


def test_an_unknown_mall_is_a_plain_404(client, mall):
    response = client.get("/m/NOPE/")
    assert response.status_code == 404 and mall.service_phone in response.content.decode()


def test_public_pages_have_no_staff_links_and_no_inline_script(client, mall, booth, codes):
    pages = [client.get(start_url(mall))]
    confirm(client, mall, codes)
    pages.append(client.get(reverse("intake:complaint", args=[mall.code])))
    for page in pages:
        html = page.content.decode()
        assert "no-store" in page["Cache-Control"] and 'name="robots" content="noindex' in html
        for staff_path in ("/complaints/", "/accounts/", "/admin/", "/followups/", "/reports/"):
            assert staff_path not in html
        assert "<script>" not in html and " style=" not in html


def test_rate_limits_on_the_intake_pages(client, settings, mall):
    settings.RATELIMIT_ENABLE = True
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    with time_machine.travel(timezone.now(), tick=False):
        answers = [client.post(start_url(mall), {"mobile": "x"}, REMOTE_ADDR=address).status_code for _ in range(11)]
    assert answers[:10] == [200] * 10 and answers[10] == 429


def return_data(the_booth, **overrides):
    data = {
        "customer_name": "陈先生",
        "booth": the_booth.pk,
        "goods": "实木餐椅",
        "quantity": "2",
        "price_paid": "1280.00",
        "payment_date": (timezone.localdate() - timedelta(days=4)).isoformat(),
        "delivery_date": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "voucher_number": "SY20261101009",
        "via_unified_cashier": "on",
        "consent": "on",
    }
    data.update(overrides)
    return data


def confirm_return(client, mall, codes):
    assert ask_code(client, mall, purpose="return").status_code == 302
    response = client.post(reverse("intake:code", args=[mall.code]), {"code": codes[-1]})
    assert response.url == reverse("intake:return", args=[mall.code])
    return response.url


def test_a_no_reason_return_request_online(client, mall, booth, codes):
    from returns.models import ReturnKind, ReturnRequest

    url = confirm_return(client, mall, codes)
    done = client.post(url, return_data(booth))
    assert done.status_code == 200
    request = ReturnRequest.objects.get()
    assert request.kind == ReturnKind.NO_REASON and request.merchant == booth.merchant
    assert request.customer.mobile == MOBILE and request.registered_by.username == CUSTOMER_LINK_USERNAME
    html = done.content.decode()
    assert request.number in html and 'id="eligible"' in html
    assert SmsMessage.objects.filter(key=f"return:{request.pk}:registered").exists()
    status_path = html.split('id="status-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    page = client.get(status_path)
    assert page.status_code == 200 and request.number in page.content.decode()
    assert 'id="accept"' not in page.content.decode() and 'id="withdraw"' not in page.content.decode()


def test_an_ineligible_return_says_why_in_the_desks_words(client, mall, booth, codes):
    from returns.eligibility import assess_return
    from returns.models import ReturnRequest

    url = confirm_return(client, mall, codes)
    old = (timezone.localdate() - timedelta(days=20)).isoformat()
    done = client.post(url, return_data(booth, payment_date=old, delivery_date=old, custom_made="on"))
    html = done.content.decode()
    request = ReturnRequest.objects.get()
    reasons = assess_return(request).reasons
    assert len(reasons) == 2 and 'id="ineligible"' in html
    for reason in reasons:
        assert reason in html, "the same sentences the desk sees at check"


def test_return_errors_at_once(client, mall, booth, codes):
    from returns.models import ReturnRequest

    url = confirm_return(client, mall, codes)
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(url, return_data(booth, goods="", price_paid="-5", payment_date=future, consent=""))
    assert {"goods", "price_paid", "payment_date", "consent"} <= set(response.context["form"].errors)
    assert not ReturnRequest.objects.exists()
    # The complaint form is not open to a mobile confirmed for a return.
    assert client.get(reverse("intake:complaint", args=[mall.code])).url == start_url(mall)


def test_the_desk_prints_the_intake_pages_qr_code(client, mall, staff):
    client.force_login(staff("front_desk"))
    assert 'id="intake-poster-link"' in client.get(reverse("frontdesk:index")).content.decode()
    html = client.get(reverse("frontdesk:intake_poster")).content.decode()
    assert 'id="intake-qr"' in html and 'src="data:image/svg+xml' in html
    assert f"{start_url(mall)}</p>" in html and mall.service_phone in html
