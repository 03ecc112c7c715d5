import pytest
from celery import current_app

from tests.factories import member


@pytest.fixture(autouse=True)
def in_process_tasks():
    """Tasks run in-process, as in embedded mode, even when REDIS_URL is set (CI): the
    e-mails the enrolment services hand over after commit land in mail.outbox."""
    conf = current_app.conf
    saved = conf.task_always_eager
    conf.task_always_eager = True
    yield
    conf.task_always_eager = saved


@pytest.fixture(autouse=True)
def portal_address(settings):
    settings.PORTAL_BASE_URL = "https://bien-etre.example.org"


@pytest.fixture
def members(db):
    """make(n): n distinct members."""

    def make(n: int):
        return [member() for _ in range(n)]

    return make
