import pytest

from tests.notifications import kinds


@pytest.fixture(autouse=True)
def _tasks_in_process(in_process_tasks):
    """The real-stack tests switch to a broker of their own on top of this."""


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
