"""State changes on the catalogue, sessions and enrolments: the single entry points.

Every change of an enrolment's state writes an EnrolmentEvent with a dotted action
(enrolment.confirmed, enrolment.waitlisted, enrolment.promoted, enrolment.cancelled,
enrolment.cancelled_by_organiser, enrolment.attendance_marked). The e-mails about an
enrolment (messages.py) are recorded in the same transaction and handed to a worker once
it commits, so a rolled-back change sends nothing.

Capacity is kept exact by locking the session row (select_for_update) for every change
of its seats; the session's CHECK constraint is the last line of defence.
"""

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import messages
from .models import (
    ACTIVE_STATUSES,
    SESSION_FORMATS,
    Attendance,
    CalendarFeed,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Module,
    SavedModule,
    Session,
    Theme,
    search_normalise,
)


class EnrolmentRefused(ValidationError):
    """The session does not take this enrolment or cancellation; the message says why."""


# --- Enrolment ---------------------------------------------------------------


@dataclass(frozen=True)
class EnrolmentOutcome:
    enrolment: Enrolment
    created: bool  # False when the member was already enrolled (a double click)


def _event(enrolment: Enrolment, action: str, actor, **data) -> EnrolmentEvent:
    return EnrolmentEvent.objects.create(enrolment=enrolment, action=action, actor=actor, data=data)


def _lock_session(session_id: int) -> Session:
    """The session row, locked until the transaction ends: enrolments queue up behind it."""
    try:
        return Session.objects.select_for_update().select_related("module").get(pk=session_id)
    except Session.DoesNotExist:
        raise EnrolmentRefused(_("This session does not exist."), code="unknown") from None


def refusal_reason(session: Session, *, now: datetime | None = None) -> str | None:
    """Why the session takes no enrolment now, or None when it is open."""
    now = now or timezone.now()
    if session.is_cancelled:
        return str(_("This session has been cancelled."))
    if not session.is_published or not session.module.is_published:
        return str(_("This session is not open for enrolment."))
    if session.starts_at <= now:
        return str(_("This session has already started."))
    if session.closes_at <= now:
        return str(_("Registration for this session is closed."))
    return None


@transaction.atomic
def enrolment_create(*, session_id: int, user, actor=None) -> EnrolmentOutcome:
    """Enrol the member: a confirmed seat if one is free, else the end of the waitlist.

    Idempotent: a member already enrolled or waitlisted gets their enrolment back.
    """
    session = _lock_session(session_id)
    reason = refusal_reason(session)
    if reason:
        raise EnrolmentRefused(reason, code="closed")
    existing = Enrolment.objects.filter(
        session=session, user=user, status__in=ACTIVE_STATUSES
    ).first()
    if existing is not None:
        return EnrolmentOutcome(enrolment=existing, created=False)

    now = timezone.now()
    enrolment = Enrolment(session=session, user=user, queued_at=now)
    if session.is_full:
        enrolment.status = EnrolmentStatus.WAITLISTED
    else:
        enrolment.status = EnrolmentStatus.CONFIRMED
        enrolment.confirmed_at = now
        session.confirmed_count += 1
        session.save(update_fields=["confirmed_count", "updated_at"])
    # The row lock already rules out a duplicate; skip the extra constraint queries.
    enrolment.full_clean(validate_constraints=False)
    enrolment.save()
    _event(enrolment, f"enrolment.{enrolment.status}", actor or user)
    messages.enrolment_notice(enrolment)
    return EnrolmentOutcome(enrolment=enrolment, created=True)


def _promote_waitlist(session: Session, *, actor) -> list[Enrolment]:
    """Give free seats to the waitlist, first come first served. Session row locked."""
    promoted: list[Enrolment] = []
    if session.is_cancelled or session.has_started:
        return promoted
    free = None if session.capacity is None else session.seats_left
    queue = Enrolment.objects.filter(session=session, status=EnrolmentStatus.WAITLISTED).order_by(
        "queued_at", "pk"
    )
    if free is not None:
        queue = queue[:free]
    now = timezone.now()
    for enrolment in queue:
        enrolment.status = EnrolmentStatus.CONFIRMED
        enrolment.confirmed_at = now
        enrolment.save(update_fields=["status", "confirmed_at", "updated_at"])
        _event(enrolment, "enrolment.promoted", actor)
        messages.promotion_notice(enrolment)
        promoted.append(enrolment)
    if promoted:
        session.confirmed_count += len(promoted)
        session.save(update_fields=["confirmed_count", "updated_at"])
    return promoted


