"""Head office opens Monday's rollup in a browser, scrolls the wide table, drills into a mall and
downloads that mall's workbook."""

from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from reports.periods import last_full_week
from servicedesk.models import Mall
from tests.browser import login
from tests.complaints.factories import ComplaintFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_office_opens_the_rollup_and_downloads_the_workbook(demo, page, screenshot, tmp_path):
    week = last_full_week()
    sh01 = Mall.objects.get(code="SH01")
    for _ in range(2):
        ComplaintFactory(mall=sh01, received_at=week.start + timedelta(days=2, hours=10))
    login(page, "headoffice")
    page.get_by_role("link", name="报表").first.click()
    page.wait_for_url("**/reports/rollup/")
    table = page.locator("#rollup")
    assert "SH01 上海真北商场" in table.inner_text() and "WX01 无锡商场" in table.inner_text()
    received = page.locator('#rollup thead th[data-key="received"]')
    assert received.inner_text() == "本周受理（R）"
    # The chain's received count, in the column under that header.
    index = page.locator("#rollup thead tr:nth-child(2) th").evaluate_all(
        "(cells) => cells.findIndex((c) => c.dataset.key === 'received')"
    )
    assert page.locator("#rollup-totals td").nth(index).inner_text() == "2"
    screenshot("reports-rollup")
    # Scrolled to the far right, the mall column is still where it was.
    first_cell = page.locator("#rollup tbody th").first
    left_before = first_cell.bounding_box()["x"]
    page.locator(".rollup-scroll").evaluate("(box) => { box.scrollLeft = box.scrollWidth; }")
    assert abs(first_cell.bounding_box()["x"] - left_before) < 3  # a border's width, not a column's
    assert first_cell.is_visible()
    screenshot("reports-rollup-scrolled")
    with page.expect_download() as download_info:
        page.click("#download-xlsx")
    path = tmp_path / "rollup.xlsx"
    download_info.value.save_as(path)
    book = load_workbook(path)
    assert book.sheetnames[0] == "汇总" and "SH01" in book.sheetnames
    assert timezone.localdate() > week.last_day


def test_the_drill_down_exports_the_mall_on_screen(demo, page, screenshot, tmp_path):
    """Issue #15 §2: the export links of a drill-down dropped the mall and the week."""
    week = last_full_week().previous()  # not the default week: a lost parameter shows
    wx01 = Mall.objects.get(code="WX01")
    ComplaintFactory(mall=wx01, received_at=week.start + timedelta(days=1, hours=10))
    login(page, "headoffice")
    page.goto(f"/reports/rollup/?week={week.key}")
    page.get_by_role("link", name="WX01 无锡商场").click()
    page.wait_for_url(f"**/reports/weekly/?week={week.key}&mall=WX01")
    assert "无锡商场客服中心周报表" in page.locator("h1").inner_text()
    screenshot("reports-weekly-drilldown")
    with page.expect_download() as download_info:
        page.click("#download-xlsx")
    assert download_info.value.suggested_filename == f"weekly-WX01-{week.key}.xlsx"
    path = tmp_path / "wx01.xlsx"
    download_info.value.save_as(path)
    assert load_workbook(path).sheetnames == ["WX01"]
    with page.expect_download() as download_info:
        page.click("#download-pdf")
    assert download_info.value.suggested_filename == f"weekly-WX01-{week.key}.pdf"
