"""A form sent several times at once (double click, two tabs) stores one result, on PostgreSQL."""

from assessments import services
from assessments.instruments import get_current
from assessments.models import AssessmentResult
from assessments.scoring import score_answers
from members.models import Consent
from tests.assessments.factories import ANSWERS
from tests.concurrency import POSTGRES_ONLY, at_once, failures
from tests.factories import member

WORKERS = 8

pytestmark = POSTGRES_ONLY


def test_the_same_form_sent_at_once_stores_one_result(own_connections):
    user = member()
    scored = score_answers(get_current("who-5"), ANSWERS["who-5"]["good"])
    outcomes = at_once(
        lambda _n: services.result_keep(
            user=user, scored=scored, language="fr", submission_key="same-form"
        ),
        range(WORKERS),
    )
    assert failures(outcomes) == []
    assert AssessmentResult.objects.filter(user=user).count() == 1
    assert {result.pk for result in outcomes} == {AssessmentResult.objects.get(user=user).pk}
    # The requests that lost the race rolled back their consent row with them.
    assert Consent.objects.filter(user=user).count() == 1
