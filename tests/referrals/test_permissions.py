"""Each role sees exactly what it may: pages and selectors."""

import pytest

from members.roles import Role
from referrals import selectors
from tests.factories import UserFactory, member, staff

from .factories import CaseFactory, PartnerFactory, attached_result
from .helpers import case_in

pytestmark = pytest.mark.django_db

ROLES = [None, "visitor-without-role", *Role]


def user_for(role):
    if role is None:
        return None
    if role == "visitor-without-role":
        return UserFactory()
    return member() if role is Role.MEMBER else staff(role)


@pytest.fixture
def world(db):
    owner = member()
    result = attached_result(owner)
    case = CaseFactory(member=owner, assessment_result=result)
    partner = PartnerFactory()
    return {"case": case, "partner": partner}


def pages(world):
    case, partner = world["case"], world["partner"]
    return {
        "/en/listening-cell/partners/": "everyone",
        "/en/listening-cell/request/": Role.MEMBER,
        "/en/listening-cell/my-requests/": Role.MEMBER,
        "/en/listening-cell/signal/": Role.AMBASSADOR,
        "/en/listening-cell/my-signals/": Role.AMBASSADOR,
        "/en/listening-cell/queue/": Role.ADVISOR,
        "/en/listening-cell/cases/new/": Role.ADVISOR,
        f"/en/listening-cell/cases/{case.pk}/": Role.ADVISOR,
        f"/en/listening-cell/cases/{case.pk}/result/": Role.ADVISOR,
        "/en/listening-cell/alerts/": Role.ADVISOR,
        "/en/listening-cell/today/": Role.ADVISOR,
        "/en/listening-cell/staff/partners/": Role.PROGRAMME_MANAGER,
        "/en/listening-cell/staff/partners/new/": Role.PROGRAMME_MANAGER,
        f"/en/listening-cell/staff/partners/{partner.pk}/edit/": Role.PROGRAMME_MANAGER,
    }


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_every_page_for_every_role(client, world, role):
    user = user_for(role)
    if user is not None:
        client.force_login(user)
    for url, allowed in pages(world).items():
        status = client.get(url).status_code
        if allowed == "everyone" or allowed == role:
            assert status == 200, (url, role)
        elif user is None:
            assert status == 302, (url, role)
        else:
            assert status == 403, (url, role)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.AMBASSADOR, Role.PROGRAMME_MANAGER])
def test_no_one_but_advisors_can_act_on_a_case(client, world, role):
    client.force_login(user_for(role))
    case = world["case"]
    for action in ("claim", "note", "close", "contact", "refer", "follow-up", "assign"):
        assert client.post(f"/en/listening-cell/cases/{case.pk}/{action}/").status_code == 403
    case.refresh_from_db()
    assert case.status == "new" and not case.events.exists()


def test_case_selectors_per_role(world):
    case = world["case"]
    owner = case.member
    advisor, ambassador, manager = (
        staff(Role.ADVISOR),
        staff(Role.AMBASSADOR),
        staff(Role.PROGRAMME_MANAGER),
    )
    signal = CaseFactory(source="signal", raised_by=ambassador, agreement_confirmed=True)
    assert set(selectors.cases_for_advisor(advisor)) == {case, signal}
    for nobody in (owner, ambassador, manager, UserFactory()):
        assert not selectors.cases_for_advisor(nobody).exists()
    assert list(selectors.cases_for_member(owner)) == [case]
    assert not selectors.cases_for_member(member()).exists()
    assert [s.reference for s in selectors.signals_for_ambassador(ambassador)] == [signal.reference]
    assert selectors.signals_for_ambassador(staff(Role.AMBASSADOR)) == []
    assert selectors.signals_for_ambassador(owner) == []


def test_an_inactive_advisor_sees_no_case(world):
    advisor = staff(Role.ADVISOR, is_active=False)
    assert not selectors.cases_for_advisor(advisor).exists()


def test_only_managers_manage_partners():
    assert selectors.may_manage_partners(staff(Role.PROGRAMME_MANAGER))
    for role in (Role.ADVISOR, Role.AMBASSADOR):
        assert not selectors.may_manage_partners(staff(role))
    assert not selectors.may_manage_partners(member())


def test_a_member_sees_the_signal_about_them_but_not_its_note(client):
    owner = member()
    advisor = staff(Role.ADVISOR)
    case_in(
        "in_progress",
        advisor=advisor,
        member=owner,
        source="signal",
        raised_by=staff(Role.AMBASSADOR),
        agreement_confirmed=True,
        message="AMBASSADOR-NOTE",
    )
    client.force_login(owner)
    page = client.get("/en/listening-cell/my-requests/").content.decode()
    assert "Contact suggested by an ambassador" in page
    assert "AMBASSADOR-NOTE" not in page
