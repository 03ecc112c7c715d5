"""Demo training tracks (one per audience, in French and in Dutch) and the replay of the
demo's past webinar, through the programme's services. Safe to run again: a track is
found by its audience, language and title; the replay by its session and title."""

from django.db import transaction
from django.utils import timezone

from members.models import User
from notifications.models import Delivery, DeliveryStatus
from programme.material_emails import MATERIAL_ADDED
from programme.models import (
    MaterialKind,
    Module,
    Session,
    SessionMaterial,
    TrackStep,
    TrainingTrack,
)
from programme.services import slug_for
from programme.services.material import material_attach
from programme.services.tracks import track_create, track_step_add

from .tracks_data import REPLAY_TITLE, REPLAY_URL, TRACKS


def _replay() -> SessionMaterial | None:
    """The replay of the past webinar (demo.programme's history), kept for later."""
    past = (
        Session.objects.filter(
            module__slug=slug_for("Stress d'entrepreneur : comprendre pour mieux rebondir"),
            starts_at__lt=timezone.now(),
        )
        .order_by("-starts_at")
        .first()
    )
    manager = User.objects.filter(email="gestionnaire@demo.example").first()
    if past is None or manager is None:
        return None
    existing = SessionMaterial.objects.filter(session=past, title=REPLAY_TITLE).first()
    if existing is not None:
        return existing
    material = material_attach(
        session_id=past.pk,
        kind=MaterialKind.REPLAY,
        title=REPLAY_TITLE,
        url=REPLAY_URL,
        visible_later=True,
        actor=manager,
    )
    # The demo participants are not real people: their notices are recorded, not sent.
    Delivery.objects.filter(
        kind=MATERIAL_ADDED,
        status=DeliveryStatus.PENDING,
        recipient__email__endswith="@demo.example",
    ).update(status=DeliveryStatus.SKIPPED, skip_reason="demo data: not sent")
    return material


def _step_target(spec: str, replay: SessionMaterial | None) -> dict:
    if spec.startswith("replay:"):
        return {"material": replay} if replay else {}
    if spec.startswith("session:"):
        session = (
            Session.objects.filter(
                module__slug=slug_for(spec.removeprefix("session:")),
                is_published=True,
                cancelled_at__isnull=True,
                starts_at__gt=timezone.now(),
            )
            .order_by("starts_at")
            .first()
        )
        return {"session": session} if session else {}
    module = Module.objects.filter(slug=slug_for(spec)).first()
    return {"module": module} if module else {}


@transaction.atomic
def seed(stdout) -> None:
    replay = _replay()
    created = 0
    for audience, language, title, introduction, steps in TRACKS:
        track = TrainingTrack.objects.filter(
            audience=audience, language=language, title=title
        ).first()
        if track is not None:
            continue
        track = track_create(
            audience=audience,
            language=language,
            title=title,
            introduction=introduction,
            is_published=True,
        )
        created += 1
        for spec in steps:
            target = _step_target(spec, replay)
            if target:
                track_step_add(track_id=track.pk, **target)
    stdout.write(
        f"Training tracks: {TrainingTrack.objects.count()} ({created} new), "
        f"{TrackStep.objects.count()} steps; {SessionMaterial.objects.count()} session material."
    )
