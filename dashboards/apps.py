from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """Role home pages and statistics. Reads every domain app; nothing imports it."""

    name = "dashboards"
    verbose_name = _("Dashboards")
