"""The registry each app fills, and pages with health data kept out of browser caches."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from common import privacy
from members.consents import ConsentKind
from tests.assessments.factories import keep_result


def test_registering_another_hook_under_a_taken_name_is_refused():
    with pytest.raises(ImproperlyConfigured):
        privacy.register_exporter("programme", lambda user: {})
    with pytest.raises(ImproperlyConfigured):
        privacy.register_eraser("referrals", lambda user: None)
    with pytest.raises(ImproperlyConfigured):
        privacy.register_retention("referrals.access_log", lambda *, now, limit: 0)


def test_registering_the_same_hook_again_is_harmless():
    exporter = privacy.exporters()["programme"]
    privacy.register_exporter("programme", exporter, order=20)  # as programme's ready() does
    assert privacy.exporters()["programme"] is exporter


def test_erasers_of_equal_order_keep_their_registration_order():
    def first(user):
        return None

    def second(user):
        return None

    privacy.register_eraser("test.first", first, order=85)
    privacy.register_eraser("test.second", second, order=85)
    try:
        names = [name for name, _eraser in privacy.erasers()]
        assert names.index("notifications") < names.index("test.first")
        assert names.index("test.first") < names.index("test.second") < names.index("members")
    finally:
        privacy.unregister(eraser="test.first")
        privacy.unregister(eraser="test.second")


def test_assessments_offer_to_delete_results_when_health_consent_goes():
    cleanup = privacy.consent_cleanup(ConsentKind.HEALTH_DATA)
    assert cleanup is not None
    assert privacy.consent_cleanup(ConsentKind.PARTNER_SHARING) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/en/dashboard/member/", "/en/dashboard/parcours/", "/en/me/privacy/"]
)
def test_pages_with_health_data_are_never_stored(client, member_user, url):
    keep_result(member_user, "who-5", "very-low")
    client.force_login(member_user)
    response = client.get(url)
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control
