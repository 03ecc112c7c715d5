from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Seeds a realistic demo programme. Imports every domain app; nothing imports it."""

    name = "demo"
