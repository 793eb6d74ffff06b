"""Per-mall settings as dated versions (issue #16 item 8): the version in force on a day,
defaults that are never written by a read, validation, the admin, the audit trail."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from compensations.models import CompensationPolicy
from complaints.models import ComplaintPolicy
from exchanges.models import ExchangePolicy
from followups.models import CallbackPolicy
from frontdesk.models import FrontDeskPolicy
from knowledge.models import WarrantyPolicy
from merchants.models import MerchantPolicy
from portal.models import LinkPolicy
from reports.models import AppraisalPolicy
from returns.models import ReturnPolicy
from servicedesk.models import POLICY_EPOCH, MallPolicy
from servicedesk.roles import Role
from servicedesk.services import policy_version_save
from sms.models import SmsPolicy
from tests.factories import make_staff

pytestmark = pytest.mark.django_db
POLICIES = [
    AppraisalPolicy,
    CallbackPolicy,
    CompensationPolicy,
    ComplaintPolicy,
    ExchangePolicy,
    FrontDeskPolicy,
    LinkPolicy,
    MerchantPolicy,
    ReturnPolicy,
    SmsPolicy,
    WarrantyPolicy,
]


def test_every_per_mall_policy_is_listed_here_and_in_the_admin():
    found = sorted(
        (m for m in apps.get_models() if issubclass(m, MallPolicy) and not m.__name__.startswith("Historical")),
        key=lambda m: m.__name__,
    )
    assert found == POLICIES
    for model in POLICIES:
        assert model in admin.site._registry, model.__name__
        assert hasattr(model, "history"), model.__name__  # audited (simple-history)


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


def test_the_version_in_force_on_a_day(mall):
    ReturnPolicy.objects.create(mall=mall, effective_from=date(2026, 1, 1), window_days=10)
    ReturnPolicy.objects.create(mall=mall, effective_from=date(2026, 7, 1), window_days=30)
    assert ReturnPolicy.for_mall(mall, on=date(2025, 12, 31)).window_days == 7  # before any: defaults
    assert ReturnPolicy.for_mall(mall, on=date(2026, 1, 1)).window_days == 10
    assert ReturnPolicy.for_mall(mall, on=date(2026, 6, 30)).window_days == 10
    assert ReturnPolicy.for_mall(mall, on=date(2026, 7, 1)).window_days == 30
    assert ReturnPolicy.for_mall(mall).window_days == 30  # today


def test_a_version_for_tomorrow_is_not_in_force_today(mall):
    ReturnPolicy.objects.create(mall=mall, effective_from=tomorrow(), window_days=30)
    assert ReturnPolicy.for_mall(mall).window_days == 7
    assert ReturnPolicy.for_mall(mall, on=tomorrow()).window_days == 30


def test_in_force_reads_many_malls_in_one_query(mall, other_mall, django_assert_num_queries):
    ComplaintPolicy.objects.create(mall=other_mall, effective_from=POLICY_EPOCH, resolution_days=3)
    with django_assert_num_queries(1):
        policies = ComplaintPolicy.in_force([mall, other_mall], on=date(2026, 12, 1))
    assert (policies[mall.pk].resolution_days, policies[other_mall.pk].resolution_days) == (7, 3)
    assert policies[mall.pk].is_default and not policies[other_mall.pk].is_default


@pytest.mark.parametrize("model", POLICIES, ids=lambda m: m.__name__)
def test_reading_the_defaults_writes_nothing(model, mall):
    policy = model.for_mall(mall)
    assert policy.pk is None and policy.mall == mall
    assert not model.objects.exists()


PAGES = [
    ("home", Role.MANAGER, {}),
    ("complaints:intake", Role.FRONT_DESK, {}),
    ("returns:new", Role.FRONT_DESK, {}),
    ("merchants:inspection_new", Role.PRICE_TAG_OFFICER, {}),
    ("merchants:index", Role.MANAGER, {}),
    ("followups:index", Role.COMPLAINT_OFFICER, {}),
    ("frontdesk:index", Role.SUPERVISOR, {}),
    ("frontdesk:spot_checks", Role.SUPERVISOR, {}),
    ("reports:weekly", Role.MANAGER, {"week": "2026-W47"}),
    ("reports:weekly", Role.MANAGER, {"week": "2026-W47", "format": "xlsx"}),
    ("reports:rollup", Role.HEAD_OFFICE, {"week": "2026-W47"}),
    ("reports:appraisal", Role.HEAD_OFFICE, {"month": "2026-11"}),
]


@pytest.mark.parametrize(("name", "role", "query"), PAGES)
def test_a_page_view_creates_no_policy_rows(name, role, query, client, staff, mall):
    client.force_login(staff(role))
    response = client.get(reverse(name), query)
    assert response.status_code in (200, 302), name
    for model in POLICIES:
        assert not model.objects.exists(), (name, model.__name__)


# --- Validation ---------------------------------------------------------------------------


def invalid(policy):
    with pytest.raises(ValidationError) as caught:
        policy.full_clean()
    return caught.value


def test_appraisal_weights_must_add_up_to_100(mall):
    error = invalid(AppraisalPolicy(mall=mall, effective_from=tomorrow(), on_time_weight=25))
    assert "105" in str(error)
    AppraisalPolicy(mall=mall, effective_from=tomorrow(), on_time_weight=25, first_response_weight=10).full_clean()


def test_targets_are_percentages(mall):
    error = invalid(AppraisalPolicy(mall=mall, effective_from=tomorrow(), on_time_target=Decimal("120")))
    assert "on_time_target" in error.message_dict
    error = invalid(ReturnPolicy(mall=mall, effective_from=tomorrow(), max_repackaging_percent=Decimal("-1")))
    assert "max_repackaging_percent" in error.message_dict


def test_compensation_tiers_must_increase(mall):
    error = invalid(
        CompensationPolicy(
            mall=mall, effective_from=tomorrow(), manager_limit=Decimal("5000"), general_manager_limit=Decimal("5000")
        )
    )
    assert "general_manager_limit" in error.message_dict


def test_lines_come_after_the_deadlines_they_follow(mall):
    assert (
        "deliberate_delay_days"
        in invalid(ComplaintPolicy(mall=mall, effective_from=tomorrow(), resolution_days=15)).message_dict
    )
    assert "delay_days" in invalid(ReturnPolicy(mall=mall, effective_from=tomorrow(), refund_days=15)).message_dict
    assert (
        "second_closing_notice_minutes"
        in invalid(FrontDeskPolicy(mall=mall, effective_from=tomorrow(), second_closing_notice_minutes=30)).message_dict
    )


def test_a_version_cannot_take_effect_in_the_past(mall):
    error = invalid(ReturnPolicy(mall=mall, effective_from=timezone.localdate() - timedelta(days=1)))
    assert "effective_from" in error.message_dict
    ReturnPolicy(mall=mall, effective_from=timezone.localdate()).full_clean()


def test_a_version_in_force_cannot_be_changed(mall):
    used = ReturnPolicy.objects.create(mall=mall, effective_from=date(2026, 1, 1))
    used.window_days = 30
    assert "已经施行并用于考核，不能修改" in str(invalid(used))


def test_one_version_per_mall_and_day(mall):
    ReturnPolicy.objects.create(mall=mall, effective_from=tomorrow())
    assert invalid(ReturnPolicy(mall=mall, effective_from=tomorrow(), window_days=9))


def test_only_an_administrator_saves_a_version(mall):
    policy = ReturnPolicy(mall=mall, effective_from=tomorrow(), window_days=30)
    with pytest.raises(PermissionDenied):
        policy_version_save(policy=policy, actor=make_staff(Role.MANAGER, mall))
    admin_user = make_staff(Role.ADMIN)
    policy_version_save(policy=policy, actor=admin_user)
    record = policy.history.get()
    assert record.history_user == admin_user and record.window_days == 30


# --- The admin ----------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    user = make_staff(Role.ADMIN, username="settings-admin")
    get_user_model().objects.filter(pk=user.pk).update(is_staff=True)
    client.force_login(user)
    client.user = user
    return client


def form_data(model, mall, **changes):
    data = {}
    for name, value in model_to_dict(model.for_mall(mall)).items():
        if name == "id" or value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = str(value)
    data.update({"mall": str(mall.pk), "effective_from": tomorrow().isoformat()} | changes)
    return data


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", POLICIES, ids=lambda m: m.__name__)
def test_the_administrator_adds_a_version_for_tomorrow(model, admin_client, mall):
    form = admin_client.get(admin_url(model, "add"), {"mall": mall.pk})
    assert form.status_code == 200
    assert form.context["adminform"].form.initial["effective_from"] == tomorrow()
    response = admin_client.post(admin_url(model, "add"), form_data(model, mall))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    version = model.objects.get(mall=mall)
    assert version.effective_from == tomorrow()
    assert version.history.get().history_user == admin_client.user


def test_the_admin_refuses_a_past_date_with_a_message(admin_client, mall):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = admin_client.post(
        admin_url(ReturnPolicy, "add"), form_data(ReturnPolicy, mall, effective_from=yesterday, window_days="30")
    )
    assert response.status_code == 200
    assert "参数不能早于今天施行" in response.content.decode()
    assert not ReturnPolicy.objects.exists()


def test_the_admin_refuses_weights_that_do_not_add_up(admin_client, mall):
    response = admin_client.post(
        admin_url(AppraisalPolicy, "add"), form_data(AppraisalPolicy, mall, on_time_weight="30")
    )
    assert "各项权重之和必须为 100，现为 110。" in response.content.decode()
    assert not AppraisalPolicy.objects.exists()


def test_a_version_in_force_is_read_only_and_copied_into_a_new_one(admin_client, mall):
    used = ReturnPolicy.objects.create(mall=mall, effective_from=date(2026, 1, 1), window_days=30)
    page = admin_client.get(admin_url(ReturnPolicy, "change", used.pk)).content.decode()
    assert 'name="_save"' not in page and "以此为底稿新建版本" in page
    response = admin_client.post(admin_url(ReturnPolicy, "change", used.pk), form_data(ReturnPolicy, mall))
    assert response.status_code == 403
    used.refresh_from_db()
    assert used.window_days == 30
    copy = admin_client.get(admin_url(ReturnPolicy, "add"), {"copy": used.pk})
    initial = copy.context["adminform"].form.initial
    assert initial["window_days"] == 30 and initial["mall"] == mall.pk and initial["effective_from"] == tomorrow()


def test_the_list_shows_which_version_is_in_force(admin_client, mall):
    ReturnPolicy.objects.create(mall=mall, effective_from=date(2026, 1, 1))
    ReturnPolicy.objects.create(mall=mall, effective_from=date(2026, 2, 1))
    ReturnPolicy.objects.create(mall=mall, effective_from=tomorrow())
    page = admin_client.get(admin_url(ReturnPolicy, "changelist")).content.decode()
    assert page.count("已被新版本取代") == 1 and page.count("施行中") == 1 and "起施行" in page
