"""Language versions: the French, Dutch and English modules of the same content.

A module is delivered in one language (Module.language). Managers link the modules that
are the same content in other languages into one group, so each module's page offers
the others ("Also in Dutch") and the catalogue shows a member one of them. The group
holds nothing but its members: which module is in which group is a column of the module
(Module.version_group), kept in the module's edit history, and a unique constraint on
(version_group, language) keeps one module per language in a group.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ModuleVersionGroup(models.Model):
    """The modules that are one content in several languages (services.versions)."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("language versions")
        verbose_name_plural = _("language versions")

    def __str__(self) -> str:
        # Read in the modules' edit history: the versions, not a number.
        titles = [
            f"{module.title} ({module.language.upper()})"
            for module in self.modules.order_by("language", "pk")
        ]
        return " · ".join(titles) or f"#{self.pk}"
