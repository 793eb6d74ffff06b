import pytest

from servicedesk.roles import Role


@pytest.fixture
def officer(staff):
    return staff(Role.COMPLAINT_OFFICER)


@pytest.fixture
def manager(staff):
    return staff(Role.MANAGER)


@pytest.fixture
def clerk(staff):
    return staff(Role.CLERK)


@pytest.fixture
def head_office(staff):
    return staff(Role.HEAD_OFFICE)
