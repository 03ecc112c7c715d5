import pytest
from celery import current_app

from members.roles import Role
from tests.emails import BASE
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


@pytest.fixture
def in_process_mail(settings):
    """E-mails go out in this process even when REDIS_URL is set (CI), to a known address."""
    conf = current_app.conf
    saved = conf.task_always_eager
    conf.task_always_eager = True
    settings.PORTAL_BASE_URL = BASE
    yield
    conf.task_always_eager = saved
