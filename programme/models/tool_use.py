"""How often a partner's digital tool was opened from the portal, counted per month.

Opening Evoluno or Amarok e-Santé from a module page goes through the portal
(views.tool_open), which adds one to the tool's count for the month and sends the
browser on. Using a mental-health tool says something about someone's health, so the
count is anonymous by construction: no user, session, address or time of day is kept,
only a number per module and month. There is nothing personal here, so nothing for a
member's data export or erasure (members.privacy) to do, and the counts survive both.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .catalogue import Module


class ToolOpening(models.Model):
    """The number of times a digital tool was opened in a month (services.tool_opened)."""

    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="tool_openings", verbose_name=_("module")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    count = models.PositiveIntegerField(_("openings"), default=0)

    class Meta:
        verbose_name = _("openings of a digital tool")
        verbose_name_plural = _("openings of digital tools")
        constraints = [
            models.UniqueConstraint(fields=["module", "month"], name="tool_opening_once_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.module_id} {self.month:%Y-%m}: {self.count}"
