"""The demo's training tracks: one per audience in French and in Dutch, with steps, the
past webinar's replay, and safe to load twice."""

import io

import pytest

from demo import accounts
from demo import programme as demo_programme
from demo import tracks as demo_tracks
from members.models import User
from programme.models import SessionMaterial, StepKind, TrackAudience, TrackStep, TrainingTrack
from programme.selectors.tracks import tracks_of

pytestmark = pytest.mark.django_db


def test_demo_tracks_cover_each_audience_in_french_and_dutch_and_load_twice():
    accounts.seed_accounts()
    demo_programme.seed(io.StringIO())
    demo_tracks.seed(io.StringIO())
    counts = (TrainingTrack.objects.count(), TrackStep.objects.count())
    demo_tracks.seed(io.StringIO())
    assert (TrainingTrack.objects.count(), TrackStep.objects.count()) == counts

    pairs = set(TrainingTrack.objects.values_list("audience", "language"))
    assert pairs == {(a, lang) for a in TrackAudience.values for lang in ("fr", "nl")}
    for track in TrainingTrack.objects.all():
        assert track.is_published and track.steps.count() >= 3, track
    kinds = set(TrackStep.objects.values_list("kind", flat=True))
    assert kinds == set(StepKind.values)
    replay = SessionMaterial.objects.get()
    assert replay.visible_later and replay.url.startswith("https://")

    ambassador = User.objects.get(email="ambassadeur@demo.example")
    assert {mine.track.title for mine in tracks_of(ambassador)} == {
        "Parcours d'accueil des ambassadeurs",
        "Découvrir le programme J'entreprends mon bien-être",
    }
