"""The register's search box: whole numbers and mobiles exactly, the end of a mobile, a day's
numbers, a customer's name; each way the desk looks a complaint up."""

import pytest
from django.urls import reverse

from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory


@pytest.fixture
def found(client, mall, staff):
    client.force_login(staff(Role.SUPERVISOR))

    def numbers(query):
        page = client.get(reverse("complaints:index"), {"q": query})
        assert page.status_code == 200
        return {c.number for c in page.context["page"]}

    return numbers


def test_search_finds_by_number_mobile_and_name(found, mall):
    wang = ComplaintFactory(mall=mall, customer__mobile="13812345678", customer__name="王伟芳")
    li = ComplaintFactory(mall=mall, customer__mobile="13987655678", customer__name="李娜")
    other = ComplaintFactory(mall=mall, customer__mobile="13700001111", customer__name="张强")
    assert found(wang.number) == {wang.number}
    assert found(wang.number.lower()) == {wang.number}
    assert found("138 1234 5678") == {wang.number}
    assert found("5678") == {wang.number, li.number}
    assert found("45678") == {wang.number}
    assert found("王伟") == {wang.number}
    assert found("李娜") == {li.number}
    day = wang.number.split("-")[2]
    assert wang.number in found(day)
    assert found(wang.number[3:]) == {wang.number}  # a fragment with letters: the number
    assert other.number not in found("5678")
