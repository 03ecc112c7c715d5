"""Shared set-up for the listening cell's e-mail tests: tasks in-process, a known portal
address, people who read their e-mails in a given language."""

from members.roles import Role
from tests.factories import staff


def staff_reading(role: Role, language: str = "fr", **fields):
    user = staff(role, **fields)
    user.profile.preferred_language = language
    user.profile.save(update_fields=["preferred_language"])
    return user
