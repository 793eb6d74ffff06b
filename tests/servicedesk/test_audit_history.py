import pytest
from django.urls import reverse

from servicedesk.models import Mall
from servicedesk.roles import Role
from servicedesk.services import customer_find_or_create, customer_update
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_create_and_change_are_recorded_with_who_and_old_and_new_values(mall, staff):
    desk = staff(Role.FRONT_DESK, username="desk1")
    customer, _ = customer_find_or_create(mall=mall, name="张三", mobile="13812345678", actor=desk)
    customer_update(customer=customer, actor=desk, address="真北路1号")
    created, changed = customer.history.order_by("history_date")
    assert (created.history_type, changed.history_type) == ("+", "~")
    assert created.history_user == changed.history_user == desk
    assert changed.mall_id == mall.pk
    delta = changed.diff_against(created)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("address", "", "真北路1号")]


def test_the_record_page_shows_the_timeline(client, mall, staff):
    desk = staff(Role.FRONT_DESK, first_name="王前台")
    client.force_login(desk)
    customer = CustomerFactory(mall=mall, address="")
    client.post(
        reverse("customers:edit", args=[customer.pk]),
        {"name": customer.name, "mobile": customer.mobile, "other_phone": "", "address": "真北路1号", "notes": ""},
    )
    page = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
    assert 'id="history"' in page
    assert "真北路1号" in page and "王前台" in page
    assert "修改" in page and "创建" in page


def test_malls_keep_history_too(staff):
    mall = Mall.objects.create(code="HZ01", name="杭州商场", city="杭州")
    mall.name = "杭州古墩路商场"
    mall.save()
    assert mall.history.count() == 2


def test_timeline_costs_one_query_whatever_its_length(mall, staff, django_assert_num_queries):
    from servicedesk.history import timeline

    desk = staff(Role.FRONT_DESK)
    customer, _ = customer_find_or_create(mall=mall, name="张三", mobile="13812345678", actor=desk)
    for n in range(10):
        customer_update(customer=customer, actor=desk, notes=f"第{n}次来电")
    with django_assert_num_queries(1):
        entries = timeline(customer)
    assert len(entries) == 11
    assert entries[0].changes[0]["new"] == "第9次来电"


def test_admin_cannot_delete_records(admin_client, mall):
    response = admin_client.get(reverse("admin:servicedesk_mall_delete", args=[mall.pk]))
    assert response.status_code == 403
    assert Mall.objects.filter(pk=mall.pk).exists()


def test_changed_links_are_shown_by_name(mall, staff):
    from servicedesk.history import timeline
    from tests.merchants.factories import BoothFactory, MerchantFactory

    clerk = staff(Role.CLERK)
    booth = BoothFactory(merchant__mall=mall, merchant__brand="旧品牌")
    booth.merchant = MerchantFactory(mall=mall, brand="新品牌")
    booth._history_user = clerk
    booth.save()
    change = timeline(booth)[0].changes[0]
    assert (change["old"], change["new"]) == ("旧品牌", "新品牌")
