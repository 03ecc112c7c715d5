"""Property-based: arbitrary payloads thrown at the submit view never crash it or half-store."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from assessments.instruments import current_instruments
from assessments.models import AssessmentResult
from members.models import Consent
from tests.assessments.helpers import forged_token, url

pytestmark = pytest.mark.django_db

INSTRUMENTS = current_instruments()
value = st.one_of(
    st.text(max_size=8),
    st.integers(min_value=-10, max_value=10).map(str),
    st.sampled_from(["", "0", "1", "2", "3", "4", "5", "1.0", " 2", "٣", "NaN"]),
)


@st.composite
def payloads(draw):
    instrument = draw(st.sampled_from(INSTRUMENTS))
    data: dict[str, str] = {}
    for item in instrument.items:
        choice = draw(st.integers(0, 19))
        if choice < 17:
            data[item.code] = str(draw(st.sampled_from(item.values)))
        elif choice < 19:
            data[item.code] = draw(value)
        # else: the answer is missing
    data.update(draw(st.dictionaries(st.text(min_size=1, max_size=6), value, max_size=3)))
    # Mostly well-formed forms, so that whole results are stored often enough to check.
    data["version"] = draw(st.sampled_from(["1"] * 8 + ["0", ""]))
    good_token = forged_token(instrument.code, key=draw(st.uuids()).hex)
    data["token"] = draw(st.sampled_from([good_token] * 8 + ["junk", forged_token("x")]))
    keep = draw(st.sampled_from(["keep", "keep", "keep", "once", None, "other"]))
    if keep is not None:
        data["keep"] = keep
    return instrument, data


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payloads(), st.booleans())
def test_any_payload_gets_a_page_or_a_redirect_and_stores_only_a_whole_result(
    member_user, case, logged_in
):
    instrument, data = case
    client = Client()
    if logged_in:
        client.force_login(member_user)
    before = set(AssessmentResult.objects.values_list("pk", flat=True))
    response = client.post(url(instrument.code), data)
    assert response.status_code in (200, 302)
    after = set(AssessmentResult.objects.values_list("pk", flat=True))
    if response.status_code == 302:
        assert logged_in and data.get("keep") == "keep"
        pk = int(response["Location"].rstrip("/").split("/")[-1])
        result = AssessmentResult.objects.get(pk=pk)
        assert result.instrument == instrument.code
        assert set(result.answers) == {item.code for item in instrument.items}
        assert result.consent is not None
        # A new result, or the very one this form stored before (a replay).
        assert after == before | {pk}
    else:
        assert after == before
    event(f"status {response.status_code}")
    # A consent is only ever recorded alongside a kept result.
    assert Consent.objects.count() <= AssessmentResult.objects.count()
