"""What a session leaves behind: a replay, the slides, a practical sheet.

Managers attach each as an uploaded file or a link once the session has begun; the
session's participants and enrolees are told once, and the module page keeps it for
later members when the manager allows it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .catalogue import Session


class MaterialKind(models.TextChoices):
    REPLAY = "replay", _("Replay")
    SLIDES = "slides", _("Slides")
    SHEET = "sheet", _("Practical sheet")


def material_upload_to(instance: "SessionMaterial", filename: str) -> str:
    # The stored name keeps only the extension: what the manager called the file may
    # say more than it should, and the title already says what it is.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"session-material/{instance.session_id}/material.{extension}"


class SessionMaterial(models.Model):
    """A replay link, slides or a practical sheet of a session: a file or a link, never both."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="materials", verbose_name=_("session")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MaterialKind.choices)
    title = models.CharField(_("title"), max_length=160)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=material_upload_to, blank=True, max_length=200)
    # The storage name keeps only the extension; this is what the download is called.
    file_name = models.CharField(max_length=160, blank=True, editable=False)
    visible_later = models.BooleanField(
        _("visible to everyone later"),
        default=False,
        help_text=_("Members who did not enrol in this session find it on the module page."),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("session material")
        verbose_name_plural = _("session material")
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="material_file_or_link",
            ),
            # A double submit attaches the same thing once.
            models.UniqueConstraint(
                fields=["session", "kind", "title"], name="material_once_per_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_kind_display()})"

    @property
    def is_file(self) -> bool:
        return bool(self.file)
