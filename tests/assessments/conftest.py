import pytest

from members.roles import Role
from tests.factories import member, staff


@pytest.fixture
def other_member(db):
    return member()


@pytest.fixture
def staff_users(db):
    """One account per staff role, none of them a member."""
    return {role: staff(role) for role in (Role.AMBASSADOR, Role.ADVISOR, Role.PROGRAMME_MANAGER)}
