"""Settings for the Celery worker the real-stack tests start: the portal's settings,
plus the test-only message kinds' templates (registered by worker_kinds)."""

import os
from pathlib import Path

from wellbeing.settings import *  # noqa: F403
from wellbeing.settings import CELERY_BEAT_SCHEDULE, TEMPLATES

TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).parent / "templates"]
PORTAL_BASE_URL = "https://bien-etre.example.org"
# The test-only kinds, for a worker started without --include (under supervisord).
CELERY_IMPORTS = ["tests.notifications.worker_kinds"]
# The supervised stack's beat sweeps more often than the portal's minute, as its leases
# are shorter too (tests/notifications/test_supervised.py).
if "SUPERVISED_SWEEP_SECONDS" in os.environ:
    CELERY_BEAT_SCHEDULE["notifications-send-due"] = {
        **CELERY_BEAT_SCHEDULE["notifications-send-due"],
        "schedule": float(os.environ["SUPERVISED_SWEEP_SECONDS"]),
    }
