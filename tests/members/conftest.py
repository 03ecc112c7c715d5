import pytest

from tests.factories import member

from .history import History, build_history


@pytest.fixture(autouse=True)
def _mail_in_process(in_process_mail):
    """The e-mails a freed seat sends to the next person waiting land in mail.outbox."""


@pytest.fixture
def other_member(db):
    return member()


@pytest.fixture
def history(member_user, advisor_user, ambassador_user) -> History:
    """The member has something in every app."""
    return build_history(member_user, advisor=advisor_user, ambassador=ambassador_user)
