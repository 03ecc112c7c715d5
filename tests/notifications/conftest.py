import pytest
from celery import current_app

from tests.notifications import kinds


@pytest.fixture(autouse=True)
def in_process_tasks():
    """Tasks run in-process, as in embedded mode, even when REDIS_URL is set (CI).

    The real-stack tests switch to a broker of their own on top of this.
    """
    conf = current_app.conf
    saved = conf.task_always_eager
    conf.task_always_eager = True
    yield
    conf.task_always_eager = saved


@pytest.fixture(autouse=True)
def test_kinds(settings):
    """The test-only message kinds, their templates, and a known base URL."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], kinds.TEMPLATES_DIR]}
    ]
    settings.PORTAL_BASE_URL = "https://bien-etre.example.org"
    kinds.register()
    kinds.CANCELLED_WORKSHOPS.clear()
    yield
    kinds.unregister_all()
