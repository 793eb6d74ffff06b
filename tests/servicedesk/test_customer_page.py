"""The customer at the centre of the desk: the navbar's phone search and the customer's page
(everything about them in their mall, newest first, with one-click new cases)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from servicedesk.models import PhoneViewLog
from servicedesk.roles import Role
from tests.compensations.factories import escalated_complaint, propose
from tests.complaints.factories import ComplaintFactory
from tests.factories import CustomerFactory
from tests.followups.factories import CallbackFactory, SaleFactory
from tests.frontdesk.factories import EnquiryFactory
from tests.returns.factories import ReturnFactory

pytestmark = pytest.mark.django_db


def client_for(client, user):
    client.force_login(user)
    return client


# --- The phone search -------------------------------------------------------------------------


def test_a_whole_mobile_opens_the_customers_page(client, mall, staff):
    customer = CustomerFactory(mall=mall, mobile="13912345678")
    response = client_for(client, staff(Role.FRONT_DESK)).get("/customers/find/", {"q": "139 1234 5678"})
    assert response.status_code == 302 and response["Location"] == reverse("customers:detail", args=[customer.pk])


def test_the_last_four_digits_of_one_customer_open_their_page(client, mall, staff):
    customer = CustomerFactory(mall=mall, mobile="13912345678")
    CustomerFactory(mall=mall, mobile="13912340000")
    response = client_for(client, staff(Role.FRONT_DESK)).get("/customers/find/", {"q": "5678"})
    assert response["Location"] == reverse("customers:detail", args=[customer.pk])


def test_several_customers_with_the_same_last_four_digits_give_a_short_masked_choice(client, mall, staff):
    first = CustomerFactory(mall=mall, name="王女士", mobile="13912345678")
    second = CustomerFactory(mall=mall, name="赵先生", mobile="13800005678")
    CustomerFactory(mall=mall, name="无关", mobile="13800001234")
    response = client_for(client, staff(Role.FRONT_DESK)).get("/customers/find/", {"q": "5678"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "王女士" in html and "赵先生" in html and "无关" not in html
    assert "139****5678" in html and "138****5678" in html
    assert "13912345678" not in html and "13800005678" not in html, "a list shows masked numbers only"
    for customer in (first, second):
        assert reverse("customers:detail", args=[customer.pk]) in html
    assert not PhoneViewLog.objects.exists(), "nothing was shown in full, so nothing is logged"


def test_more_digits_narrow_the_choice(client, mall, staff):
    CustomerFactory(mall=mall, mobile="13912345678")
    second = CustomerFactory(mall=mall, mobile="13800005678")
    response = client_for(client, staff(Role.FRONT_DESK)).get("/customers/find/", {"q": "05678"})
    assert response["Location"] == reverse("customers:detail", args=[second.pk])


def test_an_unknown_whole_mobile_offers_new_cases_with_the_number_carried_over(client, mall, staff):
    response = client_for(client, staff(Role.FRONT_DESK)).get("/customers/find/", {"q": "13700001111"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="find-none"' in html
    assert f"{reverse('complaints:intake')}?mobile=13700001111" in html
    assert f"{reverse('returns:new')}?mobile=13700001111" in html
    assert f"{reverse('frontdesk:enquiries')}?mobile=13700001111#enquiry-entry" in html


def test_the_intake_reads_the_mobile_carried_over(client, mall, staff):
    response = client_for(client, staff(Role.FRONT_DESK)).get(reverse("complaints:intake"), {"mobile": "13700001111"})
    assert response.context["form"].initial["customer_mobile"] == "13700001111"


@pytest.mark.parametrize("typed", ["abc", "123", "1390000111122", "王"])
def test_what_is_not_a_phone_number_is_said_so(client, mall, staff, typed):
    CustomerFactory(mall=mall, mobile="13912345678")
    response = client_for(client, staff(Role.FRONT_DESK)).get("/customers/find/", {"q": typed})
    assert response.status_code == 200 and 'id="find-hint"' in response.content.decode()


def test_another_malls_customer_is_not_found(client, mall, other_mall, staff):
    CustomerFactory(mall=other_mall, mobile="13912345678")
    response = client_for(client, staff(Role.FRONT_DESK)).get("/customers/find/", {"q": "13912345678"})
    assert response.status_code == 200 and 'id="find-none"' in response.content.decode()


def test_head_office_with_all_malls_finds_in_every_mall(client, mall, other_mall, staff):
    a = CustomerFactory(mall=mall, mobile="13912345678")
    b = CustomerFactory(mall=other_mall, mobile="13912345678")
    response = client_for(client, staff(Role.HEAD_OFFICE)).get("/customers/find/", {"q": "5678"})
    html = response.content.decode()
    assert reverse("customers:detail", args=[a.pk]) in html and reverse("customers:detail", args=[b.pk]) in html
    assert "WX01" in html, "the mall is named when several malls are searched"
    assert "?mobile=" not in html, "head office opens no cases"


@pytest.mark.parametrize("role", [Role.PRICE_TAG_OFFICER, Role.ADMIN])
def test_roles_that_do_not_look_customers_up_are_refused(client, mall, staff, role):
    response = client_for(client, staff(role)).get("/customers/find/", {"q": "5678"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "role, search, shortcut",
    [
        (Role.FRONT_DESK, True, True),
        (Role.COMPLAINT_OFFICER, True, True),
        (Role.CLERK, True, False),
        (Role.SUPERVISOR, True, False),
        (Role.MANAGER, True, False),
        (Role.PRICE_TAG_OFFICER, False, False),
    ],
)
def test_every_page_has_the_phone_search_and_the_intake_shortcut_for_the_roles_that_use_them(
    client, mall, staff, role, search, shortcut
):
    html = client_for(client, staff(role)).get("/").content.decode()
    assert ('id="phone-search"' in html) is search
    assert ('data-shortcut="F2"' in html) is shortcut
    if shortcut:
        assert f'href="{reverse("complaints:intake")}" data-shortcut="F2"' in html
    assert "desk.js" in html


# --- The customer's page ----------------------------------------------------------------------


def _history(mall, staff, customer, n=1):
    """n of every kind of record for `customer`, at known times."""
    now = timezone.now()
    officer = staff(Role.COMPLAINT_OFFICER)
    records = {"complaints": [], "sales": [], "returns": [], "callbacks": [], "enquiries": [], "compensations": []}
    for i in range(n):
        records["complaints"].append(
            ComplaintFactory(mall=mall, customer=customer, received_at=now - timedelta(days=10 + i))
        )
        sale = SaleFactory(mall=mall, customer=customer, paid_at=now - timedelta(days=30 + i), goods=f"餐桌{i}")
        records["sales"].append(sale)
        records["returns"].append(ReturnFactory(merchant__mall=mall, mall=mall, customer=customer))
        records["callbacks"].append(CallbackFactory(sale=sale, due_on=timezone.localdate() - timedelta(days=i)))
        records["enquiries"].append(
            EnquiryFactory(mall=mall, customer=customer, received_at=now - timedelta(hours=i + 1))
        )
        complaint = escalated_complaint(mall, customer=customer, received_at=now - timedelta(days=40 + i))
        records["compensations"].append(propose(complaint, officer))
    return records


def test_the_page_lists_everything_newest_first_with_links(client, mall, staff):
    customer = CustomerFactory(mall=mall, mobile="13912345678")
    records = _history(mall, staff, customer)
    response = client_for(client, staff(Role.SUPERVISOR)).get(reverse("customers:detail", args=[customer.pk]))
    html = response.content.decode()
    kinds = [row["record"].kind for row in response.context["page"].rows]
    assert sorted(set(kinds)) == ["callback", "compensation", "complaint", "enquiry", "purchase", "return"]
    whens = [row["record"].when for row in response.context["page"].rows]
    assert whens == sorted(whens, reverse=True), "newest first"
    complaint = records["complaints"][0]
    assert reverse("complaints:detail", args=[complaint.pk]) in html
    assert records["returns"][0].get_absolute_url() in html
    assert records["compensations"][0].get_absolute_url() in html
    assert reverse("followups:callback", args=[records["callbacks"][0].pk]) in html
    assert records["sales"][0].order_number in html


def test_a_purchase_row_offers_a_complaint_and_a_return_about_that_sale(client, mall, staff):
    customer = CustomerFactory(mall=mall)
    sale = SaleFactory(mall=mall, customer=customer)
    html = client_for(client, staff(Role.FRONT_DESK)).get(reverse("customers:detail", args=[customer.pk])).content
    html = html.decode()
    assert f"{reverse('complaints:intake')}?sale={sale.pk}" in html
    assert f"{reverse('returns:new')}?sale={sale.pk}" in html


@pytest.mark.parametrize(
    "role, actions",
    [
        (Role.FRONT_DESK, ["complaint", "return", "exchange", "enquiry"]),
        (Role.COMPLAINT_OFFICER, ["complaint", "return", "exchange"]),
        (Role.SUPERVISOR, ["return", "exchange", "enquiry"]),
        (Role.MANAGER, ["return", "exchange", "enquiry"]),
        (Role.CLERK, []),
        (Role.HEAD_OFFICE, []),
    ],
)
def test_one_click_new_cases_follow_the_role(client, mall, staff, role, actions):
    customer = CustomerFactory(mall=mall)
    response = client_for(client, staff(role)).get(reverse("customers:detail", args=[customer.pk]))
    assert [item["action"].key for item in response.context["page"].actions] == actions
    html = response.content.decode()
    if "complaint" in actions:
        assert f"{reverse('complaints:intake')}?customer={customer.pk}" in html
    if "enquiry" in actions:
        assert f"{reverse('frontdesk:enquiries')}?customer={customer.pk}#enquiry-entry" in html


def test_records_a_role_may_not_open_are_listed_without_a_link(client, mall, staff):
    customer = CustomerFactory(mall=mall)
    records = _history(mall, staff, customer)
    response = client_for(client, staff(Role.FRONT_DESK)).get(reverse("customers:detail", args=[customer.pk]))
    html = response.content.decode()
    assert records["compensations"][0].number in html
    assert records["compensations"][0].get_absolute_url() not in html, "front desk has no compensation pages"
    assert reverse("followups:callback", args=[records["callbacks"][0].pk]) not in html


def test_another_malls_customer_page_is_404(client, mall, other_mall, staff):
    customer = CustomerFactory(mall=other_mall)
    response = client_for(client, staff(Role.FRONT_DESK)).get(reverse("customers:detail", args=[customer.pk]))
    assert response.status_code == 404


def test_the_full_mobile_is_shown_and_logged_for_the_desk_and_masked_for_head_office(client, mall, staff):
    customer = CustomerFactory(mall=mall, mobile="13912345678")
    desk = staff(Role.FRONT_DESK)
    html = client_for(client, desk).get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert "13912345678" in html
    assert PhoneViewLog.objects.filter(customer=customer, viewer=desk).count() == 1
    html = client_for(client, staff(Role.HEAD_OFFICE)).get(reverse("customers:detail", args=[customer.pk]))
    assert "13912345678" not in html.content.decode() and "139****5678" in html.content.decode()
    assert PhoneViewLog.objects.count() == 1


def test_the_customer_page_costs_a_fixed_number_of_queries(client, mall, staff, django_assert_num_queries):
    small = CustomerFactory(mall=mall, mobile="13900000001")
    large = CustomerFactory(mall=mall, mobile="13900000002")
    _history(mall, staff, small, n=1)
    _history(mall, staff, large, n=6)
    supervisor = staff(Role.SUPERVISOR)
    client = client_for(client, supervisor)
    client.get(reverse("customers:detail", args=[small.pk]))  # warm the session and caches
    # session, user, memberships with their malls, customer, phone log, one per kind (7 with the
    # exchanges), bell, history (the mall and the mall switcher were two more before issue 22)
    with django_assert_num_queries(PINNED_QUERIES):
        assert client.get(reverse("customers:detail", args=[small.pk])).status_code == 200
    with django_assert_num_queries(PINNED_QUERIES):
        response = client.get(reverse("customers:detail", args=[large.pk]))
    assert len(response.context["page"].records) == 6 * 7


PINNED_QUERIES = 14


def test_a_new_return_for_the_customer_offers_their_purchases_to_pick(client, mall, other_mall, staff):
    customer = CustomerFactory(mall=mall)
    sale = SaleFactory(mall=mall, customer=customer)
    client = client_for(client, staff(Role.FRONT_DESK))
    html = client.get(reverse("returns:new"), {"customer": customer.pk}).content.decode()
    assert f"{reverse('returns:new')}?sale={sale.pk}" in html
    stranger = CustomerFactory(mall=other_mall)
    SaleFactory(mall=other_mall, customer=stranger)
    assert 'id="pick-purchase"' not in client.get(reverse("returns:new"), {"customer": stranger.pk}).content.decode()


def test_a_long_history_says_it_is_cut(client, mall, staff, monkeypatch):
    from servicedesk import customer_records

    monkeypatch.setattr(customer_records, "RECORDS_PER_KIND", 2)
    customer = CustomerFactory(mall=mall)
    for _ in range(3):
        SaleFactory(mall=mall, customer=customer)
    response = client_for(client, staff(Role.FRONT_DESK)).get(reverse("customers:detail", args=[customer.pk]))
    assert len([r for r in response.context["page"].records if r.kind == "purchase"]) == 2
    assert "购买信息" in response.content.decode().split("只显示最新的")[1][:40]
