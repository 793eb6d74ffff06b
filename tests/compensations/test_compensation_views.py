import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from compensations.models import Compensation, Status
from compensations.views.registers import register_totals
from servicedesk.roles import Role
from tests.compensations.factories import approve_all, escalated_complaint, pay, photo_file, proposal, propose
from tests.conftest import missing_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(mall, officer, manager, clerk):
    """A paid case whose merchant's deposit covered part of it."""
    compensation = approve_all(propose(escalated_complaint(mall, deposit="1000.00"), officer, "4321.09"), [manager])
    return pay(compensation, clerk)


def urls_of(compensation):
    pk = compensation.pk
    evidence = compensation.evidence.first()
    urls = [
        reverse("compensations:detail", args=[pk]),
        reverse("compensations:pay", args=[pk]),
        reverse("compensations:recovery", args=[pk]),
        reverse("compensations:write_off", args=[pk]),
        reverse("compensations:compensation_approval", args=[pk]),
        reverse("compensations:receipt", args=[pk]),
        reverse("compensations:propose", args=[compensation.complaint.pk]),
    ]
    if evidence:
        urls.append(reverse("compensations:evidence", args=[pk, evidence.pk]))
    return urls


@pytest.mark.parametrize("role", [Role.COMPLAINT_OFFICER, Role.CLERK, Role.SUPERVISOR, Role.MANAGER])
def test_another_malls_case_is_404_on_every_url(role, case, client, other_mall, staff):
    client.force_login(staff(role, in_mall=other_mall))
    for url in [*urls_of(case), reverse("compensations:compensation_approval_pdf", args=[case.pk])]:
        assert client.get(url).status_code == 404, url
    for name in ("decide", "close"):
        assert client.post(reverse(f"compensations:{name}", args=[case.pk])).status_code == 404


def test_head_office_reads_every_mall(case, client, staff):
    client.force_login(staff(Role.HEAD_OFFICE))
    assert client.get(reverse("compensations:detail", args=[case.pk])).status_code == 200
    assert case.number in client.get(reverse("compensations:register")).content.decode()


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.PRICE_TAG_OFFICER])
def test_roles_outside_the_section_get_403(role, case, client, staff):
    client.force_login(staff(role))
    assert client.get(reverse("compensations:detail", args=[case.pk])).status_code == 403
    assert client.get(reverse("compensations:index")).status_code == 403


def test_wrong_role_is_403_on_actions(case, client, officer, clerk):
    client.force_login(officer)
    assert client.get(reverse("compensations:recovery", args=[case.pk])).status_code == 403
    assert client.get(reverse("compensations:write_off", args=[case.pk])).status_code == 403
    client.force_login(clerk)
    assert client.get(reverse("compensations:write_off", args=[case.pk])).status_code == 403
    assert client.get(reverse("compensations:recovery", args=[case.pk])).status_code == 200


def test_officer_proposes_through_the_form(mall, officer, client):
    complaint = escalated_complaint(mall, deposit="500.00")
    client.force_login(officer)
    url = reverse("compensations:propose", args=[complaint.pk])
    page = client.get(url).content.decode()
    assert "500.00" in page and 'id="proposal-form"' in page
    data = {k: v for k, v in proposal("2500.00").items() if k != "paid_via_unified_cashier"}
    data["paid_via_unified_cashier"] = "on"
    data["evidence"] = [photo_file("a.png"), photo_file("b.png")]
    response = client.post(url, data)
    compensation = Compensation.objects.get()
    assert response.status_code == 302 and response.url == reverse("compensations:detail", args=[compensation.pk])
    assert compensation.amount == Decimal("2500.00") and compensation.evidence.count() == 2


def test_form_shows_the_service_error_next_to_the_amount(mall, officer, client):
    complaint = escalated_complaint(mall)
    client.force_login(officer)
    data = {**proposal("9999.00", loss_price="1000.00"), "paid_via_unified_cashier": "on"}
    response = client.post(reverse("compensations:propose", args=[complaint.pk]), data)
    assert response.status_code == 200
    assert "不能超过有据可查的损失" in str(response.context["form"].errors["amount"])
    assert not Compensation.objects.exists()


def test_propose_page_refuses_a_complaint_not_escalated(mall, officer, client):
    from tests.complaints.factories import ComplaintFactory

    complaint = ComplaintFactory(mall=mall)
    client.force_login(officer)
    page = client.get(reverse("compensations:propose", args=[complaint.pk])).content.decode()
    assert 'id="refusal"' in page and "只有已升级为先行赔偿的投诉" in page and "proposal-form" not in page


def test_approve_button_only_for_who_may_sign(mall, officer, manager, clerk, client, staff):
    compensation = propose(escalated_complaint(mall), officer, "3000.00")
    url = reverse("compensations:detail", args=[compensation.pk])
    for user, shown in ((manager, True), (officer, False), (clerk, False), (staff(Role.HEAD_OFFICE), False)):
        client.force_login(user)
        assert ('id="approve"' in client.get(url).content.decode()) == shown, user
    client.force_login(officer)
    response = client.post(reverse("compensations:decide", args=[compensation.pk]), {"decision": "approved", "step": 1})
    assert response.status_code == 403
    compensation.refresh_from_db()
    assert compensation.status == Status.PROPOSED


