"""Shift handover: the incoming shift confirms; late or short handovers reach the supervisor once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from frontdesk import services
from frontdesk.models import FrontDeskPolicy, Handover
from servicedesk.models import Notification
from servicedesk.roles import Role
from tests.frontdesk.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def handover(mall, desk, clock):
    return services.handover_record(
        mall=mall, actor=desk, shift="morning", keys_and_items="总台钥匙一串", open_matters="李女士下午来取发票"
    )


def test_incoming_shift_confirms(handover, staff, clock):
    incoming = staff(Role.FRONT_DESK, username="incoming")
    confirmed = services.handover_confirm(handover=handover, actor=incoming)
    assert confirmed.confirmed_by == incoming
    assert confirmed.confirmed_at == at(2026, 3, 2, 15, 0)
    assert not Notification.objects.exists()
    with pytest.raises(ValidationError):
        services.handover_confirm(handover=handover, actor=incoming)


def test_the_outgoing_shift_cannot_confirm_its_own_handover(handover, desk):
    with pytest.raises(ValidationError):
        services.handover_confirm(handover=handover, actor=desk)
    assert Handover.objects.get().confirmed_at is None


def test_staff_of_another_mall_cannot_confirm(handover, staff, other_mall):
    with pytest.raises(PermissionDenied):
        services.handover_confirm(handover=handover, actor=staff(Role.FRONT_DESK, in_mall=other_mall))


def test_discrepancies_go_to_the_supervisor(handover, staff, supervisor):
    incoming = staff(Role.FRONT_DESK, username="incoming")
    services.handover_confirm(handover=handover, actor=incoming, discrepancies="对讲机少一台")
    note = Notification.objects.get(recipient=supervisor)
    assert note.body == "对讲机少一台"


def test_unconfirmed_handover_flagged_once_after_the_mall_allows(handover, supervisor, manager, clock):
    assert FrontDeskPolicy.for_mall(handover.mall).handover_confirm_minutes == 30
    clock.move_to(at(2026, 3, 2, 15, 29))
    assert services.flag_unconfirmed_handovers() == 0
    clock.move_to(at(2026, 3, 2, 15, 31))
    assert services.flag_unconfirmed_handovers() == 1
    handover.refresh_from_db()
    assert handover.flagged_at == at(2026, 3, 2, 15, 31)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [supervisor.pk]  # not the manager

    clock.move_to(at(2026, 3, 2, 16, 0))
    assert services.flag_unconfirmed_handovers() == 0
    assert Notification.objects.count() == 1
    assert Handover.objects.get().flagged_at == at(2026, 3, 2, 15, 31)


def test_confirmed_handovers_are_not_flagged(handover, staff, clock):
    services.handover_confirm(handover=handover, actor=staff(Role.SUPERVISOR))
    clock.move_to(at(2026, 3, 2, 18, 0))
    assert services.flag_unconfirmed_handovers() == 0


def test_handover_task_runs_the_scan(handover, supervisor, clock):
    from frontdesk.tasks import flag_unconfirmed_handovers

    clock.move_to(at(2026, 3, 2, 16, 0))
    assert flag_unconfirmed_handovers.apply().get() == 1
    assert flag_unconfirmed_handovers.apply().get() == 0


def test_handover_time_cannot_be_in_the_future(mall, desk, clock):
    with pytest.raises(ValidationError) as refused:
        services.handover_record(
            mall=mall, actor=desk, shift="evening", keys_and_items="钥匙", handed_over_at=at(2026, 3, 2, 18, 0)
        )
    assert "handed_over_at" in refused.value.message_dict


def test_clerks_do_not_hand_over_the_desk(mall, staff):
    with pytest.raises(PermissionDenied):
        services.handover_record(mall=mall, actor=staff(Role.CLERK), shift="morning", keys_and_items="钥匙")
