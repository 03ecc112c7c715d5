"""A person's training-track completions and the material they attached: their part of
the data file, and erasure (registered with programme.privacy in apps.py)."""

from typing import Any

from .models import SessionMaterial, StepCompletion


def export_training(user: Any) -> list[dict]:
    """One query: each step the person marked done, with its track."""
    completions = (
        StepCompletion.objects.filter(user=user)
        .select_related("step__track", "step__module", "step__material")
        .order_by("completed_at", "pk")
    )
    return [
        {
            "track": completion.step.track.title,
            "step": completion.step.position,
            "what": completion.step.module.title
            if completion.step.module
            else completion.step.material.title
            if completion.step.material
            else "",
            "done_at": completion.completed_at,
        }
        for completion in completions
    ]


def erase_training(user: Any) -> None:
    StepCompletion.objects.filter(user=user).delete()
    SessionMaterial.objects.filter(added_by=user).update(added_by=None)
