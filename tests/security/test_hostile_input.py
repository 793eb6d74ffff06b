"""Hostile input through the real forms and search boxes (hypothesis).

Every form of the desk that people type into is posted with a valid baseline in which one field
is replaced by random or malicious text: script tags, SQL, 5,000-character strings, zero-width
and full-width characters, emoji, NUL bytes, impossible dates. The answer must be a field
message (200) or a saved record (302) whose page shows the text escaped; never a 500 (the test
client re-raises a server error, so a 500 fails the example).
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servicedesk.roles import Role
from tests.merchants.factories import BoothFactory, MerchantFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
MALICIOUS = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE complaints_complaint; --",
    "1' OR '1'='1",
    "x" * 5000,
    "沙发" * 1500,
    "\u200b\u200c\u200d\ufeff",
    "１３８１２３４５６７８",
    "１３８ １２３４ ５６７８",
    "😀🛋️👨‍👩‍👧",
    "abc\x00def",
    "\x00",
    "2026-02-30",
    "9999-99-99",
    "0000-00-00T25:61",
    "-1",
    "1e309",
    "NaN",
    '=HYPERLINK("http://x","y")',
    "{{ settings.SECRET_KEY }}",
    "%s%s%s%n",
    "../../etc/passwd",
    "\r\n\r\nSet-Cookie: x=1",
]
hostile = st.one_of(
    st.sampled_from(MALICIOUS),
    st.text(max_size=40),
    st.builds(lambda a, b: a + b, st.sampled_from(MALICIOUS), st.text(max_size=10)),
)
FEW = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def today(days=0):
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def now_minute():
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def booth(mall):
    return BoothFactory(merchant=MerchantFactory(mall=mall))


# url name, role that uses the form, baseline (a function of the booth: ids differ per test)
FORMS = {
    "customers:create": (
        Role.FRONT_DESK,
        lambda booth: {"name": "张三", "mobile": "13812345678", "other_phone": "", "address": "", "notes": ""},
    ),
    "complaints:intake": (
        Role.FRONT_DESK,
        lambda booth: {
            "customer_mobile": "138 1234 5678",
            "customer_name": "张女士",
            "customer_address": "上海市普陀区金沙江路100号",
            "channel": "walk_in",
            "received_at": now_minute(),
            "booth": f"{booth.number} {booth.merchant.brand}",
            "purchase_date": today(30),
            "delivery_date": today(20),
            "purchase_amount": "6800.00",
            "goods": "三人位布艺沙发",
            "voucher_number": "SY001",
            "paid_via_unified_cashier": "yes",
            "category": "Q",
            "demand": "repair",
            "facts": "坐垫开裂",
        },
    ),
    "returns:new": (
        Role.FRONT_DESK,
        lambda booth: {
            "customer_name": "张三",
            "customer_mobile": "13812345678",
            "kind": "no_reason",
            "merchant": booth.merchant_id,
            "goods": "沙发",
            "quantity": "1",
            "price_paid": "800.00",
            "payment_date": today(3),
        },
    ),
    "merchants:register": (
        Role.CLERK,
        lambda booth: {
            "brand": "新品牌",
            "company_name": "新公司",
            "category": "furniture",
            "credit_code": "913101070000001237",
            "mobile": "13812345678",
            "booth_floor": "9F",
            "booth_number": "9F-Z-001",
            "deposit_required": "0",
        },
    ),
    "frontdesk:enquiries": (
        Role.FRONT_DESK,
        lambda booth: {
            "channel": "walk_in",
            "topic": "complaint",
            "question": "沙发开裂",
            "answer": "请到总台登记投诉",
            "minutes_taken": "3",
            "customer_name": "李女士",
            "customer_mobile": "139 1234 5678",
        },
    ),
    "complaints:staff_create": (
        Role.FRONT_DESK,
        lambda booth: {
            "caller_name": "刘先生",
            "caller_phone": "021-6234 5678",
            "staff_name": "3号导购",
            "issue": "attitude",
            "description": "态度冷淡",
            "received_at": now_minute(),
        },
    ),
    "frontdesk:handover_new": (
        Role.FRONT_DESK,
        lambda booth: {"shift": "morning", "keys_and_items": "钥匙", "open_matters": "", "notes": ""},
    ),
    "merchants:inspection_new": (
        Role.PRICE_TAG_OFFICER,
        lambda booth: {"booth": booth.pk, "items_checked": "10", "inspected_at": now_minute(), "notes": ""},
    ),
}


def assert_escaped(response):
    page = response.content.decode(errors="replace")
    assert SCRIPT not in page, "a saved value was rendered unescaped"
    assert "<img src=x onerror" not in page


@pytest.mark.parametrize("url_name", sorted(FORMS))
def test_each_baseline_saves(url_name, client, staff, booth):
    """The baselines are valid, so a hostile value in one field is what decides the answer."""
    role, baseline = FORMS[url_name]
    client.force_login(staff(role))
    response = client.post(reverse(url_name), baseline(booth))
    errors = response.context["form"].errors if response.status_code == 200 else None
    assert response.status_code == 302, errors


@pytest.mark.parametrize("url_name", sorted(FORMS))
def test_forms_answer_hostile_text_with_a_message_or_an_escaped_record(url_name, client, staff, booth):
    role, baseline = FORMS[url_name]
    client.force_login(staff(role))
    url = reverse(url_name)
    fields = sorted(baseline(booth))

    @FEW
    @given(field=st.sampled_from(fields), value=hostile)
    def post(field, value):
        data = baseline(booth) | {field: value}
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        assert_escaped(response)

    post()


SEARCHES = {
    "customers:list": Role.FRONT_DESK,
    "complaints:index": Role.COMPLAINT_OFFICER,
    "complaints:register_export": Role.COMPLAINT_OFFICER,
    "complaints:customer_lookup": Role.FRONT_DESK,
    "merchants:index": Role.CLERK,
    "merchants:inspections": Role.CLERK,
    "returns:index": Role.FRONT_DESK,
    "returns:summary": Role.MANAGER,
    "returns:eligibility": Role.FRONT_DESK,
    "compensations:register": Role.MANAGER,
    "followups:index": Role.COMPLAINT_OFFICER,
    "followups:register": Role.MANAGER,
    "frontdesk:enquiries": Role.FRONT_DESK,
    "frontdesk:handovers": Role.FRONT_DESK,
    "frontdesk:broadcast": Role.FRONT_DESK,
    "reports:weekly": Role.MANAGER,
    "reports:appraisal": Role.MANAGER,
    "reports:archive": Role.MANAGER,
}
PARAMETERS = ["q", "status", "category", "mall", "date_from", "date_to", "from", "to", "week", "month", "day", "page"]
PARAMETERS += ["mobile", "merchant", "booth", "kind", "sort", "o"]


@pytest.mark.parametrize("url_name", sorted(SEARCHES))
def test_search_and_filter_parameters_never_fail(url_name, client, staff, booth):
    client.force_login(staff(SEARCHES[url_name]))
    url = reverse(url_name)

    @FEW
    @given(parameter=st.sampled_from(PARAMETERS), value=hostile)
    def search(parameter, value):
        response = client.get(url, {parameter: value}, follow=True)
        assert response.status_code in (200, 400, 404)
        assert_escaped(response)

    search()


@pytest.mark.parametrize("url_name", ["customers:list", "complaints:index", "merchants:index", "returns:index"])
def test_a_nul_byte_in_a_search_is_dropped_not_a_500(url_name, client, staff):
    client.force_login(staff(Role.MANAGER))
    response = client.get(reverse(url_name), {"q": "张\x00三", "mall": "\x00"})
    assert response.status_code == 200