@transaction.atomic
def enrolment_cancel(*, enrolment_id: int, user, actor=None) -> Enrolment:
    """The member gives up their seat or waitlist place, until the session starts.

    A freed seat goes to the first person on the waitlist in the same transaction.
    Cancelling an enrolment that is no longer active changes nothing.
    """
    enrolment = Enrolment.objects.filter(pk=enrolment_id, user=user).first()
    if enrolment is None:
        raise EnrolmentRefused(_("This enrolment does not exist."), code="unknown")
    session = _lock_session(enrolment.session_id)
    enrolment.refresh_from_db()
    if enrolment.status not in ACTIVE_STATUSES:
        return enrolment
    if session.has_started:
        raise EnrolmentRefused(
            _("This session has already started: it can no longer be cancelled."),
            code="started",
        )
    was_confirmed = enrolment.status == EnrolmentStatus.CONFIRMED
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.cancelled_at = timezone.now()
    enrolment.save(update_fields=["status", "cancelled_at", "updated_at"])
    _event(enrolment, "enrolment.cancelled", actor or user, was_confirmed=was_confirmed)
    if was_confirmed:
        session.confirmed_count -= 1
        session.save(update_fields=["confirmed_count", "updated_at"])
        messages.enrolment_reminders_cancel(session=session, enrolment_id=enrolment.pk)
        _promote_waitlist(session, actor=None)
    return enrolment


