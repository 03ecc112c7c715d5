import pytest

from members.roles import Role
from tests.factories import staff

from .factories import CaseFactory, PartnerFactory


@pytest.fixture
def other_advisor(db):
    return staff(Role.ADVISOR)


@pytest.fixture
def partner(db):
    return PartnerFactory(name="Un pass dans l'impasse", needs=["stress", "business"])


@pytest.fixture
def new_case(db, member_user):
    return CaseFactory(member=member_user)


@pytest.fixture
def advisor_client(client, advisor_user):
    client.force_login(advisor_user)
    return client
