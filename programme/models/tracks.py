"""Training tracks: ordered steps (a module, a session's material, a session) that a
manager composes for an audience of staff (new advisors, ambassadors, all staff)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.belgium import Language

from .catalogue import Module, Session
from .material import SessionMaterial


class TrackAudience(models.TextChoices):
    NEW_ADVISORS = "advisors", _("New advisors")
    AMBASSADORS = "ambassadors", _("Ambassadors")
    ALL_STAFF = "all_staff", _("All staff")


class TrainingTrack(models.Model):
    audience = models.CharField(_("audience"), max_length=12, choices=TrackAudience.choices)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FR
    )
    title = models.CharField(_("title"), max_length=160)
    introduction = models.TextField(_("introduction"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["audience", "language", "title"]
        verbose_name = _("training track")
        verbose_name_plural = _("training tracks")
        constraints = [
            models.UniqueConstraint(
                fields=["audience", "language", "title"], name="track_title_once_per_audience"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class StepKind(models.TextChoices):
    MODULE = "module", _("Module")
    MATERIAL = "material", _("Sheet or material")
    SESSION = "session", _("Session")


class TrackStep(models.Model):
    track = models.ForeignKey(TrainingTrack, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=StepKind.choices)
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    material = models.ForeignKey(
        SessionMaterial, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["track", "position"]
        verbose_name = _("track step")
        verbose_name_plural = _("track steps")
        constraints = [
            models.UniqueConstraint(fields=["track", "position"], name="track_step_position"),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="module",
                        module__isnull=False,
                        material__isnull=True,
                        session__isnull=True,
                    )
                    | Q(
                        kind="material",
                        module__isnull=True,
                        material__isnull=False,
                        session__isnull=True,
                    )
                    | Q(
                        kind="session",
                        module__isnull=True,
                        material__isnull=True,
                        session__isnull=False,
                    )
                ),
                name="track_step_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.track} #{self.position}"

    @property
    def label(self) -> str:
        if self.module_id:
            return self.module.title  # type: ignore[union-attr]
        if self.material_id:
            return self.material.title  # type: ignore[union-attr]
        return str(self.session)


class StepCompletion(models.Model):
    """A person marked a (module or material) step done; session steps count from attendance."""

    step = models.ForeignKey(TrackStep, on_delete=models.CASCADE, related_name="completions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="track_completions"
    )
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["completed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["step", "user"], name="step_completed_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.step}"
