"""A quarter's programme that the report and the statistics tests count."""

from datetime import datetime

from common.belgium import BRUSSELS
from programme.models import Attendance, EnrolmentStatus
from tests.factories import member
from tests.programme.factories import EnrolmentFactory, ModuleFactory, SessionFactory


def summer_programme():
    """Q3 2026: a workshop of 4 seats, 3 taken by members of Liège (2 FR, 1 NL)."""
    workshop = ModuleFactory(format="workshop")
    session = SessionFactory(
        module=workshop,
        starts_at=datetime(2026, 8, 10, 10, tzinfo=BRUSSELS),
        ends_at=datetime(2026, 8, 10, 12, tzinfo=BRUSSELS),
        capacity=4,
    )
    for language in ("fr", "fr", "nl"):
        user = member()
        user.profile.preferred_language = language
        user.profile.save()
        EnrolmentFactory(
            session=session,
            user=user,
            status=EnrolmentStatus.CONFIRMED,
            attendance=Attendance.ATTENDED,
        )
    return session
