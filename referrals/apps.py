from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    """Listening cell, partner directory, ambassador signals. May use members, assessments, programme."""

    name = "referrals"
    verbose_name = _("Listening cell and referrals")
