"""Phone numbers read the Belgian way by default, stored in one canonical form."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumbers import shortnumberinfo

DEFAULT_REGION = "BE"

INVALID_PHONE = _("Enter a valid phone number, such as 0470 12 34 56 or +32 470 12 34 56.")


def _parse(value: str) -> phonenumbers.PhoneNumber:
    try:
        return phonenumbers.parse(value.strip(), DEFAULT_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(INVALID_PHONE, code="invalid_phone") from error


def normalise_phone(value: str) -> str:
    """A person's number in E.164 (+32470123456); national numbers default to Belgium."""
    number = _parse(value)
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_service_phone(value: str) -> str:
    """An organisation's number as people dial it in Belgium: short lines such as 1813 or
    107 are valid too, so it is kept in national format rather than E.164."""
    number = _parse(value)
    if shortnumberinfo.is_valid_short_number_for_region(number, DEFAULT_REGION):
        return str(number.national_number)
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    if number.country_code == 32:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def display_phone(value: str) -> str:
    """How a stored number reads on a page: national for Belgium, international otherwise."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return value
    if number.country_code == 32:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def tel_uri(value: str) -> str:
    return "tel:" + "".join(c for c in value if c.isdigit() or c == "+")
