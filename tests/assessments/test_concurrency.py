"""A form sent several times at once (double click, two tabs) stores one result, on PostgreSQL."""

import threading

import pytest
from django.db import connection, connections

from assessments import services
from assessments.instruments import get_current
from assessments.models import AssessmentResult
from assessments.scoring import score_answers
from members.models import Consent
from tests.assessments.factories import ANSWERS
from tests.factories import member

WORKERS = 8

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs the real PostgreSQL's concurrency"
    ),
]


@pytest.fixture
def own_connections():
    """Each thread opens its own connection instead of sharing the pool."""
    options = connection.settings_dict["OPTIONS"]
    pool = options.pop("pool", None)
    connection.close_pool()
    yield
    connection.close()
    if pool is not None:
        options["pool"] = pool
    connection.close_pool()


def test_the_same_form_sent_at_once_stores_one_result(own_connections):
    user = member()
    scored = score_answers(get_current("who-5"), ANSWERS["who-5"]["good"])
    start = threading.Barrier(WORKERS)
    stored: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker():
        try:
            start.wait(timeout=30)
            result = services.result_keep(
                user=user, scored=scored, language="fr", submission_key="same-form"
            )
            with lock:
                stored.append(result.pk)
        except BaseException as error:  # noqa: BLE001 - every failure must be reported
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert AssessmentResult.objects.filter(user=user).count() == 1
    assert set(stored) == {AssessmentResult.objects.get(user=user).pk}
    # The requests that lost the race rolled back their consent row with them.
    assert Consent.objects.filter(user=user).count() == 1
