import logging

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import (
    accounts,
    assessments,
    notifications,
    programme,
    referrals,
    roundtables,
    tracks,
)
from demo.accounts import DEMO_PASSWORD, demo_totp_secret
from members.models import User


class Command(BaseCommand):
    help = "Load a realistic demo programme and one account per role. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--staging",
            "--force",
            dest="force",
            action="store_true",
            help=(
                "Seed even with DEBUG off, for a staging or demonstration portal. The demo "
                "passwords are public: never on a portal with real members."
            ),
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Demo accounts have public passwords: seed_demo runs with DEBUG=1, or with "
                "--staging for a staging portal that holds no real member."
            )
        self.stdout.write(
            self.style.WARNING(
                f"The demo passwords are public (they are in the README): anyone can log in "
                f"as these accounts at {settings.PORTAL_BASE_URL}. Use this portal for "
                "demonstrations only, never with real members."
            )
        )
        # In embedded mode every e-mail task runs in-process and logs a line: not useful here.
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        demo_accounts = accounts.seed_accounts()
        # Order matters: assessments recommend the programme's modules, referrals use both.
        for seeder in (programme, tracks, roundtables, assessments, referrals, notifications):
            seeder.seed(self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo programme ready. Accounts (password for all: {DEMO_PASSWORD}):"
            )
        )
        bypass = getattr(settings, "MFA_TOTP_INSECURE_BYPASS_CODE", None)
        for account in demo_accounts:
            roles = ", ".join(role.value for role in account.roles) or "administrator"
            line = f"  {roles:<20} {account.email}"
            user = User.objects.get(email=account.email)
            if Authenticator.objects.filter(user=user).exists():
                line += f"  (two-factor key: {demo_totp_secret(user)})"
            self.stdout.write(line)
        self.stdout.write(
            "Advisors, managers and administrators use two-factor authentication: add their "
            "key to an authenticator app"
            + (f", or type the demo code {bypass}." if bypass else ".")
        )
