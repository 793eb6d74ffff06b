"""Finding 7 of issue #14: the merchant roster import answered 500 for `NaN` in the deposit or
area column and for a NUL byte in any text cell. Now: a problem on that row, column named."""

import pytest
from django.urls import reverse

from merchants.models import Merchant
from merchants.services import import_roster
from servicedesk.roles import Role
from tests.merchants.test_roster_import import GOOD, HEADERS, csv_upload, xlsx_upload

pytestmark = pytest.mark.django_db

DEPOSIT, AREA, BRAND = HEADERS.index("保证金"), HEADERS.index("面积"), HEADERS.index("品牌")


def with_cell(column, value):
    row = list(GOOD[0])
    row[column] = value
    return [row, *GOOD[1:]]


@pytest.mark.parametrize(
    ("column", "value", "header"),
    [
        (DEPOSIT, "NaN", "保证金"),
        (DEPOSIT, "Infinity", "保证金"),
        (AREA, "nan", "面积"),
        (AREA, "-inf", "面积"),
        (BRAND, "梵居\x00沙发", "品牌"),
        (HEADERS.index("公司名称"), "上海\x00公司", "公司名称"),
    ],
)
def test_a_bad_cell_is_a_problem_on_its_row_not_a_500(mall, staff, column, value, header):
    clerk = staff(Role.CLERK)
    uploads = [csv_upload(with_cell(column, value))]
    if "\x00" not in value:  # a workbook cannot even hold a NUL
        uploads.append(xlsx_upload(with_cell(column, value)))
    for upload in uploads:
        result = import_roster(mall=mall, upload=upload, actor=clerk)
        assert not result.ok
        assert [(p.row, p.column) for p in result.problems] == [(2, header)]
    assert not Merchant.objects.exists()


def test_through_the_page(client, mall, staff):
    client.force_login(staff(Role.CLERK))
    response = client.post(reverse("merchants:import"), {"file": csv_upload(with_cell(DEPOSIT, "NaN"))})
    assert response.status_code == 200
    assert "不是数字" in response.content.decode() or "数字" in response.content.decode()
