"""The head-office rollup has every figure a mall's report has (issue #16 item 4), and the
export links of a page keep its parameters (issue #15 §2)."""

from datetime import datetime, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from complaints.models import Category, Channel
from reports.periods import parse_week
from reports.weekly import weekly_figures
from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory
from tests.factories import MallFactory
from tests.merchants.factories import BoothFactory, MerchantFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
W49 = parse_week("2026-W49")


def at(day, hour=10):
    return datetime(2026, 12, day, hour, tzinfo=SH)


@pytest.fixture
def chain(mall, other_mall):
    """Two malls with a bit of everything in W49 (the weekly report's own tests check each figure;
    here the rollup must carry them all, per mall and summed)."""
    for m, brand, n in ((mall, "上海甲", 3), (other_mall, "无锡乙", 5)):
        merchant = MerchantFactory(mall=m, brand=brand)
        booth = BoothFactory(merchant=merchant)
        for i in range(n):
            ComplaintFactory(
                mall=m,
                merchant=merchant,
                booth=booth,
                received_at=at(1 + i % 5),
                channel=Channel.values[i % 3],
                category=Category.values[i % 4],
                status="closed" if i % 2 else "assigned",
                resolved_at=at(1 + i % 5) + timedelta(days=i) if i % 2 else None,
                closed_at=at(1 + i % 5) + timedelta(days=i, hours=1) if i % 2 else None,
                first_contact_at=at(1 + i % 5) + timedelta(hours=2),
            )
    ComplaintFactory(
        mall=other_mall,
        merchant=None,
        booth=None,
        received_at=at(2),
        status="external",
        external_body="12315",
        referred_at=at(3),
    )
    return [mall, other_mall]


def rollup_table(client, **params):
    response = client.get(reverse("reports:rollup"), {"week": "2026-W49", **params})
    keys = [column.key for column, _label, _link in response.context["columns"]]
    rows = {row["mall"].code: dict(zip(keys, row["shown"], strict=True)) for row in response.context["rows"]}
    rows["chain"] = dict(zip(keys, response.context["totals"], strict=True))
    return response, keys, rows


def test_every_line_of_the_mall_report_is_a_rollup_column(client, staff, chain):
    from reports.layout import LINES

    client.force_login(staff(Role.HEAD_OFFICE))
    _response, keys, _rows = rollup_table(client)
    for _title, lines in LINES:
        for line in lines:
            assert line.key in keys, line.key
    assert {f"channel:{code}" for code in Channel.values} <= set(keys)
    assert {f"category:{code}" for code in Category.values} <= set(keys)


def test_each_mall_row_shows_its_own_report_and_the_chain_row_recomputes_rates(client, staff, chain, mall, other_mall):
    client.force_login(staff(Role.HEAD_OFFICE))
    _response, _keys, rows = rollup_table(client)
    figures = weekly_figures([mall.pk, other_mall.pk], W49)
    for m in chain:
        f = figures[m.pk]
        assert rows[m.code]["received"] == str(f["received"])
        assert rows[m.code]["closed"] == str(f["closed"])
        assert rows[m.code]["external"] == str(f["external"])
        assert rows[m.code]["channel:walk_in"] == str(f["by_channel"].get("walk_in", 0))
    a, b = figures[mall.pk], figures[other_mall.pk]
    assert rows["chain"]["received"] == str(a["received"] + b["received"]) == "9"
    # Rates from the sums, never an average of the malls' rates.
    closed, base = a["closed"] + b["closed"], a["carried_in"] + a["received"] + b["carried_in"] + b["received"]
    assert rows["chain"]["closure_rate"] == f"{Decimal(100) * closed / base:.1f}%"
    on_time = a["closed_on_time"] + b["closed_on_time"]
    assert (
        rows["chain"]["on_time_rate"] == f"{Decimal(100) * on_time / (a['ended_resolved'] + b['ended_resolved']):.1f}%"
    )
    assert rows["chain"]["external"] == "1"


def test_the_chain_top_five_is_filled(client, staff, chain):
    client.force_login(staff(Role.HEAD_OFFICE))
    response, _keys, _rows = rollup_table(client)
    assert response.context["chain_top"] == [("1. 无锡乙 (WX01)", 5), ("2. 上海甲 (SH01)", 3)]
    assert "1. 无锡乙 (WX01)" in response.content.decode()


def test_column_groups_and_a_sticky_first_column_from_a_static_file(client, staff, chain):
    client.force_login(staff(Role.HEAD_OFFICE))
    page = client.get(reverse("reports:rollup"), {"week": "2026-W49"}).content.decode()
    assert "<colgroup>" in page and 'scope="colgroup"' in page
    for title in ("投诉", "办结方式", "无理由退货", "先行赔偿", "回访", "标价签"):
        assert f'scope="colgroup" class="text-center">{title}</th>' in page, title
    assert 'class="sticky-col"' in page and "css/reports.css" in page and "style=" not in page.split("<main", 1)[1]
    css = (Path(settings.BASE_DIR) / "static" / "css" / "reports.css").read_text()
    assert ".rollup .sticky-col { position: sticky; left: 0;" in css


