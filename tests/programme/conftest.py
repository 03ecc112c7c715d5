import pytest

from tests.factories import member


@pytest.fixture
def members(db):
    """make(n): n distinct members."""

    def make(n: int):
        return [member() for _ in range(n)]

    return make
