"""Training tracks: managers compose them, staff mark their steps done.

Session steps are not marked by hand: they count once the roster says the person
attended, so a track shows what happened, not what was clicked.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from common.belgium import Language
from members.models import User

from ..models import (
    Module,
    Session,
    SessionMaterial,
    StepCompletion,
    StepKind,
    TrackAudience,
    TrackStep,
    TrainingTrack,
)
from ..selectors.tracks import step_of_person

logger = logging.getLogger(__name__)

TRACK_FIELDS = ("audience", "language", "title", "introduction", "is_published")


def _check_track(track: TrainingTrack) -> None:
    if track.audience not in TrackAudience.values:
        raise ValidationError({"audience": _("Choose an audience.")})
    if track.language not in Language.values:
        raise ValidationError({"language": _("Choose a language.")})
    duplicate = TrainingTrack.objects.filter(
        audience=track.audience, language=track.language, title=track.title
    ).exclude(pk=track.pk)
    if duplicate.exists():
        raise ValidationError(
            {"title": _("A track with this title already exists for this audience.")}
        )
    track.full_clean(validate_unique=False, validate_constraints=False)


@transaction.atomic
def track_create(
    *,
    audience: str,
    language: str,
    title: str,
    introduction: str = "",
    is_published: bool = False,
) -> TrainingTrack:
    track = TrainingTrack(
        audience=audience,
        language=language,
        title=title.strip(),
        introduction=introduction,
        is_published=is_published,
    )
    _check_track(track)
    track.save()
    return track


@transaction.atomic
def track_update(
    *,
    track: TrainingTrack,
    audience: str,
    language: str,
    title: str,
    introduction: str = "",
    is_published: bool = False,
) -> TrainingTrack:
    track.audience, track.language, track.title = audience, language, title.strip()
    track.introduction, track.is_published = introduction, is_published
    _check_track(track)
    track.save()
    return track


def _lock_track(track_id: int) -> TrainingTrack:
    return TrainingTrack.objects.select_for_update().get(pk=track_id)


@transaction.atomic
def track_step_add(
    *,
    track_id: int,
    module: Module | None = None,
    material: SessionMaterial | None = None,
    session: Session | None = None,
) -> TrackStep:
    """Append a step (exactly one of a module, a material, a session) to the track."""
    targets = [t for t in (module, material, session) if t is not None]
    if len(targets) != 1:
        raise ValidationError(_("Choose one module, one material or one session for the step."))
    track = _lock_track(track_id)
    kind = StepKind.MODULE if module else StepKind.MATERIAL if material else StepKind.SESSION
    already = TrackStep.objects.filter(
        track=track, module=module, material=material, session=session
    )
    if already.exists():
        raise ValidationError(_("This step is already in the track."))
    last = track.steps.aggregate(last=Max("position"))["last"] or 0
    return TrackStep.objects.create(
        track=track,
        position=last + 1,
        kind=kind,
        module=module,
        material=material,
        session=session,
    )


def _renumber(track: TrainingTrack, ordered: list[TrackStep]) -> None:
    # Two passes: the positions are unique, so no step may take a number still held.
    offset = len(ordered) + 1000
    for index, step in enumerate(ordered, start=1):
        step.position = offset + index
    TrackStep.objects.bulk_update(ordered, ["position"])
    for index, step in enumerate(ordered, start=1):
        step.position = index
    TrackStep.objects.bulk_update(ordered, ["position"])


@transaction.atomic
def track_step_move(*, step_id: int, up: bool) -> None:
    step = TrackStep.objects.get(pk=step_id)
    track = _lock_track(step.track_id)
    ordered = list(track.steps.order_by("position"))
    index = next(i for i, s in enumerate(ordered) if s.pk == step_id)
    other = index - 1 if up else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
        _renumber(track, ordered)


@transaction.atomic
def track_step_remove(*, step_id: int) -> None:
    step = TrackStep.objects.get(pk=step_id)
    track = _lock_track(step.track_id)
    step.delete()
    _renumber(track, list(track.steps.order_by("position")))


@transaction.atomic
def step_mark(*, user: User, step_id: int, done: bool = True) -> bool:
    """Mark a step of the person's own track done (or not); True when something changed.

    A step of a track the person does not follow is refused, as is a session step:
    attendance decides those. Marking twice records one row."""
    step = step_of_person(user, step_id)
    if step is None:
        raise ValidationError(_("This step is not part of your training track."), code="not_yours")
    if step.kind == StepKind.SESSION:
        raise ValidationError(
            _("A session counts as done once your attendance is recorded."), code="session"
        )
    if not done:
        deleted, _rows = StepCompletion.objects.filter(step=step, user=user).delete()
        return bool(deleted)
    try:
        with transaction.atomic():
            _completion, created = StepCompletion.objects.get_or_create(step=step, user=user)
    except IntegrityError:  # the same click in two tabs
        return False
    if created:
        logger.info("track.step_done step=%s user=%s", step.pk, user.pk)
    return created