def test_the_workbook_holds_every_column_with_group_headers(client, staff, chain):
    client.force_login(staff(Role.HEAD_OFFICE))
    _response, keys, _rows = rollup_table(client)
    book = load_workbook(BytesIO(client.get(reverse("reports:rollup"), {"week": "2026-W49", "format": "xlsx"}).content))
    summary = book["汇总"]
    assert summary.max_column == 2 + len(keys)
    groups = [summary.cell(row=3, column=c).value for c in range(1, summary.max_column + 1)]
    assert {"投诉", "办结方式", "无理由退货", "先行赔偿", "回访", "标价签", "按受理渠道", "按投诉类别"} <= set(groups)
    header = [summary.cell(row=4, column=c).value for c in range(3, summary.max_column + 1)]
    chain_row = [summary.cell(row=7, column=c).value for c in range(3, summary.max_column + 1)]
    values = dict(zip(header, chain_row, strict=True))
    assert values["本周受理（R）"] == 9
    assert values["转外部处理（12315、消协、法院）"] == 1
    top = [summary.cell(row=r, column=2).value for r in range(9, summary.max_row + 1)]
    assert "1. 无锡乙 (WX01)" in top


def test_rollup_costs_a_fixed_number_of_queries_whatever_the_number_of_malls(
    client, staff, chain, django_assert_num_queries
):
    client.force_login(staff(Role.HEAD_OFFICE))
    client.get(reverse("reports:rollup"), {"week": "2026-W49"})  # warm the session and caches
    with django_assert_num_queries(20) as counted:  # 20: the desk log and exchanges sections (issue 21)
        client.get(reverse("reports:rollup"), {"week": "2026-W49"})
    for i in range(6):
        m = MallFactory(code=f"N{i:03d}")
        ComplaintFactory(mall=m, received_at=at(2))
    with django_assert_num_queries(len(counted.captured_queries)):
        client.get(reverse("reports:rollup"), {"week": "2026-W49"})


# --- Export links keep the page's parameters (issue #15 §2) ------------------------------------


def params(link):
    return {key: values[0] for key, values in parse_qs(urlparse(link).query).items()}


def test_head_office_drill_down_exports_the_mall_and_week_it_shows(client, staff, chain):
    client.force_login(staff(Role.HEAD_OFFICE))
    response = client.get(reverse("reports:weekly"), {"week": "2026-W49", "mall": "SH01"})
    assert response.context["mall"].code == "SH01"
    page = response.content.decode()
    xlsx = response.context["xlsx_link"]
    pdf = response.context["pdf_link"]
    assert params(xlsx) == {"week": "2026-W49", "mall": "SH01", "format": "xlsx"}
    assert params(pdf) == {"week": "2026-W49", "mall": "SH01", "format": "pdf"}
    assert f'href="{xlsx.replace("&", "&amp;")}" id="download-xlsx"' in page
    assert f'href="{pdf.replace("&", "&amp;")}" id="download-pdf"' in page
    download = client.get(reverse("reports:weekly") + xlsx)
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="weekly-SH01-2026-W49.xlsx"'
    assert load_workbook(BytesIO(download.content)).sheetnames == ["SH01"]


def test_the_drill_down_pdf_is_that_mall_and_week(client, staff, chain, pdf_text):
    client.force_login(staff(Role.HEAD_OFFICE))
    response = client.get(reverse("reports:weekly"), {"week": "2026-W49", "mall": "WX01", "format": "pdf"})
    assert response["Content-Disposition"] == 'attachment; filename="weekly-WX01-2026-W49.pdf"'
    text = pdf_text(response.content).replace(" ", "")
    assert "无锡商场客服中心周报表" in text and "2026年11月30日" in text


def test_rollup_export_link_keeps_week_and_sort(client, staff, chain):
    client.force_login(staff(Role.HEAD_OFFICE))
    response = client.get(reverse("reports:rollup"), {"week": "2026-W49", "sort": "-received"})
    assert params(response.context["xlsx_link"]) == {"week": "2026-W49", "sort": "-received", "format": "xlsx"}
    assert params(response.context["code_sort"]) == {"week": "2026-W49", "sort": "code"}


def test_weekly_without_a_mall_goes_to_that_weeks_rollup(client, staff, chain):
    client.force_login(staff(Role.HEAD_OFFICE))
    response = client.get(reverse("reports:weekly"), {"week": "2026-W49", "format": "xlsx"})
    assert response.status_code == 302
    assert params(response.url) == {"week": "2026-W49"}


def test_appraisal_pdf_link_keeps_the_mall(client, staff, chain):
    client.force_login(staff(Role.HEAD_OFFICE))
    response = client.get(reverse("reports:appraisal"), {"month": "2026-12", "mall": "WX01"})
    assert [m.code for m, _result in response.context["sheets"]] == ["WX01"]
    assert params(response.context["pdf_link"]) == {"month": "2026-12", "mall": "WX01", "format": "pdf"}


@pytest.mark.parametrize(
    ("page", "query", "link_id"),
    [
        ("complaints:index", {"status": "assigned", "q": "沙发"}, "export-register"),
        ("compensations:register", {"period": "2026-11"}, "export-register"),
        ("followups:register", {"outcome": "satisfied", "start": "2026-11-30"}, "export-xlsx"),
    ],
)
def test_register_export_links_carry_the_pages_filters(client, staff, chain, page, query, link_id):
    client.force_login(staff(Role.MANAGER))
    html = client.get(reverse(page), query).content.decode()
    tag = html[html.rindex("<a", 0, html.index(f'id="{link_id}"')) : html.index(f'id="{link_id}"')]
    href = tag[tag.index('href="') + 6 :].split('"')[0].replace("&amp;", "&")
    assert query.items() <= params(href).items(), href
