"""BoundedPaginator (servicedesk/pagination.py): it counts at most a floor of rows or one page past
the one asked for, says "N+" when there are more, and counts with the very statement Django's
count() of the same slice sends (issue #22: without Django's aggregation query around it); a
queryset that matches nothing by construction costs no query."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from servicedesk.models import Mall
from servicedesk.pagination import BoundedPaginator, bounded_count
from tests.factories import MallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def malls():
    for n in range(7):
        MallFactory(code=f"PG{n:02d}", name=f"分页{n}")
    return Mall.objects.filter(code__startswith="PG").order_by("code")


@pytest.mark.parametrize(
    ("floor", "page", "count", "label", "capped", "first"),
    [
        (10, None, 7, "4", False, "PG00"),
        (5, None, 5, "3+", True, "PG00"),
        (5, "x", 5, "3+", True, "PG00"),
        (2, "2", 6, "3+", True, "PG02"),  # page 2 asked: counts up to page 3
        (2, "9", 7, "4", False, "PG06"),  # past the end: the last page
    ],
)
def test_counts_up_to_the_floor_or_a_page_past_the_one_asked_for(
    malls, floor, page, count, label, capped, first, django_assert_num_queries
):
    paginator = BoundedPaginator(malls, 2, page=page, floor=floor)
    with django_assert_num_queries(1):
        assert paginator.count == count
    assert paginator.num_pages_label == label and paginator.is_capped is capped
    assert paginator.get_page(page).object_list[0].code == first


@pytest.mark.parametrize(
    "narrow",
    [
        lambda qs: qs,
        lambda qs: qs.filter(Q(name__contains="分页") | Q(code="none")).exclude(code="PG03"),
        lambda qs: qs.filter(
            pk__in=Mall.objects.filter(code="PG01").values("pk").union(Mall.objects.filter(code="PG05").values("pk"))
        ),
        lambda qs: qs.filter(code__in=["PG01", "PG02"]).distinct(),
        lambda qs: qs.filter(name__contains="100%_"),  # a LIKE with % and _ in its parameter
    ],
)
def test_the_same_statement_and_number_as_djangos_count(malls, narrow):
    sliced = narrow(malls).order_by().values("pk")[:4]
    with CaptureQueriesContext(connection) as django_way:
        expected = sliced.count()
    with CaptureQueriesContext(connection) as quick:
        assert bounded_count(sliced) == expected
    assert [q["sql"] for q in quick.captured_queries] == [q["sql"] for q in django_way.captured_queries]


def test_nothing_to_count_costs_no_query(malls, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bounded_count(malls.none().values("pk")[:5]) == 0
        assert bounded_count(malls.filter(pk__in=[]).values("pk")[:5]) == 0
        assert BoundedPaginator(malls.none(), 2).num_pages_label == "1"
