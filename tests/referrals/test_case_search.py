"""The advisors' case search and the person's other cases (issue 17, the advisors' desk)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.roles import Role
from referrals.choices import AccessSubject
from referrals.models import CaseAccess
from referrals.selectors.search import SearchQueryError, case_search, read_query
from tests.factories import member, staff

from .factories import CaseFactory

pytestmark = pytest.mark.django_db

SEARCH = "/en/listening-cell/cases/search/"


@pytest.fixture
def people():
    dubois = member(first_name="Marie", last_name="Dubois-Lambert", email="marie@example.org")
    peeters = member(first_name="Jan", last_name="Peeters", email="jan.peeters@example.be")
    return {
        "request": CaseFactory(member=dubois, contact_phone="+32470123456"),
        "signal": CaseFactory(
            member=None,
            source="signal",
            raised_by=staff(Role.AMBASSADOR),
            agreement_confirmed=True,
            contact_name="Marie Dubois",
            contact_email="",
            contact_phone="+32470123456",
        ),
        "other": CaseFactory(member=peeters, contact_phone="+3225551234"),
    }


def found(user, text):
    return set(case_search(user, read_query(text)))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("C-00000", set()),
        ("dubois", {"request", "signal"}),
        ("marie dubois", {"request", "signal"}),
        ("DUBOIS-LAMBERT", {"request"}),
        ("jan.peeters@example", {"other"}),
        ("0470 12 34 56", {"request", "signal"}),
        ("+32 470/12.34.56", {"request", "signal"}),
        ("0032470123456", {"request", "signal"}),
        ("02 555 12 34", {"other"}),
        ("nobody", set()),
        ("100%", set()),
        ("_ ' OR 1=1 --", set()),
        (".*[", set()),
    ],
)
def test_a_case_is_found_by_name_email_or_phone_typed_any_way(
    advisor_user, people, typed, expected
):
    assert found(advisor_user, typed) == {people[key] for key in expected}


def test_a_case_is_found_by_its_reference(advisor_user, people):
    case = people["other"]
    for typed in (case.reference, case.reference.lower().replace("-", ""), f"#{case.pk}"):
        assert found(advisor_user, typed) == {case}


@pytest.mark.parametrize("typed", ["a", " b ", "x" * 101])
def test_a_query_too_short_or_too_long_is_refused_with_a_reason(typed):
    with pytest.raises(SearchQueryError):
        read_query(typed)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.AMBASSADOR, Role.PROGRAMME_MANAGER])
def test_only_advisors_search_cases(client, people, role):
    client.force_login(member() if role == Role.MEMBER else staff(role))
    response = client.get(SEARCH, {"q": "dubois"})
    assert response.status_code == 403
    assert "Dubois" not in response.content.decode()


def test_every_result_shown_is_written_to_the_access_log(client, advisor_user, people):
    client.force_login(advisor_user)
    response = client.get(SEARCH, {"q": "dubois"})
    assert response.status_code == 200
    page = response.content.decode()
    assert people["request"].reference in page and people["signal"].reference in page
    assert people["other"].reference not in page
    logged = CaseAccess.objects.filter(accessed_by=advisor_user, subject=AccessSubject.FOUND)
    assert {access.case for access in logged} == {people["request"], people["signal"]}


@pytest.mark.parametrize("typed", ["a", "x" * 300, "%", "' OR 1=1 --"])
def test_bad_input_gets_a_clear_answer_never_a_500(client, advisor_user, people, typed):
    client.force_login(advisor_user)
    response = client.get(SEARCH, {"q": typed})
    assert response.status_code == (400 if len(typed) < 2 or len(typed) > 100 else 200)
    page = response.content.decode()
    assert 'id="case-search-q"' in page
    if response.status_code == 400:
        assert "Type at least" in page or "Type at most" in page


def test_the_search_runs_the_same_queries_whatever_the_data(client, advisor_user):
    client.force_login(advisor_user)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(SEARCH, {"q": "dubois"}).status_code == 200
        return len(context.captured_queries)

    CaseFactory(contact_name="Luc Dubois", member=None)
    small = queries()
    for i in range(15):
        CaseFactory(contact_name=f"Dubois {i}", member=None)
    # session, the account with its roles, accounts named so, count, page of cases, their
    # needs, access log
    assert queries() == small <= 7


def test_the_case_page_names_the_same_persons_other_cases(client, advisor_user, people):
    client.force_login(advisor_user)
    page = client.get(f"/en/listening-cell/cases/{people['request'].pk}/").content.decode()
    assert 'id="other-cases"' in page
    assert people["signal"].reference in page
    assert people["other"].reference not in page
    assert CaseAccess.objects.filter(
        case=people["signal"], subject=AccessSubject.OTHER_CASE, accessed_by=advisor_user
    ).exists()
    alone = client.get(f"/en/listening-cell/cases/{people['other'].pk}/").content.decode()
    assert 'id="other-cases"' not in alone
