"""Append-only rows: the case timeline and the access log are never changed nor deleted."""

from django.core.exceptions import ValidationError
from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("This log is append-only.")

    def delete(self):
        raise ValidationError("This log is append-only.")


class AppendOnlyModel(models.Model):
    """Rows are added, never changed nor deleted one by one; they leave only with their
    case (a member's data erased), through the database's cascade."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("This log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("This log is append-only.")
