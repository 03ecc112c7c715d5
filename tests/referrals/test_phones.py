import pytest
from django.core.exceptions import ValidationError

from referrals.phones import display_phone, normalise_phone, normalise_service_phone


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0470 12 34 56", "+32470123456"),
        ("+32 470 12 34 56", "+32470123456"),
        ("0032470123456", "+32470123456"),
        ("04/223.45.67", "+3242234567"),
        ("+33 6 12 34 56 78", "+33612345678"),
    ],
)
def test_numbers_are_read_the_belgian_way_and_kept_in_e164(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "abc", "0470 12", "+32 470 12 34 56 78 90", "1813"])
def test_invalid_numbers_are_refused(typed):
    with pytest.raises(ValidationError):
        normalise_phone(typed)


def test_service_numbers_accept_belgian_short_lines():
    assert normalise_service_phone("1813") == "1813"
    assert normalise_service_phone("107") == "107"
    assert normalise_service_phone("0800 32 123") == "0800 32 123"
    with pytest.raises(ValidationError):
        normalise_service_phone("99999")


def test_display():
    assert display_phone("+32470123456") == "0470 12 34 56"
    assert display_phone("+33612345678") == "+33 6 12 34 56 78"
