"""Double clicks and two tabs on the real PostgreSQL: row locks, not luck."""

from members.consents import CONSENT_TEXTS, ConsentKind
from members.models import Consent, User
from members.services import consent_renew, member_erase
from programme import services as programme
from programme.models import Enrolment
from tests.concurrency import POSTGRES_ONLY, at_once, failures
from tests.factories import member
from tests.programme.factories import SessionFactory

pytestmark = POSTGRES_ONLY


def test_two_erasures_at_once_erase_once(own_connections):
    user = member()
    session = SessionFactory(capacity=1)
    programme.enrolment_create(session_id=session.pk, user=user)
    waiting = member()
    programme.enrolment_create(session_id=session.pk, user=waiting)

    outcomes = at_once(lambda _n: member_erase(user=user), range(2))

    assert failures(outcomes) == []
    assert sorted(outcomes) == [False, True]
    assert not User.objects.filter(pk=user.pk).exists()
    assert Enrolment.objects.get(session=session, user=waiting).status == "confirmed"
    session.refresh_from_db()
    assert session.confirmed_count == 1


def test_giving_a_consent_twice_at_once_records_it_once(own_connections):
    user = member()

    outcomes = at_once(lambda _n: consent_renew(user=user, kind=ConsentKind.HEALTH_DATA), range(4))

    assert failures(outcomes) == []
    assert sorted(created for _consent, created in outcomes) == [False, False, False, True]
    assert list(Consent.objects.filter(user=user).values_list("text_version", flat=True)) == [
        CONSENT_TEXTS[ConsentKind.HEALTH_DATA].version
    ]
