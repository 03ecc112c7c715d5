"""Imported by the test worker (celery worker --include): registers the test-only kinds."""

from tests.notifications.kinds import register

register()
