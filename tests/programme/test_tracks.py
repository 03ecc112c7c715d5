"""Training tracks: managers compose them, each staff member sees theirs and marks steps
done (sessions count from attendance), managers follow completion and export it."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.models import MemberProfile, User
from members.roles import Role
from programme.models import (
    SessionMaterial,
    StepCompletion,
    TrackAudience,
    TrackStep,
    TrainingTrack,
)
from programme.privacy import erase_member, export_member
from programme.selectors.tracks import tracks_of, tracks_progress
from programme.services.material import material_attach, material_remove
from programme.services.tracks import (
    track_create,
    track_step_add,
    track_step_move,
    track_step_remove,
)
from tests.factories import PASSWORD, member, staff
from tests.programme.factories import EnrolmentFactory, ModuleFactory, SessionFactory

pytestmark = pytest.mark.django_db

MANAGE = "/en/programme/manage/tracks/"


def make_track(audience=TrackAudience.AMBASSADORS, language="fr", title="Bienvenue", steps=2):
    track = track_create(audience=audience, language=language, title=title, is_published=True)
    for n in range(steps):
        track_step_add(track_id=track.pk, module=ModuleFactory(title=f"{title} module {n}"))
    return track


def mark(client, step, done="1"):
    return client.post(f"/en/programme/training/steps/{step.pk}/", {"done": done}, follow=True)


def test_an_ambassador_sees_their_track_on_their_home_and_marks_a_step(client):
    track = make_track()
    make_track(audience=TrackAudience.NEW_ADVISORS, title="Écoute")
    ambassador = staff(Role.AMBASSADOR)
    client.force_login(ambassador)
    home = client.get("/en/dashboard/ambassador/").content.decode()
    assert "Bienvenue" in home and "Écoute" not in home
    assert "0 of 2 steps done" in home
    first = track.steps.first()
    response = mark(client, first)
    assert "Step marked as done." in response.content.decode()
    assert "1 of 2 steps done" in client.get("/en/dashboard/ambassador/").content.decode()
    # Twice: one row, and a clear word.
    response = mark(client, first)
    assert "already done" in response.content.decode()
    assert StepCompletion.objects.filter(user=ambassador).count() == 1
    # And back.
    mark(client, first, done="0")
    assert not StepCompletion.objects.exists()


def test_an_advisor_sees_the_advisors_and_all_staff_tracks_on_their_home(client):
    make_track(audience=TrackAudience.NEW_ADVISORS, title="Écoute")
    make_track(audience=TrackAudience.ALL_STAFF, title="Le programme")
    make_track(audience=TrackAudience.AMBASSADORS, title="Bienvenue")
    client.force_login(staff(Role.ADVISOR))
    home = client.get("/en/dashboard/advisor/").content.decode()
    assert "Écoute" in home and "Le programme" in home and "Bienvenue" not in home


def test_tracks_come_in_the_persons_language_else_in_any(client):
    make_track(title="Bienvenue", language="fr")
    make_track(title="Welkom", language="nl")
    ambassador = staff(Role.AMBASSADOR)
    MemberProfile.objects.filter(user=ambassador).update(preferred_language="nl")
    ambassador = User.objects.get(pk=ambassador.pk)
    assert [t.track.title for t in tracks_of(ambassador)] == ["Welkom"]
    MemberProfile.objects.filter(user=ambassador).update(preferred_language="en")
    ambassador = User.objects.get(pk=ambassador.pk)
    assert {t.track.title for t in tracks_of(ambassador)} == {"Bienvenue", "Welkom"}


def test_marking_a_step_of_another_persons_track_is_refused(client):
    advisors_track = make_track(audience=TrackAudience.NEW_ADVISORS, title="Écoute")
    draft = track_create(audience=TrackAudience.AMBASSADORS, language="fr", title="Brouillon")
    draft_step = track_step_add(track_id=draft.pk, module=ModuleFactory())
    ambassador = staff(Role.AMBASSADOR)
    client.force_login(ambassador)
    for step in (advisors_track.steps.first(), draft_step):
        response = mark(client, step)
        assert response.status_code == 200
        assert "not part of your training track" in response.content.decode()
    response = client.post("/en/programme/training/steps/999999/", {"done": "1"}, follow=True)
    assert "not part of your training track" in response.content.decode()
    client.force_login(member())
    assert "not part of your training track" in mark(client, draft_step).content.decode()
    assert not StepCompletion.objects.exists()


def test_a_session_step_counts_when_attendance_says_so_not_by_hand(client):
    start = timezone.now() - timedelta(days=2)
    session = SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1))
    track = track_create(
        audience=TrackAudience.AMBASSADORS, language="fr", title="T", is_published=True
    )
    step = track_step_add(track_id=track.pk, session=session)
    ambassador = staff(Role.AMBASSADOR)
    client.force_login(ambassador)
    response = mark(client, step)
    assert "once your attendance is recorded" in response.content.decode()
    assert tracks_of(ambassador)[0].done_count == 0
    enrolment = EnrolmentFactory(session=session, user=ambassador)
    assert tracks_of(ambassador)[0].done_count == 0
    enrolment.attendance = "attended"
    enrolment.save()
    assert tracks_of(ambassador)[0].done_count == 1
    [progress] = tracks_progress(track_id=track.pk)
    assert [(p.email, p.done) for p in progress.people] == [(ambassador.email, 1)]


def test_the_manager_sees_completion_per_person_and_per_track(client, manager_user):
    track = make_track()
    done_all, halfway, idle = (staff(Role.AMBASSADOR, last_name=n) for n in "ABC")
    steps = list(track.steps.all())
    for step in steps:
        StepCompletion.objects.create(step=step, user=done_all)
    StepCompletion.objects.create(step=steps[0], user=halfway)
    client.force_login(manager_user)
    listing = client.get(MANAGE).content.decode()
    assert "Bienvenue" in listing
    detail = client.get(f"{MANAGE}{track.pk}/").content.decode()
    assert "1 of 3 people completed the track" in detail
    assert f"{done_all.email}" in detail and "2 / 2" in detail and "1 / 2" in detail


def test_the_csv_export_lists_each_person_of_each_track(client, manager_user):
    track = make_track()
    ambassador = staff(Role.AMBASSADOR, first_name="=cmd", last_name="Benali")
    StepCompletion.objects.create(step=track.steps.first(), user=ambassador)
    client.force_login(manager_user)
    asked = client.get(f"{MANAGE}progress.csv")
    assert asked.status_code == 302 and "/accounts/reauthenticate/" in asked["Location"]
    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.get(f"{MANAGE}progress.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Track", "Audience", "Language"]
    [row] = [r for r in rows[1:] if r[4] == ambassador.email]
    assert row[0] == "Bienvenue" and row[3].startswith("'=") and row[5:] == ["1", "2", "no"]


def test_a_manager_composes_a_track(client, manager_user):
    client.force_login(manager_user)
    module = ModuleFactory(title="Repérer les signaux faibles")
    response = client.post(
        f"{MANAGE}new/",
        {"title": "Onboarding", "audience": "ambassadors", "language": "fr", "is_published": "on"},
    )
    track = TrainingTrack.objects.get()
    assert response["Location"] == f"{MANAGE}{track.pk}/"
    # Twice the same title for the same audience: a clear message, one row.
    response = client.post(
        f"{MANAGE}new/", {"title": "Onboarding", "audience": "ambassadors", "language": "fr"}
    )
    assert "already exists" in response.content.decode()
    assert TrainingTrack.objects.count() == 1
    assert client.post(f"{MANAGE}{track.pk}/", {"module": module.pk}).status_code == 302
    # The same module again, or nothing, or two things at once: refused.
    for data in ({"module": module.pk}, {}, {"module": module.pk, "session": SessionFactory().pk}):
        response = client.post(f"{MANAGE}{track.pk}/", data)
        assert response.status_code == 200
        assert "already in the track" in response.content.decode() or "Choose one" in (
            response.content.decode()
        )
    assert TrackStep.objects.count() == 1


def test_steps_move_and_are_removed_keeping_their_order():
    track = make_track(steps=3)
    first, second, third = track.steps.all()
    track_step_move(step_id=third.pk, up=True)
    assert list(track.steps.values_list("pk", flat=True)) == [first.pk, third.pk, second.pk]
    track_step_move(step_id=first.pk, up=True)  # already first: nothing moves
    track_step_remove(step_id=third.pk)
    assert list(track.steps.values_list("pk", "position")) == [(first.pk, 1), (second.pk, 2)]


def test_only_managers_open_the_track_pages(client):
    track = make_track()
    for user in (member(), staff(Role.AMBASSADOR), staff(Role.ADVISOR)):
        client.force_login(user)
        for url in (MANAGE, f"{MANAGE}{track.pk}/", f"{MANAGE}new/"):
            assert client.get(url).status_code == 403


def test_a_member_has_no_track(client):
    make_track()
    client.force_login(member())
    page = client.get("/en/programme/training/").content.decode()
    assert "for the programme's advisors, ambassadors and staff" in page


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_track_lists_queries_do_not_grow(client, manager_user):
    def grow(n: int) -> None:
        for i in range(n):
            track = make_track(title=f"Track {TrainingTrack.objects.count()}-{i}", steps=2)
            person = staff(Role.AMBASSADOR)
            StepCompletion.objects.create(step=track.steps.first(), user=person)
            start = timezone.now() - timedelta(days=1)
            session = SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1))
            track_step_add(track_id=track.pk, session=session)
            EnrolmentFactory(session=session, user=person, attendance="attended")

    grow(1)
    track = TrainingTrack.objects.first()
    assert track is not None
    client.force_login(manager_user)
    small_list = _count(client, MANAGE)
    small_detail = _count(client, f"{MANAGE}{track.pk}/")
    ambassador = staff(Role.AMBASSADOR)
    client.force_login(ambassador)
    small_home = _count(client, "/en/dashboard/ambassador/")
    small_mine = _count(client, "/en/programme/training/")
    grow(6)
    client.force_login(manager_user)
    assert _count(client, MANAGE) == small_list
    assert _count(client, f"{MANAGE}{track.pk}/") == small_detail
    client.force_login(ambassador)
    assert _count(client, "/en/dashboard/ambassador/") == small_home
    assert _count(client, "/en/programme/training/") == small_mine
    assert small_list <= 10


def test_staff_open_the_file_their_track_points_at_and_it_stays_while_used(
    client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    start = timezone.now() - timedelta(days=1)
    session = SessionFactory(starts_at=start, ends_at=start + timedelta(hours=1))
    sheet = material_attach(
        session_id=session.pk,
        kind="sheet",
        title="Fiche",
        upload=SimpleUploadedFile("fiche.pdf", b"%PDF-1.4\n%%EOF"),
        actor=staff(Role.PROGRAMME_MANAGER),
    )
    track = track_create(
        audience=TrackAudience.AMBASSADORS, language="fr", title="T", is_published=True
    )
    track_step_add(track_id=track.pk, material=sheet)
    url = f"/en/programme/material/{sheet.pk}/file/"
    client.force_login(staff(Role.ADVISOR))
    assert client.get(url).status_code == 404
    client.force_login(staff(Role.AMBASSADOR))
    assert client.get(url).status_code == 200
    with pytest.raises(ValidationError, match="training track uses this material"):
        material_remove(material_id=sheet.pk)
    assert SessionMaterial.objects.filter(pk=sheet.pk).exists()


def test_completions_are_in_the_data_file_and_go_with_erasure():
    track = make_track()
    ambassador = staff(Role.AMBASSADOR)
    StepCompletion.objects.create(step=track.steps.first(), user=ambassador)
    [row] = export_member(ambassador)["training_steps_done"]
    assert (row["track"], row["step"], row["what"]) == ("Bienvenue", 1, "Bienvenue module 0")
    erase_member(ambassador)
    assert not StepCompletion.objects.exists()
