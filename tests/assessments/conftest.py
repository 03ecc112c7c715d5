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


@pytest.fixture
def in_process_mail(settings):
    """E-mails go out in this process even when REDIS_URL is set (CI), with known links."""
    from celery import current_app

    conf = current_app.conf
    saved = conf.task_always_eager
    conf.task_always_eager = True
    settings.PORTAL_BASE_URL = "https://bien-etre.example.org"
    yield
    conf.task_always_eager = saved
