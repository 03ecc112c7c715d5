import pytest
from celery import current_app

from tests.factories import member

from .history import History, build_history


@pytest.fixture(autouse=True)
def in_process_tasks(settings):
    """Tasks run in-process even when REDIS_URL is set (CI): the e-mails a freed seat
    sends to the next person on the waitlist land in mail.outbox."""
    conf = current_app.conf
    saved = conf.task_always_eager
    conf.task_always_eager = True
    settings.PORTAL_BASE_URL = "https://bien-etre.example.org"
    yield
    conf.task_always_eager = saved


@pytest.fixture
def other_member(db):
    return member()


@pytest.fixture
def history(member_user, advisor_user, ambassador_user) -> History:
    """The member has something in every app."""
    return build_history(member_user, advisor=advisor_user, ambassador=ambassador_user)
