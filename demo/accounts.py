"""Demo accounts, one per role, with a verified e-mail address."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.db import transaction

from members.mfa import mfa_required
from members.models import ActivitySector, SelfEmployment, User
from members.roles import Role
from members.services import member_register, profile_ensure, profile_update, role_grant

DEMO_PASSWORD = "bien-etre-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    roles: tuple[Role, ...]
    language: str = "fr"
    province: str = "WLG"
    superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("membre@demo.example", "Sophie", "Lambert", (Role.MEMBER,)),
    DemoAccount(
        "lid@demo.example", "Pieter", "Janssens", (Role.MEMBER,), language="nl", province="VOV"
    ),
    DemoAccount("ambassadeur@demo.example", "Karim", "Benali", (Role.AMBASSADOR,), province="BRU"),
    DemoAccount("conseillere@demo.example", "Anne", "Dubois", (Role.ADVISOR,), province="WNA"),
    DemoAccount(
        "gestionnaire@demo.example", "Marc", "Peeters", (Role.PROGRAMME_MANAGER,), province="BRU"
    ),
    DemoAccount("admin@demo.example", "Admin", "Portail", (), superuser=True, province="BRU"),
)


@transaction.atomic
def seed_accounts() -> list[DemoAccount]:
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = User.objects.create_user(
                account.email,
                DEMO_PASSWORD,
                is_staff=account.superuser,
                is_superuser=account.superuser,
            )
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        if Role.MEMBER in account.roles:
            profile = member_register(user=user, language=account.language)
        else:
            profile = profile_ensure(user=user, language=account.language)
        profile_update(
            profile=profile,
            first_name=account.first_name,
            last_name=account.last_name,
            preferred_language=account.language,
            province=account.province,
            self_employment=SelfEmployment.MAIN,
            activity_sector=ActivitySector.SERVICES,
        )
        for role in account.roles:
            role_grant(user=user, role=role)
        if mfa_required(user):
            demo_totp_secret(user)
    return list(DEMO_ACCOUNTS)


def demo_totp_secret(user: User) -> str:
    """The key of the demo account's authenticator app, made on first seeding.

    Staff roles must use two-factor authentication: the demo gives them an authenticator
    whose key `seed_demo` prints, so anyone can add it to their phone's app.
    """
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        authenticator = TOTP.activate(user, generate_totp_secret()).instance
    return decrypt(authenticator.data["secret"])
