import pytest

from tests.factories import member


@pytest.fixture(autouse=True)
def _mail_in_process(in_process_mail):
    """The enrolment services' e-mails land in mail.outbox, with known links."""


@pytest.fixture
def members(db):
    """make(n): n distinct members."""

    def make(n: int):
        return [member() for _ in range(n)]

    return make
