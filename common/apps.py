from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Shared vocabulary (provinces, languages, help lines). Imports no domain app."""

    name = "common"