def test_inbox_oldest_first_and_decide_from_the_list(mall, officer, manager, client):
    import time_machine

    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        older = propose(escalated_complaint(mall), officer, "100.00", evidence=[photo_file()])
    with time_machine.travel("2026-11-21 10:00 +0800", tick=False):
        newer = propose(escalated_complaint(mall), officer, "200.00")
    client.force_login(manager)
    page = client.get(reverse("compensations:index")).content.decode()
    assert page.index(older.number) < page.index(newer.number)
    assert 'class="evidence-thumb"' in page
    response = client.post(
        reverse("compensations:decide", args=[older.pk]),
        {"decision": "approved", "step": 1, "next": reverse("compensations:index")},
        follow=True,
    )
    assert older.number not in response.content.decode().split('id="inbox"')[1].split("</section>")[0]
    older.refresh_from_db()
    assert older.status == Status.APPROVED
    # A second approver posting the same step is told, not recorded twice.
    client.force_login(type(manager).objects.get(pk=manager.pk))
    response = client.post(reverse("compensations:decide", args=[older.pk]), {"decision": "rejected", "step": 1})
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(m.startswith("已由") for m in messages)


@pytest.mark.parametrize("count", [1, 12])
def test_lists_cost_a_fixed_number_of_queries(count, mall, officer, manager, client, django_assert_max_num_queries):
    for _ in range(count):
        propose(escalated_complaint(mall), officer, "300.00", evidence=[photo_file()])
    client.force_login(manager)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("compensations:index")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("compensations:register")).status_code == 200


def test_register_totals_equal_the_sum_of_rows(mall, officer, manager, clerk, staff):
    head_office = staff(Role.HEAD_OFFICE)
    amounts = ["0.10", "0.20", "1234.56", "5000.01", "33.33"]
    cases = [propose(escalated_complaint(mall, deposit="100.00"), officer, a) for a in amounts]
    approve_all(cases[0], [manager])
    pay(approve_all(cases[1], [manager]), clerk)
    pay(approve_all(cases[2], [manager]), clerk)
    approve_all(cases[3], [manager, head_office])
    rows = list(Compensation.objects.all())
    totals = register_totals(Compensation.objects.all())
    assert totals["proposed"] == sum(r.amount for r in rows) == Decimal("6268.20")
    assert totals["approved"] == sum(r.amount for r in rows if r.is_approved)
    assert totals["paid"] == sum(r.amount for r in rows if r.is_paid) == Decimal("1234.76")
    assert totals["recovered"] == sum(r.recovered_amount for r in rows) == Decimal("100.20")
    assert totals["outstanding"] == sum(r.outstanding for r in rows) == Decimal("1134.56")


def test_register_filters_and_export(case, mall, officer, client, manager):
    other = propose(escalated_complaint(mall), officer, "10.00")
    client.force_login(manager)
    page = client.get(reverse("compensations:register"), {"status": Status.PARTLY_RECOVERED}).content.decode()
    assert case.number in page and other.number not in page
    page = client.get(reverse("compensations:register"), {"tier": "general_manager"}).content.decode()
    assert case.number not in page
    response = client.get(reverse("compensations:register_export"), {"merchant": case.merchant.pk})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "赔偿编号" and sheet["I1"].value == "赔偿金额（元）"
    assert sheet["A2"].value == case.number and sheet.max_row == 3
    assert sheet["I3"].value == 4321.09  # the totals row
    assert sheet["Q2"].value == 3321.09


def test_print_form_has_title_chain_and_signature_lines(case, client, clerk):
    client.force_login(clerk)
    page = client.get(reverse("compensations:compensation_approval", args=[case.pk])).content.decode()
    assert 'class="print-form' in page and "售后服务先行赔偿审批表" in page
    assert "4,321.09" in page and "商场客服中心经理意见" in page and "顾客签字" in page


def test_pdf_has_the_chinese_title_and_the_amount_and_is_archived(case, client, clerk, tmp_path):
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:  # Pango/HarfBuzz missing
        missing_service(f"WeasyPrint's system libraries: {exc}")
    if shutil.which("pdftotext") is None:
        missing_service("pdftotext: apt-get install -y poppler-utils")
    client.force_login(clerk)
    response = client.get(reverse("compensations:compensation_approval_pdf", args=[case.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "售后服务先行赔偿审批表" in text.replace(" ", "")
    assert "4,321.09" in text and case.number in text
    case.refresh_from_db()
    assert case.form_pdf.name.endswith(".pdf") and case.form_pdf_at is not None
    assert case.form_pdf.read().startswith(b"%PDF")


def test_nothing_paid_before_final_approval_on_the_page(mall, officer, clerk, client):
    compensation = propose(escalated_complaint(mall), officer, "3000.00")
    client.force_login(clerk)
    response = client.get(reverse("compensations:pay", args=[compensation.pk]), follow=True)
    assert "终审通过前不得付款" in response.content.decode()


def test_an_escalated_complaint_links_to_the_proposal(client, mall, staff):
    from tests.complaints.factories import ComplaintFactory

    complaint = ComplaintFactory(mall=mall, status="escalated")
    client.force_login(staff(Role.COMPLAINT_OFFICER))
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert reverse("compensations:propose", args=[complaint.pk]) in page
