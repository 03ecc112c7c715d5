"""Settings for the Celery worker the real-stack tests start: the portal's settings,
plus the test-only message kinds' templates (registered by worker_kinds)."""

from pathlib import Path

from wellbeing.settings import *  # noqa: F403
from wellbeing.settings import TEMPLATES

TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).parent / "templates"]
PORTAL_BASE_URL = "https://bien-etre.example.org"
# The test-only kinds, for a worker started without --include (under supervisord).
CELERY_IMPORTS = ["tests.notifications.worker_kinds"]
