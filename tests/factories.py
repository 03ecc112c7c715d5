import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from factory.django import DjangoModelFactory

from members.mfa import mfa_required
from members.models import MemberProfile, User
from members.roles import Role, forget_identity
from members.services import role_grant

PASSWORD = "a-long-test-password-42"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            role_grant(user=self, role=Role(role))
        # Staff roles must have two-factor authentication, as in production.
        if create and mfa_required(self):
            enrol_totp(self)


def enrol_totp(user: User) -> str:
    """Give the user an authenticator app; the secret stays on the instance for log-ins."""
    user.totp_secret = generate_totp_secret()
    TOTP.activate(user, user.totp_secret)
    forget_identity(user)
    return user.totp_secret


def current_totp_code(user: User) -> str:
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(user.totp_secret, counter))


class MemberProfileFactory(DjangoModelFactory[MemberProfile]):
    class Meta:
        model = MemberProfile

    user = factory.SubFactory(UserFactory, roles=[Role.MEMBER])
    preferred_language = "fr"
    province = "WLG"


def member(**kwargs) -> User:
    return MemberProfileFactory(**{f"user__{k}": v for k, v in kwargs.items()}).user


def staff(role: Role, **kwargs) -> User:
    user = UserFactory(roles=[role], **kwargs)
    MemberProfileFactory(user=user)
    return user
