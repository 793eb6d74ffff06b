"""Every staff form: all errors in one round, next to their fields, in the domain's words (Chinese,
and English in English mode); a long text is refused with the limit named, never cut; nothing
half-saved (issue 15 §2)."""

import importlib
import inspect
from datetime import timedelta
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from compensations.forms import PayoutForm, ProposalForm
from compensations.models import Compensation
from complaints.forms import StaffAnswerForm
from complaints.models import Complaint
from merchants.forms import DepositEntryForm
from servicedesk.forms import DeskFormMixin
from servicedesk.roles import Role
from tests.compensations.factories import escalated_complaint, proposal
from tests.complaints.test_complaint_views import intake_post
from tests.merchants.factories import BoothFactory

pytestmark = pytest.mark.django_db

FORM_MODULES = [
    "compensations.forms",
    "complaints.forms",
    "followups.forms",
    "frontdesk.forms",
    "merchants.forms",
    "returns.forms",
    "servicedesk.forms",
    "servicedesk.two_factor_views",
]
TOO_LONG = "裂" * 2001
DJANGO_DEFAULTS = ("确保该值", "这个字段是必填项", "Ensure this value", "This field is required")


def all_messages(form):
    return [str(message) for errors in form.errors.values() for message in errors]


def test_every_staff_form_is_a_desk_form():
    """One base for all: a form added without it would speak Django's defaults and cut text."""
    forms_found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name and cls.__name__ not in {"DeskForm"}:
                forms_found.append(cls)
                assert issubclass(cls, DeskFormMixin), f"{name}.{cls.__name__} does not use the desk's form base"
    assert len(forms_found) > 40


@pytest.fixture
def desk_client(client, staff):
    client.force_login(staff(Role.FRONT_DESK))
    return client


def test_intake_reports_every_error_at_once_in_chinese(desk_client, mall):
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = desk_client.post(
        reverse("complaints:intake"),
        intake_post(
            customer_mobile="12345",  # a field error
            purchase_amount="0",  # > 0
            facts=TOO_LONG,  # over the limit
            purchase_date=future,  # a rule the service checks: used to come only in a second round
            delivery_date="",
            category="O",  # "other" without saying what: a rule over two fields
            category_other="",
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"customer_mobile", "purchase_amount", "facts", "purchase_date", "category_other"}
    assert "最多 2000 字" in form.errors["facts"][0] and "2001" in form.errors["facts"][0]
    assert form.errors["purchase_amount"] == ["必须大于 0。"]
    assert form.errors["purchase_date"] == ["日期不能晚于今天。"]
    assert not any(default in message for message in all_messages(form) for default in DJANGO_DEFAULTS)
    # Nothing was cut: the whole text comes back for the clerk to shorten, and nothing is saved.
    assert TOO_LONG in response.text
    assert not Complaint.objects.exists()


def test_intake_reports_every_error_at_once_in_english(desk_client, mall):
    desk_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = desk_client.post(
        reverse("complaints:intake"),
        intake_post(customer_name="", purchase_amount="0", facts=TOO_LONG, purchase_date=future, delivery_date=""),
    )
    form = response.context["form"]
    assert form.errors["facts"] == ["At most 2000 characters; this has 2001. Shorten it: nothing is cut."]
    assert form.errors["purchase_amount"] == ["This must be more than 0."]
    assert form.errors["purchase_date"] == ["This date cannot be in the future."]
    assert form.errors["customer_name"] == ["Fill in “Customer's name”."]
    assert not Complaint.objects.exists()


def test_the_intake_page_counts_characters_instead_of_cutting(desk_client, mall):
    BoothFactory(merchant__mall=mall)
    page = desk_client.get(reverse("complaints:intake")).text
    facts = page[page.index('name="facts"') - 200 : page.index("</textarea>", page.index('name="facts"'))]
    assert 'data-maxlength="2000"' in facts
    assert " maxlength=" not in facts  # the browser's maxlength silently drops pasted text
    assert "js/textcount.js" in page


def test_proposal_reports_the_money_rules_with_the_field_errors(mall, client, staff):
    officer = staff(Role.COMPLAINT_OFFICER)
    complaint = escalated_complaint(mall)
    client.force_login(officer)
    data = {
        **proposal("9999.00", loss_price="1000.00", loss_costs="0", merchant_position=TOO_LONG),
        "paid_via_unified_cashier": "on",
    }
    response = client.post(reverse("compensations:propose", args=[complaint.pk]), data)
    form = response.context["form"]
    assert "不能超过有据可查的损失" in form.errors["amount"][0]  # the service's rule, same round
    assert "最多 2000 字" in form.errors["merchant_position"][0]
    response = client.post(reverse("compensations:propose", args=[complaint.pk]), {**data, "amount": "0"})
    assert response.context["form"].errors["amount"] == ["必须大于 0。"]  # not "确保该值大于或等于0。"
    assert not Compensation.objects.exists()


def test_payout_reports_a_future_time_with_the_missing_receipt():
    later = timezone.localtime() + timedelta(hours=3)
    with translation.override("zh-hans"):
        form = PayoutForm({"paid_at": later.strftime("%Y-%m-%dT%H:%M"), "payment_method": "nonsense"}, {})
        assert not form.is_valid()
        assert form.errors["paid_at"] == ["时间不能晚于现在。"]
        assert form.errors["receipt"] == ["请附上“顾客签字的收款确认书（扫描件或照片）”。"]
        assert form.errors["payment_method"] == ["请从给出的选项中选择。"]


def test_staff_answer_future_time_and_missing_text_together():
    later = timezone.localtime() + timedelta(days=1)
    with translation.override("zh-hans"):
        form = StaffAnswerForm({"answered_at": later.strftime("%Y-%m-%dT%H:%M"), "action_taken": "", "result": "x"})
        assert not form.is_valid()
        assert set(form.errors) == {"answered_at", "action_taken"}
        assert form.errors["action_taken"][0].startswith("请填写“")


def test_amount_rules_in_the_domains_words():
    with translation.override("zh-hans"):
        form = DepositEntryForm({"kind": "collect", "amount": "0", "entry_date": timezone.localdate().isoformat()})
        assert form.errors["amount"] == ["必须大于 0。"]
        form = DepositEntryForm({"kind": "collect", "amount": "abc", "entry_date": "2026-13-45"})
        assert form.errors["amount"] == ["请填写数字。"]
        assert form.errors["entry_date"] == ["请按 2026-11-20 的格式填写日期。"]


def test_a_proposal_form_without_a_complaint_still_checks_its_fields():
    form = ProposalForm({**proposal("-1"), "paid_via_unified_cashier": "on"})
    assert not form.is_valid() and "amount" in form.errors
    assert Decimal("0.01") == form.fields["amount"].min_value
