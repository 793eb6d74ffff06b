"""The register's rows, written in Python (complaint_tags.complaint_rows, issue #22), give the HTML
of the template they replaced, kept below as it was, for every badge and state, in both
languages: from plain values (complaints.models.rows.list_rows, two queries whatever the number
of rows) and from model instances (for_list(), no query while rendering)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django import template
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import timezone, translation

from complaints.models import Complaint, ComplaintDeadline
from complaints.models.rows import ComplaintRow, list_rows
from complaints.templatetags.complaint_tags import _span
from merchants.models import MerchantStatus
from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory
from tests.factories import UserFactory
from tests.merchants.factories import BoothFactory

pytestmark = pytest.mark.django_db

# complaints/_rows.html before issue #22, its deadline badge through the old inclusion template
# (complaints/_deadline.html as it was, without its file's last newline, which ended up in the cell).
REFERENCE = Path(__file__).parent / "reference"
REFERENCE_ROWS = (REFERENCE / "rows_before_22.html").read_text()
REFERENCE_DEADLINE = (REFERENCE / "deadline_before_22.html").read_text().rstrip("\n")

register = template.Library()
ENGINE = Engine(
    libraries={
        "reference": __name__,
        "desk": "servicedesk.templatetags.desk",
        "i18n": "django.templatetags.i18n",
        "complaint_tags": "complaints.templatetags.complaint_tags",
    }
)


@register.simple_tag
def reference_deadline(deadline, paused=False):
    """The old inclusion tag: its context, rendered by its old template."""
    if deadline is None:
        context = {"deadline": None}
    else:
        left = deadline.due_at - timezone.now()
        overdue = left.total_seconds() <= 0 and deadline.met_at is None
        context = {
            "deadline": deadline,
            "overdue": overdue,
            "soon": not overdue and left.total_seconds() < 86400,
            "span": _span(left),
            "paused": paused,
        }
    return ENGINE.from_string(REFERENCE_DEADLINE).render(Context(context))


@pytest.fixture
def every_kind_of_row(mall, staff):
    now = timezone.now()
    officer = staff(Role.COMPLAINT_OFFICER, first_name="", last_name="")
    named = UserFactory(first_name="小", last_name="王")
    first = ComplaintFactory(mall=mall, official_visit=True, assignee=officer, status="assigned")
    ComplaintFactory(mall=mall, repeat_of=first, needs_escalation=True, assignee=named, status="with_merchant")
    gone = BoothFactory(merchant__mall=mall, merchant__status=MerchantStatus.EXITED, merchant__brand="A&B <gone>")
    ComplaintFactory(mall=mall, booth=gone, merchant=gone.merchant, status="closed", closed_at=now)
    leaving = BoothFactory(merchant__mall=mall, merchant__status=MerchantStatus.EXIT_NOTICED)
    ComplaintFactory(mall=mall, booth=leaving, merchant=leaving.merchant, paused_since=now)
    ComplaintFactory(mall=mall, booth=None, merchant=None, customer__name='<b>"x"</b> & y')
    booth = BoothFactory(merchant__mall=mall)
    ComplaintFactory(
        mall=mall, booth=None, merchant=booth.merchant, channel="12315", category="O", category_other="床垫"
    )
    for hours, met in ((-30, None), (-1, None), (5, None), (50, None), (3, now)):
        c = ComplaintFactory(mall=mall, status="assigned")
        ComplaintDeadline.objects.create(
            complaint=c, kind="resolution", started_at=now, due_at=now + timedelta(hours=hours), met_at=met
        )
    paused = ComplaintFactory(mall=mall, status="assigned", paused_since=now)
    ComplaintDeadline.objects.create(
        complaint=paused, kind="resolution", started_at=now, due_at=now - timedelta(hours=2)
    )
    return Complaint.objects.filter(mall=mall).order_by("-received_at", "-pk")


@pytest.mark.parametrize("source", ["values", "models"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_rows_as_the_template_gave_them(every_kind_of_row, language, source, django_assert_num_queries):
    with translation.override(language):
        expected = ENGINE.from_string(REFERENCE_ROWS).render(
            Context({"complaints": list(every_kind_of_row.for_register())})
        )
        if source == "values":
            with django_assert_num_queries(2):
                rows = list_rows(every_kind_of_row.for_list())
        else:
            rows = list(every_kind_of_row.for_list())
        with django_assert_num_queries(0):
            shown = render_to_string("complaints/_rows.html", {"complaints": rows})
    assert shown == expected
    assert shown.count("<tr class=") == len(rows) == 12
    for marker in ("bg-danger", "bg-secondary", "merchant-exited", "merchant-exit-noticed", "overdue", "text-warning"):
        assert marker in shown, marker
    assert "&lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; y" in shown and "A&amp;B &lt;gone&gt;" in shown


def test_no_rows(mall):
    expected = ENGINE.from_string(REFERENCE_ROWS).render(Context({"complaints": []}))
    assert render_to_string("complaints/_rows.html", {"complaints": []}) == expected
    assert "没有找到投诉" in expected or "No complaints found" in expected


def test_a_row_from_values_is_the_row_from_the_model(every_kind_of_row):
    """Field by field, including the soonest running clock (a met clock is not one)."""
    from_values = list_rows(every_kind_of_row)
    from_models = [ComplaintRow.of(c) for c in every_kind_of_row.for_register()]
    assert from_values == from_models
    assert sum(row.deadline is not None for row in from_values) == 5
    assert all(row.deadline is None or row.deadline.due_at is not None for row in from_values)


def test_list_rows_of_nothing_runs_one_query(mall, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert list_rows(Complaint.objects.filter(mall=mall)) == []


def test_list_rows_keeps_the_order_and_the_slice(every_kind_of_row):
    ordered = every_kind_of_row.order_by("number")
    assert [row.number for row in list_rows(ordered[2:7])] == [c.number for c in ordered[2:7]]


def test_the_clocks_statement_is_the_one_the_orm_writes(every_kind_of_row):
    """list_rows reads the running clocks with the ORM's own statement, written once by hand
    (issue #22): the same SQL, the same values (aware datetimes, soonest first, ties by id)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from complaints.models.rows import _running_clocks

    ids = list(every_kind_of_row.values_list("pk", flat=True))
    running = ComplaintDeadline.objects.filter(complaint_id__in=ids, met_at__isnull=True, kind="resolution").first()
    for kind in ("first_contact", "assignment"):  # two more clocks due at the same moment: ties by id
        ComplaintDeadline.objects.create(
            complaint=running.complaint, kind=kind, started_at=running.started_at, due_at=running.due_at
        )
    orm = ComplaintDeadline.objects.filter(complaint_id__in=ids, met_at__isnull=True).order_by("due_at", "pk")
    with CaptureQueriesContext(connection) as by_orm:
        expected = list(orm.values_list("complaint_id", "kind", "due_at"))
    with CaptureQueriesContext(connection) as by_hand:
        assert list(_running_clocks(ids)) == expected
    assert [q["sql"] for q in by_hand.captured_queries] == [q["sql"] for q in by_orm.captured_queries]
    assert len(expected) >= 6 and all(timezone.is_aware(due) for _id, _kind, due in expected)


def test_the_texts_made_once_per_language_follow_the_active_language(every_kind_of_row):
    """The labels, badges and link are kept per language (complaint_tags._parts): switching back
    and forth gives each language's own texts every time, never the other's."""
    rows = list_rows(every_kind_of_row.for_list())
    shown = {}
    for language in ("zh-hans", "en", "zh-hans", "en"):
        with translation.override(language):
            page = render_to_string("complaints/_rows.html", {"complaints": rows})
        assert shown.setdefault(language, page) == page
    assert shown["zh-hans"] != shown["en"]
    assert "重复" in shown["zh-hans"] and "Repeat" not in shown["zh-hans"]
    assert "Repeat" in shown["en"] and "重复" not in shown["en"]


def test_the_detail_link_follows_the_script_prefix(every_kind_of_row):
    """Served under a path prefix (SCRIPT_NAME), the rows link under it; back at the root, not."""
    from django.urls import set_script_prefix

    rows = list_rows(every_kind_of_row.for_list())
    try:
        set_script_prefix("/desk/")
        under_prefix = render_to_string("complaints/_rows.html", {"complaints": rows})
    finally:
        set_script_prefix("/")
    at_root = render_to_string("complaints/_rows.html", {"complaints": rows})
    assert 'href="/desk/complaints/' in under_prefix
    assert 'href="/complaints/' in at_root and "/desk/" not in at_root
