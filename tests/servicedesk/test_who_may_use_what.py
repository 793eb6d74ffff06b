"""Who may open each section of the desk, see a customer's whole number, and use the admin:
written by hand from DESIGN.md ("Who uses it") and DOMAIN.md, not read from the code's tables.

- front desk: logs complaints, enquiries and return requests, runs the broadcast programme, looks
  merchants up for the complaint it registers (DOMAIN §2 "merchant/booth"), calls customers.
- complaint officer: works complaints with merchants, calls customers back (§6), proposes advance
  compensation on escalation (§2 "escalate ... officer"), checks returned goods.
- price-tag officer: price-tag inspections at booths (§5), the merchants' files for it.
- clerk: merchant files, sales imports (§6), registers, the weekly report, pays compensations.
- supervisor / manager: the mall's every workflow (assign, approve, sign, the front desk's
  supervision); reports.
- head office: reads every mall and receives the weekly report (§8), approves large compensations.
- admin: malls, users, thresholds, schedules, API clients: the admin and the system status.
- API client: a program; it opens no desk section but the rulings.
"""

import pytest
from django.urls import reverse

from servicedesk.models import Mall, PhoneViewLog
from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

FD, CO, PT, CL = Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.PRICE_TAG_OFFICER, Role.CLERK
SV, MG, HO, AD, API = Role.SUPERVISOR, Role.MANAGER, Role.HEAD_OFFICE, Role.ADMIN, Role.API_CLIENT
DR = Role.DRIVER

WHO_OPENS = {
    "/customers/": {FD, CO, CL, SV, MG, HO},
    "/complaints/": {FD, CO, SV, MG, HO},
    "/compensations/": {CO, CL, SV, MG, HO},
    "/returns/": {FD, CO, SV, MG, HO},
    "/merchants/": {FD, CO, PT, CL, SV, MG, HO},
    "/followups/": {CO, CL, SV, MG, HO},
    "/frontdesk/": {FD, SV, MG, HO},
    # The clerk plans the runs (the supervisor too), the driver works its own, managers read.
    "/drivers/": {CL, SV, MG, HO, DR},
    "/reports/": {CL, SV, MG, HO},
    "/knowledge/": set(Role),
    "/status/": {AD},
}

# DESIGN.md: phone numbers masked, "full only where the role needs it": the roles that record
# customers and phone them. Head office reads, the price-tag officer inspects booths.
SEES_FULL_NUMBER = {FD, CO, CL, SV, MG}
MOBILE = "13912345678"


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("url", list(WHO_OPENS))
def test_a_section_opens_to_the_roles_that_use_it_and_refuses_the_rest(url, role, client, staff, monkeypatch):
    monkeypatch.setattr("servicedesk.status.ping_workers", lambda timeout=1.0: ["celery@test"])
    client.force_login(staff(role))
    response = client.get(url, follow=True)
    if role in WHO_OPENS[url]:
        assert response.status_code in (200, 503), (url, role)  # the status page is 503 while a part is down
    else:
        assert response.status_code == 403, (url, role)


@pytest.mark.parametrize("role", list(Role))
def test_the_navbar_links_exactly_the_sections_the_role_opens(role, client, staff):
    client.force_login(staff(role))
    page = client.get(reverse("home")).content.decode()
    for url, roles in WHO_OPENS.items():
        assert (f'href="{url}"' in page) == (role in roles), (url, role)


@pytest.mark.parametrize("role", [r for r in Role if r in WHO_OPENS["/customers/"]])
def test_the_customer_page_shows_the_whole_number_to_the_roles_that_call(role, client, mall, staff):
    customer = CustomerFactory(mall=mall, mobile=MOBILE)
    client.force_login(staff(role))
    page = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    shown = MOBILE in page
    assert shown == (role in SEES_FULL_NUMBER), role
    assert PhoneViewLog.objects.filter(customer=customer).exists() == shown
    if not shown:
        assert "139****5678" in page


@pytest.mark.parametrize("role", [r for r in Role if r in WHO_OPENS["/complaints/"]])
def test_the_complaint_page_shows_the_whole_number_to_the_roles_that_call(role, client, mall, staff):
    complaint = ComplaintFactory(mall=mall, customer=CustomerFactory(mall=mall, mobile=MOBILE))
    client.force_login(staff(role))
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert (MOBILE in page) == (role in SEES_FULL_NUMBER), role


@pytest.mark.parametrize("role", list(Role))
def test_only_the_administrator_opens_the_admin(role, client, staff):
    client.force_login(staff(role))
    response = client.get("/admin/")
    if role == AD:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_the_administrator_keeps_the_malls_but_changes_no_desk_record(client, mall, staff):
    client.force_login(staff(AD))
    assert client.get(reverse("admin:servicedesk_mall_change", args=[mall.pk])).status_code == 200
    response = client.post(
        reverse("admin:servicedesk_mall_change", args=[mall.pk]),
        {
            "code": mall.code,
            "name": "改名商场",
            "city": mall.city,
            "address": mall.address,
            "service_phone": mall.service_phone,
            "opens_at": "09:00",
            "closes_at": "21:00",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Mall.objects.get(pk=mall.pk).name == "改名商场"
    complaint = ComplaintFactory(mall=mall)
    assert client.get(reverse("admin:complaints_complaint_add")).status_code == 403
    change = client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()  # read-only


def test_the_admin_sign_in_refuses_a_desk_role(client, staff):
    user = staff(SV, password="correct-horse-2026")
    response = client.post("/admin/login/", {"username": user.username, "password": "correct-horse-2026"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
