import pytest
from django.urls import reverse

from servicedesk.navigation import sections
from servicedesk.roles import Role

pytestmark = pytest.mark.django_db

INDEX_URLS = {
    "customers": "/customers/",
    "complaints": "/complaints/",
    "compensations": "/compensations/",
    "returns": "/returns/",
    "merchants": "/merchants/",
    "followups": "/followups/",
    "frontdesk": "/frontdesk/",
    "drivers": "/drivers/",
    "reports": "/reports/",
    "knowledge": "/knowledge/",
    "status": "/status/",
}


def test_url_prefixes_are_the_fixed_points():
    for section in sections():
        assert reverse(section.url_name) == INDEX_URLS[section.key]


@pytest.mark.parametrize("role", list(Role))
def test_home_shows_mall_role_and_only_the_roles_sections(role, client, mall, staff):
    client.force_login(staff(role))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert str(role.label) in page
    if role not in (Role.HEAD_OFFICE, Role.ADMIN):
        assert "上海真北商场" in page
    # Which sections it links: tests/servicedesk/test_who_may_use_what.py, from DESIGN.md.


@pytest.mark.parametrize("url", [*list(INDEX_URLS.values()), "/"])
def test_anonymous_is_sent_to_login(url, client):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_user_without_a_role_is_told_so(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    page = client.get(reverse("home")).content.decode()
    assert "系统管理员" in page  # "ask the system administrator"


def test_mall_switcher_for_a_member_of_two_malls(client, mall, other_mall, staff):
    from servicedesk.models import StaffMembership

    user = staff(Role.SUPERVISOR)
    StaffMembership.objects.create(user=user, mall=other_mall, role=Role.MANAGER)
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert 'id="mall-switcher"' in page and "无锡商场" in page
    client.post(reverse("switch_mall"), {"mall": other_mall.pk, "next": "/"})
    response = client.get(reverse("home"))
    assert response.context["current_mall"] == other_mall
    assert [r.value for r in response.context["current_roles"]] == ["manager"]


def test_switching_to_a_mall_you_do_not_belong_to_is_refused(client, mall, other_mall, staff):
    client.force_login(staff(Role.SUPERVISOR))
    response = client.post(reverse("switch_mall"), {"mall": other_mall.pk, "next": "/"}, follow=True)
    assert response.context["current_mall"] == mall
    assert "您不是该商场的成员" in response.content.decode()


def test_switch_never_redirects_off_site(client, mall, staff):
    client.force_login(staff(Role.SUPERVISOR))
    response = client.post(reverse("switch_mall"), {"mall": mall.pk, "next": "https://evil.example/"})
    assert response.url == reverse("home")


def test_head_office_can_read_all_malls(client, mall, other_mall, staff):
    client.force_login(staff(Role.HEAD_OFFICE))
    response = client.get(reverse("home"))
    assert response.context["current_mall"] is None
    assert "全部商场" in response.content.decode()
    client.post(reverse("switch_mall"), {"mall": other_mall.pk})
    assert client.get(reverse("home")).context["current_mall"] == other_mall
    client.post(reverse("switch_mall"), {"mall": "all"})
    assert client.get(reverse("home")).context["current_mall"] is None


def test_merchant_list_is_scoped_and_fixed_cost(client, mall, other_mall, staff, django_assert_max_num_queries):
    from tests.merchants.factories import BoothFactory

    client.force_login(staff(Role.CLERK))
    BoothFactory.create_batch(3, merchant__mall=mall)
    BoothFactory(merchant__mall=other_mall, merchant__brand="别家品牌")
    with django_assert_max_num_queries(20) as few:
        page = client.get(reverse("merchants:index")).content.decode()
    assert "别家品牌" not in page
    BoothFactory.create_batch(30, merchant__mall=mall)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("merchants:index"))


def test_a_link_may_name_the_mall_for_one_page(client, mall, other_mall, staff):
    from servicedesk.models import StaffMembership

    user = staff(Role.SUPERVISOR)
    StaffMembership.objects.create(user=user, mall=other_mall, role=Role.MANAGER)
    client.force_login(user)
    assert client.get(reverse("home"), {"mall": "WX01"}).context["current_mall"] == other_mall
    assert client.get(reverse("home")).context["current_mall"] == mall, "only for that page"


def test_a_link_cannot_open_a_mall_you_do_not_belong_to(client, mall, other_mall, staff):
    client.force_login(staff(Role.SUPERVISOR))
    assert client.get(reverse("home"), {"mall": "WX01"}).context["current_mall"] == mall
