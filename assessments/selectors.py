"""Reads on self-assessment results: a member sees their own, nobody else sees any."""

from django.db.models import QuerySet

from .models import AssessmentResult


def results_for_member(user) -> QuerySet[AssessmentResult]:
    """The member's own kept results, newest first; nothing for anyone else."""
    if not getattr(user, "is_authenticated", False):
        return AssessmentResult.objects.none()
    return AssessmentResult.objects.filter(user=user).order_by("-created_at", "-pk")
