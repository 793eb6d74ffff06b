"""12315/12345 referrals in (through complaint_register) and out (acceptance, mediation result)."""

import base64
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from api.models import Referral
from complaints.models import Channel, Complaint, ComplaintAttachment, DeadlineKind, NotAcceptedReason
from complaints.services import complaint_assign, complaint_not_accept
from servicedesk.roles import Role
from tests.merchants.factories import PNG_BYTES, BoothFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/referrals/"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _before_national_day():
    # Wednesday 30 September 2026: 1-7 October are the National Day holiday, Saturday 10
    # October is a make-up working day (the State Council's 2026 calendar).
    with time_machine.travel(datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI), tick=False):
        yield


def referral(**overrides):
    data = {
        "mall": "SH01",
        "platform": "12315",
        "external_reference": "3101070002026093000123",
        "customer_name": "刘先生",
        "customer_mobile": "13911223344",
        "customer_address": "上海市普陀区真北路1号",
        "category": "Q",
        "demand": "return",
        "facts": "12315转办：沙发开裂，要求退货。",
    }
    data.update(overrides)
    return data


def shanghai(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def test_a_referral_becomes_a_complaint_through_the_desks_intake(make_client, mall):
    client, http = make_client(scopes=["referrals:write"])
    answer = http.post(URL, referral(), format="json")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    complaint = Complaint.objects.get(number=body["complaint"])
    assert complaint.channel == Channel.HOTLINE_12315 and complaint.registered_by == client.user
    assert complaint.customer.mobile == "13911223344"
    assert body["created"] is True and body["status"] == "registered"
    assert body["outcome"]["acceptance"] == "pending"


def test_the_platforms_deadline_runs_on_the_working_day_calendar(make_client, mall):
    _client, http = make_client(scopes=["referrals:write"])
    default = http.post(URL, referral(), format="json").json()
    # 7 working days from Wed 30 Sep: 8, 9, 10 (make-up Saturday), 12, 13, 14, 15 October.
    assert datetime.fromisoformat(default["outcome"]["decision_due_at"]) == shanghai(2026, 10, 15, 10, 0)
    short = http.post(
        URL, referral(external_reference="R-2", platform="12345", deadline_working_days=3), format="json"
    ).json()
    assert datetime.fromisoformat(short["outcome"]["decision_due_at"]) == shanghai(2026, 10, 10, 10, 0)
    complaint = Complaint.objects.get(number=short["complaint"])
    assert complaint.channel == Channel.HOTLINE_12345
    assert complaint.deadlines.get(kind=DeadlineKind.REFERRAL).due_at == shanghai(2026, 10, 10, 10, 0)


def test_the_same_reference_again_answers_the_same_referral(make_client, mall):
    _client, http = make_client(scopes=["referrals:write"])
    first = http.post(URL, referral(), format="json")
    again = http.post(URL, referral(facts="重复推送"), format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["complaint"] == first.json()["complaint"] and again.json()["created"] is False
    assert Complaint.objects.count() == 1


def test_attachments_are_checked_and_kept(make_client, mall):
    _client, http = make_client(scopes=["referrals:write"])
    good = {"name": "photo.png", "content_base64": base64.b64encode(PNG_BYTES).decode()}
    answer = http.post(URL, referral(attachments=[good]), format="json")
    assert answer.status_code == 201
    assert ComplaintAttachment.objects.get().original_name == "photo.png"
    bad = {"name": "x.exe", "content_base64": base64.b64encode(b"MZ\x90\x00" * 10).decode()}
    refused = http.post(URL, referral(external_reference="R-3", attachments=[bad]), format="json")
    assert refused.status_code == 400 and refused.json()["fields"]
    not_base64 = {"name": "a.png", "content_base64": "***"}
    assert (
        http.post(URL, referral(external_reference="R-4", attachments=[not_base64]), format="json").status_code == 400
    )
    assert Complaint.objects.count() == 1, "a refused referral leaves nothing behind"


def test_bad_referrals_get_every_error_at_once_and_change_nothing(make_client, mall):
    _client, http = make_client(scopes=["referrals:write"])
    answer = http.post(
        URL, referral(platform="110", category="Z", customer_mobile="", facts="", booth="9Z-999"), format="json"
    )
    assert answer.status_code == 400
    assert {"platform", "category", "customer_mobile", "facts"} <= set(answer.json()["fields"])
    unknown_booth = http.post(URL, referral(booth="9Z-999"), format="json")
    assert unknown_booth.status_code == 400 and "booth" in unknown_booth.json()["fields"]
    assert not Complaint.objects.exists() and not Referral.objects.exists()


def test_a_booth_links_the_merchant(make_client, mall):
    booth = BoothFactory(merchant__mall=mall, number="2F-A-001")
    _client, http = make_client(scopes=["referrals:write"])
    body = http.post(URL, referral(booth="2f-a-001"), format="json").json()
    assert Complaint.objects.get(number=body["complaint"]).merchant == booth.merchant


def test_the_outcome_follows_the_desks_decision(make_client, mall, staff):
    _client, http = make_client(scopes=["referrals:write"])
    accepted = http.post(URL, referral(), format="json").json()
    declined = http.post(URL, referral(external_reference="R-9"), format="json").json()
    supervisor, officer = staff(Role.SUPERVISOR), staff(Role.COMPLAINT_OFFICER)
    complaint_assign(complaint=Complaint.objects.get(number=accepted["complaint"]), actor=supervisor, assignee=officer)
    complaint_not_accept(
        complaint=Complaint.objects.get(number=declined["complaint"]),
        actor=supervisor,
        reason=NotAcceptedReason.values[0],
        note="已在别处处理",
    )
    one = http.get(URL + "3101070002026093000123/").json()["outcome"]
    assert one["acceptance"] == "accepted" and one["decided_in_time"] is True and one["mediation"] == "open"
    two = http.get(URL + "R-9/").json()["outcome"]
    assert two["acceptance"] == "not_accepted" and two["not_accepted_reason"] == NotAcceptedReason.values[0]
    assert two["note"] == "已在别处处理"


def test_another_malls_referral_is_404_and_its_mall_refused(make_client, mall, other_mall):
    _mine, http = make_client(scopes=["referrals:write"])
    http.post(URL, referral(), format="json")
    _theirs, other = make_client(scopes=["referrals:write"], malls=[other_mall])
    assert other.get(URL + "3101070002026093000123/").status_code == 404
    assert other.post(URL, referral(external_reference="R-5"), format="json").status_code == 400
    clash = other.post(URL, referral(mall="WX01"), format="json")
    assert clash.status_code == 400 and "external_reference" in clash.json()["fields"]


@pytest.mark.django_db(transaction=True)
def test_the_connector_polls_outcomes_since_a_cursor(make_client, mall, staff):
    _client, http = make_client(scopes=["referrals:write"])
    first = http.get(URL).json()
    created = http.post(URL, referral(), format="json").json()
    page = http.get(URL + f"?since={first['next_cursor']}").json()
    assert [r["external_reference"] for r in page["results"]] == ["3101070002026093000123"]
    complaint_assign(
        complaint=Complaint.objects.get(number=created["complaint"]),
        actor=staff(Role.SUPERVISOR),
        assignee=staff(Role.COMPLAINT_OFFICER),
    )
    later = http.get(URL + f"?since={page['next_cursor']}").json()
    assert [r["outcome"]["acceptance"] for r in later["results"]] == ["accepted"]
