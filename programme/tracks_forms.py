"""The managers' forms for training tracks."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Module, Session, SessionMaterial, TrainingTrack

# Sessions offered as steps: those still to come and those of the last months (a track
# may point at a recorded session that staff attended).
SESSION_STEP_PAST = timedelta(days=180)


class TrackForm(forms.ModelForm):
    class Meta:
        model = TrainingTrack
        fields = ["title", "audience", "language", "introduction", "is_published"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 4})}


class _SessionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        local = timezone.localtime(obj.starts_at)
        return f"{obj.module.title} — {local:%d/%m/%Y %H:%M}"


class _MaterialChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.get_kind_display()}) — {obj.session.module.title}"


class StepForm(forms.Form):
    module = forms.ModelChoiceField(
        label=_("A module"), queryset=Module.objects.none(), required=False
    )
    material = _MaterialChoice(
        label=_("Or a sheet or material"), queryset=SessionMaterial.objects.none(), required=False
    )
    session = _SessionChoice(
        label=_("Or a session"), queryset=Session.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = Module.objects.order_by("title")
        self.fields["material"].queryset = SessionMaterial.objects.select_related(
            "session__module"
        ).order_by("-created_at")
        self.fields["session"].queryset = (
            Session.objects.filter(
                cancelled_at__isnull=True, starts_at__gte=timezone.now() - SESSION_STEP_PAST
            )
            .select_related("module")
            .order_by("starts_at")
        )

    def clean(self):
        data = super().clean()
        chosen = [name for name in ("module", "material", "session") if data.get(name)]
        if len(chosen) != 1:
            raise forms.ValidationError(_("Choose one module, one material or one session."))
        return data
