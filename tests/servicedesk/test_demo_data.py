import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse

from merchants.credit_code import validate_credit_code
from merchants.models import Booth, Merchant
from servicedesk.access import has_role, reads_all_malls
from servicedesk.models import Mall, StaffMembership
from servicedesk.roles import Role

pytestmark = pytest.mark.django_db

DEMO_USERS = [
    "frontdesk",
    "officer",
    "pricetag",
    "clerk",
    "supervisor",
    "manager",
    "driver",
    "headoffice",
    "headoffice2",
    "admin",
]


@override_settings(DEBUG=True)
def test_demo_data_loads_and_running_it_again_changes_nothing():
    call_command("demo_data")
    counts = (Mall.objects.count(), Merchant.objects.count(), Booth.objects.count(), StaffMembership.objects.count())
    call_command("demo_data")
    assert counts == (
        Mall.objects.count(),
        Merchant.objects.count(),
        Booth.objects.count(),
        StaffMembership.objects.count(),
    )
    assert set(Mall.objects.values_list("code", "name")) == {("SH01", "上海真北商场"), ("WX01", "无锡商场")}
    assert Merchant.objects.count() == 12
    assert Booth.objects.filter(merchant__isnull=False).count() == 12
    for merchant in Merchant.objects.all():
        validate_credit_code(merchant.credit_code)


@override_settings(DEBUG=True)
def test_demo_users_log_in_with_the_published_password_and_hold_their_roles():
    call_command("demo_data")
    sh01 = Mall.objects.get(code="SH01")
    for username in DEMO_USERS:
        response = Client().post(reverse("login"), {"username": username, "password": "demo-pass-2026"})
        assert response.status_code == 302, username
    User = get_user_model()
    expected = {
        "frontdesk": Role.FRONT_DESK,
        "officer": Role.COMPLAINT_OFFICER,
        "pricetag": Role.PRICE_TAG_OFFICER,
        "clerk": Role.CLERK,
        "supervisor": Role.SUPERVISOR,
        "manager": Role.MANAGER,
        "driver": Role.DRIVER,
    }
    for username, role in expected.items():
        assert has_role(User.objects.get(username=username), sh01, role)
    assert reads_all_malls(User.objects.get(username="headoffice"))
    assert reads_all_malls(User.objects.get(username="headoffice2"))
    assert User.objects.get(username="admin").is_superuser


@override_settings(DEBUG=False)
def test_demo_data_refuses_without_debug():
    with pytest.raises(CommandError):
        call_command("demo_data")
    assert not get_user_model().objects.filter(username="frontdesk").exists()


@override_settings(DEBUG=True)
def test_demo_opens_on_a_desk_with_work_in_it():
    from complaints.models import Complaint
    from followups.models import Callback
    from returns.models import ReturnRequest

    call_command("demo_data")
    call_command("demo_data")
    assert Complaint.objects.count() == 4
    assert Complaint.objects.filter(status="with_merchant").count() == 1
    assert ReturnRequest.objects.count() == 2  # one awaiting approval, one approved for the driver
    assert Callback.objects.filter(assignee__username="officer").exists()


@override_settings(DEBUG=True)
def test_the_demo_has_exchanges_in_several_states_and_a_driver_run_for_today():
    from django.utils import timezone

    from drivers.models import DeliveryRun, StopTask
    from exchanges.models import Exchange

    call_command("demo_data")
    call_command("demo_data")
    exchanges = {(e.kind, e.status) for e in Exchange.objects.all()}
    assert exchanges == {("quality", "requested"), ("no_reason", "settled"), ("no_reason", "refused")}
    settled = Exchange.objects.get(status="settled")
    assert settled.difference_amount > 0 and settled.cashier_reference
    run = DeliveryRun.objects.get()
    assert (run.run_on, run.driver.username) == (timezone.localdate(), "driver")
    stops = list(run.stops.order_by("position"))
    assert [stop.task for stop in stops] == [
        StopTask.PICK_UP,
        StopTask.EXCHANGE_PICK_UP,
        StopTask.VISIT,
        StopTask.EXCHANGE_DELIVERY,
    ]
    assert stops[1].exchange == stops[3].exchange == settled
    client = Client()
    assert client.post(reverse("login"), {"username": "driver", "password": "demo-pass-2026"}).status_code == 302
    page = client.get(reverse("drivers:today")).content.decode()
    assert settled.number in page and "灰色布艺四人沙发" in page


@override_settings(DEBUG=True)
@pytest.mark.parametrize("clock", ["2026-12-07T17:30:00Z", "2026-12-08T05:00:00Z"])  # 01:30 and 13:00 in Shanghai
def test_the_demo_broadcast_programme_of_today_can_be_ticked_at_any_hour(clock):
    """Someone trying the demo at night (or before a line's time) can still tick today's lines."""
    import time_machine
    from django.utils import timezone

    from frontdesk.models import BroadcastPlay, PlayStatus
    from frontdesk.services import play_tick, programme_draw_up

    with time_machine.travel(clock, tick=False):
        call_command("demo_data", without_cases=True)
        sh01 = Mall.objects.get(code="SH01")
        today = timezone.localdate()
        programme_draw_up(mall=sh01, day=today)
        plays = BroadcastPlay.objects.filter(mall=sh01, day=today).order_by("-starts_at")
        assert plays.exists()
        latest = plays.first()  # the evening's last line, hours ahead of the clock
        ticked = play_tick(play=latest, actor=get_user_model().objects.get(username="frontdesk"))
        assert ticked.status == PlayStatus.PLAYED


@override_settings(DEBUG=True)
def test_the_demo_merchant_user_signs_in_to_the_portal_and_sees_its_forwarded_complaint():
    from complaints.models import Complaint
    from merchants.models import MerchantUser

    call_command("demo_data")
    call_command("demo_data")
    assert MerchantUser.objects.count() == 1
    client = Client()
    response = client.post(reverse("login"), {"username": "13900000001", "password": "demo-pass-2026"})
    assert response.status_code == 302
    assert client.get("/")["Location"] == reverse("merchantportal:home")
    forwarded = Complaint.objects.get(forwarded_at__isnull=False)
    assert forwarded.merchant.brand == "梵居沙发"
    assert forwarded.number in client.get(reverse("merchantportal:home")).content.decode()
    for name in ("merchantportal:deposit", "merchantportal:scorecard"):
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("complaints:index")).status_code == 404
