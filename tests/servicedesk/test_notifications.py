import pytest
from django.core import mail
from django.urls import reverse

from servicedesk.models import Notification
from servicedesk.notifications import notify, send_notification_emails, staff_of
from servicedesk.roles import Role

pytestmark = pytest.mark.django_db


def test_staff_of_finds_role_holders_of_the_mall_only(mall, other_mall, staff):
    manager = staff(Role.MANAGER)
    staff(Role.MANAGER, in_mall=other_mall)
    staff(Role.CLERK)
    assert list(staff_of(mall, Role.MANAGER)) == [manager]


def test_staff_of_includes_chain_roles(mall, staff):
    head = staff(Role.HEAD_OFFICE)
    assert head in staff_of(mall, Role.HEAD_OFFICE)


def test_the_same_event_notifies_each_recipient_once(mall, staff, django_capture_on_commit_callbacks):
    manager = staff(Role.MANAGER, email="manager@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        first = notify([manager], key="merchant:1:hold_ended", title="保证金扣留期已满", mall=mall)
    with django_capture_on_commit_callbacks(execute=True):
        second = notify([manager], key="merchant:1:hold_ended", title="保证金扣留期已满", mall=mall)
    assert len(first) == 1 and second == []
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["manager@example.com"]
    assert "保证金扣留期已满" in mail.outbox[0].subject


def test_email_sending_is_harmless_twice(mall, staff):
    manager = staff(Role.MANAGER, email="manager@example.com")
    notify([manager], key="k1", title="测试", mall=mall)
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert send_notification_emails(ids) == 1
    assert send_notification_emails(ids) == 0
    assert len(mail.outbox) == 1


def test_nothing_is_emailed_when_the_action_rolls_back(mall, staff, django_capture_on_commit_callbacks):
    manager = staff(Role.MANAGER, email="manager@example.com")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify([manager], key="k2", title="测试", mall=mall)
    assert len(callbacks) == 1, "e-mail waits for the commit"
    assert mail.outbox == []


def test_bell_shows_unread_count_and_list_marks_read(client, mall, staff):
    clerk = staff(Role.CLERK)
    notify([clerk], key="a", title="第一条", url="/merchants/", mall=mall)
    notify([clerk], key="b", title="第二条", mall=mall)
    client.force_login(clerk)
    page = client.get(reverse("home")).content.decode()
    assert 'id="unread-count">2<' in page
    first = Notification.objects.get(key="a")
    response = client.post(reverse("notifications:open", args=[first.pk]))
    assert response.url == "/merchants/"
    assert 'id="unread-count">1<' in client.get(reverse("home")).content.decode()
    client.post(reverse("notifications:read_all"))
    assert 'id="unread-count"' not in client.get(reverse("home")).content.decode()


def test_someone_elses_notification_is_404(client, mall, staff):
    clerk, manager = staff(Role.CLERK), staff(Role.MANAGER)
    notify([manager], key="x", title="经理的", mall=mall)
    client.force_login(clerk)
    note = Notification.objects.get()
    assert client.post(reverse("notifications:open", args=[note.pk])).status_code == 404
    assert "经理的" not in client.get(reverse("notifications:list")).content.decode()
    assert Notification.objects.get().read_at is None


def test_open_never_redirects_off_site(client, mall, staff):
    clerk = staff(Role.CLERK)
    notify([clerk], key="evil", title="x", url="https://evil.example/", mall=mall)
    client.force_login(clerk)
    response = client.post(reverse("notifications:open", args=[Notification.objects.get().pk]))
    assert response.url == reverse("notifications:list")


def test_notification_list_costs_fixed_queries(client, mall, staff, django_assert_max_num_queries):
    clerk = staff(Role.CLERK)
    client.force_login(clerk)
    for n in range(3):
        notify([clerk], key=f"n{n}", title=f"通知{n}", mall=mall)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("notifications:list"))
    for n in range(3, 30):
        notify([clerk], key=f"n{n}", title=f"通知{n}", mall=mall)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("notifications:list"))
