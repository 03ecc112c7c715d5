"""Training tracks: which a person follows, how far they are, and the managers' view of
completion per person and per track. Every function runs a fixed number of queries.

A module or material step is done when the person marked it; a session step when the
roster says they attended (Enrolment.attendance), never by their own say-so.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from members.models import User
from members.roles import Role, roles_of
from members.selectors import language_and_province

from ..models import (
    Attendance,
    Enrolment,
    StepCompletion,
    TrackAudience,
    TrackStep,
    TrainingTrack,
)

AUDIENCE_ROLES: dict[str, tuple[Role, ...]] = {
    TrackAudience.NEW_ADVISORS: (Role.ADVISOR,),
    TrackAudience.AMBASSADORS: (Role.AMBASSADOR,),
    TrackAudience.ALL_STAFF: (Role.AMBASSADOR, Role.ADVISOR, Role.PROGRAMME_MANAGER),
}


def audiences_of(user: "User | AnonymousUser") -> list[str]:
    held = roles_of(user)
    return [audience for audience, roles in AUDIENCE_ROLES.items() if held & set(roles)]


def _steps_prefetch() -> Prefetch:
    return Prefetch(
        "steps",
        queryset=TrackStep.objects.select_related("module", "material", "session__module").order_by(
            "position"
        ),
    )


def tracks_with_steps() -> QuerySet[TrainingTrack]:
    return TrainingTrack.objects.prefetch_related(_steps_prefetch())


def _done_keys(user_ids: list[int] | None, steps: list[TrackStep]) -> set[tuple[int, int]]:
    """(step id, user id) of every step done, marked or attended; two queries."""
    step_ids = [s.pk for s in steps]
    marked = StepCompletion.objects.filter(step_id__in=step_ids)
    by_session: dict[int, list[int]] = {}
    for step in steps:
        if step.session_id:
            by_session.setdefault(step.session_id, []).append(step.pk)
    attended = Enrolment.objects.filter(
        session_id__in=list(by_session), attendance=Attendance.ATTENDED, user__isnull=False
    )
    if user_ids is not None:
        marked = marked.filter(user_id__in=user_ids)
        attended = attended.filter(user_id__in=user_ids)
    done = set(marked.values_list("step_id", "user_id"))
    for session_id, user_id in attended.values_list("session_id", "user_id"):
        for step_id in by_session[session_id]:
            done.add((step_id, user_id))
    return done


@dataclass
class StepState:
    step: TrackStep
    done: bool


@dataclass
class MyTrack:
    track: TrainingTrack
    steps: list[StepState]

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.steps if s.done)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def next_step(self) -> StepState | None:
        return next((s for s in self.steps if not s.done), None)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total) if self.total else 0


def tracks_of(user: "User | AnonymousUser") -> list[MyTrack]:
    """The published tracks of the person's audiences, in their language (every language
    when none is written in theirs), with each step done or not. Four queries."""
    audiences = audiences_of(user)
    if not audiences or not isinstance(user, User):
        return []
    tracks = list(tracks_with_steps().filter(is_published=True, audience__in=audiences))
    language = language_and_province(user)[0]
    own = [t for t in tracks if t.language == language]
    tracks = own or tracks
    steps = [step for track in tracks for step in track.steps.all()]
    done = _done_keys([user.pk], steps)
    return [
        MyTrack(
            track=track,
            steps=[StepState(step, (step.pk, user.pk) in done) for step in track.steps.all()],
        )
        for track in tracks
    ]


def step_of_person(user: User, step_id: int) -> TrackStep | None:
    """The step, if it belongs to a published track of the person's audiences."""
    return (
        TrackStep.objects.select_related("track")
        .filter(pk=step_id, track__is_published=True, track__audience__in=audiences_of(user))
        .first()
    )


# --- The managers' view ----------------------------------------------------------------


@dataclass
class PersonProgress:
    user_id: int
    name: str
    email: str
    roles: list[str]
    done: int = 0


@dataclass
class TrackProgress:
    track: TrainingTrack
    total: int
    people: list[PersonProgress] = field(default_factory=list)

    @property
    def completed(self) -> int:
        return sum(1 for p in self.people if self.total and p.done >= self.total)

    @property
    def started(self) -> int:
        return sum(1 for p in self.people if p.done)


def _staff_by_role() -> dict[Role, list[User]]:
    """Active accounts holding a staff role, by role (one query)."""
    names = [Role.AMBASSADOR, Role.ADVISOR, Role.PROGRAMME_MANAGER]
    people: dict[Role, list[User]] = {role: [] for role in names}
    rows = (
        User.objects.filter(is_active=True, groups__name__in=[r.group_name for r in names])
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", "first_name", "last_name", "email", "groups__name")
    )
    for pk, first, last, email, group in rows:
        user = User(pk=pk, first_name=first, last_name=last, email=email)
        people[Role(group)].append(user)
    return people


def tracks_progress(track_id: int | None = None) -> list[TrackProgress]:
    """Each track (or the one asked for) with everyone in its audience and how many
    steps each has done. Five queries, whatever the number of tracks and people."""
    tracks = list(tracks_with_steps().order_by("audience", "language", "title"))
    if track_id is not None:
        tracks = [t for t in tracks if t.pk == track_id]
    by_role = _staff_by_role()
    steps = [step for track in tracks for step in track.steps.all()]
    done = _done_keys(None, steps)
    result = []
    for track in tracks:
        track_steps = list(track.steps.all())
        people: dict[int, PersonProgress] = {}
        for role in AUDIENCE_ROLES[track.audience]:
            for user in by_role[role]:
                person = people.get(user.pk)
                if person is None:
                    person = people[user.pk] = PersonProgress(
                        user_id=user.pk,
                        name=user.get_full_name() or user.email,
                        email=user.email,
                        roles=[],
                    )
                person.roles.append(str(role.label))
        for person in people.values():
            person.done = sum(1 for step in track_steps if (step.pk, person.user_id) in done)
        result.append(
            TrackProgress(
                track=track,
                total=len(track_steps),
                people=sorted(people.values(), key=lambda p: p.name.casefold()),
            )
        )
    return result


def progress_table(progress: list[TrackProgress]) -> tuple[list[str], list[list]]:
    header = [
        str(_("Track")),
        str(_("Audience")),
        str(_("Language")),
        str(_("Person")),
        str(_("E-mail")),
        str(_("Steps done")),
        str(_("Steps in the track")),
        str(_("Completed")),
    ]
    rows = [
        [
            item.track.title,
            item.track.get_audience_display(),
            item.track.get_language_display(),
            person.name,
            person.email,
            person.done,
            item.total,
            str(_("yes")) if item.total and person.done >= item.total else str(_("no")),
        ]
        for item in progress
        for person in item.people
    ]
    return header, rows