@transaction.atomic
def session_cancel(*, session_id: int, reason: str, actor) -> Session:
    """The organiser cancels a session: every enrolled or waitlisted member is released."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the session is cancelled.")})
    session = _lock_session(session_id)
    if session.is_cancelled:
        return session
    now = timezone.now()
    if session.ends_at <= now:
        raise ValidationError(_("A session that has already taken place cannot be cancelled."))
    session.cancelled_at = now
    session.cancellation_reason = reason
    session.confirmed_count = 0
    session.full_clean()
    session.save()
    released = list(Enrolment.objects.filter(session=session, status__in=ACTIVE_STATUSES))
    events = []
    for enrolment in released:
        data = {"reason": reason}
        # A session called off once under way may have attendance marked already; only
        # confirmed seats carry attendance, so it goes, and the audit entry keeps it.
        if enrolment.attendance:
            data["attendance"] = enrolment.attendance
        enrolment.status = EnrolmentStatus.CANCELLED
        enrolment.cancelled_at = now
        enrolment.cancelled_by_organiser = True
        enrolment.attendance = ""
        enrolment.updated_at = now
        events.append(
            EnrolmentEvent(
                enrolment=enrolment,
                action="enrolment.cancelled_by_organiser",
                actor=actor,
                data=data,
                created_at=now,
            )
        )
    Enrolment.objects.bulk_update(
        released, ["status", "cancelled_at", "cancelled_by_organiser", "attendance", "updated_at"]
    )
    EnrolmentEvent.objects.bulk_create(events)
    messages.cancellation_notices(session, released)
    return session


@transaction.atomic
def attendance_mark(*, session_id: int, marks: Mapping[int, str], actor) -> int:
    """Record attended / no-show for confirmed participants once the session has begun.

    `marks` maps enrolment ids to an Attendance value, or "" to clear it. Ids of other
    sessions or of unconfirmed enrolments are refused as a whole: nothing is written.
    Returns how many enrolments changed.
    """
    session = _lock_session(session_id)
    if not session.has_started:
        raise ValidationError(_("Attendance can be recorded once the session has started."))
    allowed = {"", *Attendance.values}
    if any(value not in allowed for value in marks.values()):
        raise ValidationError(_("Choose attended or did not attend."))
    enrolments = {
        e.pk: e
        for e in Enrolment.objects.filter(
            session=session, status=EnrolmentStatus.CONFIRMED, pk__in=list(marks)
        )
    }
    if set(marks) - set(enrolments):
        raise ValidationError(_("Some of these participants are not confirmed in this session."))
    changed = [e for pk, e in enrolments.items() if e.attendance != marks[pk]]
    for enrolment in changed:
        previous = enrolment.attendance
        enrolment.attendance = marks[enrolment.pk]
        enrolment.updated_at = timezone.now()
        enrolment._previous_attendance = previous
    Enrolment.objects.bulk_update(changed, ["attendance", "updated_at"])
    EnrolmentEvent.objects.bulk_create(
        EnrolmentEvent(
            enrolment=e,
            action="enrolment.attendance_marked",
            actor=actor,
            data={"attendance": e.attendance, "previous": e._previous_attendance},
        )
        for e in changed
    )
    return len(changed)


# --- Catalogue ---------------------------------------------------------------


def slug_for(text: str, *, max_length: int = 100) -> str:
    """The slug a title gets when it is free: "Déconnexion numérique" → "deconnexion-numerique"."""
    return slugify(search_normalise(text))[:max_length].strip("-") or "item"


def _unique_slug(model, text: str, *, exclude_pk: int | None = None, max_length: int = 100) -> str:
    base = slug_for(text, max_length=max_length)
    taken = set(
        model.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug = f"{base[: max_length - 5]}-{n}"
        n += 1
    return slug


def module_refresh_search(module: Module) -> None:
    """Keep the accent-free search text in step with the fields and the theme names."""
    names = " ".join(f"{t.name_fr} {t.name_nl} {t.name_en}" for t in module.themes.all())
    module.search_text = search_normalise(f"{module.searchable_text()} {names}")
    Module.objects.filter(pk=module.pk).update(search_text=module.search_text)


MODULE_FIELDS = (
    "title",
    "summary",
    "description",
    "format",
    "content_kind",
    "language",
    "duration_minutes",
    "provider",
    "external_url",
    "audience_notes",
)


@transaction.atomic
def module_create(*, themes: Iterable[Theme], actor=None, **fields) -> Module:
    """A new module, unpublished until a manager publishes it."""
    module = Module(**{name: fields[name] for name in MODULE_FIELDS if name in fields})
    module.slug = _unique_slug(Module, module.title)
    module.is_published = bool(fields.get("is_published", False))
    module.full_clean(exclude=["themes"])
    module.save()
    module.themes.set(list(themes))
    module_refresh_search(module)
    return module


@transaction.atomic
def module_update(*, module: Module, themes: Iterable[Theme] | None = None, **fields) -> Module:
    for name in MODULE_FIELDS:
        if name in fields:
            setattr(module, name, fields[name])
    module.full_clean(exclude=["themes"])
    module.save()
    if themes is not None:
        module.themes.set(list(themes))
    module_refresh_search(module)
    return module


@transaction.atomic
def module_publish(*, module: Module, published: bool) -> Module:
    module.is_published = published
    module.save(update_fields=["is_published", "updated_at"])
    return module


@transaction.atomic
def module_duplicate(*, module: Module, actor=None) -> Module:
    """An unpublished copy, e.g. to offer the module in another language."""
    return module_create(
        themes=list(module.themes.all()),
        actor=actor,
        **{name: getattr(module, name) for name in MODULE_FIELDS if name != "title"},
        title=str(_("%(title)s (copy)") % {"title": module.title})[:160],
    )


@transaction.atomic
def theme_create(*, name_fr: str, name_nl: str, name_en: str, position: int = 100) -> Theme:
    theme = Theme(name_fr=name_fr, name_nl=name_nl, name_en=name_en, position=position)
    theme.slug = _unique_slug(Theme, name_en or name_fr, max_length=60)
    theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def theme_update(*, theme: Theme, **fields) -> Theme:
    for name in ("name_fr", "name_nl", "name_en", "position"):
        if name in fields:
            setattr(theme, name, fields[name])
    theme.full_clean()
    theme.save()
    # The theme's names are part of its modules' search text.
    for module in theme.modules.prefetch_related("themes"):
        module_refresh_search(module)
    return theme


@transaction.atomic
def theme_publish(*, theme: Theme, published: bool) -> Theme:
    theme.is_published = published
    theme.save(update_fields=["is_published"])
    return theme


SESSION_FIELDS = (
    "module",
    "starts_at",
    "ends_at",
    "mode",
    "join_url",
    "venue",
    "address",
    "province",
    "capacity",
    "registration_deadline",
)


def _check_session(session: Session) -> None:
    if session.module.format not in SESSION_FORMATS:
        raise ValidationError(
            {"module": _("Only webinars and workshops have sessions.")}, code="format"
        )
    session.full_clean()


@transaction.atomic
def session_create(*, actor=None, **fields) -> Session:
    """A new session, unpublished until a manager publishes it."""
    session = Session(**{name: fields[name] for name in SESSION_FIELDS if name in fields})
    session.is_published = bool(fields.get("is_published", False))
    _check_session(session)
    session.save()
    return session


@transaction.atomic
def session_update(*, session_id: int, actor=None, **fields) -> Session:
    """Change a session; a larger capacity gives the new seats to the waitlist at once."""
    session = _lock_session(session_id)
    if session.is_cancelled:
        raise ValidationError(_("A cancelled session can no longer be changed."))
    capacity = fields.get("capacity", session.capacity)
    if capacity is not None and capacity < session.confirmed_count:
        raise ValidationError(
            {
                "capacity": _("%(count)s people already hold a seat: the capacity cannot be lower.")
                % {"count": session.confirmed_count}
            },
            code="capacity",
        )
    plan_before = messages.session_plan(session)
    for name in SESSION_FIELDS:
        if name in fields:
            setattr(session, name, fields[name])
    _check_session(session)
    session.save()
    # Reminders need nothing more: they carry the start they were planned for, the
    # planner records new ones for the new time, and one recorded for the old time is
    # skipped when it comes up, or sent after all if the session moves back to it.
    # The people concerned hear of the change at once, unless it is a correction of
    # a session already over.
    if messages.session_plan(session) != plan_before and session.ends_at > timezone.now():
        messages.change_notices(session)
    _promote_waitlist(session, actor=actor)
    return session


@transaction.atomic
def session_publish(*, session_id: int, published: bool) -> Session:
    session = _lock_session(session_id)
    if session.is_cancelled and published:
        raise ValidationError(_("A cancelled session cannot be published again."))
    session.is_published = published
    session.save(update_fields=["is_published", "updated_at"])
    return session


@transaction.atomic
def session_duplicate(*, session: Session, starts_at: datetime, actor=None) -> Session:
    """A copy of the session at another time, same length and place, unpublished."""
    length: timedelta = session.ends_at - session.starts_at
    deadline = None
    if session.registration_deadline is not None:
        deadline = starts_at - (session.starts_at - session.registration_deadline)
    return session_create(
        module=session.module,
        starts_at=starts_at,
        ends_at=starts_at + length,
        mode=session.mode,
        join_url=session.join_url,
        venue=session.venue,
        address=session.address,
        province=session.province,
        capacity=session.capacity,
        registration_deadline=deadline,
        actor=actor,
    )


# --- The member's own things -------------------------------------------------


@transaction.atomic
def module_save(*, user, module: Module) -> SavedModule:
    saved, _created = SavedModule.objects.get_or_create(user=user, module=module)
    return saved


@transaction.atomic
def module_unsave(*, user, module: Module) -> None:
    SavedModule.objects.filter(user=user, module=module).delete()


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def calendar_feed_ensure(*, user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": _new_token()})
    return feed


@transaction.atomic
def calendar_token_regenerate(*, user) -> CalendarFeed:
    """A new secret address for the member's feed; the old one stops working at once."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        return CalendarFeed.objects.create(user=user, token=_new_token())
    feed.token = _new_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed
